// bad schema: pgenum on struct
use drizzle::PgEnum;

#[derive(PgEnum)]
pub struct Status {
    pub a: i32,
}

fn main() {}
