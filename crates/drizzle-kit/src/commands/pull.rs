//! `drizzle-kit pull`: read a live database, write it as a Rust schema file, and — when the
//! migrations folder has no snapshot yet — a baseline migration that creates it, optionally
//! recorded as applied.

mod baseline;
pub(super) mod connect;
mod declared;
pub(super) mod progress;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use drizzle_diff::Renames;
use drizzle_introspect::{Introspection, Options, RolesFilter};
use drizzle_migrate::{
    FolderError, MigrationSource, MigrationsFolder, NewMigration, Prefix, TrackingTable,
};
use drizzle_schema::Schema;
use drizzle_schema::snapshot::{RenameMeta, Snapshot};
use drizzle_syntax::print::{PrintOptions, print_schema};
use drizzle_syntax::{Casing, ParseOptions, SourceFile};
use serde_json::json;

use crate::cli::PullArgs;
use crate::diagnostics::Problem;
use crate::failure::Failure;
use crate::settings::Settings;
use crate::values::{CasingMode, RoleProvider};

use super::shown;

use baseline::Marked;

/// Roles managed databases create for themselves (drizzle-kit's `entities.roles.provider`).
pub(super) fn provider_roles(provider: RoleProvider) -> &'static [&'static str] {
    match provider {
        RoleProvider::Supabase => &[
            "anon",
            "authenticator",
            "authenticated",
            "service_role",
            "supabase_auth_admin",
            "supabase_storage_admin",
            "dashboard_user",
            "supabase_admin",
        ],
        RoleProvider::Neon => &["authenticated", "anonymous"],
    }
}

/// Introspection options: the flags, else the config.
fn options(args: &PullArgs, settings: &Settings) -> Options {
    let pick = |flag: &[String], config: &[String]| {
        if flag.is_empty() {
            config.to_vec()
        } else {
            flag.to_vec()
        }
    };
    let roles = &settings.roles;
    let mut exclude = roles.exclude.clone();
    if let Some(provider) = roles.provider {
        exclude.extend(provider_roles(provider).iter().map(|r| r.to_string()));
    }
    Options {
        schema_filter: pick(&args.schema_filter, &settings.schema_filter),
        tables_filter: pick(&args.tables_filter, &settings.tables_filter),
        extensions_filters: settings
            .extensions_filters
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect(),
        roles: RolesFilter {
            enabled: roles.enabled,
            include: roles.include.clone(),
            exclude,
        },
    }
}

fn casing(settings: &Settings) -> Casing {
    match settings.casing {
        None => Casing::None,
        Some(CasingMode::SnakeCase) => Casing::SnakeCase,
        Some(CasingMode::CamelCase) => Casing::CamelCase,
    }
}

fn millis(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

/// Object counts, for the progress line and `--json`.
fn counts(schema: &Schema) -> serde_json::Value {
    json!({
        "schemas": schema.schemas.len(),
        "enums": schema.enums.len(),
        "sequences": schema.sequences.len(),
        "roles": schema.roles.len(),
        "tables": schema.tables.len(),
        "views": schema.views.len(),
        "policies": schema.tables.values().map(|t| t.policies.len()).sum::<usize>(),
    })
}

/// Writes `text` to `path` through a temporary file in the same directory, so the file is
/// either the old one or the complete new one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Reads the database and writes the schema file (and the baseline when there is none).
pub fn run(args: &PullArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    let verbose = args.verbose || settings.verbose;
    let folder = MigrationsFolder::new(settings.out.clone());
    let has_snapshot = folder
        .latest_snapshot()
        .map_err(|e| folder_failure(&e))?
        .is_some();
    let schema_path: PathBuf = match &args.schema_out {
        Some(p) => cwd.join(p),
        None => settings.out.join("schema.rs"),
    };

    let start = Instant::now();
    let mut client = connect::connect(settings.credentials.as_ref(), "drizzle-kit pull")?;
    let connect_ms = millis(start);
    let introspect_start = Instant::now();
    let spinner = progress::Spinner::start("Pulling schema from database...", !args.json);
    let found = drizzle_introspect::introspect(&mut client, &options(args, settings));
    spinner.finish();
    let Introspection {
        schema,
        warnings,
        round_trips,
    } = found.map_err(|e| {
        Failure::rejected(
            "the database",
            vec![Problem::new(format!(
                "cannot read the database schema: {e}"
            ))],
        )
    })?;
    let introspect_ms = millis(introspect_start);
    let schema = declared::as_declared(schema);

    let print_start = Instant::now();
    let casing = casing(settings);
    // The baseline's diff and rendering need only the model, so they run beside the
    // printing and the read-back check instead of after them.
    let (printed, unsaid, baseline_sql) = std::thread::scope(|scope| {
        let baseline_sql = (!has_snapshot).then(|| scope.spawn(|| baseline_statements(&schema)));
        let printed = print_schema(
            &schema,
            &PrintOptions {
                casing,
                header: vec![
                    "Pulled from the database by `drizzle-kit pull`.".to_owned(),
                    String::new(),
                    "Edit it freely: `drizzle-kit generate` diffs it against the baseline snapshot."
                        .to_owned(),
                ],
            },
        );
        // The written file is read back the way `generate` will read it: anything it does not
        // say exactly is reported now, not discovered as a surprise migration later.
        let unsaid = unsaid_changes(&schema, &printed.source, casing, &schema_path);
        let baseline_sql = baseline_sql.map(|h| h.join().expect("the baseline thread panicked"));
        (printed, unsaid, baseline_sql)
    });
    let print_ms = millis(print_start);

    write_atomically(&schema_path, &printed.source).map_err(|e| {
        Failure::internal(Problem::new(format!(
            "cannot write {}: {e}",
            shown(&schema_path, cwd)
        )))
    })?;

    let mut migration_json = serde_json::Value::Null;
    let mut baseline_json = serde_json::Value::Null;
    let mut written_tag = None;
    if let Some(statements) = baseline_sql.transpose()?
        && !statements.is_empty()
    {
        let sql = drizzle_sql::join_statements(&statements, settings.breakpoints);
        let snapshot = Snapshot {
            id: uuid::Uuid::new_v4().to_string(),
            prev_id: Snapshot::empty().id,
            schema: schema.clone(),
            meta: RenameMeta::default(),
            internal: None,
        };
        let prefix: Prefix = settings.prefix.as_str().parse().map_err(|e| {
            Failure::internal(Problem::new(format!("prefix `{}`: {e}", settings.prefix)))
        })?;
        let written = folder
            .write_migration(&NewMigration {
                name: args.name.as_deref(),
                prefix,
                sql: &sql,
                snapshot: &snapshot,
                breakpoints: settings.breakpoints,
            })
            .map_err(|e| match e {
                FolderError::Io { .. } => Failure::internal(Problem::new(e.to_string())),
                _ => folder_failure(&e),
            })?;
        migration_json = json!({
            "tag": written.tag,
            "sql": shown(&written.sql_path, cwd),
            "snapshot": shown(&written.snapshot_path, cwd),
            "statements": statements.len(),
        });
        written_tag = Some((written.tag, written.sql_path));
    }

    if args.baseline
        && let Some((tag, _)) = &written_tag
    {
        let table = TrackingTable::new(&settings.migrations_schema, &settings.migrations_table);
        let migration = folder
            .migrations()
            .map_err(|e| Failure::internal(Problem::new(e.to_string())))?
            .into_iter()
            .find(|m| &m.tag == tag)
            .ok_or_else(|| {
                Failure::internal(Problem::new(format!(
                    "the baseline {tag} is missing from the journal just written"
                )))
            })?;
        let marked = baseline::mark_applied(&mut client, &table, &migration).map_err(|e| {
            Failure::rejected(
                "the tracking table",
                vec![Problem::new(format!(
                    "cannot record the baseline in {table}: {}",
                    drizzle_migrate::DatabaseMessage::from_error(&e)
                ))],
            )
        })?;
        baseline_json = json!({
            "table": table.qualified(),
            "tag": tag,
            "hash": migration.hash,
            "created_at": migration.when,
            "inserted": marked == Marked::Inserted,
        });
    }

    if args.json {
        let doc = json!({
            "schema_file": shown(&schema_path, cwd),
            "objects": counts(&schema),
            "migration": migration_json,
            "baseline": baseline_json,
            "warnings": warnings.iter().map(|w| json!({
                "kind": w.kind.describe(),
                "object": w.object,
                "message": w.message,
            })).collect::<Vec<_>>(),
            "unprintable": printed.losses.iter().map(|l| json!({
                "object": l.object,
                "message": l.message,
            })).collect::<Vec<_>>(),
            "unsaid": unsaid,
            "timings": {
                "connect_ms": connect_ms,
                "introspect_ms": introspect_ms,
                "print_ms": print_ms,
                "round_trips": round_trips,
            },
        });
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    }

    let mut err = std::io::stderr().lock();
    let c = counts(&schema);
    let _ = writeln!(
        err,
        "[✓] {} tables, {} views, {} enums, {} sequences, {} policies fetched",
        c["tables"], c["views"], c["enums"], c["sequences"], c["policies"]
    );
    for w in &warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    for loss in &printed.losses {
        let _ = writeln!(
            err,
            "warning: not expressible in the schema language: {loss}"
        );
    }
    if !unsaid.is_empty() {
        let _ = writeln!(
            err,
            "warning: {} difference(s) between the database and the written schema; `generate` would emit:",
            unsaid.len()
        );
        for change in &unsaid {
            let _ = writeln!(err, "  {change}");
        }
    }
    if verbose {
        let _ = writeln!(
            err,
            "connect {connect_ms} ms, introspect {introspect_ms} ms ({round_trips} round trips), print {print_ms} ms"
        );
    }
    let _ = writeln!(
        err,
        "[✓] Your schema file is ready ➜ {}",
        shown(&schema_path, cwd)
    );
    match (&written_tag, has_snapshot) {
        (Some((_, path)), _) => {
            let _ = writeln!(err, "[✓] Your baseline migration ➜ {}", shown(path, cwd));
        }
        (None, true) => {
            let _ = writeln!(
                err,
                "[i] No SQL generated, you already have migrations in project"
            );
        }
        (None, false) => {
            let _ = writeln!(
                err,
                "[i] No SQL generated: the database holds no objects to create"
            );
        }
    }
    if args.baseline {
        match &baseline_json {
            serde_json::Value::Null => {
                let _ = writeln!(
                    err,
                    "[i] --baseline: no baseline was written, so nothing was marked as applied"
                );
            }
            b => {
                let verb = if b["inserted"] == json!(true) {
                    "Marked"
                } else {
                    "Already marked"
                };
                let _ = writeln!(
                    err,
                    "[✓] {verb} {} as applied in {}",
                    b["tag"].as_str().unwrap_or(""),
                    b["table"].as_str().unwrap_or("")
                );
            }
        }
    }
    Ok(())
}

/// The statements of a baseline migration creating `schema` from nothing.
fn baseline_statements(schema: &Schema) -> Result<Vec<String>, Failure> {
    let changes = drizzle_diff::diff(&Schema::default(), schema, &Renames::new())
        .map_err(super::generate::rejected_diff)?;
    Ok(drizzle_sql::render(&changes))
}

/// What `generate` would emit between the database's model and the written file's, as
/// descriptions; empty when the file says everything.
fn unsaid_changes(schema: &Schema, source: &str, casing: Casing, path: &Path) -> Vec<String> {
    let file = SourceFile {
        path: path.to_path_buf(),
        text: source.to_owned(),
    };
    match drizzle_syntax::parse_sources(&[file], &ParseOptions { casing }) {
        Ok(back) => match drizzle_diff::diff(schema, &back, &Renames::new()) {
            Ok(changes) => changes.iter().map(|c| c.describe()).collect(),
            Err(e) => vec![format!("(cannot compare: {e})")],
        },
        Err(diagnostics) => diagnostics
            .iter()
            .map(|d| format!("(the written file is rejected: {d})"))
            .collect(),
    }
}

/// A folder we refuse to continue.
fn folder_failure(error: &FolderError) -> Failure {
    Failure::rejected(
        "the migrations folder",
        vec![Problem::new(error.to_string())],
    )
}
