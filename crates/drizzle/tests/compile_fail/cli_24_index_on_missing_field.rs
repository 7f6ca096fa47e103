// bad schema: index on missing field
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(index(on(emial)))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub email: String,
}

fn main() {}
