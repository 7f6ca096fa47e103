// bad schema: timestamptz on naive
use chrono::NaiveDateTime;
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(timestamptz(precision = 3))]
    pub created_at: NaiveDateTime,
}

fn main() {}
