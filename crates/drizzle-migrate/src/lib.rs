//! The migrations folder in drizzle-kit 0.31's layout: `<tag>.sql` files,
//! `meta/_journal.json` and `meta/<prefix>_snapshot.json`, read and written so that
//! either tool can continue the other's folder; and the runner that applies it, keeping
//! drizzle-orm's tracking table but choosing migrations by identity, verifying checksums,
//! and holding an advisory lock.

#![warn(missing_docs)]

mod atomic;
mod error;
mod events;
mod failure;
mod folder;
mod journal;
mod lock;
mod plan;
mod prefix;
mod runner;
mod session;
mod source;
mod statements;
mod tracking;
mod words;

pub use error::{FolderError, MigrateError, Problem};
pub use events::{Event, Observer, Silent};
pub use failure::{DatabaseMessage, FailedIn, StatementFailure};
pub use folder::{MigrationsFolder, NewMigration, WrittenMigration};
pub use journal::{JOURNAL_DIALECT, JOURNAL_VERSION, Journal, JournalEntry};
pub use lock::{LockHolder, lock_key};
pub use plan::{MigrationState, MigrationStatus, Status};
pub use prefix::{Prefix, UnknownPrefix};
pub use runner::{
    AppliedMigration, MigrateOptions, MigrateReport, connect, migrate, migrate_url, status,
    status_url,
};
pub use source::{
    EmbeddedMigration, EmbeddedMigrations, Migration, MigrationSource, NO_TRANSACTION_MARKER,
    Statement,
};
pub use statements::{BREAKPOINT, checksum, split_statements};
pub use tracking::{AppliedRow, TrackingTable};
pub use words::random_name;
