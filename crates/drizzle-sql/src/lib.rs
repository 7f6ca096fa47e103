//! Rendering changes as PostgreSQL statements, in an order PostgreSQL accepts.
//!
//! The text matches drizzle-kit 0.31 byte for byte wherever drizzle-kit is correct, so a
//! migrations folder can be continued by either tool.

mod alter;
mod casts;
pub mod order;
mod quote;
mod statements;
mod table;
mod types;

pub use quote::{quote_ident, quote_literal};

use drizzle_diff::Change;

/// The statements for `changes`, in dependency order, each exactly as it appears in a
/// migration file (including drizzle-kit's trailing `"\n"` after some statements).
pub fn render(changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(changes.len());
    let mut seen = std::collections::HashSet::new();
    for change in order::ordered(changes) {
        for text in statements::statements(change) {
            // drizzle-kit drops repeated statements, keeping the first.
            if seen.insert(text.clone()) {
                out.push(text);
            }
        }
    }
    out
}

/// A migration file's text: statements joined by `--> statement-breakpoint\n`, or by
/// `\n` when breakpoints are off. No newline is added at the end.
pub fn join_statements(statements: &[String], breakpoints: bool) -> String {
    statements.join(if breakpoints {
        "--> statement-breakpoint\n"
    } else {
        "\n"
    })
}

#[cfg(test)]
mod tests;
