//! Errors of introspection and canonicalization.

/// What can go wrong while reading a live database.
#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    /// A catalog query or the transaction around it failed.
    #[error("catalog query `{query}` failed: {message}")]
    Query {
        /// The query file (e.g. `columns.sql`) or step that failed.
        query: &'static str,
        /// The server's message.
        message: String,
    },
    /// A `tables_filter` pattern is not a valid glob.
    #[error("invalid tables filter `{pattern}`: {message}")]
    BadFilter {
        /// The pattern as given.
        pattern: String,
        /// Why it was rejected.
        message: String,
    },
    /// The canonicalization script returned something it should not have.
    #[error("canonicalization failed: {0}")]
    Canonicalize(String),
}

impl IntrospectError {
    /// Wraps a driver error raised by `query`, keeping the server's detail when there is one.
    pub(crate) fn query(query: &'static str, error: &postgres::Error) -> IntrospectError {
        let message = match error.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => error.to_string(),
        };
        IntrospectError::Query { query, message }
    }
}
