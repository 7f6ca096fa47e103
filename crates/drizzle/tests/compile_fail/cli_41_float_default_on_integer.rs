// bad schema: float default on integer
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = 1.5)]
    pub n: i32,
}

fn main() {}
