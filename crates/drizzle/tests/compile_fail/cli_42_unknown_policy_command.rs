// bad schema: unknown policy command
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(policy(name = "p", command = selct, using = "true"))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
