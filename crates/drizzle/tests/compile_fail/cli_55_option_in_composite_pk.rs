// bad schema: option in composite pk
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "pairs")]
#[drizzle(primary_key(columns(a, b)))]
pub struct Pairs {
    pub a: i32,
    pub b: Option<i32>,
}

fn main() {}
