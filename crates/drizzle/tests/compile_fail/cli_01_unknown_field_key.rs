// bad schema: unknown field key
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(primay_key)]
    pub code: i32,
}

fn main() {}
