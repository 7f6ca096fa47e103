use drizzle::Table;

#[derive(Table)]
pub struct Employee {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(references(Self::ident, on_delete = set_null))]
    pub manager_id: Option<i32>,
}

fn main() {}
