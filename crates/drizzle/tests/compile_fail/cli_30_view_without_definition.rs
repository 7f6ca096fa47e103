// bad schema: view without definition
use drizzle::View;

#[derive(View)]
#[drizzle(name = "active_users")]
pub struct ActiveUsers {
    pub id: i32,
}

fn main() {}
