//! Folder integrity: journal ↔ SQL files ↔ snapshots, the snapshot chain, collisions.
//!
//! Unlike `generate`, which stops at the first broken file, this reads everything and
//! reports every problem with the file (and JSON path) it concerns.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use drizzle_migrate::{FolderError, MigrationsFolder};
use drizzle_schema::snapshot::{Snapshot, SnapshotError};
use serde_json::Value;

use super::finding::{Code, Finding};
use crate::commands::shown;

/// The `prevId` of a first snapshot (drizzle-kit's empty snapshot id); pull writes `""`.
const ORIGIN_ID: &str = "00000000-0000-0000-0000-000000000000";

const JOURNAL_FIX: &str = "fix the value named above, or restore meta/_journal.json from version control; each entry is {idx, version, when, tag, breakpoints}";

/// What reading the folder found.
#[derive(Debug, Default)]
pub struct Folder {
    /// Integrity findings.
    pub findings: Vec<Finding>,
    /// Readable migrations in journal order.
    pub migrations: Vec<MigrationFile>,
    /// The snapshot of each journal entry that has its own (not with the `none` prefix).
    pub snapshots: BTreeMap<String, std::path::PathBuf>,
    /// Journal entries read.
    pub entries: usize,
    /// The snapshot `generate` diffs against (the last by file name), when it is readable.
    pub last: Option<(String, Snapshot)>,
    /// Whether a snapshot exists but cannot be read (so drift cannot be checked).
    pub last_unreadable: bool,
}

/// A migration of the journal whose SQL file could be read.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    /// Journal tag.
    pub tag: String,
    /// Journal `when` (the tracking table's `created_at`).
    pub when: u64,
    /// Journal `breakpoints`.
    pub breakpoints: bool,
    /// The SQL file, as shown to the user.
    pub path: String,
    /// The SQL file's text.
    pub text: String,
}

/// One journal entry, as far as integrity is concerned.
struct Entry {
    idx: u64,
    when: u64,
    tag: String,
    breakpoints: bool,
}

/// Reads the folder at `root`; paths in findings are shown relative to `cwd`.
pub fn inspect(root: &Path, cwd: &Path) -> Folder {
    let mut out = Folder::default();
    if !root.exists() {
        return out;
    }
    let folder = MigrationsFolder::new(root);
    let show = |p: &Path| shown(p, cwd);
    if let Err(e) = folder.check_layout() {
        out.findings.push(folder_error(&e, cwd));
        out.last_unreadable = true;
        return out;
    }

    let sql_files = match list_sql(root) {
        Ok(files) => files,
        Err(f) => {
            out.findings.push(f.in_file(show(root)));
            return out;
        }
    };
    let snapshot_paths = match folder.snapshot_paths() {
        Ok(paths) => paths,
        Err(e) => {
            out.findings.push(folder_error(&e, cwd));
            Vec::new()
        }
    };

    let journal_path = folder.journal_path();
    let journal_shown = show(&journal_path);
    let entries = match std::fs::read_to_string(&journal_path) {
        Ok(text) => match parse_journal(&text) {
            Ok(entries) => entries,
            Err(f) => {
                out.findings.push(f.in_file(&journal_shown));
                Vec::new()
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !sql_files.is_empty() || !snapshot_paths.is_empty() {
                out.findings.push(
                    Finding::error(
                        Code::JournalMissing,
                        "the folder has migrations but no meta/_journal.json, so no migration would ever be applied",
                        "restore meta/_journal.json from version control",
                    )
                    .in_file(&journal_shown),
                );
            }
            Vec::new()
        }
        Err(e) => {
            out.findings.push(
                Finding::error(
                    Code::Unreadable,
                    format!("cannot read the journal: {e}"),
                    "check the file's permissions",
                )
                .in_file(&journal_shown),
            );
            Vec::new()
        }
    };
    out.entries = entries.len();

    entry_findings(&entries, &journal_shown, &mut out.findings);

    // Files each entry needs.
    let mut snapshot_of_entry: Vec<Option<std::path::PathBuf>> = Vec::new();
    for entry in &entries {
        let sql_path = root.join(format!("{}.sql", entry.tag));
        match std::fs::read(&sql_path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => out.migrations.push(MigrationFile {
                    tag: entry.tag.clone(),
                    when: entry.when,
                    breakpoints: entry.breakpoints,
                    path: show(&sql_path),
                    text,
                }),
                Err(_) => out.findings.push(
                    Finding::error(
                        Code::SqlNotUtf8,
                        format!("{}.sql is not UTF-8 text", entry.tag),
                        "save the file as UTF-8",
                    )
                    .in_file(show(&sql_path)),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.findings.push(
                Finding::error(
                    Code::SqlMissing,
                    format!(
                        "journal entry {} ({}) has no SQL file",
                        entry.idx, entry.tag
                    ),
                    format!(
                        "restore {}.sql, or remove the entry (and its snapshot) from the journal",
                        entry.tag
                    ),
                )
                .in_file(show(&sql_path)),
            ),
            Err(e) => out.findings.push(
                Finding::error(
                    Code::Unreadable,
                    format!("cannot read {}.sql: {e}", entry.tag),
                    "check the file's permissions",
                )
                .in_file(show(&sql_path)),
            ),
        }
        let prefix = entry
            .tag
            .split_once('_')
            .map_or(entry.tag.as_str(), |(p, _)| p);
        if prefix.is_empty() {
            // `prefix = "none"`: drizzle-kit overwrites one `_snapshot.json` every time.
            snapshot_of_entry.push(None);
            continue;
        }
        let snapshot = folder.meta_dir().join(format!("{prefix}_snapshot.json"));
        if !snapshot.is_file() {
            out.findings.push(
                Finding::error(
                    Code::SnapshotMissing,
                    format!("journal entry {} ({}) has no snapshot", entry.idx, entry.tag),
                    "restore the snapshot from version control; without it the next generate diffs against an older schema",
                )
                .in_file(show(&snapshot)),
            );
            snapshot_of_entry.push(None);
        } else {
            out.snapshots.insert(entry.tag.clone(), snapshot.clone());
            snapshot_of_entry.push(Some(snapshot));
        }
    }

    // A journal that cannot be read would make every file look orphaned.
    let journal_read = out
        .findings
        .iter()
        .all(|f| f.code != Code::JournalMalformed);
    let tags: BTreeSet<&str> = entries.iter().map(|e| e.tag.as_str()).collect();
    let referenced: BTreeSet<&std::path::PathBuf> = snapshot_of_entry.iter().flatten().collect();
    if journal_read {
        for (name, path) in &sql_files {
            if !tags.contains(name.as_str()) {
                out.findings.push(
                    Finding::error(
                        Code::SqlOrphan,
                        format!("{name}.sql is not in the journal, so it would never be applied"),
                        "add its entry back to meta/_journal.json (often lost when merging branches), or delete the file",
                    )
                    .in_file(show(path)),
                );
            }
        }
        for path in snapshot_paths.iter().filter(|p| !referenced.contains(p)) {
            out.findings.push(
                Finding::error(
                    Code::SnapshotOrphan,
                    "snapshot belongs to no journal entry",
                    "delete it, or restore the journal entry and SQL file it belongs to; generate diffs against the last snapshot by file name",
                )
                .in_file(show(path)),
            );
        }
    }

    // Only the last snapshot is ever read again (by generate), so it alone is validated in
    // full; the others need their JSON and their chain links, which reads far faster.
    let mut parsed: BTreeMap<std::path::PathBuf, Head> = BTreeMap::new();
    let last_path = snapshot_paths.last();
    for path in &snapshot_paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                out.findings.push(
                    Finding::error(
                        Code::Unreadable,
                        format!("cannot read snapshot: {e}"),
                        "check the file's permissions",
                    )
                    .in_file(show(path)),
                );
                continue;
            }
        };
        if Some(path) == last_path {
            match Snapshot::from_json(&text) {
                Ok(snapshot) => {
                    parsed.insert(
                        path.clone(),
                        Head {
                            id: snapshot.id.clone(),
                            prev_id: snapshot.prev_id.clone(),
                        },
                    );
                    out.last = Some((show(path), snapshot));
                }
                Err(e) => out.findings.push(snapshot_error(&e).in_file(show(path))),
            }
            continue;
        }
        match read_head(&text) {
            Ok(head) => {
                parsed.insert(path.clone(), head);
            }
            Err(f) => out.findings.push(f.in_file(show(path))),
        }
    }
    if last_path.is_some() && out.last.is_none() {
        out.last_unreadable = true;
    }

    chain_findings(
        &parsed,
        &snapshot_of_entry,
        &entries,
        cwd,
        &mut out.findings,
    );
    out
}

/// Duplicate `idx` / `tag`, and `when` going backwards.
fn entry_findings(entries: &[Entry], journal: &str, findings: &mut Vec<Finding>) {
    let mut by_idx: BTreeMap<u64, &str> = BTreeMap::new();
    let mut by_tag: BTreeSet<&str> = BTreeSet::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(first) = by_idx.insert(e.idx, &e.tag) {
            findings.push(
                Finding::error(
                    Code::DuplicateIdx,
                    format!("journal entries {first} and {} both have idx {}", e.tag, e.idx),
                    "two branches each generated a migration: keep one, delete the other's SQL file, snapshot and journal entry, and run generate again on top",
                )
                .in_file(journal)
                .at_json_path(format!("entries[{i}].idx")),
            );
        }
        if !by_tag.insert(&e.tag) {
            findings.push(
                Finding::error(
                    Code::DuplicateTag,
                    format!("journal lists {} twice", e.tag),
                    "remove the duplicate entry",
                )
                .in_file(journal)
                .at_json_path(format!("entries[{i}].tag")),
            );
        }
        if let Some(previous) = i.checked_sub(1).map(|p| &entries[p])
            && e.when <= previous.when
        {
            findings.push(
                    Finding::warning(
                        Code::WhenOrder,
                        format!(
                            "{} (when {}) is not newer than the entry before it, {} (when {})",
                            e.tag, e.when, previous.tag, previous.when
                        ),
                        "drizzle-orm's migrator skips a migration older than the last one applied; regenerate it on top, or make `when` increase",
                    )
                    .in_file(journal)
                    .at_json_path(format!("entries[{i}].when")),
                );
        }
    }
}

/// Collisions, duplicate ids and breaks in the `id`/`prevId` chain (in journal order).
fn chain_findings(
    parsed: &BTreeMap<std::path::PathBuf, Head>,
    snapshot_of_entry: &[Option<std::path::PathBuf>],
    entries: &[Entry],
    cwd: &Path,
    findings: &mut Vec<Finding>,
) {
    let mut children: BTreeMap<&str, Vec<&std::path::PathBuf>> = BTreeMap::new();
    let mut ids: BTreeMap<&str, &std::path::PathBuf> = BTreeMap::new();
    for (path, s) in parsed {
        children.entry(s.prev_id.as_str()).or_default().push(path);
        if let Some(first) = ids.insert(s.id.as_str(), path) {
            findings.push(
                Finding::error(
                    Code::DuplicateSnapshotId,
                    format!("{} and {} have the same id {}", shown(first, cwd), shown(path, cwd), s.id),
                    "a snapshot was copied by hand; regenerate the later migration with `drizzle-kit generate`",
                )
                .in_file(shown(path, cwd)),
            );
        }
    }
    let tag_of: BTreeMap<&std::path::PathBuf, &str> = snapshot_of_entry
        .iter()
        .zip(entries)
        .filter_map(|(p, e)| Some((p.as_ref()?, e.tag.as_str())))
        .collect();
    let mut colliding: BTreeSet<&std::path::PathBuf> = BTreeSet::new();
    for (parent, kids) in &children {
        if kids.len() < 2 {
            continue;
        }
        colliding.extend(kids.iter().copied());
        let names: Vec<String> = kids
            .iter()
            .map(|p| match tag_of.get(p) {
                Some(tag) => format!("{} ({tag}.sql)", shown(p, cwd)),
                None => shown(p, cwd),
            })
            .collect();
        let parent_shown = ids
            .get(parent)
            .map_or_else(|| format!("snapshot {parent}"), |p| shown(p, cwd));
        findings.push(
            Finding::error(
                Code::Collision,
                format!(
                    "{} snapshots continue {parent_shown}: two branches each generated a migration on the same parent",
                    kids.len()
                ),
                "keep the migration of the branch merged first; delete the other's SQL file, snapshot and journal entry, then run `drizzle-kit generate` to regenerate its change on top",
            )
            .in_file(shown(kids[kids.len() - 1], cwd))
            .with_details(names),
        );
    }
    let mut previous: Option<&Head> = None;
    let mut previous_path: Option<&std::path::PathBuf> = None;
    for path in snapshot_of_entry {
        let Some(path) = path else {
            previous = None;
            continue;
        };
        let Some(snapshot) = parsed.get(path) else {
            previous = None;
            continue;
        };
        let is_first = previous_path.is_none();
        let broken = match previous {
            Some(p) => snapshot.prev_id != p.id,
            None if is_first => !(snapshot.prev_id == ORIGIN_ID || snapshot.prev_id.is_empty()),
            None => false,
        };
        if broken && !colliding.contains(path) {
            let expected = match (previous, previous_path) {
                (Some(p), Some(pp)) => format!("the id of {} ({})", shown(pp, cwd), p.id),
                _ => format!("{ORIGIN_ID} (it is the first snapshot)"),
            };
            findings.push(
                Finding::error(
                    Code::ChainBreak,
                    format!("prevId is {}, expected {expected}", snapshot.prev_id),
                    "the snapshot does not continue the one before it in the journal: restore the missing migration, or delete this one and run `drizzle-kit generate` again",
                )
                .in_file(shown(path, cwd))
                .at_json_path("prevId"),
            );
        }
        previous = Some(snapshot);
        previous_path = Some(path);
    }
}

/// `<tag>.sql` files directly in `root`, by tag.
fn list_sql(root: &Path) -> Result<Vec<(String, std::path::PathBuf)>, Box<Finding>> {
    let entries = std::fs::read_dir(root).map_err(|e| {
        Box::new(Finding::error(
            Code::Unreadable,
            format!("cannot list the folder: {e}"),
            "check the folder's permissions",
        ))
    })?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file()
            && path.extension().is_some_and(|e| e == "sql")
            && let Some(stem) = path.file_stem()
        {
            out.push((stem.to_string_lossy().into_owned(), path));
        }
    }
    out.sort();
    Ok(out)
}

fn folder_error(e: &FolderError, cwd: &Path) -> Finding {
    match e {
        FolderError::OldLayout { path } => Finding::error(
            Code::OldLayout,
            "a migration in the layout of drizzle-kit before 0.20 (one folder per migration)",
            "convert the folder with `drizzle-kit up` from drizzle-kit 0.20 or later",
        )
        .in_file(shown(path, cwd)),
        _ => Finding::error(
            Code::Unreadable,
            e.to_string(),
            "check the folder's permissions",
        ),
    }
}

/// A snapshot's place in the chain.
struct Head {
    id: String,
    prev_id: String,
}

/// The keys of a snapshot header; everything else is skipped without being built.
#[derive(serde::Deserialize)]
struct RawHead {
    id: String,
    #[serde(rename = "prevId")]
    prev_id: String,
    version: String,
    dialect: String,
}

/// A snapshot's header, after checking the file is JSON and a version "7" PostgreSQL snapshot.
fn read_head(text: &str) -> Result<Head, Box<Finding>> {
    const FIX: &str = "restore the snapshot from version control, or regenerate it";
    let raw: RawHead = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |at| &message[..at]);
        Box::new(
            Finding::error(Code::SnapshotMalformed, message.to_owned(), FIX)
                .at(e.line(), e.column()),
        )
    })?;
    if raw.version != "7" || raw.dialect != "postgresql" {
        return Err(Box::new(Finding::error(
            Code::SnapshotVersion,
            format!(
                "snapshot is version {:?} for {:?}; only version \"7\" postgresql snapshots are supported",
                raw.version, raw.dialect
            ),
            "use the tool that wrote the folder, or convert it (`drizzle-kit up` for older versions)",
        )));
    }
    Ok(Head {
        id: raw.id,
        prev_id: raw.prev_id,
    })
}

fn snapshot_error(e: &SnapshotError) -> Finding {
    const FIX: &str = "restore the snapshot from version control, or regenerate it";
    match e {
        SnapshotError::Syntax {
            message,
            line,
            column,
        } => Finding::error(
            Code::SnapshotMalformed,
            format!("invalid JSON: {message}"),
            FIX,
        )
        .at(*line, *column),
        SnapshotError::Malformed { path, message } => {
            Finding::error(Code::SnapshotMalformed, message.clone(), FIX).at_json_path(path.clone())
        }
        other => Finding::error(
            Code::SnapshotVersion,
            other.to_string(),
            "use the tool that wrote the folder, or convert it (`drizzle-kit up` for older versions)",
        ),
    }
}

/// The entries of a journal, or the first problem with the JSON path of the value.
fn parse_journal(text: &str) -> Result<Vec<Entry>, Box<Finding>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |at| &message[..at]);
        Finding::error(
            Code::JournalMalformed,
            format!("invalid JSON: {message}"),
            JOURNAL_FIX,
        )
        .at(e.line(), e.column())
    })?;
    let bad = |path: &str, message: String| {
        Box::new(Finding::error(Code::JournalMalformed, message, JOURNAL_FIX).at_json_path(path))
    };
    let root = value
        .as_object()
        .ok_or_else(|| bad("$", format!("expected an object, found {}", kind(&value))))?;
    match root.get("dialect") {
        Some(Value::String(d)) if d == "postgresql" => {}
        Some(other) => {
            return Err(bad(
                "dialect",
                format!("expected \"postgresql\", found {other}"),
            ));
        }
        None => return Err(bad("dialect", "missing".to_owned())),
    }
    let list = match root.get("entries") {
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(bad(
                "entries",
                format!("expected an array, found {}", kind(other)),
            ));
        }
        None => return Err(bad("entries", "missing".to_owned())),
    };
    let mut entries = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = |key: &str| format!("entries[{i}].{key}");
        let obj = item.as_object().ok_or_else(|| {
            bad(
                &format!("entries[{i}]"),
                format!("expected an object, found {}", kind(item)),
            )
        })?;
        let number = |key: &str| -> Result<u64, Box<Finding>> {
            match obj.get(key) {
                Some(v) => v.as_u64().ok_or_else(|| {
                    bad(
                        &at(key),
                        format!("expected a non-negative integer, found {}", kind(v)),
                    )
                }),
                None => Err(bad(&at(key), "missing".to_owned())),
            }
        };
        let idx = number("idx")?;
        let when = number("when")?;
        let tag = match obj.get("tag") {
            Some(Value::String(t)) if !t.is_empty() && !t.contains(['/', '\\']) => t.clone(),
            Some(Value::String(t)) => {
                return Err(bad(&at("tag"), format!("{t:?} is not a file name")));
            }
            Some(v) => {
                return Err(bad(
                    &at("tag"),
                    format!("expected a string, found {}", kind(v)),
                ));
            }
            None => return Err(bad(&at("tag"), "missing".to_owned())),
        };
        let breakpoints = match obj.get("breakpoints") {
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                return Err(bad(
                    &at("breakpoints"),
                    format!("expected a boolean, found {}", kind(v)),
                ));
            }
            None => return Err(bad(&at("breakpoints"), "missing".to_owned())),
        };
        entries.push(Entry {
            idx,
            when,
            tag,
            breakpoints,
        });
    }
    Ok(entries)
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_errors_name_the_json_path() {
        let cases = [
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":"soon","tag":"0000_a","breakpoints":true}]}"#,
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":1,"tag":"0000_a"}]}"#,
            r#"{"version":"7","dialect":"mysql","entries":[]}"#,
            "{\n  \"entries\": [\n",
        ];
        let found: Vec<String> = cases
            .iter()
            .map(|text| {
                let Err(f) = parse_journal(text) else {
                    panic!("accepted {text}")
                };
                format!("{:?} {:?} {}", f.json_path, f.line, f.message)
            })
            .collect();
        assert_eq!(
            found,
            [
                "Some(\"entries[0].when\") None expected a non-negative integer, found \"soon\"",
                "Some(\"entries[0].breakpoints\") None missing",
                "Some(\"dialect\") None expected \"postgresql\", found \"mysql\"",
                "None Some(3) invalid JSON: EOF while parsing a list",
            ]
        );
    }
}
