//! Rust equivalent of migrations-fixtures/push/11_enum_value_removal_with_rows/schema.ts:
//! 'review' is removed (no row uses it), so the enum is recreated.

use drizzle::{PgEnum, Table};

#[derive(PgEnum)]
#[drizzle(name = "status")]
pub enum Status {
    Draft,
    Published,
}

#[derive(Table)]
#[drizzle(name = "articles")]
pub struct Articles {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = Status::Draft)]
    pub status: Status,
}
