// bad schema: duplicate rust item
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}

mod nested {
    use drizzle::Table;

    #[derive(Table)]
    #[drizzle(name = "other_users")]
    pub struct Users {
        #[drizzle(primary_key)]
        pub id: i32,
    }
}
