//! Literal defaults on non-enum columns compile, including types named through aliases
//! and enum columns spelled out with `sql_type`. The generated code must not trip
//! `missing_docs` or leave unused imports behind.
#![deny(missing_docs, unused_imports)]

use drizzle::{PgEnum, Table};

type Label = String;

/// How a row feels.
#[derive(PgEnum)]
pub enum Mood {
    /// Good.
    Happy,
    /// Not so good.
    Sad,
}

/// A row of defaults.
#[derive(Table)]
pub struct Defaults {
    /// The `id` column.
    #[drizzle(primary_key, default = 1)]
    pub id: i32,
    /// The `label` column.
    #[drizzle(default = "hello")]
    pub label: Label,
    /// The `note` column.
    #[drizzle(default = "x")]
    pub note: Option<String>,
    /// The `ratio` column.
    #[drizzle(default = 2.5)]
    pub ratio: f64,
    /// The `flag` column.
    #[drizzle(default = false)]
    pub flag: bool,
    /// The `raw_mood` column.
    #[drizzle(sql_type = "mood", default = "happy")]
    pub raw_mood: Mood,
    /// The `mood` column.
    #[drizzle(default = Mood::Sad)]
    pub mood: Option<Mood>,
}

fn main() {
    assert_eq!(Defaults::COLUMNS.len(), 7);
}
