// bad schema: integer default on bool
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = 1)]
    pub active: bool,
}

fn main() {}
