// bad schema: duplicate key
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(name = "a", name = "b")]
    pub email: String,
}

fn main() {}
