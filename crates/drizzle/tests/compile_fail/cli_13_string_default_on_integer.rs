// bad schema: string default on integer
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = "5")]
    pub age: i32,
}

fn main() {}
