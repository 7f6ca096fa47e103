//! Why a snapshot could not be read.

/// A snapshot that cannot be read, with where and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// The text is not JSON.
    #[error("invalid JSON at line {line} column {column}: {message}")]
    Syntax {
        /// serde_json's description.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Valid JSON that is not a version "7" snapshot.
    #[error("{path}: {message}")]
    Malformed {
        /// The JSON path of the offending value (`tables."public.users".columns.id.notNull`).
        path: String,
        /// What was expected and what was found.
        message: String,
    },
    /// A snapshot from an older drizzle-kit (version "5" or "6").
    #[error(
        "snapshot version \"{version}\" is older than version \"7\"; run `drizzle-kit up` (drizzle-kit 0.31) to upgrade the snapshots in place, then try again"
    )]
    Outdated {
        /// The version found.
        version: String,
    },
    /// A snapshot from a newer tool (for example drizzle-kit v1's version "8").
    #[error(
        "snapshot version \"{version}\" is newer than the supported version \"7\"; it was written by a newer tool and cannot be continued by this one"
    )]
    UnsupportedVersion {
        /// The version found.
        version: String,
    },
    /// A snapshot of another database.
    #[error("snapshot dialect is \"{dialect}\"; only \"postgresql\" snapshots are supported")]
    UnsupportedDialect {
        /// The dialect found.
        dialect: String,
    },
}
