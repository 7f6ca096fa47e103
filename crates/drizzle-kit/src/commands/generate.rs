//! `drizzle-kit generate`: diff the schema files against the last snapshot and write the
//! next migration.

use std::path::Path;

use drizzle_migrate::{FolderError, MigrationsFolder, NewMigration, Prefix, WrittenMigration};
use drizzle_schema::snapshot::{RenameMeta, Snapshot};

use crate::cli::GenerateArgs;
use crate::diagnostics::{Problem, color_enabled};
use crate::failure::Failure;
use crate::settings::Settings;

use super::check::generated::{self, GenerateReport, Written};
use super::check::render;
use super::{shown, summary};

/// The text drizzle-kit puts in a `--custom` migration.
const CUSTOM_SQL: &str = "-- Custom SQL migration file, put your code below! --";

/// Writes the next migration, or nothing when the schema did not change.
pub fn run(args: &GenerateArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    let mut report = GenerateReport::new();
    let result = generate(args, settings, cwd, &mut report);
    if args.json {
        if let Err(failure) = &result {
            report.failed(&failure.problems);
        }
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::internal(Problem::new(format!("cannot encode JSON: {e}"))))?;
        println!("{text}");
    }
    result
}

fn generate(
    args: &GenerateArgs,
    settings: &Settings,
    cwd: &Path,
    report: &mut GenerateReport,
) -> Result<(), Failure> {
    let folder = MigrationsFolder::new(settings.out_shown(cwd));
    let previous = folder
        .latest_snapshot()
        .map_err(|e| folder_failure(&e))?
        .map_or_else(Snapshot::empty, |(_, snapshot)| snapshot);

    if args.custom {
        // Parse anyway: a custom migration on top of a broken schema would hide the error
        // until the next generate.
        super::schema::load(settings, cwd)?;
        let snapshot = Snapshot {
            id: new_id(),
            prev_id: previous.id.clone(),
            meta: RenameMeta::default(),
            ..previous
        };
        let written = write(args, settings, &folder, CUSTOM_SQL, &snapshot)?;
        eprintln!(
            "Prepared empty file for your custom SQL migration: {}",
            shown(&written.sql_path, cwd)
        );
        report.wrote(
            &Written {
                files: written,
                sql: CUSTOM_SQL.to_owned(),
                no_transaction: false,
            },
            cwd,
        );
        return Ok(());
    }

    let current = super::schema::load(settings, cwd)?;
    let plan = super::renames::resolve(&args.renames(), |renames| {
        drizzle_diff::plan(&previous.schema, &current, renames)
    })?;
    for unused in &plan.unused {
        eprintln!("warning: `--rename {unused}` matches nothing in this change; ignored");
    }
    let meta = plan.rename_meta();
    let changes = plan.changes;
    let statements = drizzle_sql::render(&changes);
    if changes.is_empty() || statements.is_empty() {
        eprintln!("No schema changes, nothing to migrate");
        return Ok(());
    }
    let written = if settings.safe {
        let (written, rewrites) = generated::write_safe(
            &folder,
            &statements,
            &previous.id,
            &current,
            meta,
            settings,
            args.name.as_deref(),
            prefix(settings)?,
        )
        .map_err(write_failure)?;
        report.rewrites = rewrites;
        written
    } else {
        let sql = drizzle_sql::join_statements(&statements, settings.breakpoints);
        let snapshot = Snapshot {
            id: new_id(),
            prev_id: previous.id,
            schema: current,
            meta,
            internal: None,
        };
        let files = write(args, settings, &folder, &sql, &snapshot)?;
        vec![Written {
            files,
            sql,
            no_transaction: false,
        }]
    };
    eprint!("{}", summary::changes(&changes));
    eprint!("{}", summary::highlights(&changes));
    if settings.verbose {
        for change in &changes {
            eprintln!("  {}", change.describe());
        }
    }
    for w in &written {
        eprintln!(
            "[✓] Your SQL migration file ➜ {}",
            shown(&w.files.sql_path, cwd)
        );
        report.wrote(w, cwd);
    }
    for rewrite in &report.rewrites {
        eprintln!("  safe form: {rewrite}");
    }
    let findings = generated::lint_written(&folder, &written, settings, cwd);
    if !findings.is_empty() {
        eprint!("{}", render::render(&findings, color_enabled()));
    }
    report.changes = changes.iter().map(|c| c.describe()).collect();
    report.findings = findings;
    Ok(())
}

/// Kept here for the commands that already name it.
pub use super::renames::rejected_diff;

/// A folder we refuse to continue, or a migration name we refuse to write.
fn folder_failure(error: &FolderError) -> Failure {
    let help = match error {
        FolderError::InvalidName { .. } => "pass a `--name` usable in a file name",
        FolderError::Collision { .. } | FolderError::OldLayout { .. } => "",
        _ => "fix or remove the file named above; the folder is read as drizzle-kit 0.31 writes it",
    };
    let problem = Problem::new(error.to_string());
    let problem = if help.is_empty() {
        problem
    } else {
        problem.with_help(help)
    };
    Failure::rejected("the migrations folder", vec![problem])
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Writes the files.
fn write(
    args: &GenerateArgs,
    settings: &Settings,
    folder: &MigrationsFolder,
    sql: &str,
    snapshot: &Snapshot,
) -> Result<WrittenMigration, Failure> {
    folder
        .write_migration(&NewMigration {
            name: args.name.as_deref(),
            prefix: prefix(settings)?,
            sql,
            snapshot,
            breakpoints: settings.breakpoints,
        })
        .map_err(write_failure)
}

fn prefix(settings: &Settings) -> Result<Prefix, Failure> {
    settings
        .prefix
        .as_str()
        .parse()
        .map_err(|e| Failure::internal(Problem::new(format!("prefix `{}`: {e}", settings.prefix))))
}

fn write_failure(e: FolderError) -> Failure {
    match e {
        FolderError::Io { .. } => Failure::internal(Problem::new(e.to_string())),
        _ => folder_failure(&e),
    }
}
