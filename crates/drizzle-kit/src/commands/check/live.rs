//! `check --db` against the server: the tracking table's status and the database's schema
//! compared with the snapshot of the newest applied migration, with push's discipline
//! (same filters on both sides, one spelling, server-canonical expressions), so that a
//! database migrated by its own migrations shows no drift.

use std::collections::BTreeSet;

use drizzle_introspect::canonicalize_pair;
use drizzle_migrate::{MigrationState, Status, TrackingTable};
use drizzle_schema::Schema;
use drizzle_schema::snapshot::Snapshot;

use super::db::{database_drift, status_findings};
use super::finding::{Code, Finding};
use super::folder::Folder;
use crate::commands::pull::connect;
use crate::commands::push::{constants, equalize, scope};
use crate::commands::shown;
use crate::settings::Settings;

/// The name the session shows in `pg_stat_activity`.
const APPLICATION: &str = "drizzle-kit check";

/// What the database half found.
#[derive(Debug, Default)]
pub struct DatabaseCheck {
    /// Status and drift findings.
    pub findings: Vec<Finding>,
    /// Tags of the migrations the database recorded (edited ones included): the linter
    /// learns from them instead of reporting them.
    pub applied: BTreeSet<String>,
}

/// Reads the database `settings` name; a server that cannot be reached or read is a finding.
pub fn check(settings: &Settings, folder: &Folder, cwd: &std::path::Path) -> DatabaseCheck {
    let mut out = DatabaseCheck::default();
    let mut client = match connect::connect(settings.credentials.as_ref(), APPLICATION) {
        Ok(client) => client,
        Err(failure) => {
            out.findings.extend(failure.problems.into_iter().map(|p| {
                let fix = p.help.unwrap_or_else(|| {
                    "check the URL (`--db URL`, `--url`, config `db_credentials` or DATABASE_URL) and that the server is running".to_owned()
                });
                Finding::error(Code::DbUnreachable, p.message, fix)
            }));
            return out;
        }
    };
    let migrations: Vec<drizzle_migrate::Migration> = folder
        .migrations
        .iter()
        .map(|m| {
            drizzle_migrate::Migration::new(
                m.tag.clone(),
                m.when,
                m.text.clone(),
                m.breakpoints,
                m.path.clone(),
            )
        })
        .collect();
    let table = TrackingTable::new(&settings.migrations_schema, &settings.migrations_table);
    let status = match drizzle_migrate::status(&mut client, &migrations, &table) {
        Ok(status) => status,
        Err(e) => {
            out.findings.push(unreadable(format!(
                "cannot read the tracking table {}: {e}",
                table.qualified()
            )));
            return out;
        }
    };
    out.findings.extend(status_findings(&status));
    out.applied = status
        .migrations
        .iter()
        .filter(|m| m.state != MigrationState::Pending)
        .map(|m| m.tag.clone())
        .collect();

    let Some((name, baseline)) = baseline(folder, &status, cwd, &mut out.findings) else {
        return out;
    };
    match compare(&mut client, settings, &baseline, &name, &table) {
        Ok(drift) => out.findings.extend(drift),
        Err(finding) => out.findings.push(*finding),
    }
    out
}

/// The schema the database should hold: the snapshot of the newest migration it applied
/// (the empty schema when it applied none). `None` when that snapshot cannot be read, or
/// is not kept (the `none` prefix keeps only the last one) while migrations are pending.
fn baseline(
    folder: &Folder,
    status: &Status,
    cwd: &std::path::Path,
    findings: &mut Vec<Finding>,
) -> Option<(String, Schema)> {
    let Some(newest) = status
        .migrations
        .iter()
        .rev()
        .find(|m| m.state != MigrationState::Pending)
    else {
        return Some((
            "the empty schema (no migration applied)".to_owned(),
            Schema::default(),
        ));
    };
    if folder
        .migrations
        .last()
        .is_some_and(|m| m.tag == newest.tag)
    {
        // Already read (or reported as unreadable) by the folder check.
        return folder
            .last
            .as_ref()
            .map(|(name, last)| (name.clone(), last.schema.clone()));
    }
    let path = folder.snapshots.get(&newest.tag)?;
    let shown_path = shown(path, cwd);
    let read = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| Snapshot::from_json(&text).map_err(|e| e.to_string()));
    match read {
        Ok(snapshot) => Some((shown_path, snapshot.schema)),
        Err(message) => {
            findings.push(
                Finding::error(
                    Code::SnapshotMalformed,
                    format!("cannot read the snapshot of {}, the newest applied migration: {message}", newest.tag),
                    "restore the snapshot from version control; database drift cannot be checked without it",
                )
                .in_file(shown_path),
            );
            None
        }
    }
}

/// The drift finding of the database against `baseline`, both sides restricted to what
/// the filters select, compared after canonicalization.
fn compare(
    client: &mut postgres::Client,
    settings: &Settings,
    baseline: &Schema,
    name: &str,
    table: &TrackingTable,
) -> Result<Option<Finding>, Box<Finding>> {
    let options = scope::configured(settings);
    let scope = scope::Scope::new(&options).map_err(|failure| {
        let message = failure
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        Box::new(Finding::error(
            Code::DbUnreachable,
            message,
            "fix `tables_filter` in the config",
        ))
    })?;
    let (baseline, _) = scope.apply(baseline.clone());
    let found = drizzle_introspect::introspect(client, &options)
        .map_err(|e| Box::new(unreadable(format!("cannot read the database schema: {e}"))))?;
    let mut database = found.schema;
    // The runner's own table is not part of any schema, whatever the filters select.
    database
        .tables
        .retain(|_, t| !(t.schema == table.schema && t.name == table.table));

    let (database_canonical, baseline_canonical) = canonicalize_pair(
        client,
        &equalize::comparable(&database),
        &equalize::comparable(&baseline),
    )
    .map_err(|e| Box::new(unreadable(format!("cannot compare the expressions: {e}"))))?;
    let same_defaults = constants::same_defaults(
        client,
        &database_canonical.schema,
        &baseline_canonical.schema,
    )
    .map_err(|e| Box::new(unreadable(format!("cannot compare the defaults: {e}"))))?;
    let sides = equalize::Sides {
        database: &database,
        database_canonical: &database_canonical.schema,
        files: &baseline,
        files_canonical: &baseline_canonical.schema,
        same_defaults: &same_defaults,
    };
    Ok(database_drift(
        &baseline,
        &equalize::equalize(&sides, &[]),
        name,
    ))
}

fn unreadable(message: String) -> Finding {
    Finding::error(
        Code::DbUnreachable,
        message,
        "check the connection and that the user may read the catalog",
    )
}
