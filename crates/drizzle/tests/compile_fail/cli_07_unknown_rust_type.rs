// bad schema: unknown rust type
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub location: GeoPoint,
}

fn main() {}
