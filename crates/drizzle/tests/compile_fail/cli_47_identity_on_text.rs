// bad schema: identity on text
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(identity)]
    pub code: String,
}

fn main() {}
