//! Why the migrations folder could not be read or written.

use drizzle_schema::snapshot::SnapshotError;
use std::path::PathBuf;

/// A migrations folder problem, always naming the file involved.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// A file or directory could not be read, written or renamed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done (`cannot read`, `cannot write`, ...).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// `meta/_journal.json` is not a journal.
    #[error("{}: malformed journal: {message}", position(path, *line, *column))]
    Journal {
        /// The journal file.
        path: PathBuf,
        /// 1-based line (0 when the problem has no position).
        line: usize,
        /// 1-based column (0 when the problem has no position).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A snapshot file that cannot be read.
    #[error("{path}: {source}")]
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// Why.
        source: SnapshotError,
    },
    /// Two snapshots continue the same parent: two branches each generated a migration.
    #[error(
        "{first} and {second} both follow snapshot {prev_id}: two branches each generated a migration. \
         Keep one branch's migration, delete the other's SQL file, snapshot and journal entry, \
         and run generate again on top of it"
    )]
    Collision {
        /// The shared `prevId`.
        prev_id: String,
        /// The first snapshot (in file order).
        first: PathBuf,
        /// The second snapshot.
        second: PathBuf,
    },
    /// A folder in the layout drizzle-kit used before 0.20 (one folder per migration).
    #[error(
        "{path} is a migration in the layout of drizzle-kit before 0.20; run `drizzle-kit up` with drizzle-kit 0.20 or later to convert the folder"
    )]
    OldLayout {
        /// The 14-digit entry found.
        path: PathBuf,
    },
    /// A migration name that cannot be part of a file name.
    #[error("invalid migration name {name:?}: {reason}")]
    InvalidName {
        /// The name given.
        name: String,
        /// Why it is rejected.
        reason: &'static str,
    },
}

impl FolderError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> FolderError {
        let path = path.into();
        move |source| FolderError::Io {
            action,
            path,
            source,
        }
    }
}

/// `path:line:column`, or just the path when there is no position.
fn position(path: &std::path::Path, line: usize, column: usize) -> String {
    if line == 0 {
        path.display().to_string()
    } else {
        format!("{}:{line}:{column}", path.display())
    }
}
