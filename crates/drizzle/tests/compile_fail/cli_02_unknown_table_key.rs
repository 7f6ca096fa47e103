// bad schema: unknown table key
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users", shema = "app")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
