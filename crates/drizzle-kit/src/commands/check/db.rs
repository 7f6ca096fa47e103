//! The database half of `check` (`check --db`), kept pure: the runner's status (applied /
//! pending / changed / missing, `drizzle_migrate::status`) and the database's schema come
//! in, findings come out. `live` does the talking to the server.

use drizzle_migrate::{MigrationState, Status};
use drizzle_schema::Schema;

use super::drift::drift;
use super::finding::{Code, Finding};

/// Pending, changed, out-of-order and missing migrations as findings, in journal order.
pub fn status_findings(status: &Status) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in &status.migrations {
        match m.state {
            MigrationState::Applied => {}
            MigrationState::Pending if m.out_of_order => out.push(
                Finding::error(
                    Code::DbOutOfOrder,
                    format!("{} is pending but older than the newest applied migration", m.tag),
                    "a branch with this migration was merged after newer ones were applied: check it does not conflict with them, then run `migrate --allow-out-of-order`",
                )
                .in_file(&m.origin),
            ),
            // What a deploy will apply: worth listing, not a failure.
            MigrationState::Pending => out.push(
                Finding::warning(
                    Code::DbPending,
                    format!("{} is not applied to the database", m.tag),
                    "run `drizzle-kit migrate`",
                )
                .in_file(&m.origin),
            ),
            MigrationState::Changed => out.push(
                Finding::error(
                    Code::DbChecksumMismatch,
                    format!("{} was edited after it was applied", m.tag),
                    "restore the file as it was applied and put the change in a new migration",
                )
                .in_file(&m.origin)
                .with_details(vec![
                    format!("applied sha256 {}", m.db_hash.as_deref().unwrap_or("?")),
                    format!("file    sha256 {}", m.file_hash),
                ]),
            ),
        }
    }
    for row in &status.missing {
        out.push(
            Finding::error(
                Code::DbMissingFile,
                format!(
                    "the database applied a migration that is not in the folder (row id {}, created_at {})",
                    row.id,
                    row.created_at.map_or_else(|| "null".to_owned(), |c| c.to_string())
                ),
                "restore its SQL file and journal entry; the folder may be older than the database",
            )
            .with_details(vec![format!("sha256 {}", row.hash)]),
        );
    }
    out
}

/// Objects changed in the database by hand: introspection against the last snapshot.
pub fn database_drift(last: &Schema, database: &Schema, last_name: &str) -> Option<Finding> {
    drift(last, database, last_name, Code::DbDrift)
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_migrate::{AppliedRow, Migration};

    #[test]
    fn every_state_becomes_a_finding() {
        let a = Migration::new("0000_a", 10, "SELECT 1;", true, "drizzle/0000_a.sql");
        let b = Migration::new("0001_b", 20, "SELECT 2;", true, "drizzle/0001_b.sql");
        let c = Migration::new("0002_c", 30, "SELECT 3;", true, "drizzle/0002_c.sql");
        let d = Migration::new("0003_d", 40, "SELECT 4;", true, "drizzle/0003_d.sql");
        let row = |id, m: &Migration, hash: &str| AppliedRow {
            id,
            hash: hash.to_owned(),
            created_at: Some(m.when as i64),
        };
        let rows = [
            row(1, &a, "edited"),
            row(2, &c, &c.hash),
            AppliedRow {
                id: 3,
                hash: "gone".into(),
                created_at: Some(50),
            },
        ];
        let status = Status::new("t".into(), true, &[a, b, c, d], &rows);
        let codes: Vec<String> = status_findings(&status)
            .iter()
            .map(|f| format!("{} {}", f.code, f.file.as_deref().unwrap_or("-")))
            .collect();
        assert_eq!(
            codes,
            [
                "db/checksum-mismatch drizzle/0000_a.sql",
                "db/out-of-order drizzle/0001_b.sql",
                "db/pending drizzle/0003_d.sql",
                "db/missing-file -",
            ]
        );
    }

    #[test]
    fn database_drift_uses_its_own_code() {
        let mut db = Schema::default();
        db.tables
            .insert("public.t".into(), drizzle_schema::Table::new("public", "t"));
        let f = database_drift(&Schema::default(), &db, "meta/0000_snapshot.json").unwrap();
        assert_eq!(f.code, Code::DbDrift);
    }
}
