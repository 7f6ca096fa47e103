// bad schema: matview option on view
use drizzle::View;

#[derive(View)]
#[drizzle(name = "v", definition = "select 1", with(fillfactor = 70))]
pub struct V;

fn main() {}
