//! `drizzle-kit migrate`: the runner of `drizzle-migrate` behind the command line. The
//! folder is read and checked before connecting; verification, the advisory lock and the
//! transactions are the runner's; this module only chooses options and talks to the user.

mod errors;
mod printer;
mod text;

use std::io::{IsTerminal, Write};
use std::path::Path;

use drizzle_migrate::{
    MigrateError, MigrateOptions, Migration, MigrationSource, MigrationsFolder, TrackingTable,
};

use crate::cli::MigrateArgs;
use crate::diagnostics::Problem;
use crate::failure::{Failure, REJECTED};
use crate::settings::{Credentials, Settings};

use super::pull::connect;
use super::shown;
use printer::Printer;

/// The name the session shows in `pg_stat_activity`, so a waiting runner can say who holds the lock.
const APPLICATION: &str = "drizzle-kit migrate";

/// Runs `migrate` (or `migrate --status`) with `settings`.
pub fn run(args: &MigrateArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    let result = migrate(args, settings, cwd);
    if args.json
        && let Err(Stop::Failed(failed)) = &result
    {
        print_json(&failed.json);
    }
    match result {
        Ok(()) => Ok(()),
        Err(Stop::Failed(failed)) => Err(failed.failure),
        Err(Stop::Refused) => Err(Failure::silent(REJECTED)),
    }
}

/// Why the command stops without success.
enum Stop {
    /// An error.
    Failed(Box<Failed>),
    /// `--status` found what `migrate` would refuse; the status itself says what.
    Refused,
}

/// An error as both reports.
struct Failed {
    /// The readable report for stderr.
    failure: Failure,
    /// The document for `--json`.
    json: serde_json::Value,
}

impl Stop {
    fn runner(error: &MigrateError, migrations: &[Migration]) -> Stop {
        Stop::Failed(Box::new(Failed {
            failure: errors::failure(error, migrations),
            json: error.to_json(),
        }))
    }
}

fn migrate(args: &MigrateArgs, settings: &Settings, cwd: &Path) -> Result<(), Stop> {
    let migrations = read_folder(settings, cwd)?;
    let table = TrackingTable::new(&settings.migrations_schema, &settings.migrations_table);
    let mut client = open(settings.credentials.as_ref())?;
    if args.status {
        let status = drizzle_migrate::status(&mut client, &migrations, &table)
            .map_err(|e| Stop::runner(&e, &migrations))?;
        if args.json {
            print_json(&status);
        } else {
            print_stdout(&text::status(&status));
        }
        return if text::would_refuse(&status) {
            Err(Stop::Refused)
        } else {
            Ok(())
        };
    }
    let options = MigrateOptions {
        table,
        lock_wait_timeout: args.lock_timeout,
        lock_timeout: settings.migrations_lock_timeout,
        statement_timeout: settings.migrations_statement_timeout,
        single_transaction: args.single_transaction,
        allow_out_of_order: args.allow_out_of_order,
        ignore_checksums: args.ignore_checksums,
        dry_run: args.dry_run,
    };
    let mut printer = Printer::stderr(args.dry_run, std::io::stderr().is_terminal());
    if args.ignore_checksums {
        printer.line(text::IGNORE_CHECKSUMS_WARNING);
    }
    let result = drizzle_migrate::migrate(&mut client, &migrations, &options, &mut printer);
    printer.finish();
    let report = result.map_err(|e| Stop::runner(&e, &migrations))?;
    if args.json {
        print_json(&report);
    } else if report.dry_run {
        print_stdout(&text::dry_run_listing(&report));
    }
    eprint!("{}", text::summary(&report));
    Ok(())
}

/// The folder's migrations, their origins (and the paths in errors) shortened to what
/// the user typed.
fn read_folder(settings: &Settings, cwd: &Path) -> Result<Vec<Migration>, Stop> {
    // A relative root only resolves right when `cwd` is the process's directory.
    let root = if std::env::current_dir().is_ok_and(|d| d == cwd) {
        settings.out_shown(cwd)
    } else {
        settings.out.clone()
    };
    let mut migrations = MigrationsFolder::new(root)
        .migrations()
        .map_err(|e| Stop::runner(&e, &[]))?;
    for m in &mut migrations {
        m.origin = shown(Path::new(&m.origin), cwd);
    }
    Ok(migrations)
}

fn open(credentials: Option<&Credentials>) -> Result<postgres::Client, Stop> {
    refuse_tls_url(credentials)
        .and_then(|()| connect::connect(credentials, APPLICATION))
        .map_err(|failure| {
            let message = failure
                .problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            Stop::Failed(Box::new(Failed {
                failure,
                json: serde_json::json!({ "error": "connect", "message": message }),
            }))
        })
}

/// A URL asking for TLS would otherwise fail in the handshake with a driver message that
/// does not say TLS is what is missing.
fn refuse_tls_url(credentials: Option<&Credentials>) -> Result<(), Failure> {
    let Some(Credentials::Url(url)) = credentials else {
        return Ok(());
    };
    let requires_tls = url
        .parse::<postgres::Config>()
        .is_ok_and(|c| c.get_ssl_mode() == postgres::config::SslMode::Require);
    if !requires_tls {
        return Ok(());
    }
    Err(Failure::rejected(
        "the database connection",
        vec![
            Problem::new("the database URL asks for TLS (sslmode=require), which this drizzle-kit build does not support")
                .with_help("use `sslmode=prefer` or `sslmode=disable`, or connect through a TLS-terminating proxy"),
        ],
    ))
}

fn print_json(value: &impl serde::Serialize) {
    let text = serde_json::to_string_pretty(value).expect("reports serialize");
    print_stdout(&format!("{text}\n"));
}

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_urls_are_refused_with_a_reason() {
        let url = |u: &str| Some(Credentials::Url(u.to_owned()));
        assert!(refuse_tls_url(url("postgres://h/db").as_ref()).is_ok());
        assert!(refuse_tls_url(url("postgres://h/db?sslmode=prefer").as_ref()).is_ok());
        let failure = refuse_tls_url(url("postgres://h/db?sslmode=require").as_ref()).unwrap_err();
        assert!(
            failure.problems[0].message.contains("does not support"),
            "{:?}",
            failure.problems
        );
        assert!(refuse_tls_url(None).is_ok());
    }
}
