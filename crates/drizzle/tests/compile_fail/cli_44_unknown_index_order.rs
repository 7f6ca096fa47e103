// bad schema: unknown index order
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(index(name = "users_created_idx", on(created_at(descending))))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub created_at: i64,
}

fn main() {}
