// bad schema: check without sql
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(check(name = "positive"))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
