//! Matching migrations to tracking rows by identity (`created_at` + `hash`) and finding
//! what must not be applied silently: changed files, rows without a file, migrations
//! older than the newest applied one. Pure: no database, no files.

use crate::{AppliedRow, Migration};
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a migration stands against the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationState {
    /// A row with the same `created_at` and hash exists.
    Applied,
    /// No row for it yet.
    Pending,
    /// A row with its `created_at` exists but records another hash: the file was edited after it ran.
    Changed,
}

/// One migration of the source and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationStatus {
    /// Journal tag.
    pub tag: String,
    /// Journal `when`.
    pub when: u64,
    /// Where the text came from.
    pub origin: String,
    /// The state.
    pub state: MigrationState,
    /// sha256 of the file now.
    pub file_hash: String,
    /// The hash the database recorded (applied or changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_hash: Option<String>,
    /// Tracking row id (applied or changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_id: Option<i32>,
    /// Pending but older than the newest applied migration (a branch merged late).
    pub out_of_order: bool,
    /// Runs outside a transaction (`-- drizzle:no-transaction`).
    pub no_transaction: bool,
}

/// The database against the source: every migration's state plus rows no file accounts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The tracking table read (`"drizzle"."__drizzle_migrations"`).
    pub table: String,
    /// Whether the tracking table exists yet.
    pub table_exists: bool,
    /// Every migration of the source, in journal order.
    pub migrations: Vec<MigrationStatus>,
    /// Tracking rows matching no migration of the source.
    pub missing: Vec<AppliedRow>,
}

impl Status {
    /// Matches `migrations` to `rows`.
    ///
    /// A row matches the migration with its `created_at`; a row without `created_at`
    /// (the column is nullable in drizzle-orm's table) matches by hash.
    pub fn new(
        table: String,
        table_exists: bool,
        migrations: &[Migration],
        rows: &[AppliedRow],
    ) -> Status {
        let recorded_at = |r: &AppliedRow, when: u64| {
            r.created_at
                .is_some_and(|c| u64::try_from(c).ok() == Some(when))
        };
        let identical = |r: &AppliedRow, m: &Migration| {
            r.hash == m.hash && (r.created_at.is_none() || recorded_at(r, m.when))
        };
        // Rows that are exactly some migration: never "changed" for another one that
        // happens to share its `when`.
        let claimed: BTreeSet<i32> = rows
            .iter()
            .filter(|r| migrations.iter().any(|m| identical(r, m)))
            .map(|r| r.id)
            .collect();
        let mut used = claimed.clone();
        let mut statuses: Vec<MigrationStatus> = migrations
            .iter()
            .map(|m| {
                let exact = rows.iter().find(|r| identical(r, m));
                let edited = rows
                    .iter()
                    .find(|r| recorded_at(r, m.when) && !claimed.contains(&r.id));
                let (state, row) = match (exact, edited) {
                    (Some(row), _) => (MigrationState::Applied, Some(row)),
                    (None, Some(row)) => (MigrationState::Changed, Some(row)),
                    (None, None) => (MigrationState::Pending, None),
                };
                // Every unclaimed row recorded at its time belongs to it, duplicates included.
                used.extend(rows.iter().filter(|r| recorded_at(r, m.when)).map(|r| r.id));
                MigrationStatus {
                    tag: m.tag.clone(),
                    when: m.when,
                    origin: m.origin.clone(),
                    state,
                    file_hash: m.hash.clone(),
                    db_hash: row.map(|r| r.hash.clone()),
                    applied_id: row.map(|r| r.id),
                    out_of_order: false,
                    no_transaction: m.no_transaction(),
                }
            })
            .collect();
        let newest_applied = statuses
            .iter()
            .filter(|s| s.state != MigrationState::Pending)
            .map(|s| s.when)
            .max();
        for s in &mut statuses {
            s.out_of_order =
                s.state == MigrationState::Pending && newest_applied.is_some_and(|n| s.when < n);
        }
        let missing = rows
            .iter()
            .filter(|r| !used.contains(&r.id))
            .cloned()
            .collect();
        Status {
            table,
            table_exists,
            migrations: statuses,
            missing,
        }
    }

    /// Migrations in a given state.
    pub fn in_state(&self, state: MigrationState) -> impl Iterator<Item = &MigrationStatus> {
        self.migrations.iter().filter(move |m| m.state == state)
    }

    /// The newest applied migration (by `when`).
    pub fn newest_applied(&self) -> Option<&MigrationStatus> {
        self.migrations
            .iter()
            .filter(|s| s.state != MigrationState::Pending)
            .max_by_key(|s| s.when)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(tag: &str, when: u64, sql: &'static str) -> Migration {
        Migration::new(tag, when, sql, true, format!("drizzle/{tag}.sql"))
    }

    fn row(id: i32, m: &Migration) -> AppliedRow {
        AppliedRow {
            id,
            hash: m.hash.clone(),
            created_at: Some(m.when as i64),
        }
    }

    fn states(status: &Status) -> Vec<(&str, MigrationState, bool)> {
        status
            .migrations
            .iter()
            .map(|s| (s.tag.as_str(), s.state, s.out_of_order))
            .collect()
    }

    #[test]
    fn matches_by_identity_not_by_newest_time() {
        let a = m("0000_a", 10, "SELECT 1;");
        let b = m("0001_b", 20, "SELECT 2;");
        let c = m("0002_c", 30, "SELECT 3;");
        // b came from a branch merged after c was applied.
        let status = Status::new(
            "t".into(),
            true,
            &[a.clone(), b.clone(), c.clone()],
            &[row(1, &a), row(2, &c)],
        );
        use MigrationState::*;
        assert_eq!(
            states(&status),
            [
                ("0000_a", Applied, false),
                ("0001_b", Pending, true),
                ("0002_c", Applied, false)
            ]
        );
        assert!(status.missing.is_empty());
        assert_eq!(status.newest_applied().unwrap().tag, "0002_c");
    }

    #[test]
    fn edited_files_and_rows_without_files() {
        let a = m("0000_a", 10, "SELECT 1;");
        let a_edited = m("0000_a", 10, "SELECT 11;");
        let gone = m("0001_gone", 20, "SELECT 2;");
        let status = Status::new(
            "t".into(),
            true,
            std::slice::from_ref(&a_edited),
            &[row(1, &a), row(2, &gone)],
        );
        let changed = &status.migrations[0];
        assert_eq!(changed.state, MigrationState::Changed);
        assert_eq!(changed.db_hash.as_deref(), Some(a.hash.as_str()));
        assert_eq!(status.missing, [row(2, &gone)]);
    }

    #[test]
    fn migrations_sharing_a_when_are_told_apart_by_hash() {
        let a = m("0000_a", 10, "SELECT 1;");
        let twin = m("0001_twin", 10, "SELECT 2;");
        let status = Status::new("t".into(), true, &[a.clone(), twin], &[row(1, &a)]);
        use MigrationState::*;
        assert_eq!(
            states(&status),
            [("0000_a", Applied, false), ("0001_twin", Pending, false)]
        );
        assert!(status.missing.is_empty());
    }

    #[test]
    fn rows_without_created_at_match_by_hash() {
        let a = m("0000_a", 10, "SELECT 1;");
        let rows = [AppliedRow {
            id: 1,
            hash: a.hash.clone(),
            created_at: None,
        }];
        let status = Status::new("t".into(), true, &[a], &rows);
        assert_eq!(status.migrations[0].state, MigrationState::Applied);
        assert!(status.missing.is_empty());
    }
}
