//! Rust equivalent of migrations-fixtures/push/08_add_not_null_column_nonempty/schema.ts.

use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "accounts")]
pub struct Accounts {
    #[drizzle(primary_key)]
    pub id: i32,
    pub email: Option<String>,
    // NOT NULL without default on a table with 2 rows.
    pub tenant_id: i32,
    // NOT NULL with default: fine.
    #[drizzle(default = true)]
    pub active: bool,
}

// NOT NULL without default on an empty table.
#[derive(Table)]
#[drizzle(name = "empty_tbl")]
pub struct EmptyTbl {
    #[drizzle(primary_key)]
    pub id: i32,
    pub req: String,
}
