// bad schema: default random not uuid
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default_random)]
    pub token: String,
}

fn main() {}
