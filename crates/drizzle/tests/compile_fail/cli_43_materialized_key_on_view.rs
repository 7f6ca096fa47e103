// bad schema: materialized key on view
use drizzle::View;

#[derive(View)]
#[drizzle(name = "v", definition = "select 1", tablespace = "fast")]
pub struct V;

fn main() {}
