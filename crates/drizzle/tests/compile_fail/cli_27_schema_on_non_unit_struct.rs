// bad schema: schema on non unit struct
use drizzle::PgSchema;

#[derive(PgSchema)]
#[drizzle(name = "billing")]
pub struct Billing {
    pub id: i32,
}

fn main() {}
