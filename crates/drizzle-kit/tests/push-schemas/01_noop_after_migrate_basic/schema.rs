//! Rust equivalent of migrations-fixtures/push/01_noop_after_migrate_basic/schema.ts.

use chrono::NaiveDateTime;
use drizzle::Table;
use uuid::Uuid;

#[derive(Table)]
#[drizzle(name = "users")]
#[drizzle(index(name = "users_name_idx", on(name)))]
pub struct Users {
    #[drizzle(primary_key, serial)]
    pub id: i32,
    #[drizzle(varchar(255), unique)]
    pub email: String,
    pub name: Option<String>,
    pub active: bool,
    pub created_at: Option<NaiveDateTime>,
    pub r#ref: Option<Uuid>,
}

#[derive(Table)]
#[drizzle(name = "posts")]
#[drizzle(index(name = "posts_slug_uidx", on(slug), unique))]
#[drizzle(unique(name = "posts_author_title_uq", columns(author_id, title)))]
pub struct Posts {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(references(Users::id, on_delete = cascade))]
    pub author_id: i32,
    pub title: String,
    pub slug: Option<String>,
}
