// bad schema: foreign key column count
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(foreign_key(columns(a, b), references(Users::id)))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub a: i32,
    pub b: i32,
}

fn main() {}
