//! `diff(from, to)`: the changes that turn one `Schema` into another.
//!
//! For now only additions (and, on request, drops) are supported: anything that would
//! rename or alter an existing object is reported as [`DiffError::NotAdditive`], listing
//! every such difference, so `generate` fails loudly instead of writing a wrong migration.

mod additive;
mod change;
mod compare;
mod error;

pub use change::{Change, ChangeKind, CommentTarget, TableRef};
pub use error::DiffError;

use drizzle_schema::Schema;

/// What the differ may do beyond adding objects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Drop objects that `to` no longer has, instead of reporting them. A rename without
    /// a `renamed_from` hint then reads as a drop plus a create, so callers should confirm.
    pub allow_drops: bool,
}

/// The changes that turn `from` into `to`, in drizzle-kit's order within each kind
/// (`drizzle-sql` orders the kinds). Drops are refused; see [`diff_with`].
pub fn diff(from: &Schema, to: &Schema) -> Result<Vec<Change>, DiffError> {
    diff_with(from, to, DiffOptions::default())
}

/// [`diff`] with options.
pub fn diff_with(
    from: &Schema,
    to: &Schema,
    options: DiffOptions,
) -> Result<Vec<Change>, DiffError> {
    let walk = additive::Walk::run(from, to, options.allow_drops);
    if walk.problems.is_empty() {
        Ok(walk.changes)
    } else {
        Err(DiffError::NotAdditive(walk.problems))
    }
}

#[cfg(test)]
mod tests;
