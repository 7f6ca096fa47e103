use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct User {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
    pub email: Option<String>,
}
