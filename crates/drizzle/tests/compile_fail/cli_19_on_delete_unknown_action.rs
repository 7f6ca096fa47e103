// bad schema: on delete unknown action
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(references(Users::id, on_delete = cascde))]
    pub parent_id: Option<i32>,
}

fn main() {}
