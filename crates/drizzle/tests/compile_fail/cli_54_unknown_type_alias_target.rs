// bad schema: unknown type alias target
use drizzle::Table;

type Email = EmailAddress;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub email: Email,
}

fn main() {}
