//! What `generate` adds for safety and machines: writing the safe form (possibly as two
//! migrations), linting what it wrote, and its `--json` document.

use std::path::Path;

use drizzle_migrate::{FolderError, MigrationsFolder, NewMigration, Prefix, WrittenMigration};
use drizzle_schema::Schema;
use drizzle_schema::snapshot::{RenameMeta, Snapshot};
use serde::Serialize;

use super::finding::Finding;
use super::lint_finding;
use crate::commands::shown;
use crate::diagnostics::{Problem, source};
use crate::settings::Settings;

/// A migration `generate` wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Where.
    pub files: WrittenMigration,
    /// Its text.
    pub sql: String,
    /// Whether it starts with `-- drizzle:no-transaction`.
    pub no_transaction: bool,
}

/// Writes the safe form of `statements`: one migration, or a transactional one followed
/// by a `-- drizzle:no-transaction` one. Returns them in order, with the rewrites made.
/// `meta` (the renames) goes to the first migration's snapshot, where the renames run.
#[allow(clippy::too_many_arguments)]
pub fn write_safe(
    folder: &MigrationsFolder,
    statements: &[String],
    previous_id: &str,
    current: &Schema,
    meta: RenameMeta,
    settings: &Settings,
    name: Option<&str>,
    prefix: Prefix,
) -> Result<(Vec<Written>, Vec<String>), FolderError> {
    let form = drizzle_lint::safe_form(statements, &settings.lint.lock_timeout);
    let files = form.files(settings.breakpoints);
    let mut prev_id = previous_id.to_owned();
    let mut written: Vec<Written> = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let last = k + 1 == files.len();
        let schema = if last {
            current.clone()
        } else {
            before_concurrent_part(current, &form)
        };
        let snapshot = Snapshot {
            id: uuid::Uuid::new_v4().to_string(),
            prev_id: prev_id.clone(),
            schema,
            meta: if k == 0 {
                meta.clone()
            } else {
                RenameMeta::default()
            },
            internal: None,
        };
        let this_name = match written.first() {
            None => name.map(str::to_owned),
            Some(first) => {
                // With a time prefix the second file lands in the same second as the first:
                // `write_migration` waits for the next one rather than share its snapshot.
                let base = first.files.tag.split_once('_').map_or("", |(_, n)| n);
                Some(format!("{base}_concurrently"))
            }
        };
        let files = folder.write_migration(&NewMigration {
            name: this_name.as_deref(),
            prefix,
            sql: &file.sql,
            snapshot: &snapshot,
            breakpoints: file.breakpoints,
        })?;
        prev_id = snapshot.id;
        written.push(Written {
            files,
            sql: file.sql.clone(),
            no_transaction: file.no_transaction,
        });
    }
    Ok((written, form.rewrites))
}

/// The schema after the transactional part: without the indexes still to be built and
/// with the deferred columns still nullable.
fn before_concurrent_part(current: &Schema, form: &drizzle_lint::SafeForm) -> Schema {
    let mut schema = current.clone();
    let same_schema = |table: &str, wanted: &str| {
        table == wanted || (wanted == drizzle_schema::PUBLIC && table.is_empty())
    };
    for m in &form.moved_indexes {
        if let Some(t) = schema
            .tables
            .values_mut()
            .find(|t| t.name == m.table && same_schema(&t.schema, &m.schema))
        {
            t.indexes.shift_remove(&m.index);
        }
    }
    for d in &form.deferred_not_null {
        if let Some(c) = schema
            .tables
            .values_mut()
            .find(|t| t.name == d.table && same_schema(&t.schema, &d.schema))
            .and_then(|t| t.columns.get_mut(&d.column))
        {
            c.not_null = false;
        }
    }
    schema
}

/// Lint findings of the migrations just written; the folder's earlier migrations count
/// as applied (their tables exist and hold data).
pub fn lint_written(
    folder: &MigrationsFolder,
    written: &[Written],
    settings: &Settings,
    cwd: &Path,
) -> Vec<Finding> {
    let mut linter = drizzle_lint::Linter::new(settings.lint.clone());
    let new_tags: Vec<&str> = written.iter().map(|w| w.files.tag.as_str()).collect();
    if let Ok(journal) = folder.journal() {
        for entry in journal
            .entries
            .iter()
            .filter(|e| !new_tags.contains(&e.tag.as_str()))
        {
            if let Ok(text) =
                std::fs::read_to_string(folder.root().join(format!("{}.sql", entry.tag)))
            {
                linter.learn(&text);
            }
        }
    }
    let mut out = Vec::new();
    for w in written {
        let path = shown(&w.files.sql_path, cwd);
        let src = source(&path, w.sql.clone());
        out.extend(
            linter
                .lint(&path, &w.sql)
                .into_iter()
                .map(|f| lint_finding(f, &src, &w.sql)),
        );
    }
    out
}

/// `generate --json`.
#[derive(Debug, Default, Serialize)]
pub struct GenerateReport {
    /// Always `"generate"`.
    pub command: &'static str,
    /// Whether generate succeeded (lint findings do not change it).
    pub ok: bool,
    /// The migrations written, in the order they apply (empty when nothing changed).
    pub migrations: Vec<MigrationJson>,
    /// One line per change in the schema.
    pub changes: Vec<String>,
    /// Statements the safe form rewrote.
    pub rewrites: Vec<String>,
    /// Lint findings for the migrations written.
    pub findings: Vec<Finding>,
    /// Why generate failed (when `ok` is false).
    pub errors: Vec<ErrorJson>,
}

/// One written migration in `generate --json`.
#[derive(Debug, Serialize)]
pub struct MigrationJson {
    /// Journal tag.
    pub tag: String,
    /// The SQL file.
    pub sql_file: String,
    /// The snapshot file.
    pub snapshot_file: String,
    /// Runs outside a transaction.
    pub no_transaction: bool,
}

/// One problem in `generate --json`.
#[derive(Debug, Serialize)]
pub struct ErrorJson {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl GenerateReport {
    /// An empty successful report.
    pub fn new() -> Self {
        GenerateReport {
            command: "generate",
            ok: true,
            ..GenerateReport::default()
        }
    }

    /// Records a written migration.
    pub fn wrote(&mut self, w: &Written, cwd: &Path) {
        self.migrations.push(MigrationJson {
            tag: w.files.tag.clone(),
            sql_file: shown(&w.files.sql_path, cwd),
            snapshot_file: shown(&w.files.snapshot_path, cwd),
            no_transaction: w.no_transaction,
        });
    }

    /// Records why the run failed.
    pub fn failed(&mut self, problems: &[Problem]) {
        self.ok = false;
        self.errors = problems
            .iter()
            .map(|p| ErrorJson {
                message: p.message.clone(),
                help: p.help.clone(),
            })
            .collect();
    }
}
