// bad schema: role on non unit struct
use drizzle::Role;

#[derive(Role)]
#[drizzle(name = "reader")]
pub struct Reader {
    pub name: String,
}

fn main() {}
