//! Pairing disappearing objects with new ones: schema hints first, then explicit
//! decisions, and whatever is left over with both sides non-empty is an ambiguity.

use indexmap::IndexSet;

use crate::renames::{Rename, RenameCandidate, RenameKind, Renames};

/// How the objects of one kind (within one table, for columns and policies) pair up.
#[derive(Debug, Default)]
pub struct Resolution {
    /// `(old key, new key)` of renamed objects, in the new schema's order.
    pub pairs: Vec<(String, String)>,
    /// New keys that are created, in the new schema's order.
    pub created: Vec<String>,
    /// Old keys that are dropped, in the old schema's order.
    pub deleted: Vec<String>,
}

/// Decisions gathered over a whole diff.
#[derive(Debug, Default)]
pub struct Decisions {
    /// Every rename applied, in resolution order.
    pub applied: Vec<Rename>,
    /// Candidates nobody decided.
    pub ambiguities: Vec<RenameCandidate>,
    /// Indexes of explicit renames that were used.
    pub used: Vec<usize>,
}

/// Pairs `old` keys with `new` keys (each with its `renamed_from` hint, as an old key).
///
/// Undecided new objects are reported as ambiguities when objects of the same kind also
/// disappear; they are then provisionally treated as created (and the disappearing ones as
/// dropped) so that the rest of the diff can still find every other ambiguity.
pub fn resolve(
    kind: RenameKind,
    table: Option<&str>,
    old: &[String],
    new: &[(String, Option<String>)],
    explicit: &Renames,
    decisions: &mut Decisions,
) -> Resolution {
    let new_keys: IndexSet<&str> = new.iter().map(|(k, _)| k.as_str()).collect();
    let old_keys: IndexSet<&str> = old.iter().map(String::as_str).collect();
    let mut gone: IndexSet<String> = old
        .iter()
        .filter(|k| !new_keys.contains(k.as_str()))
        .cloned()
        .collect();
    let fresh: Vec<&(String, Option<String>)> = new
        .iter()
        .filter(|(k, _)| !old_keys.contains(k.as_str()))
        .collect();

    let mut renamed_to: Vec<(String, String)> = Vec::new();
    let mut undecided: Vec<&str> = Vec::new();
    for (key, hint) in &fresh {
        match hint {
            Some(hint) if gone.shift_remove(hint) => renamed_to.push((hint.clone(), key.clone())),
            _ => undecided.push(key),
        }
    }
    let mut created_now: Vec<&str> = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for key in undecided {
        let rename = explicit
            .renames
            .iter()
            .enumerate()
            .find(|(_, r)| r.kind == kind && r.table.as_deref() == table && r.to == key);
        if let Some((index, r)) = rename
            && gone.shift_remove(&r.from)
        {
            decisions.used.push(index);
            renamed_to.push((r.from.clone(), key.to_owned()));
            continue;
        }
        if explicit.is_created(kind, table, key) {
            created_now.push(key);
            continue;
        }
        open.push(key);
    }
    if !open.is_empty() && !gone.is_empty() {
        for key in &open {
            decisions.ambiguities.push(RenameCandidate {
                kind,
                table: table.map(str::to_owned),
                created: (*key).to_owned(),
                deleted: gone.iter().cloned().collect(),
            });
        }
    }
    // Keep the new schema's order for both renames and creations.
    let mut pairs = Vec::new();
    let mut created = Vec::new();
    for (key, _) in &fresh {
        if let Some((from, to)) = renamed_to.iter().find(|(_, to)| to == key) {
            decisions.applied.push(Rename {
                kind,
                table: table.map(str::to_owned),
                from: from.clone(),
                to: to.clone(),
            });
            pairs.push((from.clone(), to.clone()));
        } else {
            created.push(key.clone());
        }
    }
    debug_assert_eq!(created.len(), created_now.len() + open.len());
    Resolution {
        pairs,
        created,
        deleted: gone.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn new(items: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        items
            .iter()
            .map(|(k, h)| (k.to_string(), h.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn hints_beat_explicit_renames_and_leftovers_are_ambiguous() {
        let mut explicit = Renames::new();
        explicit.rename(Rename::parse("table:a=x").unwrap());
        explicit.rename(Rename::parse("table:b=y").unwrap());
        let mut decisions = Decisions::default();
        let r = resolve(
            RenameKind::Table,
            None,
            &keys(&["public.a", "public.b", "public.c", "public.d"]),
            &new(&[
                ("public.x", Some("public.c")),
                ("public.y", None),
                ("public.z", None),
            ]),
            &explicit,
            &mut decisions,
        );
        assert_eq!(
            r.pairs,
            vec![
                ("public.c".to_owned(), "public.x".to_owned()),
                ("public.b".to_owned(), "public.y".to_owned())
            ]
        );
        assert_eq!(r.created, vec!["public.z".to_owned()]);
        assert_eq!(r.deleted, keys(&["public.a", "public.d"]));
        assert_eq!(decisions.used, vec![1]);
        assert_eq!(decisions.ambiguities.len(), 1);
        assert_eq!(decisions.ambiguities[0].created, "public.z");
        assert_eq!(
            decisions.ambiguities[0].deleted,
            keys(&["public.a", "public.d"])
        );
    }

    #[test]
    fn creations_settle_ambiguities() {
        let mut explicit = Renames::new();
        explicit.create(crate::Creation::parse("role:new").unwrap());
        let mut decisions = Decisions::default();
        let r = resolve(
            RenameKind::Role,
            None,
            &keys(&["old"]),
            &new(&[("new", None)]),
            &explicit,
            &mut decisions,
        );
        assert!(decisions.ambiguities.is_empty());
        assert_eq!(r.created, keys(&["new"]));
        assert_eq!(r.deleted, keys(&["old"]));
    }

    #[test]
    fn only_additions_or_only_drops_are_never_ambiguous() {
        let mut decisions = Decisions::default();
        let r = resolve(
            RenameKind::Column,
            Some("public.t"),
            &keys(&["a"]),
            &new(&[("a", None), ("b", None)]),
            &Renames::new(),
            &mut decisions,
        );
        assert_eq!(r.created, keys(&["b"]));
        let r = resolve(
            RenameKind::Column,
            Some("public.t"),
            &keys(&["a", "b"]),
            &new(&[("a", None)]),
            &Renames::new(),
            &mut decisions,
        );
        assert_eq!(r.deleted, keys(&["b"]));
        assert!(decisions.ambiguities.is_empty());
    }
}
