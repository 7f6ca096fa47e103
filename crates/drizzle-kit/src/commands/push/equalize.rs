//! The no-false-diffs step: the database's model, with every object (or column property)
//! that equals its counterpart in the schema files once both sides are spelled the same
//! way and their expressions canonicalized by the server, replaced by the files' own text.
//! Diffing that against the files yields only real changes, rendered from the files' text.

use std::collections::{HashMap, HashSet};

use drizzle_diff::{Rename, RenameKind};
use drizzle_schema::{Column, PUBLIC, Schema, qualified_key};
use indexmap::IndexMap;

/// Both sides prepared for comparing: one spelling (`comparable`), no rename hints and no
/// view row types (the definition decides what a view is).
pub(in crate::commands) fn comparable(schema: &Schema) -> Schema {
    let mut out = drizzle_introspect::comparable(schema);
    strip_hints(&mut out);
    for view in out.views.values_mut() {
        view.columns.clear();
    }
    out
}

/// Removes the `renamed_from` hints: they say how the files got here, not what they hold.
fn strip_hints(schema: &mut Schema) {
    for s in schema.schemas.values_mut() {
        s.renamed_from = None;
    }
    for e in schema.enums.values_mut() {
        e.renamed_from = None;
        e.value_renames.clear();
    }
    for s in schema.sequences.values_mut() {
        s.renamed_from = None;
    }
    for r in schema.roles.values_mut() {
        r.renamed_from = None;
    }
    for p in schema.policies.values_mut() {
        p.renamed_from = None;
    }
    for v in schema.views.values_mut() {
        v.renamed_from = None;
    }
    for t in schema.tables.values_mut() {
        t.renamed_from = None;
        for c in t.columns.values_mut() {
            c.renamed_from = None;
        }
        for p in t.policies.values_mut() {
            p.renamed_from = None;
        }
    }
}

/// Where each database object's counterpart lives in the schema files, after renames.
struct Counterparts {
    schemas: HashMap<String, String>,
    objects: HashMap<(RenameKind, String), String>,
    /// (files' table key, database column or policy name) → files' name.
    members: HashMap<(RenameKind, String, String), String>,
}

impl Counterparts {
    fn new(renames: &[Rename]) -> Counterparts {
        let mut c = Counterparts {
            schemas: HashMap::new(),
            objects: HashMap::new(),
            members: HashMap::new(),
        };
        for r in renames {
            match (r.kind, &r.table) {
                (RenameKind::Schema, _) => {
                    c.schemas.insert(r.from.clone(), r.to.clone());
                }
                (RenameKind::Column | RenameKind::Policy, Some(table)) => {
                    c.members
                        .insert((r.kind, table.clone(), r.from.clone()), r.to.clone());
                }
                (kind, _) => {
                    c.objects.insert((kind, r.from.clone()), r.to.clone());
                }
            }
        }
        c
    }

    /// The files' key of the schema-scoped object the database knows as `key`.
    fn object(&self, kind: RenameKind, key: &str) -> String {
        if let Some(to) = self.objects.get(&(kind, key.to_owned())) {
            return to.clone();
        }
        match key.split_once('.') {
            Some((schema, name)) => match self.schemas.get(schema) {
                Some(to) => qualified_key(to, name),
                None => key.to_owned(),
            },
            None => key.to_owned(),
        }
    }

    fn name(&self, kind: RenameKind, name: &str) -> String {
        self.objects
            .get(&(kind, name.to_owned()))
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }

    fn member(&self, kind: RenameKind, table: &str, name: &str) -> String {
        self.members
            .get(&(kind, table.to_owned(), name.to_owned()))
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }
}

/// The two sides of a comparison: originals and their canonical copies (same keys).
pub(in crate::commands) struct Sides<'a> {
    /// The database, as introspected.
    pub database: &'a Schema,
    /// The database, canonical.
    pub database_canonical: &'a Schema,
    /// The schema files, as parsed.
    pub files: &'a Schema,
    /// The schema files, canonical.
    pub files_canonical: &'a Schema,
    /// (table key, column) whose defaults differ as text but hold the same constant.
    pub same_defaults: &'a HashSet<(String, String)>,
}

/// The database's model with every part equal to the files' (canonically) taken from the
/// files; `renames` pairs objects whose names differ.
pub(in crate::commands) fn equalize(sides: &Sides, renames: &[Rename]) -> Schema {
    let map = Counterparts::new(renames);
    let (cdb, files, cfiles) = (sides.database_canonical, sides.files, sides.files_canonical);
    let mut out = sides.database.clone();
    objects(
        &mut out.schemas,
        &cdb.schemas,
        &cfiles.schemas,
        &files.schemas,
        |k| map.schemas.get(k).cloned().unwrap_or_else(|| k.to_owned()),
    );
    objects(
        &mut out.enums,
        &cdb.enums,
        &cfiles.enums,
        &files.enums,
        |k| map.object(RenameKind::Enum, k),
    );
    objects(
        &mut out.sequences,
        &cdb.sequences,
        &cfiles.sequences,
        &files.sequences,
        |k| map.object(RenameKind::Sequence, k),
    );
    objects(
        &mut out.roles,
        &cdb.roles,
        &cfiles.roles,
        &files.roles,
        |k| map.name(RenameKind::Role, k),
    );
    objects(
        &mut out.policies,
        &cdb.policies,
        &cfiles.policies,
        &files.policies,
        |k| map.name(RenameKind::Policy, k),
    );
    for (key, view) in out.views.iter_mut() {
        let to = map.object(RenameKind::View, key);
        let (Some(a), Some(b), Some(original)) = (
            cdb.views.get(key),
            cfiles.views.get(&to),
            files.views.get(&to),
        ) else {
            continue;
        };
        // Row types are the application's business; only the rest is compared.
        view.columns = original.columns.clone();
        if a == b {
            *view = original.clone();
        } else if a.definition == b.definition {
            view.definition = original.definition.clone();
        }
    }
    for (key, table) in out.tables.iter_mut() {
        let to = map.object(RenameKind::Table, key);
        let (Some(a), Some(b), Some(original)) = (
            cdb.tables.get(key),
            cfiles.tables.get(&to),
            files.tables.get(&to),
        ) else {
            continue;
        };
        if a == b {
            *table = original.clone();
            continue;
        }
        for (name, column) in table.columns.iter_mut() {
            let other = map.member(RenameKind::Column, &to, name);
            if let (Some(ca), Some(cb), Some(o)) = (
                a.columns.get(name),
                b.columns.get(&other),
                original.columns.get(&other),
            ) {
                let same_default = sides.same_defaults.contains(&(key.clone(), name.clone()));
                equalize_column(column, ca, cb, o, same_default);
            }
        }
        let same = |k: &str| k.to_owned();
        objects(
            &mut table.indexes,
            &a.indexes,
            &b.indexes,
            &original.indexes,
            same,
        );
        objects(
            &mut table.foreign_keys,
            &a.foreign_keys,
            &b.foreign_keys,
            &original.foreign_keys,
            same,
        );
        objects(
            &mut table.composite_primary_keys,
            &a.composite_primary_keys,
            &b.composite_primary_keys,
            &original.composite_primary_keys,
            same,
        );
        objects(
            &mut table.unique_constraints,
            &a.unique_constraints,
            &b.unique_constraints,
            &original.unique_constraints,
            same,
        );
        objects(
            &mut table.check_constraints,
            &a.check_constraints,
            &b.check_constraints,
            &original.check_constraints,
            same,
        );
        objects(
            &mut table.policies,
            &a.policies,
            &b.policies,
            &original.policies,
            |k| map.member(RenameKind::Policy, &to, k),
        );
        if a.rls_enabled == b.rls_enabled {
            table.rls_enabled = original.rls_enabled;
        }
        if a.comment == b.comment {
            table.comment = original.comment.clone();
        }
    }
    out
}

/// Each object of `out` whose canonical form equals its counterpart's (found by `to`)
/// becomes the counterpart's original.
fn objects<T: Clone + PartialEq>(
    out: &mut IndexMap<String, T>,
    canonical: &IndexMap<String, T>,
    files_canonical: &IndexMap<String, T>,
    files: &IndexMap<String, T>,
    to: impl Fn(&str) -> String,
) {
    for (key, value) in out.iter_mut() {
        let other = to(key);
        if let (Some(a), Some(b), Some(original)) = (
            canonical.get(key),
            files_canonical.get(&other),
            files.get(&other),
        ) && a == b
        {
            *value = original.clone();
        }
    }
}

/// Property by property, so that a real change (a new type) does not drag along false
/// ones (the same default spelled another way).
fn equalize_column(
    out: &mut Column,
    a: &Column,
    b: &Column,
    original: &Column,
    same_default: bool,
) {
    if a.sql_type == b.sql_type && same_type_schema(a, b) {
        out.sql_type = original.sql_type.clone();
        out.type_schema = original.type_schema.clone();
    }
    if a.primary_key == b.primary_key {
        out.primary_key = original.primary_key;
    }
    if a.not_null == b.not_null {
        out.not_null = original.not_null;
    }
    if a.default == b.default || same_default {
        out.default = original.default.clone();
    }
    if a.generated == b.generated {
        out.generated = original.generated.clone();
    }
    if a.identity == b.identity {
        out.identity = original.identity.clone();
    }
    if a.legacy_unique == b.legacy_unique {
        out.legacy_unique = original.legacy_unique.clone();
    }
    if a.comment == b.comment {
        out.comment = original.comment.clone();
    }
}

fn same_type_schema(a: &Column, b: &Column) -> bool {
    let schema = |c: &Column| {
        c.type_schema
            .as_deref()
            .map(|s| if s.is_empty() { PUBLIC } else { s }.to_owned())
    };
    schema(a) == schema(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::{CheckConstraint, Literal, Table};

    fn table(name: &str, default: &str, check: &str) -> Table {
        let mut t = Table::new("public", name);
        let mut c = Column::new("n", "integer");
        c.default = Some(Literal::Sql(default.into()));
        t.columns.insert("n".into(), c);
        t.check_constraints.insert(
            "c".into(),
            CheckConstraint {
                name: "c".into(),
                value: check.into(),
            },
        );
        t
    }

    fn schema(t: Table) -> Schema {
        let mut s = Schema::default();
        s.tables.insert(t.key(), t);
        s
    }

    #[test]
    fn canonically_equal_parts_take_the_files_text_and_real_changes_stay() {
        let database = schema(table("t", "'1'::integer", "(n > 0)"));
        let files = schema(table("t", "1", "\"t\".\"n\" > 0"));
        let canonical = schema(table("t", "1", "n > 0"));
        let sides = Sides {
            database: &database,
            database_canonical: &canonical,
            files: &files,
            files_canonical: &canonical,
            same_defaults: &HashSet::new(),
        };
        assert_eq!(equalize(&sides, &[]), files);

        let mut changed = canonical.clone();
        changed.tables["public.t"].check_constraints["c"].value = "n > 1".into();
        let mut not_null = canonical.clone();
        not_null.tables["public.t"].columns["n"].not_null = true;
        let sides = Sides {
            database: &database,
            database_canonical: &not_null,
            files: &files,
            files_canonical: &changed,
            same_defaults: &HashSet::new(),
        };
        let out = equalize(&sides, &[]);
        let t = &out.tables["public.t"];
        assert_eq!(t.columns["n"].default, Some(Literal::Sql("1".into())));
        assert!(!t.columns["n"].not_null);
        assert_eq!(t.check_constraints["c"].value, "(n > 0)");
    }

    #[test]
    fn renamed_tables_are_compared_with_their_new_counterpart() {
        let database = schema(table("old", "'1'::integer", "(n > 0)"));
        let files = schema(table("new", "1", "\"new\".\"n\" > 0"));
        let canonical_db = schema(table("old", "1", "n > 0"));
        let canonical_files = schema(table("new", "1", "n > 0"));
        let sides = Sides {
            database: &database,
            database_canonical: &canonical_db,
            files: &files,
            files_canonical: &canonical_files,
            same_defaults: &HashSet::new(),
        };
        let rename = Rename {
            kind: RenameKind::Table,
            table: None,
            from: "public.old".into(),
            to: "public.new".into(),
        };
        let out = equalize(&sides, &[rename]);
        let t = &out.tables["public.old"];
        assert_eq!(t.name, "old");
        assert_eq!(t.columns["n"].default, Some(Literal::Sql("1".into())));
        assert_eq!(t.check_constraints["c"].value, "\"new\".\"n\" > 0");
    }
}
