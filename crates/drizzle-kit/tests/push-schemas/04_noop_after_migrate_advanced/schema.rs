//! Rust equivalent of migrations-fixtures/push/04_noop_after_migrate_advanced/schema.ts.

use drizzle::{Sequence, Table, View};

#[derive(Sequence)]
#[drizzle(name = "oracle_push_seq", start = 100, increment = 5, cache = 10)]
pub struct OraclePushSeq;

#[derive(Table)]
#[drizzle(name = "docs")]
#[drizzle(index(name = "docs_lower_title_uidx", on(sql(r#"lower("title")"#)), unique))]
#[drizzle(index(name = "docs_body_gin", using = "gin", on(body(opclass = "jsonb_path_ops"))))]
#[drizzle(index(name = "docs_published_partial", on(id), where = r#""docs"."published" = true"#))]
#[drizzle(index(name = "docs_title_desc", on(title(desc, nulls_last))))]
#[drizzle(policy(name = "docs_read", command = select, to = ["public"], using = r#""docs"."published" = true"#))]
pub struct Docs {
    #[drizzle(primary_key, identity(always, start = 10))]
    pub id: i32,
    #[drizzle(identity(by_default))]
    pub ext: i32,
    pub title: String,
    pub body: Option<serde_json::Value>,
    #[drizzle(default = false)]
    pub published: Option<bool>,
    #[drizzle(generated = r#"upper("title")"#)]
    pub upper_title: Option<String>,
}

#[derive(View)]
#[drizzle(
    name = "published_docs",
    definition = r#"select "id", "ext", "title", "body", "published", "upper_title" from "docs" where "docs"."published" = true"#
)]
pub struct PublishedDocs;

#[derive(View)]
#[drizzle(
    name = "doc_count",
    materialized,
    definition = r#"select count(*)::int as n from "docs""#
)]
pub struct DocCount {
    pub n: Option<i32>,
}
