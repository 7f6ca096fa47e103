// bad schema: string default on enum
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
    #[drizzle(default = "red")]
    pub color: Color,
}

fn main() {}
