//! `drizzle-kit generate`: diff the schema files against the last snapshot and write the
//! next migration.

use std::path::Path;

use drizzle_diff::DiffError;
use drizzle_migrate::{FolderError, MigrationsFolder, NewMigration, Prefix};
use drizzle_schema::snapshot::{RenameMeta, Snapshot};

use crate::cli::GenerateArgs;
use crate::diagnostics::Problem;
use crate::failure::Failure;
use crate::settings::Settings;

use super::{shown, summary};

/// The text drizzle-kit puts in a `--custom` migration.
const CUSTOM_SQL: &str = "-- Custom SQL migration file, put your code below! --";

/// Writes the next migration, or nothing when the schema did not change.
pub fn run(args: &GenerateArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
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
            shown(&written, cwd)
        );
        return Ok(());
    }

    let current = super::schema::load(settings, cwd)?;
    let plan =
        drizzle_diff::plan(&previous.schema, &current, &args.renames()).map_err(rejected_diff)?;
    for unused in &plan.unused {
        eprintln!("warning: `--rename {unused}` matches nothing in this change; ignored");
    }
    let changes = plan.changes;
    let statements = drizzle_sql::render(&changes);
    if changes.is_empty() || statements.is_empty() {
        eprintln!("No schema changes, nothing to migrate");
        return Ok(());
    }
    let sql = drizzle_sql::join_statements(&statements, settings.breakpoints);
    let snapshot = Snapshot {
        id: new_id(),
        prev_id: previous.id,
        schema: current,
        meta: RenameMeta::default(),
        internal: None,
    };
    let written = write(args, settings, &folder, &sql, &snapshot)?;
    eprint!("{}", summary::changes(&changes));
    if settings.verbose {
        for change in &changes {
            eprintln!("  {}", change.describe());
        }
    }
    eprintln!("[✓] Your SQL migration file ➜ {}", shown(&written, cwd));
    Ok(())
}

/// One problem per undecided rename or unrenderable difference, listed like schema errors.
pub fn rejected_diff(error: DiffError) -> Failure {
    let problems = match error {
        DiffError::Ambiguous(candidates) => candidates
            .iter()
            .map(|c| {
                // `help()` is the question followed by one line per way to answer it.
                let help = c.help();
                let answers = help.split_once('\n').map_or("", |(_, rest)| rest);
                let answers: Vec<&str> = answers.lines().map(str::trim).collect();
                Problem::new(c.question())
                    .with_help(format!("decide it with one of:\n{}", answers.join("\n")))
            })
            .collect(),
        DiffError::Unrenderable(items) => items
            .into_iter()
            .map(|item| Problem::new(format!("cannot generate: {item}")))
            .collect(),
        // Later variants still reach the user intact.
        #[allow(unreachable_patterns)]
        other => vec![Problem::new(other.to_string())],
    };
    Failure::rejected("the schema change", problems)
}

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

/// Writes the files and returns the SQL file's path.
fn write(
    args: &GenerateArgs,
    settings: &Settings,
    folder: &MigrationsFolder,
    sql: &str,
    snapshot: &Snapshot,
) -> Result<std::path::PathBuf, Failure> {
    let prefix: Prefix = settings.prefix.as_str().parse().map_err(|e| {
        Failure::internal(Problem::new(format!("prefix `{}`: {e}", settings.prefix)))
    })?;
    let written = folder
        .write_migration(&NewMigration {
            name: args.name.as_deref(),
            prefix,
            sql,
            snapshot,
            breakpoints: settings.breakpoints,
        })
        .map_err(|e| match e {
            FolderError::Io { .. } => Failure::internal(Problem::new(e.to_string())),
            _ => folder_failure(&e),
        })?;
    Ok(written.sql_path)
}
