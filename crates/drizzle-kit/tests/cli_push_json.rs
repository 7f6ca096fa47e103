//! `drizzle-kit push --json` against a real PostgreSQL: one document on stdout for every
//! outcome (applied, no changes, dry run, rejected risky push, failure), stdout holding
//! nothing else, and never a prompt.

use std::process::Command;

use drizzle_testkit::{TestDatabase, fresh_database};

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");

const USERS: &str = r#"
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
}
"#;

const USERS_WITH_EMAIL: &str = r#"
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
    pub email: Option<String>,
}
"#;

/// `name` dropped: a loss once the table has rows.
const USERS_WITHOUT_NAME: &str = r#"
use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "users")]
pub struct Users {
    #[drizzle(primary_key)]
    pub id: i32,
}
"#;

/// A temporary project whose `drizzle.toml` points at one database.
struct Project {
    dir: tempfile::TempDir,
}

/// What a run printed and returned.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Project {
    fn new(db: &TestDatabase, schema: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("drizzle.toml"),
            format!(
                "schema = \"schema.rs\"\n[db_credentials]\nurl = \"{}\"\n",
                db.url()
            ),
        )
        .expect("write config");
        let project = Project { dir };
        project.schema(schema);
        project
    }

    fn schema(&self, schema: &str) {
        std::fs::write(self.dir.path().join("schema.rs"), schema).expect("write schema");
    }

    fn push(&self, args: &[&str]) -> Run {
        let out = Command::new(BIN)
            .arg("push")
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .output()
            .expect("run drizzle-kit");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }
}

impl Run {
    fn says(&self) -> String {
        format!(
            "exit {}\nstderr:\n{}\nstdout:\n{}",
            self.code, self.stderr, self.stdout
        )
    }

    /// The document, checking that stdout holds exactly one JSON value and that the
    /// timings are there; they vary between runs, so the snapshot shows their keys only.
    #[track_caller]
    fn document(&self, code: i32) -> String {
        assert_eq!(self.code, code, "{}", self.says());
        let mut value: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is one JSON document ({e})\n{}", self.says()));
        let timings = value["timings"]
            .as_object_mut()
            .unwrap_or_else(|| panic!("timings object\n{}", self.says()));
        for ms in timings.values_mut() {
            assert!(ms.is_number(), "{}", self.says());
            *ms = serde_json::Value::String("[redacted]".into());
        }
        serde_json::to_string_pretty(&value).unwrap()
    }
}

#[test]
fn applied_then_no_changes() {
    let db = fresh_database();
    let project = Project::new(&db, USERS);
    let applied = project.push(&["--json"]);
    insta::assert_snapshot!("applied", applied.document(0));
    assert!(
        applied.stderr.contains("[✓] Changes applied"),
        "{}",
        applied.says()
    );
    assert!(
        db.pg_dump_schema().contains("CREATE TABLE public.users"),
        "the table exists"
    );

    let nothing = project.push(&["--json"]);
    insta::assert_snapshot!("no_changes", nothing.document(0));
}

#[test]
fn dry_run_lists_the_statements_and_changes_nothing() {
    let db = fresh_database();
    let project = Project::new(&db, USERS);
    project.push(&["--json"]).document(0);
    project.schema(USERS_WITH_EMAIL);
    let before = db.pg_dump_schema();
    let run = project.push(&["--json", "--dry-run"]);
    insta::assert_snapshot!("dry_run", run.document(0));
    assert_eq!(db.pg_dump_schema(), before, "a dry run changes nothing");
}

#[test]
fn a_risky_push_without_force_is_rejected_without_asking() {
    let db = fresh_database();
    let project = Project::new(&db, USERS);
    project.push(&["--json"]).document(0);
    db.execute_script("INSERT INTO users VALUES (1, 'a'), (2, 'b');")
        .expect("rows");
    project.schema(USERS_WITHOUT_NAME);
    let before = db.pg_dump_schema();
    // stdin stays whatever the harness gives; `--json` alone must rule out the prompt.
    let rejected = project.push(&["--json"]);
    insta::assert_snapshot!("rejected", rejected.document(1));
    assert_eq!(
        db.pg_dump_schema(),
        before,
        "a rejected push changes nothing"
    );

    let forced = project.push(&["--json", "--force"]);
    let doc: serde_json::Value = serde_json::from_str(&forced.document(0)).unwrap();
    assert_eq!(doc["status"], "applied", "{}", forced.says());
    assert_eq!(doc["risks"][0]["blocking"], true, "{}", forced.says());
}

#[test]
fn an_error_is_a_document_too() {
    let db = fresh_database();
    let project = Project::new(&db, "this is not rust {");
    let run = project.push(&["--json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.document(1)).unwrap();
    assert_eq!(doc["status"], "failed", "{}", run.says());
    assert_eq!(doc["statements"], serde_json::json!([]));
    let errors = doc["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{}", run.says());
    assert!(errors[0]["message"].is_string(), "{}", run.says());
}

#[test]
fn renames_decided_by_flag_are_listed() {
    let db = fresh_database();
    let project = Project::new(&db, USERS);
    project.push(&["--json"]).document(0);
    project.schema(&USERS.replace("pub name", "pub full_name"));
    let run = project.push(&["--json", "--rename", "column:users.name=full_name"]);
    let doc: serde_json::Value = serde_json::from_str(&run.document(0)).unwrap();
    insta::assert_snapshot!(
        "renamed",
        serde_json::to_string_pretty(&doc["renames"]).unwrap()
    );
    assert_eq!(doc["status"], "applied", "{}", run.says());
}
