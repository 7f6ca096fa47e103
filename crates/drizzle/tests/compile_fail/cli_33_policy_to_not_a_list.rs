// bad schema: policy to not a list
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(policy(name = "own_rows", to = "reader", using = "true"))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
