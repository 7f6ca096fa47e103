//! The tracking table drizzle-orm's migrator keeps: `"drizzle"."__drizzle_migrations"(id serial
//! primary key, hash text not null, created_at bigint)`, one row per applied migration.

use crate::MigrateError;
use postgres::GenericClient;
use serde::Serialize;

/// Where the tracking rows live (`[migrations] schema` / `table`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackingTable {
    /// Schema of the table (`drizzle`).
    pub schema: String,
    /// Table name (`__drizzle_migrations`).
    pub table: String,
}

impl Default for TrackingTable {
    fn default() -> Self {
        TrackingTable {
            schema: "drizzle".to_owned(),
            table: "__drizzle_migrations".to_owned(),
        }
    }
}

/// A row of the tracking table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRow {
    /// `id` (serial).
    pub id: i32,
    /// `hash`: sha256 of the file when it was applied.
    pub hash: String,
    /// `created_at`: the journal `when` of the migration (nullable in drizzle-orm's table).
    pub created_at: Option<i64>,
}

impl TrackingTable {
    /// A table in a given schema.
    pub fn new(schema: impl Into<String>, table: impl Into<String>) -> Self {
        TrackingTable {
            schema: schema.into(),
            table: table.into(),
        }
    }

    /// `"schema"."table"`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.table))
    }

    /// The statements drizzle-orm runs before migrating, byte for byte (modulo quoting of
    /// unusual names), so either tool creates the same table.
    pub fn create_sql(&self) -> [String; 2] {
        [
            format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(&self.schema)),
            format!(
                "CREATE TABLE IF NOT EXISTS {} (\n\t\t\tid SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at bigint\n\t\t)",
                self.qualified()
            ),
        ]
    }

    /// Whether the table exists (without creating anything).
    pub(crate) fn exists(&self, client: &mut impl GenericClient) -> Result<bool, MigrateError> {
        let row = client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&self.qualified()])
            .map_err(MigrateError::db("cannot look for the tracking table"))?;
        Ok(row.get(0))
    }

    /// Creates the schema and table when missing.
    pub(crate) fn ensure(&self, client: &mut impl GenericClient) -> Result<(), MigrateError> {
        for statement in self.create_sql() {
            client
                .batch_execute(&statement)
                .map_err(MigrateError::db("cannot create the tracking table"))?;
        }
        Ok(())
    }

    /// Every row, oldest first (the table must exist).
    pub(crate) fn rows(
        &self,
        client: &mut impl GenericClient,
    ) -> Result<Vec<AppliedRow>, MigrateError> {
        let query = format!(
            "SELECT id, hash, created_at FROM {} ORDER BY id",
            self.qualified()
        );
        let rows = client
            .query(&query, &[])
            .map_err(MigrateError::db("cannot read the tracking table"))?;
        Ok(rows
            .iter()
            .map(|r| AppliedRow {
                id: r.get(0),
                hash: r.get(1),
                created_at: r.get(2),
            })
            .collect())
    }

    /// Records a migration as drizzle-orm does: `hash` and `created_at` = journal `when`.
    pub(crate) fn insert(
        &self,
        client: &mut impl GenericClient,
        hash: &str,
        when: u64,
    ) -> Result<(), MigrateError> {
        let statement = format!(
            "INSERT INTO {} (\"hash\", \"created_at\") VALUES ($1, $2)",
            self.qualified()
        );
        let when = i64::try_from(when).unwrap_or(i64::MAX);
        client
            .execute(&statement, &[&hash, &when])
            .map_err(MigrateError::db("cannot record the migration"))?;
        Ok(())
    }
}

/// `"name"` with embedded quotes doubled, as drizzle-sql quotes; kept local because the
/// runner needs nothing else of the SQL renderer (and must build without the differ).
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl std::fmt::Display for TrackingTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.qualified())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_the_table_drizzle_orm_creates() {
        let [schema, table] = TrackingTable::default().create_sql();
        assert_eq!(schema, "CREATE SCHEMA IF NOT EXISTS \"drizzle\"");
        insta::assert_snapshot!(table);
        assert_eq!(
            TrackingTable::new("app", "my\"migrations").qualified(),
            "\"app\".\"my\"\"migrations\""
        );
    }
}
