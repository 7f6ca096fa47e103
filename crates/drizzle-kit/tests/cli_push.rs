//! `drizzle-kit push` against a real PostgreSQL: the no-false-diffs round trip for every
//! conformance case, the example and the push corpus; the risk report with real rows for
//! each kind of risk; the all-or-nothing transaction; and the non-terminal refusals.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use drizzle_testkit::{TestDatabase, exclusive_roles, fresh_database};

use drizzle_testkit::fixtures::{case_name as name_of, root as fixtures, subdirs as case_dirs};

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");
const BREAKPOINT: &str = "--> statement-breakpoint";

fn push_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/push-schemas")
}

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
    /// A project with `schema.rs` and a config for `url`; `extra` is appended to the config.
    fn new(schema: &str, url: &str, extra: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("schema.rs"), schema).expect("write schema");
        std::fs::write(
            dir.path().join("drizzle.toml"),
            format!("schema = \"schema.rs\"\n{extra}\n[db_credentials]\nurl = \"{url}\"\n"),
        )
        .expect("write config");
        Project { dir }
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(BIN)
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

    #[track_caller]
    fn ok(self) -> Run {
        assert_eq!(self.code, 0, "{}", self.says());
        self
    }

    /// The stderr with the lines that vary between runs (timings) removed.
    fn stable_stderr(&self) -> String {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("timings:"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Statements of a migration file (or `export` output).
fn statements(sql: &str) -> Vec<String> {
    sql.split(BREAKPOINT)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Applies `sql` statement by statement and returns the failures.
fn apply(db: &TestDatabase, sql: &[String]) -> Vec<String> {
    db.execute_statements(sql)
        .into_iter()
        .map(|(i, error)| format!("statement {}: {error}", i + 1))
        .collect()
}

/// The config lines that make push manage what `schema` declares (its schemas and
/// roles), and the roles.
fn scope_config(project: &Project) -> (String, Vec<String>) {
    let run = project.run(&["export", "--json"]).ok();
    let snapshot: serde_json::Value = serde_json::from_str(&run.stdout).expect("snapshot json");
    let mut schemas: BTreeSet<String> = ["public".to_owned()].into();
    for kind in ["tables", "enums", "sequences", "views"] {
        if let Some(map) = snapshot[kind].as_object() {
            for item in map.values() {
                match item["schema"].as_str() {
                    Some("") | None => {}
                    Some(s) => {
                        schemas.insert(s.to_owned());
                    }
                }
            }
        }
    }
    if let Some(map) = snapshot["schemas"].as_object() {
        schemas.extend(map.keys().cloned());
    }
    let quoted = |items: &mut dyn Iterator<Item = String>| {
        items
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut config = format!("schema_filter = [{}]\n", quoted(&mut schemas.into_iter()));
    let roles: Vec<String> = snapshot["roles"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if !roles.is_empty() {
        config.push_str(&format!(
            "[entities]\nroles = {{ include = [{}] }}\n",
            quoted(&mut roles.iter().cloned())
        ));
    }
    (config, roles)
}

/// Migrates an empty database to `schema` with our own migration (`generate`), then
/// pushes the same schema: anything but "No changes detected" is a false diff.
fn round_trip(schema: &str) -> Result<(), String> {
    // `export` reads no database.
    let probe = Project::new(schema, "postgres://unused/db", "");
    let (config, roles) = scope_config(&probe);
    // Roles are cluster-wide: taken from every other test using them, and dropped afterwards.
    let _roles = (!roles.is_empty()).then(|| exclusive_roles(&roles));
    let db = fresh_database();
    let project = Project::new(schema, db.url(), &config);
    project.run(&["generate", "--name", "init"]).ok();
    let sql = std::fs::read_to_string(project.dir.path().join("drizzle/0000_init.sql"))
        .expect("the migration");
    let failures = apply(&db, &statements(&sql));
    if !failures.is_empty() {
        return Err(format!("our SQL failed: {}", failures.join("; ")));
    }
    let run = project.run(&["push", "--verbose"]);
    if run.code != 0 || !run.stderr.contains("No changes detected") {
        return Err(run.says());
    }
    Ok(())
}

/// Cases whose schema our SQL cannot create on the test server, with the reason.
const CANNOT_CREATE: &[(&str, &str)] = &[(
    "07_types_extensions_custom",
    "needs PostGIS and pgvector, which the test server does not have",
)];

#[test]
fn every_conformance_case_pushes_no_changes_after_migrating() {
    let mut report = Vec::new();
    let mut used = BTreeSet::new();
    for dir in case_dirs(&fixtures().join("cases")) {
        let case = name_of(&dir);
        let schema = std::fs::read_to_string(dir.join("schema_v2.rs")).expect("schema_v2.rs");
        if let Err(e) = round_trip(&schema) {
            match CANNOT_CREATE.iter().find(|(c, _)| *c == case) {
                Some(_) if e.starts_with("our SQL failed") => {
                    used.insert(case);
                }
                _ => report.push(format!("== {case}\n{e}")),
            }
        }
    }
    for (case, _) in CANNOT_CREATE {
        if !used.contains(*case) {
            report.push(format!("stale exception {case}"));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_example_pushes_no_changes_after_migrating() {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/saas/src/schema.rs");
    let schema = std::fs::read_to_string(schema).expect("example schema");
    if let Err(e) = round_trip(&schema) {
        panic!("{e}");
    }
}

/// A push corpus case: its folder in the fixtures and its Rust schema.
struct Corpus {
    dir: PathBuf,
    schema: String,
}

fn corpus(case: &str) -> Corpus {
    let schema = std::fs::read_to_string(push_schemas().join(case).join("schema.rs"))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    Corpus {
        dir: fixtures().join("push").join(case),
        schema,
    }
}

/// A database prepared like the corpus case: drizzle-kit's migrations (when the case has
/// them), then `setup.sql`.
fn prepared(case: &Corpus) -> TestDatabase {
    let db = fresh_database();
    let mut files: Vec<PathBuf> = std::fs::read_dir(case.dir.join("out"))
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "sql"));
    files.sort();
    for file in files {
        let failures = apply(&db, &statements(&std::fs::read_to_string(&file).unwrap()));
        assert!(failures.is_empty(), "{}: {failures:?}", file.display());
    }
    let setup = std::fs::read_to_string(case.dir.join("setup.sql")).expect("setup.sql");
    db.execute_script(&setup).expect("setup.sql runs");
    db
}

/// Every row of `query`, as text, for comparing data before and after.
fn rows(db: &TestDatabase, query: &str) -> String {
    let mut client = db.client();
    let mut out = String::new();
    for message in client.simple_query(query).expect("query") {
        if let postgres::SimpleQueryMessage::Row(row) = message {
            let values: Vec<&str> = (0..row.len())
                .map(|i| row.get(i).unwrap_or("NULL"))
                .collect();
            out.push_str(&values.join("|"));
            out.push('\n');
        }
    }
    out
}

#[test]
fn the_push_corpus_has_no_false_diffs() {
    let mut report = Vec::new();
    for case in [
        "01_noop_after_migrate_basic",
        "02_noop_after_migrate_defaults",
        "04_noop_after_migrate_advanced",
        "05_noop_handwritten_sql",
    ] {
        let c = corpus(case);
        let db = prepared(&c);
        let project = Project::new(&c.schema, db.url(), "");
        let run = project.run(&["push", "--verbose"]);
        if run.code != 0 || !run.stderr.contains("No changes detected") {
            report.push(format!("== {case}\n{}", run.says()));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The report a risky push prints without a terminal, where it refuses (exit 1) and
/// changes nothing.
fn refused_report(case: &str) -> (TestDatabase, Project, String) {
    let c = corpus(case);
    let db = prepared(&c);
    let project = Project::new(&c.schema, db.url(), "");
    let before = db.pg_dump_schema();
    let run = project.run(&["push"]);
    assert_eq!(run.code, 1, "{}", run.says());
    assert_eq!(
        db.pg_dump_schema(),
        before,
        "a refused push changes nothing"
    );
    (db, project, run.stable_stderr())
}

#[test]
fn dropped_columns_report_their_values_and_keep_the_rows() {
    let (db, project, report) = refused_report("07_drop_column_with_rows");
    insta::assert_snapshot!(report);
    project.run(&["push", "--force"]).ok();
    assert_eq!(
        rows(&db, "SELECT * FROM users ORDER BY id"),
        "1|a\n2|b\n3|c\n"
    );
}

#[test]
fn dropped_tables_report_their_rows() {
    let (db, project, report) = refused_report("10_drop_table_with_rows");
    insta::assert_snapshot!(report);
    project.run(&["push", "--force"]).ok();
    assert_eq!(
        rows(
            &db,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        ),
        "keep_me\n"
    );
}

#[test]
fn a_not_null_column_without_default_on_rows_fails_and_changes_nothing() {
    let (db, project, report) = refused_report("08_add_not_null_column_nonempty");
    insta::assert_snapshot!(report);
    let before = db.pg_dump_schema();
    let data = rows(&db, "SELECT * FROM accounts ORDER BY id");
    let run = project.run(&["push", "--force"]);
    assert_eq!(run.code, 1, "{}", run.says());
    assert!(
        run.stderr.contains("the database is unchanged"),
        "{}",
        run.says()
    );
    assert_eq!(db.pg_dump_schema(), before);
    assert_eq!(rows(&db, "SELECT * FROM accounts ORDER BY id"), data);
}

#[test]
fn a_push_failing_midway_leaves_the_database_exactly_as_before() {
    let (db, project, report) = refused_report("13_type_change_with_rows");
    insta::assert_snapshot!(report);
    let before = db.pg_dump_schema();
    let data = rows(&db, "SELECT * FROM metrics ORDER BY id");
    // `counter` converts first; `label` then fails on 'defghij'.
    let run = project.run(&["push", "--force", "--verbose"]);
    assert_eq!(run.code, 1, "{}", run.says());
    let counter = run
        .stderr
        .find("\"counter\" SET DATA TYPE bigint")
        .expect("counter first");
    let label = run
        .stderr
        .find("\"label\" SET DATA TYPE varchar(5)")
        .expect("then label");
    assert!(counter < label, "{}", run.says());
    assert!(run.stderr.contains("value too long"), "{}", run.says());
    assert_eq!(db.pg_dump_schema(), before);
    assert_eq!(rows(&db, "SELECT * FROM metrics ORDER BY id"), data);
}

#[test]
fn removing_an_unused_enum_value_is_not_a_risk() {
    let c = corpus("11_enum_value_removal_with_rows");
    let db = prepared(&c);
    let project = Project::new(&c.schema, db.url(), "");
    let run = project.run(&["push"]).ok();
    assert!(
        run.stderr.contains("no row holds a removed value"),
        "{}",
        run.says()
    );
    assert_eq!(
        rows(&db, "SELECT id, status FROM articles ORDER BY id"),
        "1|draft\n2|published\n3|draft\n"
    );
    assert_eq!(
        rows(&db, "SELECT unnest(enum_range(NULL::status))::text"),
        "draft\npublished\n"
    );
    project.run(&["push"]).ok();
}

const RISKS_SETUP: &str = "
CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad');
CREATE TABLE parents (id integer PRIMARY KEY);
INSERT INTO parents VALUES (1);
CREATE TABLE items (id integer PRIMARY KEY, email text, code text, qty integer, parent_id integer, feeling mood, tag text);
INSERT INTO items VALUES
  (1, 'a@x', 'A', 5, 1, 'happy', 'x'),
  (2, NULL, 'A', -1, 2, 'meh', 'x'),
  (3, 'c@x', 'B', 3, 3, 'meh', 'y');
";

const RISKS_SCHEMA: &str = r##"
use drizzle::{PgEnum, Table};

#[derive(PgEnum)]
#[drizzle(name = "mood")]
pub enum Mood {
    Happy,
    Sad,
}

#[derive(Table)]
#[drizzle(name = "parents")]
pub struct Parents {
    #[drizzle(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[drizzle(name = "items")]
#[drizzle(unique(name = "items_code_key", columns(code)))]
#[drizzle(index(name = "items_tag_uidx", on(tag), unique))]
#[drizzle(check(name = "items_qty_check", sql = r#""items"."qty" >= 0"#))]
pub struct Items {
    #[drizzle(primary_key)]
    pub id: i32,
    pub email: String,
    pub code: Option<String>,
    pub qty: Option<i32>,
    #[drizzle(references(Parents::id, name = "items_parent_fk"))]
    pub parent_id: Option<i32>,
    pub feeling: Option<Mood>,
    pub tag: Option<String>,
}
"##;

#[test]
fn every_kind_of_risk_is_counted_on_the_rows() {
    let db = fresh_database();
    db.execute_script(RISKS_SETUP).expect("setup");
    let project = Project::new(RISKS_SCHEMA, db.url(), "");
    let before = db.pg_dump_schema();
    let run = project.run(&["push"]);
    assert_eq!(run.code, 1, "{}", run.says());
    insta::assert_snapshot!(run.stable_stderr());
    let forced = project.run(&["push", "--force"]);
    assert_eq!(forced.code, 1, "{}", forced.says());
    assert_eq!(db.pg_dump_schema(), before);

    // Once the rows fit, nothing is at risk and the push goes through without --force.
    db.execute_script(
        "UPDATE items SET email = 'b@x', code = id::text, qty = 1, parent_id = 1, feeling = 'sad', tag = id::text;",
    )
    .expect("fix rows");
    let run = project.run(&["push"]).ok();
    insta::assert_snapshot!("every_kind_of_risk_once_the_rows_fit", run.stable_stderr());
    let again = project.run(&["push"]).ok();
    assert!(
        again.stderr.contains("No changes detected"),
        "{}",
        again.says()
    );
}

#[test]
fn dry_run_prints_the_sql_and_changes_nothing() {
    let c = corpus("10_drop_table_with_rows");
    let db = prepared(&c);
    let project = Project::new(&c.schema, db.url(), "");
    let before = db.pg_dump_schema();
    let run = project.run(&["push", "--dry-run"]).ok();
    insta::assert_snapshot!(run.stdout);
    assert_eq!(db.pg_dump_schema(), before);

    let noop = Project::new(
        "use drizzle::Table;\n\n#[derive(Table)]\npub struct KeepMe {\n    #[drizzle(primary_key)]\n    pub id: i32,\n}\n#[derive(Table)]\npub struct AuditLog {\n    #[drizzle(primary_key)]\n    pub id: i32,\n    pub msg: Option<String>,\n}\n#[derive(Table)]\npub struct EmptyGone {\n    #[drizzle(primary_key)]\n    pub id: i32,\n}\n",
        db.url(),
        "",
    );
    let run = noop.run(&["push", "--dry-run"]).ok();
    assert_eq!(run.stdout, "", "nothing at all on stdout without changes");
    assert!(run.stderr.contains("No changes detected"), "{}", run.says());
}

#[test]
fn strict_needs_a_terminal_or_force() {
    let db = fresh_database();
    let project = Project::new(
        "use drizzle::Table;\n\n#[derive(Table)]\npub struct T {\n    #[drizzle(primary_key)]\n    pub id: i32,\n}\n",
        db.url(),
        "strict = true\n",
    );
    let run = project.run(&["push"]);
    assert_eq!(run.code, 1, "{}", run.says());
    assert!(run.stderr.contains("needs a terminal"), "{}", run.says());
    project.run(&["push", "--force"]).ok();
    let run = project.run(&["push"]).ok();
    assert!(run.stderr.contains("No changes detected"), "{}", run.says());
}

#[test]
fn renames_are_decided_by_flags_and_keep_the_data() {
    let c = corpus("14_rename_column_push");
    let db = prepared(&c);
    let project = Project::new(&c.schema, db.url(), "");
    let run = project.run(&["push"]);
    assert_eq!(run.code, 1, "{}", run.says());
    assert!(
        run.stderr.contains("--rename table:old_things=things"),
        "{}",
        run.says()
    );
    project
        .run(&[
            "push",
            "--force",
            "--rename",
            "table:old_things=things",
            "--rename",
            "column:people.fullname=display_name",
        ])
        .ok();
    assert_eq!(
        rows(&db, "SELECT * FROM people ORDER BY id"),
        "1|Ada\n2|Alan\n"
    );
    assert_eq!(rows(&db, "SELECT * FROM things"), "1\n");
    let run = project.run(&["push"]).ok();
    assert!(run.stderr.contains("No changes detected"), "{}", run.says());
}

#[test]
fn schemas_outside_the_filter_are_neither_read_nor_written() {
    let db = fresh_database();
    db.execute_script("CREATE SCHEMA other; CREATE TABLE other.kept (id integer PRIMARY KEY); CREATE TABLE public.tmp_x (id integer);")
        .expect("setup");
    let project = Project::new(
        "use drizzle::Table;\n\n#[derive(Table)]\n#[drizzle(schema = \"elsewhere\")]\npub struct Away {\n    #[drizzle(primary_key)]\n    pub id: i32,\n}\n#[derive(Table)]\npub struct Here {\n    #[drizzle(primary_key)]\n    pub id: i32,\n}\n",
        db.url(),
        "tables_filter = [\"*\", \"!tmp_*\"]\n",
    );
    let run = project.run(&["push"]).ok();
    assert!(
        run.stderr
            .contains("not pushed, outside `schema_filter`/`tables_filter`: table elsewhere.away"),
        "{}",
        run.says()
    );
    assert_eq!(
        rows(
            &db,
            "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('public', 'other', 'elsewhere') ORDER BY 1"
        ),
        "other.kept\npublic.here\npublic.tmp_x\n"
    );
}

#[test]
fn help_lists_every_flag() {
    let project = Project::new("", "postgres://unused/db", "");
    let run = project.run(&["push", "--help"]).ok();
    insta::assert_snapshot!(run.stdout);
}
