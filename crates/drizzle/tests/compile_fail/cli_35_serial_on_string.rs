// bad schema: serial on string
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key, serial)]
    pub id: String,
}

fn main() {}
