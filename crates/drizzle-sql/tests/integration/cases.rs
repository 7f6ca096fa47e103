//! The conformance corpus: one folder per case under `migrations-fixtures/cases` (a new
//! folder is a new test), read into schemas and drizzle-kit's statements.

use std::fs;
use std::path::{Path, PathBuf};

use drizzle_diff::{Creation, Rename, RenameKind, Renames};
use drizzle_schema::snapshot::Snapshot;
use drizzle_schema::{PUBLIC, Schema, qualified_key};
use drizzle_syntax::{ParseOptions, SourceFile, parse_sources};

/// One conformance case.
pub struct Case {
    /// Folder name, e.g. `55_rename_table`.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// The schema at v1: drizzle-kit's own snapshot when it wrote one, else `schema_v1.rs`.
    pub v1: Schema,
    /// `schema_v2.rs`, parsed (rename hints included).
    pub v2: Schema,
    /// drizzle-kit's v1 migration (empty when v1 is empty).
    pub expected_v1: String,
    /// drizzle-kit's v2 migration (empty when it wrote none, e.g. it crashed).
    pub expected: String,
    /// The answers drizzle-kit's prompts got, as explicit decisions.
    pub answers: Renames,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

/// Parses one schema file of the schema language.
pub fn parse_rs(path: &Path) -> Schema {
    let file = SourceFile {
        path: path.to_path_buf(),
        text: read(path),
    };
    parse_sources(&[file], &ParseOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// Every case, sorted by name.
pub fn all() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("migrations-fixtures/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() > 10, "fixture cases found: {}", dirs.len());
    dirs.into_iter().map(|dir| load(&dir)).collect()
}

fn load(dir: &Path) -> Case {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expected_v1 = read(&dir.join("expected_v1.sql"));
    let expected = read(&dir.join("expected.sql"));
    let v1 = if expected_v1.trim().is_empty() {
        parse_rs(&dir.join("schema_v1.rs"))
    } else {
        let text = read(&dir.join("out/meta/0000_snapshot.json"));
        Snapshot::from_json(&text)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .schema
    };
    let v2 = parse_rs(&dir.join("schema_v2.rs"));
    let answers = answers(&read(&dir.join("prompts.txt")), &v2);
    Case {
        name,
        dir: dir.to_path_buf(),
        v1,
        v2,
        expected_v1,
        expected,
        answers,
    }
}

/// drizzle-kit's key display (`name` in public, else `schema.name`) as a model key.
fn display_key(text: &str) -> String {
    match text.split_once('.') {
        Some((schema, name)) => qualified_key(schema, name),
        None => qualified_key(PUBLIC, text),
    }
}

/// The decisions recorded in a case's `prompts.txt`: each prompt's chosen line is either
/// `+ NAME create KIND` or `~ OLD › NEW rename KIND`.
fn answers(prompts: &str, v2: &Schema) -> Renames {
    let mut out = Renames::new();
    let lines: Vec<&str> = prompts.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(question) = line.strip_prefix("PROMPT: Is ") else {
            continue;
        };
        let chosen = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with("PROMPT"))
            .find_map(|l| l.trim().strip_prefix("-> chose ["))
            .and_then(|rest| rest.split(']').next())
            .expect("a chosen option");
        let option = lines[i + 1..]
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("[{chosen}]")))
            .expect("the chosen option's line");
        let text = option.trim_start().split_once(']').unwrap().1;
        let text = text.trim_start_matches('*').trim();
        // Questions name the kind, and for columns the table: `X column in T table ...`.
        let mut words = question.split_whitespace();
        let created = words.next().unwrap();
        let kind_word = words.next().unwrap();
        let table = (kind_word == "column").then(|| {
            let t = question.split(" in ").nth(1).unwrap();
            display_key(t.split_whitespace().next().unwrap())
        });
        // drizzle-kit asks about table policies with the column question.
        let kind = match kind_word {
            "column" => {
                let t = &v2.tables[table.as_deref().unwrap()];
                if t.columns.contains_key(created) {
                    RenameKind::Column
                } else {
                    RenameKind::Policy
                }
            }
            word => RenameKind::from_word(word).expect("a kind"),
        };
        let key = |name: &str| match &table {
            Some(_) => name.to_owned(),
            None if kind == RenameKind::Schema || kind == RenameKind::Role => name.to_owned(),
            None => display_key(name),
        };
        if text.starts_with('+') {
            out.create(Creation {
                kind,
                table: table.clone(),
                name: key(created),
            });
        } else {
            let rest = text.trim_start_matches('~').trim();
            let (from, to) = rest.split_once(" › ").unwrap();
            let to = to.split_whitespace().next().unwrap();
            out.rename(Rename {
                kind,
                table: table.clone(),
                from: key(from),
                to: key(to),
            });
        }
    }
    out
}

/// The schema without any `renamed_from` hint: what the renames must come from otherwise.
pub fn strip_hints(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    s.schemas.values_mut().for_each(|d| d.renamed_from = None);
    s.enums.values_mut().for_each(|e| {
        e.renamed_from = None;
        e.value_renames.clear();
    });
    s.sequences.values_mut().for_each(|q| q.renamed_from = None);
    s.roles.values_mut().for_each(|r| r.renamed_from = None);
    s.policies.values_mut().for_each(|p| p.renamed_from = None);
    s.views.values_mut().for_each(|v| v.renamed_from = None);
    for t in s.tables.values_mut() {
        t.renamed_from = None;
        t.columns.values_mut().for_each(|c| c.renamed_from = None);
        t.policies.values_mut().for_each(|p| p.renamed_from = None);
    }
    s
}

/// A migration file's statements, trimmed.
pub fn statements(sql: &str) -> Vec<String> {
    sql.split("--> statement-breakpoint")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Our v2 migration, rendered.
pub fn ours(from: &Schema, to: &Schema, renames: &Renames) -> Result<Vec<String>, String> {
    drizzle_diff::diff(from, to, renames)
        .map(|changes| drizzle_sql::render(&changes))
        .map_err(|e| e.to_string())
}
