//! The rename questions `generate` and `push` share: refused with every answer named when
//! there is no terminal, asked and answered on a pseudo-terminal otherwise.

use std::path::Path;
use std::process::Command;

use drizzle_testkit::fresh_database;

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");

/// Down arrow, then Enter: the second option of a select. (The pseudo-terminal reader
/// decodes bytes one by one, so patterns avoid the non-ASCII `›`.)
const SECOND: &str = "\x1b[B\r";

const USERS: &str = r#"use drizzle::Table;

#[derive(Table)]
pub struct User {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
}
"#;

const ACCOUNTS: &str = r#"use drizzle::Table;

#[derive(Table)]
pub struct Account {
    #[drizzle(primary_key)]
    pub id: i32,
    pub full_name: String,
}
"#;

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).expect("write");
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("DATABASE_URL");
    cmd
}

/// A project with one `generate`d migration of `USERS`, and `ACCOUNTS` as the schema now.
fn renamed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "schema.rs", USERS);
    write(dir.path(), "drizzle.toml", "schema = \"schema.rs\"\n");
    let out = command(dir.path(), &["generate", "--name", "one"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    write(dir.path(), "schema.rs", ACCOUNTS);
    dir
}

#[test]
fn without_a_terminal_generate_names_every_answer() {
    let dir = renamed_project();
    let out = command(dir.path(), &["generate", "--name", "two"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stderr).unwrap());
}

/// Spawns `args` on a pseudo-terminal.
fn spawn(dir: &Path, args: &[&str]) -> rexpect::session::PtySession {
    rexpect::session::spawn_with_options(
        command(dir, args),
        rexpect::reader::Options {
            timeout_ms: Some(30_000),
            strip_ansi_escape_codes: true,
        },
    )
    .expect("spawn on a pseudo-terminal")
}

#[test]
fn on_a_terminal_generate_asks_and_records_the_rename() {
    let dir = renamed_project();
    let mut session = spawn(dir.path(), &["generate", "--name", "two"]);
    session
        .exp_string("Is account table created or renamed from another table?")
        .expect("table question");
    session
        .exp_regex(r"~ user \S+ account rename table")
        .expect("options");
    session.send(SECOND).expect("answer");
    session.flush().expect("flush");
    session
        .exp_regex(r"~ user \S+ account table will be renamed")
        .expect("logged");
    // The rename reveals the columns: `full_name` is new, `name` disappears.
    session
        .exp_string("Is full_name column in account table created or renamed from another column?")
        .expect("column question");
    session.send(SECOND).expect("answer");
    session.flush().expect("flush");
    session
        .exp_regex(r"~ name \S+ full_name column will be renamed")
        .expect("logged");
    session.exp_eof().expect("exits");

    let sql = std::fs::read_to_string(dir.path().join("drizzle/0001_two.sql")).expect("sql");
    insta::assert_snapshot!(sql);
    let snapshot: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("drizzle/meta/0001_snapshot.json")).unwrap(),
    )
    .unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&snapshot["_meta"]).unwrap());
}

const PEOPLE_SETUP: &str = "
CREATE TABLE people (id integer PRIMARY KEY, fullname text, age integer);
INSERT INTO people VALUES (1, 'Ada', 36), (2, 'Alan', 41);
CREATE TABLE old_things (id integer PRIMARY KEY);
INSERT INTO old_things VALUES (1);
";

fn people_project(url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let schema = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/push-schemas/14_rename_column_push/schema.rs"),
    )
    .expect("schema");
    write(dir.path(), "schema.rs", &schema);
    write(
        dir.path(),
        "drizzle.toml",
        &format!("schema = \"schema.rs\"\n[db_credentials]\nurl = \"{url}\"\n"),
    );
    dir
}

#[test]
fn without_a_terminal_push_names_every_answer() {
    let db = fresh_database();
    db.execute_script(PEOPLE_SETUP).expect("setup");
    let dir = people_project(db.url());
    let out = command(dir.path(), &["push"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stable: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("[✓]")).collect();
    insta::assert_snapshot!(stable.join("\n"));
}

#[test]
fn on_a_terminal_push_asks_renames_then_confirms_the_risk() {
    let db = fresh_database();
    db.execute_script(PEOPLE_SETUP).expect("setup");
    let dir = people_project(db.url());
    let mut session = spawn(dir.path(), &["push"]);
    session
        .exp_string("Is things table created or renamed from another table?")
        .expect("table question");
    session.send(SECOND).expect("answer");
    session.flush().expect("flush");
    session
        .exp_string(
            "Is display_name column in people table created or renamed from another column?",
        )
        .expect("column question");
    session
        .exp_regex(r"~ age \S+ display_name rename column")
        .expect("options");
    session.send(SECOND).expect("answer");
    session.flush().expect("flush");
    session
        .exp_string("drop column \"age\" from \"public.people\": deletes 2 non-NULL values")
        .expect("risk report");
    session
        .exp_string("Do you still want to push changes?")
        .expect("confirmation");
    session.send(SECOND).expect("answer");
    session.flush().expect("flush");
    session.exp_string("Changes applied").expect("applied");
    session.exp_eof().expect("exits");

    let mut client = db.client();
    let people: Vec<(i32, Option<String>)> = client
        .query("SELECT * FROM people ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        people,
        [(1, Some("Ada".to_owned())), (2, Some("Alan".to_owned()))]
    );
    let things: i64 = client
        .query_one("SELECT count(*) FROM things", &[])
        .unwrap()
        .get(0);
    assert_eq!(things, 1);
}
