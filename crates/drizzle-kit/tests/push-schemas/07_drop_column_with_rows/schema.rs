//! Rust equivalent of migrations-fixtures/push/07_drop_column_with_rows/schema.ts:
//! `legacy_code` and `legacy_flag` are dropped while the table has 3 rows.

use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: Option<String>,
}
