//! Why a diff could not be turned into changes.

use crate::renames::RenameCandidate;

/// An error from [`crate::diff`] / [`crate::plan`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// New objects that may be renames of disappearing ones, which nobody decided. Each
    /// candidate says how to decide it (a flag or a `renamed_from` attribute). After the
    /// caller decides some, it should diff again: deciding a table rename can reveal
    /// column candidates inside it.
    #[error("{} rename{} to decide:{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, candidates(.0))]
    Ambiguous(Vec<RenameCandidate>),
    /// The new schema holds something no statement can create.
    #[error("the schema cannot be migrated to:{}", bullet_list(.0))]
    Unrenderable(Vec<String>),
}

fn candidates(items: &[RenameCandidate]) -> String {
    items
        .iter()
        .map(|c| format!("\n  - {}", c.help()))
        .collect()
}

fn bullet_list(items: &[String]) -> String {
    items.iter().map(|item| format!("\n  - {item}")).collect()
}
