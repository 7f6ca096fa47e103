// bad schema: renamed from three parts
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users", renamed_from = "a.b.c")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
