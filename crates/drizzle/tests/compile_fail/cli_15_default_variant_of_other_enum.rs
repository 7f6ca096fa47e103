// bad schema: default variant of other enum
use drizzle::{PgEnum, Table};

#[derive(PgEnum)]
pub enum Color {
    Red,
    Green,
}

#[derive(PgEnum)]
pub enum Size {
    Small,
    Large,
}

#[derive(Table)]
#[drizzle(name = "shirts")]
pub struct Shirts {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = Size::Small)]
    pub color: Color,
}

fn main() {}
