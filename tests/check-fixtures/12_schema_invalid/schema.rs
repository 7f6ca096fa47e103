use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct User {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(primary_kee)]
    pub name: String,
}
