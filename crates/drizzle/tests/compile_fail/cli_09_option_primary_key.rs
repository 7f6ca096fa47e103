// bad schema: option primary key
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: Option<i32>,
}

fn main() {}
