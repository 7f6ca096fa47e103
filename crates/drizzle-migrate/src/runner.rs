//! Applying migrations: verify everything first, then run each pending migration in its
//! own transaction (or all in one, or none for `-- drizzle:no-transaction` files) under
//! an advisory lock.

use crate::failure::FailedIn;
use crate::session::Session;
use crate::source::Statement;
use crate::{
    Event, MigrateError, Migration, MigrationSource, MigrationState, MigrationStatus, Observer,
    Problem, StatementFailure, Status, TrackingTable, lock,
};
use postgres::Client;
use serde::Serialize;
use std::time::{Duration, Instant};

/// How a run behaves; `Default` is the safe behaviour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrateOptions {
    /// The tracking table (`[migrations] schema` / `table`).
    pub table: TrackingTable,
    /// How long to wait for another runner's lock (`--lock-timeout`); `None` waits until it is released.
    pub lock_wait_timeout: Option<Duration>,
    /// PostgreSQL `lock_timeout` while migrations run (config `lock_timeout`).
    pub lock_timeout: Option<Duration>,
    /// PostgreSQL `statement_timeout` while migrations run (config `statement_timeout`).
    pub statement_timeout: Option<Duration>,
    /// Run every pending migration in one transaction (`--single-transaction`).
    pub single_transaction: bool,
    /// Apply pending migrations older than the newest applied one (`--allow-out-of-order`).
    pub allow_out_of_order: bool,
    /// Treat edited applied migrations as applied (`--ignore-checksums`, emergencies only).
    pub ignore_checksums: bool,
    /// Verify and list what would run, without changing the database (`--dry-run`).
    pub dry_run: bool,
}

/// A migration this run applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedMigration {
    /// Journal tag.
    pub tag: String,
    /// Journal `when`, recorded as `created_at`.
    pub when: u64,
    /// sha256 recorded.
    pub hash: String,
    /// Number of statements executed.
    pub statements: usize,
    /// Ran outside a transaction.
    pub no_transaction: bool,
    /// Wall time in milliseconds.
    pub duration_ms: f64,
}

/// What a run did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MigrateReport {
    /// Nothing was changed: `pending` is what would run.
    pub dry_run: bool,
    /// The tracking table.
    pub table: String,
    /// Migrations that were already applied.
    pub already_applied: usize,
    /// Migrations pending when the run started, in the order they run.
    pub pending: Vec<MigrationStatus>,
    /// Migrations this run applied (empty in a dry run).
    pub applied: Vec<AppliedMigration>,
    /// Edited applied migrations let through by `ignore_checksums`.
    pub checksums_ignored: Vec<String>,
    /// Time spent waiting for the migration lock, in milliseconds.
    pub lock_wait_ms: f64,
    /// Total wall time in milliseconds.
    pub duration_ms: f64,
}

/// Connects to `url`, naming the session `drizzle-migrate` unless the URL names it, so
/// a waiting runner can tell who holds the lock.
pub fn connect(url: &str) -> Result<Client, MigrateError> {
    let mut config: postgres::Config =
        url.parse()
            .map_err(|e: postgres::Error| MigrateError::Connect {
                message: e.to_string(),
            })?;
    if config.get_application_name().is_none() {
        config.application_name("drizzle-migrate");
    }
    config
        .connect(postgres::NoTls)
        .map_err(|e| MigrateError::Connect {
            message: crate::DatabaseMessage::from_error(&e).to_string(),
        })
}

/// [`migrate`] on a new connection to `url`.
pub fn migrate_url(
    url: &str,
    source: &dyn MigrationSource,
    options: &MigrateOptions,
    observer: &mut dyn Observer,
) -> Result<MigrateReport, MigrateError> {
    migrate(&mut connect(url)?, source, options, observer)
}

/// [`status`] on a new connection to `url`.
pub fn status_url(
    url: &str,
    source: &dyn MigrationSource,
    table: &TrackingTable,
) -> Result<Status, MigrateError> {
    status(&mut connect(url)?, source, table)
}

/// Every migration's state against the database; reads only (the tracking table is not created).
pub fn status(
    client: &mut Client,
    source: &dyn MigrationSource,
    table: &TrackingTable,
) -> Result<Status, MigrateError> {
    let migrations = source.migrations()?;
    read_status(client, &migrations, table)
}

/// Applies the pending migrations of `source` on `client`, which must not be inside a
/// transaction. Session settings it changes are restored before it returns.
pub fn migrate(
    client: &mut Client,
    source: &dyn MigrationSource,
    options: &MigrateOptions,
    observer: &mut dyn Observer,
) -> Result<MigrateReport, MigrateError> {
    let start = Instant::now();
    let migrations = source.migrations()?;
    if options.dry_run {
        let status = read_status(client, &migrations, &options.table)?;
        let mut report = verify(&status, options, observer)?;
        report.dry_run = true;
        report.duration_ms = millis(start.elapsed());
        return Ok(report);
    }
    let session = Session::start(client)?;
    let key = lock::lock_key(&options.table);
    if let Err(e) = lock::acquire(client, key, options.lock_wait_timeout, observer) {
        session.restore(client);
        return Err(e);
    }
    let lock_wait = start.elapsed();
    let result = run_locked(client, &migrations, options, &session, observer);
    lock::release(client, key);
    session.restore(client);
    let mut report = result?;
    report.lock_wait_ms = millis(lock_wait);
    report.duration_ms = millis(start.elapsed());
    Ok(report)
}

fn read_status(
    client: &mut Client,
    migrations: &[Migration],
    table: &TrackingTable,
) -> Result<Status, MigrateError> {
    let exists = table.exists(client)?;
    let rows = if exists {
        table.rows(client)?
    } else {
        Vec::new()
    };
    Ok(Status::new(table.qualified(), exists, migrations, &rows))
}

/// Every problem that stops the run, or the plan.
fn verify(
    status: &Status,
    options: &MigrateOptions,
    observer: &mut dyn Observer,
) -> Result<MigrateReport, MigrateError> {
    let mut problems = Vec::new();
    let mut checksums_ignored = Vec::new();
    let newest = status.newest_applied();
    for m in &status.migrations {
        match m.state {
            MigrationState::Changed if options.ignore_checksums => {
                observer.event(&Event::ChecksumIgnored {
                    tag: &m.tag,
                    file_hash: &m.file_hash,
                    db_hash: m.db_hash.as_deref().unwrap_or_default(),
                });
                checksums_ignored.push(m.tag.clone());
            }
            MigrationState::Changed => problems.push(Problem::ChecksumMismatch {
                tag: m.tag.clone(),
                origin: m.origin.clone(),
                file_hash: m.file_hash.clone(),
                db_hash: m.db_hash.clone().unwrap_or_default(),
            }),
            MigrationState::Pending if m.out_of_order && options.allow_out_of_order => {
                observer.event(&Event::OutOfOrderAllowed { tag: &m.tag });
            }
            MigrationState::Pending if m.out_of_order => {
                let newest = newest.expect("out of order implies an applied migration");
                problems.push(Problem::OutOfOrder {
                    tag: m.tag.clone(),
                    when: m.when,
                    newest_applied: newest.tag.clone(),
                    newest_applied_when: newest.when,
                });
            }
            MigrationState::Pending | MigrationState::Applied => {}
        }
        if m.state == MigrationState::Pending && m.no_transaction && options.single_transaction {
            problems.push(Problem::NoTransactionInSingleTransaction { tag: m.tag.clone() });
        }
    }
    problems.extend(status.missing.iter().map(|r| Problem::MissingFile {
        id: r.id,
        hash: r.hash.clone(),
        created_at: r.created_at,
    }));
    if !problems.is_empty() {
        return Err(MigrateError::Verification { problems });
    }
    let pending: Vec<MigrationStatus> = status.in_state(MigrationState::Pending).cloned().collect();
    let already_applied = status.migrations.len() - pending.len();
    observer.event(&Event::Planned {
        applied: already_applied,
        pending: pending.len(),
    });
    Ok(MigrateReport {
        dry_run: false,
        table: status.table.clone(),
        already_applied,
        pending,
        applied: Vec::new(),
        checksums_ignored,
        lock_wait_ms: 0.0,
        duration_ms: 0.0,
    })
}

fn run_locked(
    client: &mut Client,
    migrations: &[Migration],
    options: &MigrateOptions,
    session: &Session,
    observer: &mut dyn Observer,
) -> Result<MigrateReport, MigrateError> {
    // Read under the lock: a runner that waited sees what the previous holder applied.
    let status = read_status(client, migrations, &options.table)?;
    let mut report = verify(&status, options, observer)?;
    if report.pending.is_empty() {
        return Ok(report);
    }
    session.for_migrations(client, options.lock_timeout, options.statement_timeout)?;
    options.table.ensure(client)?;
    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| {
            report
                .pending
                .iter()
                .any(|p| p.tag == m.tag && p.when == m.when)
        })
        .collect();
    if options.single_transaction {
        apply_in_one_transaction(client, &pending, options, &mut report, observer)?;
    } else {
        apply_each(client, &pending, options, &mut report, observer)?;
    }
    Ok(report)
}

/// `--single-transaction`: all pending migrations commit together or not at all.
fn apply_in_one_transaction(
    client: &mut Client,
    pending: &[&Migration],
    options: &MigrateOptions,
    report: &mut MigrateReport,
    observer: &mut dyn Observer,
) -> Result<(), MigrateError> {
    let total = pending.len();
    execute(client, "BEGIN", "cannot begin the transaction")?;
    for (index, m) in pending.iter().enumerate() {
        observer.event(&Event::MigrationStarted {
            index,
            total,
            tag: &m.tag,
        });
        let started = Instant::now();
        let outcome = run_statements(client, m, FailedIn::SingleTransaction)
            .and_then(|n| options.table.insert(client, &m.hash, m.when).map(|()| n));
        match outcome {
            Ok(statements) => {
                let applied = applied(m, statements, started.elapsed());
                observer.event(&Event::MigrationApplied {
                    index,
                    total,
                    tag: &m.tag,
                    duration: started.elapsed(),
                });
                report.applied.push(applied);
            }
            Err(mut e) => {
                let _ = client.batch_execute("ROLLBACK");
                if let MigrateError::Statement(failure) = &mut e {
                    failure.rolled_back = pending[..=index].iter().map(|m| m.tag.clone()).collect();
                }
                return Err(e);
            }
        }
    }
    execute(client, "COMMIT", "cannot commit the migrations")?;
    Ok(())
}

/// The default: each migration commits with its tracking row; no-transaction ones run bare.
fn apply_each(
    client: &mut Client,
    pending: &[&Migration],
    options: &MigrateOptions,
    report: &mut MigrateReport,
    observer: &mut dyn Observer,
) -> Result<(), MigrateError> {
    let total = pending.len();
    for (index, m) in pending.iter().enumerate() {
        observer.event(&Event::MigrationStarted {
            index,
            total,
            tag: &m.tag,
        });
        let started = Instant::now();
        let outcome = if m.no_transaction() {
            run_statements(client, m, FailedIn::NoTransaction)
                .and_then(|n| options.table.insert(client, &m.hash, m.when).map(|()| n))
        } else {
            execute(client, "BEGIN", "cannot begin the transaction").and_then(|()| {
                let n = run_statements(client, m, FailedIn::OwnTransaction)
                    .and_then(|n| options.table.insert(client, &m.hash, m.when).map(|()| n));
                match n {
                    Ok(n) => {
                        execute(client, "COMMIT", format!("cannot commit {}", m.tag)).map(|()| n)
                    }
                    Err(e) => {
                        let _ = client.batch_execute("ROLLBACK");
                        Err(e)
                    }
                }
            })
        };
        match outcome {
            Ok(statements) => {
                let duration = started.elapsed();
                observer.event(&Event::MigrationApplied {
                    index,
                    total,
                    tag: &m.tag,
                    duration,
                });
                report.applied.push(applied(m, statements, duration));
            }
            Err(mut e) => {
                if let MigrateError::Statement(failure) = &mut e {
                    failure.committed_before =
                        report.applied.iter().map(|a| a.tag.clone()).collect();
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Runs a migration's statements one by one (each chunk in one simple-protocol round trip,
/// as drizzle-orm does); returns how many ran.
fn run_statements(
    client: &mut Client,
    m: &Migration,
    failed_in: FailedIn,
) -> Result<usize, MigrateError> {
    let statements: Vec<Statement<'_>> = m.statements();
    for (i, statement) in statements.iter().enumerate() {
        if let Err(e) = client.batch_execute(statement.sql) {
            let mut failure = StatementFailure::new(m, statement, statements.len(), &e, failed_in);
            if failed_in == FailedIn::NoTransaction {
                failure.completed_lines = statements[..i].iter().map(|s| s.line(&m.sql)).collect();
            }
            return Err(MigrateError::Statement(Box::new(failure)));
        }
    }
    Ok(statements.len())
}

fn execute(client: &mut Client, sql: &str, action: impl Into<String>) -> Result<(), MigrateError> {
    client.batch_execute(sql).map_err(MigrateError::db(action))
}

fn applied(m: &Migration, statements: usize, duration: Duration) -> AppliedMigration {
    AppliedMigration {
        tag: m.tag.clone(),
        when: m.when,
        hash: m.hash.clone(),
        statements,
        no_transaction: m.no_transaction(),
        duration_ms: millis(duration),
    }
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}
