//! A referenced table may live in another module once imported; keyword keys parse.
use accounts::Account;
use drizzle::Table;

mod accounts {
    use drizzle::Table;

    #[derive(Table)]
    pub struct Account {
        #[drizzle(primary_key)]
        pub id: i32,
        pub r#type: Option<String>,
    }
}

#[derive(Table)]
#[drizzle(index(name = "notes_account_idx", on(account_id), where = "account_id is not null"))]
#[drizzle(foreign_key(columns(account_id), references(Account::id), on_delete = cascade))]
pub struct Note {
    #[drizzle(primary_key)]
    pub id: i32,
    pub account_id: Option<i32>,
    #[drizzle(references(Account::r#type))]
    pub account_type: Option<String>,
}

fn main() {
    assert_eq!(Note::COLUMNS, &["id", "account_id", "account_type"]);
    assert_eq!(Account::COLUMNS, &["id", "type"]);
}
