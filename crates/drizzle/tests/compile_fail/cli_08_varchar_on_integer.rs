// bad schema: varchar on integer
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(varchar(10))]
    pub age: i32,
}

fn main() {}
