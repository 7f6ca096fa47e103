// bad schema: two defaults
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = 1, default_sql = "2")]
    pub n: i32,
}

fn main() {}
