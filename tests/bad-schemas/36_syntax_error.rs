// bad schema: syntax error
use drizzle::Table;

#[derive(Table)]
pub struct Users {
    pub id: i32
    pub email: String,
}
