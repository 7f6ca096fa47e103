//! Why the harness could not provide a database.

use std::path::PathBuf;

/// Everything that can go wrong while finding, starting or using the test server.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// A connection to the server could not be opened.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL that was tried (credentials included, test servers only).
        url: String,
        /// The driver's explanation.
        message: String,
    },
    /// A query on an open connection failed.
    #[error("{0}")]
    Query(String),
    /// A URL could not be parsed or rewritten.
    #[error("invalid database URL {url}: {message}")]
    BadUrl {
        /// The offending URL.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// A file-system operation failed.
    #[error("{what}: {source}")]
    Io {
        /// The operation that failed.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An external program (initdb, pg_ctl, pg_dump, ...) failed.
    #[error("`{program}` failed ({status}): {output}")]
    Command {
        /// The program and its arguments.
        program: String,
        /// Its exit status.
        status: String,
        /// What it printed on stderr (and stdout).
        output: String,
    },
    /// No PostgreSQL binaries were found to start a throwaway cluster.
    #[error("no PostgreSQL binaries (initdb, pg_ctl) found in {searched:?} or PATH")]
    NoBinaries {
        /// The directories that were searched.
        searched: Vec<PathBuf>,
    },
}

/// Renders a driver error the way psql would: severity, message, SQLSTATE, detail, hint.
pub fn describe_error(error: &postgres::Error) -> String {
    let Some(db) = error.as_db_error() else {
        // Connection errors hide the useful part ("Connection refused") in the source chain.
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            if !text.contains(&cause_text) {
                text.push_str(": ");
                text.push_str(&cause_text);
            }
            source = cause.source();
        }
        return text;
    };
    let mut text = format!(
        "{}: {} (SQLSTATE {})",
        db.severity(),
        db.message(),
        db.code().code()
    );
    if let Some(detail) = db.detail() {
        text.push_str("\nDETAIL: ");
        text.push_str(detail);
    }
    if let Some(hint) = db.hint() {
        text.push_str("\nHINT: ");
        text.push_str(hint);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_error_names_program_and_output() {
        let error = HarnessError::Command {
            program: "initdb -D /x".into(),
            status: "exit status: 1".into(),
            output: "initdb: error: cannot be run as root".into(),
        };
        assert_eq!(
            error.to_string(),
            "`initdb -D /x` failed (exit status: 1): initdb: error: cannot be run as root"
        );
    }
}
