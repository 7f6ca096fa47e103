// bad schema: unknown view with option
use drizzle::View;

#[derive(View)]
#[drizzle(name = "v", definition = "select 1", with(check_optoin = "local"))]
pub struct V;

fn main() {}
