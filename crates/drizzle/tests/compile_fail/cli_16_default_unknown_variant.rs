// bad schema: default unknown variant
use drizzle::{PgEnum, Table};

#[derive(PgEnum)]
pub enum Color {
    Red,
    Green,
}

#[derive(Table)]
#[drizzle(name = "shirts")]
pub struct Shirts {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = Color::Gren)]
    pub color: Color,
}

fn main() {}
