//! drizzle-kit's snapshot JSON (version "7", dialect "postgresql"): reading any snapshot
//! drizzle-kit accepts and writing the exact bytes `drizzle-kit generate` writes.
//!
//! Comments have no place in drizzle-kit's format, whose table and column objects are
//! strict; its top level strips unknown keys, so comments travel in a top-level
//! `"comments"` object that drizzle-kit ignores and we read back into the model.

mod error;
mod read;
mod write;

pub use error::SnapshotError;

use crate::Schema;
use indexmap::IndexMap;

/// The `id` of drizzle-kit's built-in empty snapshot, and the `prevId` of the first one.
pub const ORIGIN_ID: &str = "00000000-0000-0000-0000-000000000000";

/// The only snapshot version read and written.
pub const VERSION: &str = "7";

/// The only dialect read and written.
pub const DIALECT: &str = "postgresql";

/// The snapshot's `_meta`: renames recorded by `pull` (drizzle-kit's `generate` leaves it empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenameMeta {
    /// Old schema name → new schema name.
    pub schemas: IndexMap<String, String>,
    /// `"\"schema\".\"old\""` → `"\"schema\".\"new\""`.
    pub tables: IndexMap<String, String>,
    /// `"\"schema\".\"table\".\"old\""` → `"\"schema\".\"table\".\"new\""`.
    pub columns: IndexMap<String, String>,
}

/// One snapshot file: the schema after a migration, linked to the previous snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// This snapshot's UUID.
    pub id: String,
    /// The previous snapshot's id (`ORIGIN_ID` for the first, `""` for the empty snapshot).
    pub prev_id: String,
    /// The schema.
    pub schema: Schema,
    /// `_meta`.
    pub meta: RenameMeta,
    /// drizzle-kit's `internal` (pull snapshots only), kept verbatim.
    pub internal: Option<serde_json::Value>,
}

impl Snapshot {
    /// drizzle-kit's `dryPg`: the empty schema every first migration is diffed against.
    pub fn empty() -> Snapshot {
        Snapshot {
            id: ORIGIN_ID.to_owned(),
            prev_id: String::new(),
            schema: Schema::default(),
            meta: RenameMeta::default(),
            internal: None,
        }
    }

    /// Reads a snapshot file's text.
    pub fn from_json(text: &str) -> Result<Snapshot, SnapshotError> {
        read::snapshot(text)
    }

    /// The file text, byte for byte as `drizzle-kit generate` would write it.
    pub fn to_json(&self) -> String {
        write::snapshot(self).to_pretty()
    }
}

#[cfg(test)]
mod tests;
