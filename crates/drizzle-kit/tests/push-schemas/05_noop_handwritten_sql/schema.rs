//! Rust equivalent of migrations-fixtures/push/05_noop_handwritten_sql/schema.ts, except
//! that `price(desc)` means PostgreSQL's DESC (NULLS FIRST) here, as the hand-written
//! index says; drizzle's `.desc()` means NULLS LAST.

use chrono::{DateTime, Utc};
use drizzle::{PgEnum, Table};
use rust_decimal::Decimal;

#[derive(PgEnum)]
#[drizzle(name = "color")]
pub enum Color {
    Red,
    Green,
}

#[derive(Table)]
#[drizzle(name = "products")]
#[drizzle(check(name = "products_qty_check", sql = r#""products"."qty" >= 0"#))]
#[drizzle(unique(name = "products_name_key", columns(name)))]
#[drizzle(index(name = "products_price_idx", on(price(desc))))]
pub struct Products {
    #[drizzle(primary_key, identity(always))]
    pub id: i32,
    #[drizzle(varchar(50), default = "unnamed")]
    pub name: String,
    #[drizzle(numeric(10, 2), default = "0.00")]
    pub price: Option<Decimal>,
    #[drizzle(default = 0)]
    pub qty: Option<i32>,
    #[drizzle(default = Color::Red)]
    pub color: Option<Color>,
    #[drizzle(default_sql = r#"'{"a","b"}'"#)]
    pub tags: Option<Vec<String>>,
    #[drizzle(default_sql = "'{}'::jsonb")]
    pub meta: Option<serde_json::Value>,
    #[drizzle(timestamptz(precision = 3), default_now)]
    pub created: DateTime<Utc>,
    #[drizzle(default = false)]
    pub flag: Option<bool>,
}
