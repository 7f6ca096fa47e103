// bad schema: renamed from column with schema
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(renamed_from = "public.mail")]
    pub email: String,
}

fn main() {}
