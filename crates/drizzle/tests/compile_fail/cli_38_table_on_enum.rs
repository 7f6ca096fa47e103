// bad schema: table on enum
use drizzle::Table;

#[derive(Table)]
pub enum Users {
    A,
}

fn main() {}
