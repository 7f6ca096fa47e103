// bad schema: view option on matview
use drizzle::View;

#[derive(View)]
#[drizzle(name = "mv", materialized, definition = "select 1", with(security_barrier = true))]
pub struct Mv;

fn main() {}
