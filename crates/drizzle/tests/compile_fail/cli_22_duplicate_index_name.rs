// bad schema: duplicate index name
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(index(name = "users_idx", on(a)))]
#[drizzle(index(name = "users_idx", on(b)))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub a: i32,
    pub b: i32,
}

fn main() {}
