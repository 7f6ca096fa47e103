// bad schema: duplicate constraint name
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(unique(name = "users_key", columns(a)))]
#[drizzle(check(name = "users_key", sql = "a > b"))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub a: i32,
    pub b: i32,
}

fn main() {}
