// bad schema: numeric on string
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(numeric(10, 2))]
    pub price: String,
}

fn main() {}
