// bad schema: expression index without name
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(index(on(sql("lower(email)"))))]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub email: String,
}

fn main() {}
