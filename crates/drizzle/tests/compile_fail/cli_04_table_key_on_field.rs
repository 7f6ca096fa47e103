// bad schema: table key on field
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(rls)]
    pub email: String,
}

fn main() {}
