use drizzle::{PgEnum, Table};

#[derive(PgEnum)]
pub enum Plan {
    Free,
    Pro,
}

#[derive(Table)]
pub struct Account {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(references(Plan::Free))]
    pub plan: Plan,
}

fn main() {}
