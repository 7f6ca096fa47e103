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
    /// The snapshot a new migration would write exists already (same second, or an orphan).
    #[error(
        "{path} already exists; a new migration must not overwrite it. If it belongs to no \
         journal entry (an orphan), delete it; otherwise run generate again"
    )]
    SnapshotExists {
        /// The snapshot file.
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

/// Why a migration run (or a status query) stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The migrations folder could not be read.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// The folder has no journal.
    #[error("cannot find {path}: not a migrations folder (run `drizzle-kit generate` first)")]
    NoJournal {
        /// Where the journal was expected.
        path: PathBuf,
    },
    /// A migration file that is not UTF-8 text.
    #[error("{path} is not valid UTF-8")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// The database could not be reached.
    #[error("cannot connect to the database: {message}")]
    Connect {
        /// The driver's message (never the URL, which may hold a password).
        message: String,
    },
    /// A query of the runner's own failed (not a migration statement).
    #[error("{action}: {message}")]
    Database {
        /// What the runner was doing.
        action: String,
        /// PostgreSQL's message.
        message: Box<crate::DatabaseMessage>,
    },
    /// Another runner kept the advisory lock longer than the lock timeout.
    #[error(
        "gave up waiting for the migration lock after {waited_ms} ms: {}",
        holder.as_ref().map_or_else(|| "its holder is unknown".to_owned(), |h| format!("it is held by {h}"))
    )]
    LockTimeout {
        /// How long we waited.
        waited_ms: u64,
        /// Who held it when we started waiting.
        holder: Option<Box<crate::LockHolder>>,
    },
    /// The database and the migrations disagree; nothing was applied.
    #[error("{}", problems_text(problems))]
    Verification {
        /// Every problem found, in journal order.
        problems: Vec<Problem>,
    },
    /// A statement of a migration failed.
    #[error("{0}")]
    Statement(Box<crate::StatementFailure>),
}

impl MigrateError {
    /// The error for `--json` output: `{"error": kind, "message": text, ...details}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = match self {
            MigrateError::Verification { problems } => {
                serde_json::json!({ "error": "verification", "problems": problems })
            }
            MigrateError::Statement(failure) => {
                serde_json::json!({ "error": "statement", "failure": failure })
            }
            MigrateError::LockTimeout { waited_ms, holder } => {
                serde_json::json!({ "error": "lock_timeout", "waited_ms": waited_ms, "holder": holder })
            }
            MigrateError::Database { action, message } => {
                serde_json::json!({ "error": "database", "action": action, "database": message })
            }
            MigrateError::Folder(_)
            | MigrateError::NoJournal { .. }
            | MigrateError::NotUtf8 { .. } => {
                serde_json::json!({ "error": "folder" })
            }
            MigrateError::Connect { .. } => serde_json::json!({ "error": "connect" }),
        };
        value["message"] = serde_json::Value::String(self.to_string());
        value
    }

    pub(crate) fn db(action: impl Into<String>) -> impl FnOnce(postgres::Error) -> MigrateError {
        let action = action.into();
        move |e| MigrateError::Database {
            action,
            message: Box::new(crate::DatabaseMessage::from_error(&e)),
        }
    }
}

/// A disagreement between the database and the migrations, found before anything runs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// An applied migration whose file changed since.
    ChecksumMismatch {
        /// Journal tag.
        tag: String,
        /// The file.
        origin: String,
        /// sha256 of the file now.
        file_hash: String,
        /// sha256 recorded when it was applied.
        db_hash: String,
    },
    /// A tracking row that no migration accounts for.
    MissingFile {
        /// Tracking row id.
        id: i32,
        /// Its hash.
        hash: String,
        /// Its `created_at` (the journal `when` of the vanished migration).
        created_at: Option<i64>,
    },
    /// A pending migration older than the newest applied one.
    OutOfOrder {
        /// Journal tag.
        tag: String,
        /// Its `when`.
        when: u64,
        /// The newest applied migration.
        newest_applied: String,
        /// That migration's `when`.
        newest_applied_when: u64,
    },
    /// A `-- drizzle:no-transaction` migration in a single-transaction run.
    NoTransactionInSingleTransaction {
        /// Journal tag.
        tag: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::ChecksumMismatch {
                tag,
                origin,
                file_hash,
                db_hash,
            } => write!(
                f,
                "{tag} was edited after it was applied ({origin}):\n  \
                 applied sha256 {db_hash}\n  file    sha256 {file_hash}\n  \
                 Restore the file as it was applied and put the change in a new migration \
                 (--ignore-checksums skips this check in an emergency)"
            ),
            Problem::MissingFile {
                id,
                hash,
                created_at,
            } => {
                let when = created_at.map_or_else(|| "null".to_owned(), |c| c.to_string());
                write!(
                    f,
                    "the database has applied a migration that is not in the folder \
                     (tracking row id {id}, created_at {when}, sha256 {hash}):\n  \
                     restore its file and journal entry; this folder may be older than the database \
                     or belong to another project"
                )
            }
            Problem::OutOfOrder {
                tag,
                when,
                newest_applied,
                newest_applied_when,
            } => write!(
                f,
                "{tag} (when {when}) is pending but older than the applied {newest_applied} \
                 (when {newest_applied_when}):\n  \
                 this happens when a branch with this migration was merged after newer migrations \
                 were applied; drizzle-kit would skip it silently. Check that it does not conflict \
                 with the newer ones, then run with --allow-out-of-order"
            ),
            Problem::NoTransactionInSingleTransaction { tag } => write!(
                f,
                "{tag} starts with `-- drizzle:no-transaction` and cannot run inside \
                 --single-transaction: run without --single-transaction"
            ),
        }
    }
}

fn problems_text(problems: &[Problem]) -> String {
    let mut out = format!(
        "nothing was applied: {} problem{} found before migrating",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str("\n- ");
        out.push_str(&p.to_string());
    }
    out
}
