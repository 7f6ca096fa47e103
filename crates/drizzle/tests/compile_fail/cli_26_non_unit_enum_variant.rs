// bad schema: non unit enum variant
use drizzle::PgEnum;

#[derive(PgEnum)]
pub enum Status {
    Active,
    Suspended(String),
}

fn main() {}
