// bad schema: option serial
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(serial)]
    pub counter: Option<i64>,
}

fn main() {}
