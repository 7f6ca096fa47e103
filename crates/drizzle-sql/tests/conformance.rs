//! Conformance against drizzle-kit 0.31's own output: every case folder under
//! `migrations-fixtures/cases` is a test (a new folder is picked up automatically).
//!
//! For each case, drizzle-kit's snapshots `out/meta/NNNN_snapshot.json` are diffed in
//! sequence, starting from the empty schema. The first migration must render to exactly
//! `out/0000_*.sql`. Later migrations must render to exactly drizzle-kit's file when that
//! file only adds objects, and must be rejected as not additive otherwise. With drops
//! allowed, the same holds for files that only add and drop objects.

use std::fs;
use std::path::{Path, PathBuf};

use drizzle_schema::Schema;
use drizzle_schema::snapshot::Snapshot;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases")
}

/// Files in `dir` whose names end with `suffix`, sorted by name.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    let name = p.file_name().unwrap().to_string_lossy();
                    name.ends_with(suffix) && !name.starts_with('_')
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn prefix(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy()[..4].to_owned()
}

fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split("--> statement-breakpoint")
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn is_addition(s: &str) -> bool {
    s.starts_with("CREATE ")
        || (s.starts_with("ALTER TABLE")
            && (s.contains(" ADD COLUMN ")
                || s.contains(" ADD CONSTRAINT ")
                || s.ends_with(" ENABLE ROW LEVEL SECURITY;")))
        || (s.starts_with("ALTER TYPE") && s.contains(" ADD VALUE "))
}

fn is_drop(s: &str) -> bool {
    s.starts_with("DROP ")
        || (s.starts_with("ALTER TABLE")
            && (s.contains(" DROP COLUMN ") || s.contains(" DROP CONSTRAINT ")))
}

/// Whether every statement of a drizzle-kit migration only creates or adds something.
fn only_additions(sql: &str) -> bool {
    statements(sql).all(is_addition)
}

/// Whether every statement of a drizzle-kit migration only adds or drops something, and
/// no object is dropped and added back (drizzle-kit's way of altering it).
fn only_additions_and_drops(sql: &str) -> bool {
    let name_after = |s: &str, keyword: &str| {
        s.find(keyword).map(|i| {
            s[i + keyword.len()..]
                .split('"')
                .nth(1)
                .unwrap_or("")
                .to_owned()
        })
    };
    let dropped: Vec<String> = statements(sql)
        .filter_map(|s| name_after(s, " DROP CONSTRAINT ").or_else(|| name_after(s, "DROP INDEX ")))
        .collect();
    let recreated = statements(sql).any(|s| {
        let added = name_after(s, " ADD CONSTRAINT ").or_else(|| name_after(s, "INDEX "));
        added.is_some_and(|name| dropped.contains(&name))
    });
    !recreated && statements(sql).all(|s| is_addition(s) || is_drop(s))
}

/// Whether drizzle-kit renamed something: the snapshots do not record renames, so from
/// them alone a rename is indistinguishable from a drop and a create.
fn renames(sql: &str) -> bool {
    statements(sql).any(|s| s.contains(" RENAME ") || s.contains(" SET SCHEMA "))
}

/// Where drizzle-kit's file is wrong (migrations-fixtures/NOTES.md §4.1), the text we
/// write instead: `(case, file prefix, drizzle-kit's text, ours)`.
///
/// Point and line defaults are stored in the snapshot as JSON arrays/objects; drizzle-kit
/// prints them with JavaScript's `String()` (`DEFAULT 1,2`, `DEFAULT [object Object]`),
/// which PostgreSQL rejects, while the snapshot reader turns them into the literals
/// `'(x,y)'` / `'{a,b,c}'`. The unescaped quotes in string-typed array and JSON defaults
/// stay: the snapshot holds that SQL text verbatim (the parser must not produce it).
const CORRECTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "70_defaults_broken_literals",
        "0000",
        "\"pt_tuple\" \"point\" DEFAULT 1,2,",
        "\"pt_tuple\" \"point\" DEFAULT '(1,2)',",
    ),
    (
        "70_defaults_broken_literals",
        "0000",
        "\"pt_xy\" \"point\" DEFAULT [object Object],",
        "\"pt_xy\" \"point\" DEFAULT '(3,4)',",
    ),
    (
        "70_defaults_broken_literals",
        "0000",
        "\"ln_abc\" \"line\" DEFAULT [object Object],",
        "\"ln_abc\" \"line\" DEFAULT '{1,2,3}',",
    ),
    (
        "70_defaults_broken_literals",
        "0000",
        "\"ln_tuple\" \"line\" DEFAULT 1,2,3,",
        "\"ln_tuple\" \"line\" DEFAULT '{1,2,3}',",
    ),
];

fn expected_text(case: &str, prefix: &str, drizzle: String) -> String {
    CORRECTIONS
        .iter()
        .filter(|(c, p, _, _)| *c == case && *p == prefix)
        .fold(drizzle, |text, (_, _, bad, good)| {
            assert!(
                text.contains(bad),
                "{case}/{prefix}: correction no longer applies: {bad}"
            );
            text.replace(bad, good)
        })
}

fn check_case(case_dir: &Path) -> Vec<String> {
    let case = case_dir.file_name().unwrap().to_string_lossy().into_owned();
    let out = case_dir.join("out");
    let sql_files = files(&out, ".sql");
    let mut failures = Vec::new();
    let mut prev = Schema::default();
    for (i, snapshot_path) in files(&out.join("meta"), "_snapshot.json")
        .iter()
        .enumerate()
    {
        let text = fs::read_to_string(snapshot_path).unwrap();
        let snapshot = Snapshot::from_json(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", snapshot_path.display()));
        let p = prefix(snapshot_path);
        let Some(sql_path) = sql_files.iter().find(|f| prefix(f) == p) else {
            prev = snapshot.schema;
            continue;
        };
        let drizzle = fs::read_to_string(sql_path).unwrap();
        let expected = expected_text(&case, &p, drizzle.clone());
        let result = drizzle_diff::diff(&prev, &snapshot.schema);
        let name = format!("{case}/{}", sql_path.file_name().unwrap().to_string_lossy());
        match result {
            Ok(changes) if i == 0 || only_additions(&drizzle) => {
                let ours = drizzle_sql::join_statements(&drizzle_sql::render(&changes), true);
                if ours != expected {
                    failures.push(format!(
                        "{name}: rendered text differs\n--- expected\n{expected}\n--- ours\n{ours}\n"
                    ));
                }
            }
            Ok(changes) => failures.push(format!(
                "{name}: drizzle-kit's migration is not additive, but the diff gave {} changes",
                changes.len()
            )),
            Err(e) if i == 0 || only_additions(&drizzle) => {
                failures.push(format!("{name}: additive migration rejected: {e}"));
            }
            Err(e) => {
                if e.to_string().lines().count() < 2 {
                    failures.push(format!("{name}: rejection lists nothing: {e}"));
                }
            }
        }
        check_with_drops(
            &name,
            &prev,
            &snapshot.schema,
            &drizzle,
            &expected,
            &mut failures,
        );
        prev = snapshot.schema;
    }
    failures
}

fn check_with_drops(
    name: &str,
    prev: &Schema,
    cur: &Schema,
    drizzle: &str,
    expected: &str,
    failures: &mut Vec<String>,
) {
    let options = drizzle_diff::DiffOptions { allow_drops: true };
    match drizzle_diff::diff_with(prev, cur, options) {
        Ok(changes) if only_additions_and_drops(drizzle) => {
            let ours = drizzle_sql::join_statements(&drizzle_sql::render(&changes), true);
            if ours != expected {
                failures.push(format!(
                    "{name} (drops allowed): rendered text differs\n--- expected\n{expected}\n--- ours\n{ours}\n"
                ));
            }
        }
        Ok(_) if renames(drizzle) => {}
        Ok(_) => failures.push(format!(
            "{name} (drops allowed): drizzle-kit alters objects, but the diff succeeded"
        )),
        Err(e) if only_additions_and_drops(drizzle) => {
            failures.push(format!("{name} (drops allowed): rejected: {e}"));
        }
        Err(_) => {}
    }
}

#[test]
fn drizzle_kit_cases_render_identically() {
    let mut cases: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("migrations-fixtures/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() > 10, "fixture cases found: {}", cases.len());
    let failures: Vec<String> = cases.iter().flat_map(|c| check_case(c)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn additive_classification_of_drizzle_output() {
    assert!(only_additions(
        "CREATE TABLE \"t\" (\n);\n--> statement-breakpoint\nALTER TABLE \"t\" ADD COLUMN \"c\" integer;"
    ));
    assert!(!only_additions("DROP TABLE \"t\" CASCADE;"));
    assert!(only_additions_and_drops("DROP TABLE \"t\" CASCADE;"));
    assert!(!only_additions_and_drops(
        "ALTER TABLE \"t\" DROP CONSTRAINT \"u\";--> statement-breakpoint\nALTER TABLE \"t\" ADD CONSTRAINT \"u\" UNIQUE(\"a\");"
    ));
    assert!(renames("ALTER TABLE \"a\" RENAME TO \"b\";"));
    assert!(!only_additions(
        "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DATA TYPE bigint;"
    ));
}
