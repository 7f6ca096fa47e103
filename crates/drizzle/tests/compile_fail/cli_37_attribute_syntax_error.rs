// bad schema: attribute syntax error
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(name = )]
    pub email: String,
}

fn main() {}
