// bad schema: references missing struct
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(references(Organisation::id))]
    pub org_id: i32,
}

#[derive(Table)]
#[drizzle(name = "organizations")]
pub struct Organization {
    #[drizzle(primary_key)]
    pub id: i32,
}

fn main() {}
