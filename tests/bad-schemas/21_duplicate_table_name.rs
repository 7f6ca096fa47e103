// bad schema: duplicate table name
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[drizzle(name = "users")]
pub struct People {
    #[drizzle(primary_key)]
    pub id: i32,
}
