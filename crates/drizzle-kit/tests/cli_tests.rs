//! End-to-end tests of the `drizzle-kit` binary, each in its own temporary project.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");

const USERS: &str = r#"use drizzle::Table;

#[derive(Table)]
pub struct User {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
}
"#;

const USERS_AND_POSTS: &str = r#"use drizzle::Table;

#[derive(Table)]
pub struct User {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
}

#[derive(Table)]
pub struct Post {
    #[drizzle(primary_key)]
    pub id: i32,
    pub title: Option<String>,
}
"#;

struct Project {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Project {
    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> &Project {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run drizzle-kit");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }

    /// Files under `rel`, sorted, as relative paths.
    fn files(&self, rel: &str) -> Vec<String> {
        let root = self.path(rel);
        let mut out: Vec<String> = walk(&root)
            .into_iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .expect("below root")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        out.sort();
        out
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

impl Run {
    #[track_caller]
    fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        self
    }

    #[track_caller]
    fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        self
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

// ---------------------------------------------------------------- help

#[test]
fn help_texts() {
    let p = Project::new();
    for (name, args) in [
        ("help_main", &["--help"][..]),
        ("help_generate", &["generate", "--help"][..]),
        ("help_export", &["export", "--help"][..]),
    ] {
        let run = p.run(args).ok();
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let p = Project::new();
    let run = p.run(&["generate", "--prefix", "sequential"]).code(2);
    assert!(run.stderr.contains("sequential"), "{}", run.stderr);
    p.run(&["frobnicate"]).code(2);
    p.run(&["export", "--sql", "--json"]).code(2);
}

// ---------------------------------------------------------------- generate

#[test]
fn generate_then_nothing_to_do() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("drizzle.toml", "schema = \"schema.rs\"\n");
    let first = p.run(&["generate", "--name", "init"]).ok();
    insta::assert_snapshot!("generate_first_stderr", first.stderr);
    assert!(
        first.stdout.is_empty(),
        "data only on stdout: {}",
        first.stdout
    );
    assert_eq!(
        p.files("drizzle"),
        [
            "0000_init.sql",
            "meta/0000_snapshot.json",
            "meta/_journal.json"
        ]
    );
    insta::assert_snapshot!("generate_first_sql", p.read("drizzle/0000_init.sql"));

    let second = p.run(&["generate", "--name", "again"]).ok();
    assert_eq!(second.stderr, "No schema changes, nothing to migrate\n");
    assert_eq!(
        p.files("drizzle").len(),
        3,
        "nothing written the second time"
    );
}

#[test]
fn generate_continues_the_chain() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("drizzle.toml", "schema = \"schema.rs\"\n");
    p.run(&["generate", "--name", "one"]).ok();
    p.write("schema.rs", USERS_AND_POSTS);
    p.run(&["generate", "--name", "two"]).ok();
    let first = json(&p.read("drizzle/meta/0000_snapshot.json"));
    let second = json(&p.read("drizzle/meta/0001_snapshot.json"));
    assert_eq!(second["prevId"], first["id"]);
    assert_eq!(first["prevId"], "00000000-0000-0000-0000-000000000000");
    let sql = p.read("drizzle/0001_two.sql");
    assert!(sql.contains("CREATE TABLE \"post\""), "{sql}");
    assert!(!sql.contains("\"user\""), "only the new table: {sql}");
    let journal = json(&p.read("drizzle/meta/_journal.json"));
    let tags: Vec<_> = journal["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["tag"].as_str().expect("tag").to_owned())
        .collect();
    assert_eq!(tags, ["0000_one", "0001_two"]);
}

#[test]
fn generate_without_name_picks_a_random_one() {
    let p = Project::new();
    p.write("schema.rs", USERS);
    p.run(&["generate", "--schema", "schema.rs"]).ok();
    let files = p.files("drizzle");
    let sql = files
        .iter()
        .find(|f| f.ends_with(".sql"))
        .expect("a migration");
    assert!(
        sql.starts_with("0000_") && sql.len() > "0000_.sql".len(),
        "{sql}"
    );
}

#[test]
fn generate_prefix_modes() {
    for (prefix, check) in [
        (
            "unix",
            (|name: &str| name.len() == 10 && name.bytes().all(|b| b.is_ascii_digit()))
                as fn(&str) -> bool,
        ),
        ("timestamp", |name| {
            name.len() == 14 && name.bytes().all(|b| b.is_ascii_digit())
        }),
        ("none", str::is_empty),
    ] {
        let p = Project::new();
        p.write("schema.rs", USERS);
        p.run(&[
            "generate",
            "--schema",
            "schema.rs",
            "--name",
            "init",
            "--prefix",
            prefix,
        ])
        .ok();
        let sql: Vec<String> = p
            .files("drizzle")
            .into_iter()
            .filter(|f| f.ends_with("_init.sql"))
            .collect();
        assert_eq!(sql.len(), 1, "{prefix}: {:?}", p.files("drizzle"));
        let stem = sql[0].trim_end_matches("_init.sql");
        assert!(check(stem), "{prefix}: {}", sql[0]);
    }
}

#[test]
fn generate_prefix_from_config_and_flag_wins() {
    let p = Project::new();
    p.write("schema.rs", USERS).write(
        "drizzle.toml",
        "schema = \"schema.rs\"\n[migrations]\nprefix = \"none\"\n",
    );
    p.run(&["generate", "--name", "init", "--prefix", "index"])
        .ok();
    assert!(p.files("drizzle").contains(&"0000_init.sql".to_owned()));
}

#[test]
fn generate_custom_even_without_changes() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("drizzle.toml", "schema = \"schema.rs\"\n");
    p.run(&["generate", "--name", "init"]).ok();
    let run = p.run(&["generate", "--custom", "--name", "seed"]).ok();
    assert_eq!(
        run.stderr,
        "Prepared empty file for your custom SQL migration: drizzle/0001_seed.sql\n"
    );
    assert_eq!(
        p.read("drizzle/0001_seed.sql"),
        "-- Custom SQL migration file, put your code below! --"
    );
    let prev = json(&p.read("drizzle/meta/0000_snapshot.json"));
    let custom = json(&p.read("drizzle/meta/0001_snapshot.json"));
    assert_eq!(custom["prevId"], prev["id"]);
    assert_ne!(custom["id"], prev["id"]);
    assert_eq!(custom["tables"], prev["tables"]);
    // The custom snapshot carries the schema on, so nothing is generated after it.
    p.run(&["generate", "--name", "x"]).ok();
    assert_eq!(p.files("drizzle").len(), 5);
}

#[test]
fn generate_breakpoints_flag_and_config() {
    let p = Project::new();
    p.write("schema.rs", USERS_AND_POSTS).write(
        "drizzle.toml",
        "schema = \"schema.rs\"\nbreakpoints = true\n",
    );
    p.run(&["generate", "--name", "init", "--breakpoints=false"])
        .ok();
    let sql = p.read("drizzle/0000_init.sql");
    assert!(sql.contains("CREATE TABLE"), "{sql}");
    assert!(!sql.contains("statement-breakpoint"), "{sql}");
    let journal = json(&p.read("drizzle/meta/_journal.json"));
    assert_eq!(journal["entries"][0]["breakpoints"], false);

    let p = Project::new();
    p.write("schema.rs", USERS_AND_POSTS);
    p.run(&[
        "generate",
        "--schema",
        "schema.rs",
        "--name",
        "init",
        "--breakpoints",
    ])
    .ok();
    assert!(
        p.read("drizzle/0000_init.sql")
            .contains("--> statement-breakpoint")
    );
}

#[test]
fn flags_work_without_a_config_file() {
    let p = Project::new();
    p.write("db/a.rs", USERS);
    p.run(&[
        "generate",
        "--dialect",
        "postgresql",
        "--schema",
        "db",
        "--out",
        "migrations",
        "--name",
        "init",
        "--casing",
        "snake_case",
    ])
    .ok();
    assert_eq!(
        p.files("migrations"),
        [
            "0000_init.sql",
            "meta/0000_snapshot.json",
            "meta/_journal.json"
        ]
    );
}

#[test]
fn flags_override_the_config_file() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("other.rs", USERS_AND_POSTS)
        .write(
            "drizzle.toml",
            "schema = \"schema.rs\"\nout = \"from-config\"\n",
        );
    p.run(&[
        "generate",
        "--out",
        "from-flag",
        "--schema",
        "other.rs",
        "--name",
        "x",
    ])
    .ok();
    assert!(p.files("from-config").is_empty());
    assert!(p.read("from-flag/0000_x.sql").contains("\"post\""));
}

#[test]
fn config_paths_are_relative_to_the_config_file() {
    let p = Project::new();
    p.write("config/schema/users.rs", USERS).write(
        "config/drizzle.toml",
        "schema = \"schema/*.rs\"\nout = \"../migrations\"\n",
    );
    p.run(&[
        "generate",
        "--config",
        "config/drizzle.toml",
        "--name",
        "init",
    ])
    .ok();
    assert!(p.path("migrations/0000_init.sql").is_file());
}

#[test]
fn dotenv_and_environment_feed_interpolation() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write(".env", "SCHEMA_FILE=schema.rs\n")
        .write(
            "drizzle.toml",
            "schema = \"${SCHEMA_FILE}\"\nout = \"${OUT_DIR}\"\n",
        );
    p.run_with(&["generate", "--name", "init"], &[("OUT_DIR", "env-out")])
        .ok();
    assert!(p.path("env-out/0000_init.sql").is_file());
}

#[test]
fn the_example_config_works() {
    let p = Project::new();
    let example = include_str!("../../../drizzle.toml.example");
    p.write("drizzle.toml", example)
        .write("src/db/schema.rs", USERS)
        .write("src/db/tables/posts/post.rs", "use drizzle::Table;\n#[derive(Table)]\npub struct Post {\n    #[drizzle(primary_key)]\n    pub id: i32,\n}\n");
    p.run_with(
        &["generate", "--name", "init"],
        &[("DATABASE_URL", "postgres://app@localhost:5432/app")],
    )
    .ok();
    let sql = p.read("drizzle/0000_init.sql");
    assert!(
        sql.contains("\"post\"") && sql.contains("\"user\""),
        "{sql}"
    );
}

const ACCOUNTS: &str = r#"use drizzle::Table;

#[derive(Table)]
pub struct Account {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: String,
}
"#;

#[test]
fn undecided_rename_exits_1_and_names_the_flags() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("drizzle.toml", "schema = \"schema.rs\"\n");
    p.run(&["generate", "--name", "one"]).ok();
    p.write("schema.rs", ACCOUNTS);
    let run = p.run(&["generate", "--name", "two"]).code(1);
    insta::assert_snapshot!("undecided_rename_stderr", run.stderr);
    assert_eq!(p.files("drizzle").len(), 3, "nothing written");

    p.run(&[
        "generate",
        "--name",
        "two",
        "--rename",
        "table:user=account",
    ])
    .ok();
    let sql = p.read("drizzle/0001_two.sql");
    assert!(sql.contains("RENAME TO \"account\""), "{sql}");
}

#[test]
fn create_flag_answers_a_rename_question() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("drizzle.toml", "schema = \"schema.rs\"\n");
    p.run(&["generate", "--name", "one"]).ok();
    p.write("schema.rs", ACCOUNTS);
    let run = p
        .run(&[
            "generate",
            "--name",
            "two",
            "--create",
            "table:account",
            "--rename",
            "column:x.a=b",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("warning: `--rename column:x.a=b` matches nothing"),
        "{}",
        run.stderr
    );
    let sql = p.read("drizzle/0001_two.sql");
    assert!(sql.contains("CREATE TABLE \"account\""), "{sql}");
}

#[test]
fn broken_snapshot_exits_1() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write("drizzle.toml", "schema = \"schema.rs\"\n")
        .write("drizzle/meta/0000_snapshot.json", "{ not json");
    let run = p.run(&["generate", "--name", "x"]).code(1);
    assert!(
        run.stderr
            .contains("error: 1 error in the migrations folder"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- diagnostics

#[test]
fn bad_schema_is_rendered_with_every_error() {
    let p = Project::new();
    p.write(
        "schema.rs",
        r#"use drizzle::Table;

#[derive(Table)]
pub struct User {
    #[drizzle(primary_kee)]
    pub id: i32,
    #[drizzle(varchar(10))]
    pub age: i32,
}
"#,
    );
    let run = p.run(&["generate", "--schema", "schema.rs"]).code(1);
    insta::assert_snapshot!("bad_schema_stderr", run.stderr);
    assert!(p.files("drizzle").is_empty());
}

#[test]
fn missing_schema_is_rejected() {
    let p = Project::new();
    let run = p.run(&["generate"]).code(1);
    insta::assert_snapshot!("no_schema_stderr", run.stderr);
}

#[test]
fn bad_configs_are_rejected_with_a_pointer() {
    insta::glob!("../../../tests/bad-configs", "*.toml", |path| {
        let p = Project::new();
        p.write("schema.rs", USERS).write(
            "drizzle.toml",
            &std::fs::read_to_string(path).expect("read"),
        );
        let run = p.run_with(&["generate", "--name", "x"], &[("OUT_DIR", "unused")]);
        assert_eq!(run.code, 1, "{}: {}", path.display(), run.stderr);
        assert!(run.stdout.is_empty());
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        insta::assert_snapshot!(run.stderr);
    });
}

// ---------------------------------------------------------------- export

#[test]
fn export_prints_sql_on_stdout_only() {
    let p = Project::new();
    p.write("schema.rs", USERS_AND_POSTS);
    let run = p.run(&["export", "--schema", "schema.rs"]).ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    insta::assert_snapshot!("export_sql", run.stdout);
    let explicit = p.run(&["export", "--schema", "schema.rs", "--sql"]).ok();
    assert_eq!(explicit.stdout, run.stdout);
    assert!(p.files("drizzle").is_empty(), "export writes no files");
}

#[test]
fn export_json_is_the_snapshot() {
    let p = Project::new();
    p.write("schema.rs", USERS);
    let run = p.run(&["export", "--schema", "schema.rs", "--json"]).ok();
    let snapshot = json(&run.stdout);
    assert_eq!(snapshot["version"], "7");
    assert_eq!(snapshot["tables"]["public.user"]["name"], "user");
    let again = p.run(&["export", "--schema", "schema.rs", "--json"]).ok();
    assert_eq!(again.stdout, run.stdout, "deterministic");
}

#[test]
fn verbose_lists_every_change() {
    let p = Project::new();
    p.write("schema.rs", USERS_AND_POSTS)
        .write("drizzle.toml", "schema = \"schema.rs\"\nverbose = true\n");
    let run = p.run(&["generate", "--name", "init"]).ok();
    insta::assert_snapshot!("verbose_stderr", run.stderr);
}

#[test]
fn missing_config_file_is_rejected() {
    let p = Project::new();
    let run = p.run(&["generate", "--config", "nope.toml"]).code(1);
    assert!(
        run.stderr
            .starts_with("  × cannot read config file nope.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("error: 1 error in nope.toml\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn dotenv_next_to_the_config_is_read_from_another_directory() {
    let p = Project::new();
    p.write("db/schema.rs", USERS)
        .write("db/.env", "SCHEMA_GLOB=*.rs\n")
        .write("db/drizzle.toml", "schema = \"${SCHEMA_GLOB}\"\n");
    p.run(&["generate", "--config", "db/drizzle.toml", "--name", "init"])
        .ok();
    assert!(p.path("db/drizzle/0000_init.sql").is_file());
}

#[test]
fn broken_dotenv_is_rejected() {
    let p = Project::new();
    p.write("schema.rs", USERS)
        .write(".env", "NOT A VALID LINE\n");
    let run = p.run(&["generate", "--schema", "schema.rs"]).code(1);
    assert!(run.stderr.contains(".env"), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("error: 1 error in .env\n"),
        "{}",
        run.stderr
    );
}
