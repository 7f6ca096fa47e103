//! The migrations folder in drizzle-kit 0.31's layout: `<tag>.sql` files,
//! `meta/_journal.json` and `meta/<prefix>_snapshot.json`, read and written so that
//! either tool can continue the other's folder; plus what the migrator needs from it
//! (checksums and statement splitting).

#![warn(missing_docs)]

mod atomic;
mod error;
mod folder;
mod journal;
mod prefix;
mod statements;
mod words;

pub use error::FolderError;
pub use folder::{MigrationsFolder, NewMigration, WrittenMigration};
pub use journal::{JOURNAL_DIALECT, JOURNAL_VERSION, Journal, JournalEntry};
pub use prefix::{Prefix, UnknownPrefix};
pub use statements::{BREAKPOINT, checksum, split_statements};
pub use words::random_name;
