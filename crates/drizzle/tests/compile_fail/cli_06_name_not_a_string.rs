// bad schema: name not a string
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = users)]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
