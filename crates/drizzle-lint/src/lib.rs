//! A safety linter for PostgreSQL migrations, generated or hand-written, and the
//! "safe form" rewrite `generate --safe` uses. IO-free: text in, findings out.
//!
//! Statements are cut lexically ([`split`]), recognized with sqlparser's PostgreSQL
//! grammar, or token by token where the grammar falls short, and checked by rules with
//! stable names ([`Rule`]). A prefix scan (`quick`) settles the statements an initial
//! migration is made of, so the parser runs only where a rule needs it. A table counts
//! as existing unless a migration linted earlier in the same run (or an earlier
//! statement of the same migration) created it.

#![warn(missing_docs)]

mod config;
mod fallback;
mod linter;
mod ops;
mod parse;
mod quick;
mod rules;
mod safe;
pub mod split;
mod tokens;

pub use config::{DEFAULT_LOCK_TIMEOUT, LintConfig, is_valid_lock_timeout};
pub use linter::{Finding, Linter, lint_migrations};
pub use rules::{Level, Rule};
pub use safe::{DeferredNotNull, MovedIndex, SafeFile, SafeForm, safe_form};

/// The first line that makes a migration run outside a transaction (the runner honours it).
pub const NO_TRANSACTION_MARKER: &str = "-- drizzle:no-transaction";

/// Whether the runner executes `sql` inside a transaction (it does unless the first line
/// is [`NO_TRANSACTION_MARKER`]).
pub fn runs_in_transaction(sql: &str) -> bool {
    !linter::marked_no_transaction(sql)
}

#[cfg(test)]
mod tests;
