use drizzle::Table;

#[derive(Table)]
#[drizzle(primary_key(columns(a, b)))]
pub struct Parent {
    pub a: i32,
    pub b: i32,
}

#[derive(Table)]
#[drizzle(foreign_key(columns(parent_a, parent_b), references(Parent::a, Parent::c)))]
pub struct Child {
    #[drizzle(primary_key)]
    pub id: i32,
    pub parent_a: i32,
    pub parent_b: i32,
}

fn main() {}
