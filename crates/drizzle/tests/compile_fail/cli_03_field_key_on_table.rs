// bad schema: field key on table
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users", serial)]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
