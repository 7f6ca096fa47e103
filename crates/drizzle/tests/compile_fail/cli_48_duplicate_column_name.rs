// bad schema: duplicate column name
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub email: String,
    #[drizzle(name = "email")]
    pub email_address: String,
}

fn main() {}
