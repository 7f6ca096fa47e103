//! `--baseline`: record the baseline migration in the tracking table exactly as the runner
//! records an applied one (`hash` = sha256 of the file, `created_at` = journal `when`), under
//! the runner's lock and in one transaction, and only once.

use drizzle_migrate::{Migration, TrackingTable, lock_key};

/// What marking did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marked {
    /// A row was inserted.
    Inserted,
    /// The migration was already recorded; nothing changed.
    AlreadyApplied,
}

/// Records `migration` as applied in `table` unless a row for it exists.
pub(crate) fn mark_applied(
    client: &mut postgres::Client,
    table: &TrackingTable,
    migration: &Migration,
) -> Result<Marked, postgres::Error> {
    let mut tx = client.transaction()?;
    // The transaction-level lock conflicts with the runner's session-level one on the same
    // key, so a concurrent `migrate` cannot apply the baseline while it is being recorded.
    tx.query_one("SELECT pg_advisory_xact_lock($1)", &[&lock_key(table)])?;
    for statement in table.create_sql() {
        tx.batch_execute(&statement)?;
    }
    let when = i64::try_from(migration.when).unwrap_or(i64::MAX);
    let exists: bool = tx
        .query_one(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM {} WHERE \"hash\" = $1 AND \"created_at\" = $2)",
                table.qualified()
            ),
            &[&migration.hash, &when],
        )?
        .get(0);
    if exists {
        tx.commit()?;
        return Ok(Marked::AlreadyApplied);
    }
    tx.execute(
        &format!(
            "INSERT INTO {} (\"hash\", \"created_at\") VALUES ($1, $2)",
            table.qualified()
        ),
        &[&migration.hash, &when],
    )?;
    tx.commit()?;
    Ok(Marked::Inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marking_twice_records_one_row_the_runner_recognizes() {
        let db = drizzle_testkit::fresh_database();
        let mut client = db.client();
        let table = TrackingTable::new("meta", "applied");
        let migration = Migration::new(
            "0000_init",
            1_700_000_000_000,
            "SELECT 1;",
            true,
            "0000_init.sql",
        );
        assert_eq!(
            mark_applied(&mut client, &table, &migration).unwrap(),
            Marked::Inserted
        );
        assert_eq!(
            mark_applied(&mut client, &table, &migration).unwrap(),
            Marked::AlreadyApplied
        );
        let status = drizzle_migrate::status(&mut client, &vec![migration], &table).unwrap();
        assert_eq!(
            status.migrations[0].state,
            drizzle_migrate::MigrationState::Applied
        );
        let rows: i64 = client
            .query_one("SELECT count(*) FROM \"meta\".\"applied\"", &[])
            .unwrap()
            .get(0);
        assert_eq!(rows, 1);
    }
}
