// bad schema: option identity
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(identity(always))]
    pub seq: Option<i64>,
}

fn main() {}
