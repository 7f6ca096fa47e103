//! Rust equivalent of migrations-fixtures/push/14_rename_column_push/schema.ts, without
//! `renamed_from`: fullname -> display_name and old_things -> things are answered at the
//! prompt (or with `--rename`), age is dropped.

use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "people")]
pub struct People {
    #[drizzle(primary_key)]
    pub id: i32,
    pub display_name: Option<String>,
}

#[derive(Table)]
#[drizzle(name = "things")]
pub struct Things {
    #[drizzle(primary_key)]
    pub id: i32,
}
