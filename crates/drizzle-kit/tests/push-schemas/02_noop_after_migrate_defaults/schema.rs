//! Rust equivalent of migrations-fixtures/push/02_noop_after_migrate_defaults/schema.ts.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use drizzle::{PgEnum, Table};
use ipnetwork::IpNetwork;
use rust_decimal::Decimal;
use sqlx::postgres::types::PgInterval;
use uuid::Uuid;

#[derive(PgEnum)]
#[drizzle(name = "status")]
pub enum Status {
    Active,
    Inactive,
}

#[derive(Table)]
#[drizzle(name = "defaults")]
pub struct Defaults {
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(default = "it's")]
    pub str_quote: Option<String>,
    #[drizzle(default = "plain")]
    pub str_plain: Option<String>,
    #[drizzle(varchar(10), default = "abc")]
    pub vc: Option<String>,
    #[drizzle(char(2), default = "XY")]
    pub ch: Option<String>,
    #[drizzle(default = 42)]
    pub int42: Option<i32>,
    #[drizzle(default = -1)]
    pub int_neg: Option<i32>,
    #[drizzle(default = 100)]
    pub big_num: Option<i64>,
    #[drizzle(numeric(10, 2), default = "10.50")]
    pub num: Option<Decimal>,
    #[drizzle(default = "7")]
    pub num_plain: Option<Decimal>,
    #[drizzle(default = 1.5)]
    pub r: Option<f32>,
    #[drizzle(default = 3.14159)]
    pub dp: Option<f64>,
    #[drizzle(default = true)]
    pub b_true: Option<bool>,
    #[drizzle(default_now)]
    pub created_now: Option<NaiveDateTime>,
    #[drizzle(timestamptz(precision = 3), default_sql = "now()")]
    pub created_tz: Option<DateTime<Utc>>,
    #[drizzle(default_sql = "CURRENT_TIMESTAMP")]
    pub created_current: Option<NaiveDateTime>,
    #[drizzle(default = "2024-01-02 03:04:05")]
    pub ts_literal: Option<NaiveDateTime>,
    #[drizzle(default = "2024-01-01")]
    pub d_literal: Option<NaiveDate>,
    #[drizzle(default = "12:00:00")]
    pub t_literal: Option<NaiveTime>,
    #[drizzle(default = "1 day")]
    pub iv: Option<PgInterval>,
    #[drizzle(default_random)]
    pub u1: Option<Uuid>,
    #[drizzle(json, default_sql = r#"'{"a":1}'::json"#)]
    pub j: Option<serde_json::Value>,
    #[drizzle(default_sql = r#"'{"tags":["a","b"]}'::jsonb"#)]
    pub jb: Option<serde_json::Value>,
    #[drizzle(default_sql = "'{}'::jsonb")]
    pub jb_empty: Option<serde_json::Value>,
    #[drizzle(default_sql = "'{1,2,3}'")]
    pub int_arr: Option<Vec<i32>>,
    #[drizzle(default_sql = r#"'{"a","b"}'"#)]
    pub text_arr: Option<Vec<String>>,
    #[drizzle(default_sql = "'{}'::text[]")]
    pub empty_arr: Option<Vec<String>>,
    #[drizzle(default = Status::Active)]
    pub st: Option<Status>,
    #[drizzle(default = "127.0.0.1")]
    pub ip: Option<IpNetwork>,
    #[drizzle(default_sql = "(1 + 2)")]
    pub sql_expr: Option<i32>,
}
