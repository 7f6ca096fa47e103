//! Rust equivalent of migrations-fixtures/push/10_drop_table_with_rows/schema.ts:
//! `audit_log` (2 rows) and `empty_gone` (0 rows) are dropped.

use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "keep_me")]
pub struct KeepMe {
    #[drizzle(primary_key)]
    pub id: i32,
}
