//! Rows survive: a table with data goes through type changes, enum value removal and
//! renames, NOT NULL changes and renames; rows that cannot fit the new schema make the
//! migration fail as a whole (one transaction, as the migrator runs it), leaving the
//! database exactly as it was.

use drizzle_diff::Renames;
use drizzle_schema::Schema;
use drizzle_syntax::{ParseOptions, SourceFile, parse_sources};
use drizzle_testkit::TestDatabase;

use crate::dumps::{creation, database_with};

const V1: &str = r#"
#[derive(PgEnum)]
pub enum Mood { Sad, Ok, Happy }

#[derive(Table)]
#[drizzle(name = "people")]
pub struct People {
    #[drizzle(primary_key)]
    pub id: i32,
    pub age: Option<String>,
    pub score: Option<i32>,
    pub tags: Option<i32>,
    #[drizzle(default = Mood::Ok)]
    pub mood: Option<Mood>,
    pub nick: Option<String>,
    pub full_name: Option<String>,
}
"#;

const V2: &str = r#"
#[derive(PgEnum)]
pub enum Mood {
    Sad,
    #[drizzle(renamed_from = "ok")]
    Fine,
}

#[derive(Table)]
#[drizzle(name = "persons", renamed_from = "people")]
pub struct People {
    #[drizzle(primary_key)]
    pub id: i32,
    pub age: Option<i32>,
    pub score: Option<i64>,
    pub tags: Option<Vec<i32>>,
    #[drizzle(default = Mood::Fine)]
    pub mood: Option<Mood>,
    pub nick: String,
    #[drizzle(renamed_from = "full_name")]
    pub display_name: Option<String>,
}
"#;

fn schema(text: &str) -> Schema {
    let file = SourceFile {
        path: "schema.rs".into(),
        text: text.to_owned(),
    };
    parse_sources(&[file], &ParseOptions::default()).expect("valid schema")
}

fn migration() -> String {
    let changes = drizzle_diff::diff(&schema(V1), &schema(V2), &Renames::new()).unwrap();
    drizzle_sql::join_statements(&drizzle_sql::render(&changes), true)
}

fn v1_with(rows: &str) -> TestDatabase {
    let db = database_with(&[&creation(&schema(V1))]).expect("v1");
    db.execute_script(rows).expect("rows");
    db
}

const GOOD_ROWS: &str = "INSERT INTO people VALUES \
    (1, '42', 7, 3, 'sad', 'a', 'Ada'), \
    (2, NULL, NULL, NULL, 'ok', 'b', NULL), \
    (3, ' 5', 2147483647, -1, DEFAULT, 'c', 'Grace')";

#[test]
fn the_migration_is_what_the_data_needs() {
    insta::assert_snapshot!(migration());
}

#[test]
fn rows_survive_every_change() {
    let db = v1_with(GOOD_ROWS);
    db.execute_script(&migration()).expect("migration");
    let rows = db
        .client()
        .query(
            "SELECT id, age, score, tags, mood::text, nick, display_name FROM persons ORDER BY id",
            &[],
        )
        .unwrap();
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?} {:?} {:?} {} {:?}",
                r.get::<_, i32>(0),
                r.get::<_, Option<i32>>(1),
                r.get::<_, Option<i64>>(2),
                r.get::<_, Option<Vec<i32>>>(3),
                r.get::<_, Option<String>>(4),
                r.get::<_, String>(5),
                r.get::<_, Option<String>>(6),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "1 Some(42) Some(7) Some([3]) Some(\"sad\") a Some(\"Ada\")",
            "2 None None None Some(\"fine\") b None",
            "3 Some(5) Some(2147483647) Some([-1]) Some(\"fine\") c Some(\"Grace\")",
        ]
    );
    // The default follows the renamed value.
    db.execute_script("INSERT INTO persons (id, nick) VALUES (4, 'd')")
        .unwrap();
    let mood: String = db
        .client()
        .query_one("SELECT mood::text FROM persons WHERE id = 4", &[])
        .unwrap()
        .get(0);
    assert_eq!(mood, "fine");
}

/// Rows that cannot fit make the whole migration fail, and the database is untouched.
fn refused(rows: &str, expected_error: &str) {
    let db = v1_with(rows);
    let before = db.pg_dump_schema();
    let error = db.execute_script(&migration()).unwrap_err();
    assert!(error.contains(expected_error), "{error}");
    assert_eq!(
        db.pg_dump_schema(),
        before,
        "a failed migration changed the schema"
    );
    let count: i64 = db
        .client()
        .query_one("SELECT count(*) FROM people", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1);
}

#[test]
fn a_value_that_does_not_convert_stops_everything() {
    refused(
        "INSERT INTO people VALUES (1, 'forty-two', 1, 1, 'sad', 'a', NULL)",
        "invalid input syntax for type integer",
    );
}

#[test]
fn a_row_holding_a_removed_enum_value_stops_everything() {
    refused(
        "INSERT INTO people VALUES (1, '1', 1, 1, 'happy', 'a', NULL)",
        "invalid input value for enum",
    );
}

#[test]
fn a_null_in_a_column_becoming_not_null_stops_everything() {
    refused(
        "INSERT INTO people VALUES (1, '1', 1, 1, 'sad', NULL, NULL)",
        "contains null values",
    );
}
