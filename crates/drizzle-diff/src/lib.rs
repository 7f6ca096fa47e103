//! `diff(from, to, renames)`: the changes that turn one `Schema` into another.
//!
//! Renames are decided, in this order of precedence, by `renamed_from` hints in the new
//! schema, then by the caller's explicit [`Renames`] (flags, answered prompts). When new
//! and disappearing objects of one kind remain that nothing decided, the differ does not
//! guess: it returns [`DiffError::Ambiguous`] with one [`RenameCandidate`] per new object,
//! for the caller to ask about or to report with the flag that decides it.

mod change;
mod error;
mod expr;
mod patch;
mod renames;
mod resolve;
mod walk;

pub use change::{Change, ChangeKind, CommentTarget, EnumColumn, TableRef};
pub use error::DiffError;
pub use renames::{Creation, Rename, RenameCandidate, RenameFlagError, RenameKind, Renames};

use drizzle_schema::Schema;
use drizzle_schema::snapshot::RenameMeta;

/// The result of a successful diff.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The changes, in drizzle-kit's order within each kind (`drizzle-sql` orders kinds).
    pub changes: Vec<Change>,
    /// Every rename applied (from hints or explicit decisions), in resolution order.
    pub renames: Vec<Rename>,
    /// Explicit renames that matched nothing left to rename (stale or mistyped flags).
    pub unused: Vec<Rename>,
}

impl Plan {
    /// The renames in the snapshot's `_meta` format (drizzle-kit's `prepareMigrationMeta`).
    pub fn rename_meta(&self) -> RenameMeta {
        let mut meta = RenameMeta::default();
        let table_key = |key: &str| match key.split_once('.') {
            Some((schema, name)) if schema != drizzle_schema::PUBLIC => {
                format!("\"{schema}\".\"{name}\"")
            }
            Some((_, name)) => format!("\"{name}\""),
            None => format!("\"{key}\""),
        };
        for r in &self.renames {
            match r.kind {
                RenameKind::Schema => {
                    meta.schemas.insert(r.from.clone(), r.to.clone());
                }
                RenameKind::Table => {
                    meta.tables.insert(table_key(&r.from), table_key(&r.to));
                }
                RenameKind::Column => {
                    let table = table_key(r.table.as_deref().unwrap_or_default());
                    meta.columns.insert(
                        format!("{table}.\"{}\"", r.from),
                        format!("{table}.\"{}\"", r.to),
                    );
                }
                _ => {}
            }
        }
        meta
    }
}

/// The changes that turn `from` into `to`, deciding renames with `renames`.
pub fn plan(from: &Schema, to: &Schema, renames: &Renames) -> Result<Plan, DiffError> {
    let outcome = walk::run(from, to, renames);
    if !outcome.decisions.ambiguities.is_empty() {
        return Err(DiffError::Ambiguous(outcome.decisions.ambiguities));
    }
    if !outcome.problems.is_empty() {
        return Err(DiffError::Unrenderable(outcome.problems));
    }
    let unused = renames
        .renames
        .iter()
        .enumerate()
        .filter(|(i, _)| !outcome.decisions.used.contains(i))
        .map(|(_, r)| r.clone())
        .collect();
    Ok(Plan {
        changes: outcome.changes,
        renames: outcome.decisions.applied,
        unused,
    })
}

/// [`plan`]'s changes alone.
pub fn diff(from: &Schema, to: &Schema, renames: &Renames) -> Result<Vec<Change>, DiffError> {
    plan(from, to, renames).map(|p| p.changes)
}

#[cfg(test)]
mod tests;
