//! Why a diff could not be turned into changes.

/// An error from [`crate::diff`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// The new schema drops, renames or alters existing objects, which generate cannot
    /// write yet; every such difference is listed in plain words.
    #[error(
        "the schema changes are not purely additive, and only additions can be generated for now:{}",
        bullet_list(.0)
    )]
    NotAdditive(Vec<String>),
}

fn bullet_list(items: &[String]) -> String {
    items.iter().map(|item| format!("\n  - {item}")).collect()
}
