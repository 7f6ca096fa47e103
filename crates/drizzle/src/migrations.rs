//! Applying migrations from the application itself, with the guarantees of
//! `drizzle-kit migrate`: checksums verified before anything runs, an advisory lock so
//! replicas starting together apply each migration once, one transaction per migration.

use std::path::{Path, PathBuf};

use drizzle_migrate::{
    MigrateError, MigrateOptions, MigrateReport, Migration, MigrationSource, MigrationsFolder,
    Observer, Silent, Status, TrackingTable,
};

/// Where [`migrate`] finds the migrations: a folder path (`"drizzle"`, a `Path`, a
/// `PathBuf`; relative to the working directory), an [`EmbeddedMigrations`] from
/// [`embed_migrations!`](crate::embed_migrations), or a [`MigrationsFolder`].
///
/// [`EmbeddedMigrations`]: drizzle_migrate::EmbeddedMigrations
pub trait Migrations {
    /// The migrations, in the order they apply.
    fn source(&self) -> Box<dyn MigrationSource + '_>;
}

impl Migrations for str {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(MigrationsFolder::new(self))
    }
}

impl Migrations for String {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(MigrationsFolder::new(self))
    }
}

impl Migrations for Path {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(MigrationsFolder::new(self))
    }
}

impl Migrations for PathBuf {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(MigrationsFolder::new(self))
    }
}

impl Migrations for MigrationsFolder {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(self)
    }
}

impl Migrations for drizzle_migrate::EmbeddedMigrations {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(self)
    }
}

impl Migrations for [Migration] {
    fn source(&self) -> Box<dyn MigrationSource + '_> {
        Box::new(self)
    }
}

/// Applies the pending migrations with the safe defaults and returns what was applied.
///
/// `client` must not be inside a transaction; with a pool, pass the pooled connection
/// (`&mut *pool.get()?`). Nothing is applied when an applied migration's file changed,
/// when the database has applied a migration the folder lacks, or when a pending one is
/// older than the newest applied one: the error lists every such problem.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut client = drizzle::postgres::Client::connect("postgres://localhost/app", drizzle::postgres::NoTls)?;
/// let report = drizzle::migrate(&mut client, "drizzle")?;
/// println!("applied {} migrations", report.applied.len());
/// # Ok(())
/// # }
/// ```
pub fn migrate<M: Migrations + ?Sized>(
    client: &mut postgres::Client,
    migrations: &M,
) -> Result<MigrateReport, MigrateError> {
    migrate_with(client, migrations, &MigrateOptions::default(), &mut Silent)
}

/// [`migrate`] with explicit options (tracking table, timeouts, single transaction, ...)
/// and an observer that receives the run's events, e.g. to log them.
pub fn migrate_with<M: Migrations + ?Sized>(
    client: &mut postgres::Client,
    migrations: &M,
    options: &MigrateOptions,
    observer: &mut dyn Observer,
) -> Result<MigrateReport, MigrateError> {
    drizzle_migrate::migrate(client, &*migrations.source(), options, observer)
}

/// Every migration's state (applied, pending, changed) and the applied ones without a
/// file, in the default tracking table; changes nothing.
pub fn migration_status<M: Migrations + ?Sized>(
    client: &mut postgres::Client,
    migrations: &M,
) -> Result<Status, MigrateError> {
    drizzle_migrate::status(client, &*migrations.source(), &TrackingTable::default())
}
