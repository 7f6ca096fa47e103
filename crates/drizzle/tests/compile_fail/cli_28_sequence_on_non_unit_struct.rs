// bad schema: sequence on non unit struct
use drizzle::Sequence;

#[derive(Sequence)]
#[drizzle(name = "order_no")]
pub struct OrderNo(i64);

fn main() {}
