//! Rust equivalent of migrations-fixtures/push/13_type_change_with_rows/schema.ts.

use chrono::{DateTime, Utc};
use drizzle::Table;
use rust_decimal::Decimal;

#[derive(Table)]
#[drizzle(name = "metrics")]
pub struct Metrics {
    #[drizzle(primary_key)]
    pub id: i32,
    // Widening.
    pub counter: Option<i64>,
    // Narrowing: 'defghij' does not fit.
    #[drizzle(varchar(5))]
    pub label: Option<String>,
    // text -> integer needs USING.
    pub numeric_text: Option<i32>,
    // Precision change: 12.34 becomes 12.3.
    #[drizzle(numeric(6, 1))]
    pub amount: Option<Decimal>,
    // Time zone change.
    pub happened: Option<DateTime<Utc>>,
}
