//! `drizzle-kit check`, the linter in `generate`, `generate --safe` and `--json`, run as
//! the binary in temporary projects. Each folder of `tests/check-fixtures/` is a project
//! whose `check` output is snapshotted (a new folder is a new test).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/check-fixtures");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("tests/check-fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{text}"))
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect()
}

#[test]
fn fixture_folders_report_their_findings() {
    let mut summary = String::new();
    for case in fixtures() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&case, dir.path());

        let machine = run(dir.path(), &["check", "--json"]);
        let report = json(&machine.stdout);
        assert_eq!(machine.stderr, "", "{name}: --json writes nothing else");
        let ok = report["ok"].as_bool().expect("ok");
        assert_eq!(machine.code, if ok { 0 } else { 1 }, "{name}");
        insta::with_settings!({ snapshot_suffix => name.clone() }, {
            insta::assert_snapshot!("check_json", machine.stdout);
        });

        let human = run(dir.path(), &["check"]);
        assert_eq!(human.code, machine.code, "{name}");
        assert_eq!(human.stdout, "", "{name}: the report goes to stderr");
        insta::with_settings!({ snapshot_suffix => name.clone() }, {
            insta::assert_snapshot!("check_text", human.stderr);
        });
        summary.push_str(&format!(
            "{name}: exit {} {:?}\n",
            machine.code,
            codes(&report)
        ));
    }
    // The finding each fixture exists for, at a glance.
    insta::assert_snapshot!(summary);
}

const V1: &str = r#"use drizzle::Table;

#[derive(Table)]
#[drizzle(name = "orgs")]
pub struct Org {
    #[drizzle(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[drizzle(name = "users")]
pub struct User {
    #[drizzle(primary_key)]
    pub id: i32,
    pub name: Option<String>,
    pub org_id: Option<i32>,
}
"#;

/// V1 with a NOT NULL column, an index, a foreign key and a check on the existing table.
fn v2() -> String {
    V1.replace(
        "#[drizzle(name = \"users\")]",
        "#[drizzle(name = \"users\")]\n#[drizzle(check(name = \"users_name_not_blank\", sql = \"length(name) > 0\"))]",
    )
    .replace(
        "    pub name: Option<String>,\n    pub org_id: Option<i32>,",
        "    #[drizzle(index)]\n    pub name: String,\n    #[drizzle(references(Org::id))]\n    pub org_id: Option<i32>,",
    )
}

fn project(config_extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("drizzle.toml"),
        format!(
            "dialect = \"postgresql\"\nschema = \"schema.rs\"\nout = \"drizzle\"\n{config_extra}"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("schema.rs"), V1).unwrap();
    let first = run(dir.path(), &["generate", "--name", "init"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    dir
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn generate_prints_the_lint_findings_of_the_migration_it_wrote() {
    let dir = project("");
    std::fs::write(dir.path().join("schema.rs"), v2()).unwrap();
    let out = run(dir.path(), &["generate", "--name", "tighten", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = json(&out.stdout);
    let mut found = codes(&report);
    // Statement order is the renderer's business.
    found.sort();
    assert_eq!(
        found,
        [
            "lint/check-not-valid",
            "lint/foreign-key-not-valid",
            "lint/index-not-concurrent",
            "lint/missing-lock-timeout",
            "lint/set-not-null",
        ]
    );
    insta::assert_snapshot!("generate_lint_json", out.stdout);
    // Only the linter's part: the lines before it belong to generate's own summary.
    let lint = out.stderr.find("lint/").expect("lint findings on stderr");
    insta::assert_snapshot!("generate_lint_stderr", &out.stderr[lint..]);
}

#[test]
fn generate_safe_writes_a_transactional_and_a_no_transaction_migration() {
    let dir = project("safe = true\n");
    std::fs::write(dir.path().join("schema.rs"), v2()).unwrap();
    let out = run(dir.path(), &["generate", "--name", "tighten", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = json(&out.stdout);
    assert_eq!(
        codes(&report),
        Vec::<String>::new(),
        "the safe form lints clean"
    );
    insta::assert_snapshot!("generate_safe_json", out.stdout);
    let main = read(dir.path(), "drizzle/0001_tighten.sql");
    let concurrent = read(dir.path(), "drizzle/0002_tighten_concurrently.sql");
    insta::assert_snapshot!(
        "generate_safe_sql",
        format!("{main}\n\n=== 0002_tighten_concurrently.sql ===\n{concurrent}")
    );
    assert!(concurrent.starts_with(drizzle_migrate::NO_TRANSACTION_MARKER));
    assert_eq!(
        drizzle_lint::NO_TRANSACTION_MARKER,
        drizzle_migrate::NO_TRANSACTION_MARKER
    );

    // The folder stays sound and in sync: the chain goes through both snapshots.
    let check = run(dir.path(), &["check", "--json"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let again = run(dir.path(), &["generate"]);
    assert!(
        again.stderr.contains("No schema changes"),
        "{}",
        again.stderr
    );

    // The first snapshot is the schema before the second migration runs.
    let mid = read(dir.path(), "drizzle/meta/0001_snapshot.json");
    assert!(!mid.contains("users_name_index"), "{mid}");
    let last = read(dir.path(), "drizzle/meta/0002_snapshot.json");
    assert!(last.contains("users_name_index"), "{last}");
}

#[test]
fn lint_config_changes_levels_and_rejects_unknown_rules() {
    let case = fixtures()
        .into_iter()
        .find(|c| c.ends_with("09_lint_after_pull_baseline"))
        .expect("fixture");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&case, dir.path());
    let config = dir.path().join("drizzle.toml");
    let base = std::fs::read_to_string(&config).unwrap();

    std::fs::write(
        &config,
        format!("{base}[lint]\nallow = [\"rename-column\", \"concurrently-in-transaction\"]\ndeny = [\"add-required-column\"]\n"),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--json"]);
    let report = json(&out.stdout);
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("lint/add-required-column".to_owned(), "error".to_owned()),
            ("lint/missing-lock-timeout".to_owned(), "warning".to_owned()),
        ]
    );
    assert_eq!(out.code, 1);

    std::fs::write(
        &config,
        format!("{base}[lint]\ndeny = [\"drop-colum\"]\nallow = [\"set-not-null\"]\nwarn = [\"set-not-null\"]\nlock_timeout = \"5 seconds\"\n"),
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("bad_lint_config", out.stderr);

    std::fs::write(&config, format!("{base}[lint]\nlock_timout = \"5s\"\n")).unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("unknown_lint_key", out.stderr);
}

/// The safe form applied to a table with rows while a writer inserts and another
/// session holds a row lock: the writer is never blocked for long.
#[test]
fn safe_form_applies_alongside_a_writer_and_a_held_row_lock() {
    let db = drizzle_testkit::fresh_database();
    let dir = project("safe = true\n[lint]\nlock_timeout = \"200ms\"\n");
    let apply = |tag: &str| {
        let sql = read(dir.path(), &format!("drizzle/{tag}.sql"));
        let migration = drizzle_migrate::Migration::new(tag, 0, sql, true, tag);
        apply_with_retries(db.url(), &migration)
    };
    assert_eq!(apply("0000_init"), 0);
    let mut setup = db.client();
    setup
        .batch_execute(
            "INSERT INTO orgs SELECT g FROM generate_series(1, 100) g;
             INSERT INTO users SELECT g, 'user ' || g, 1 + g % 100 FROM generate_series(1, 200000) g;",
        )
        .unwrap();

    std::fs::write(dir.path().join("schema.rs"), v2()).unwrap();
    let out = run(dir.path(), &["generate", "--name", "tighten"]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // Another session holds a row lock for a while, as a long request would.
    let url = db.url().to_owned();
    let holder = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let mut t = c.transaction().unwrap();
        t.execute("UPDATE users SET name = name WHERE id = 1", &[])
            .unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        t.commit().unwrap();
    });
    std::thread::sleep(Duration::from_millis(100));

    // A writer inserts continuously and records its slowest insert.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let url = db.url().to_owned();
    let flag = stop.clone();
    let writer = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let (mut slowest, mut n) = (Duration::ZERO, 0i32);
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let started = Instant::now();
            c.execute(
                "INSERT INTO users (id, name, org_id) VALUES (1000000 + $1, 'w', 1)",
                &[&n],
            )
            .unwrap();
            slowest = slowest.max(started.elapsed());
            n += 1;
        }
        (slowest, n)
    });

    let retries = apply("0001_tighten") + apply("0002_tighten_concurrently");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (slowest, inserts) = writer.join().unwrap();
    holder.join().unwrap();

    assert!(
        retries > 0,
        "the held row lock should have made lock_timeout fire"
    );
    assert!(inserts > 10, "the writer ran ({inserts} inserts)");
    assert!(
        slowest < Duration::from_millis(1000),
        "the writer was blocked for {slowest:?} (the row lock was held for 1500 ms)"
    );
    let mut c = db.client();
    let valid: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype IN ('c', 'f') AND convalidated",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(valid, 2, "check and foreign key validated");
    let index_valid: bool = c
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_name_index'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(index_valid);
    let not_null: bool = c
        .query_one(
            "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'name'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(not_null);
}

/// Applies a migration as the runner does (one transaction, or statement by statement
/// for `-- drizzle:no-transaction`), retrying after `lock_timeout` fires as a deploy
/// would. Returns the number of retries.
fn apply_with_retries(url: &str, migration: &drizzle_migrate::Migration) -> usize {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let statements: Vec<String> = migration
        .statements()
        .iter()
        .map(|s| s.sql.to_owned())
        .collect();
    let mut retries = 0;
    let lock_timeout =
        |e: &postgres::Error| e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE);
    if migration.no_transaction() {
        for statement in &statements {
            // Each statement is retried on its own; they are written to be safe to repeat
            // only from the statement that failed.
            loop {
                match c.batch_execute(statement) {
                    Ok(()) => break,
                    Err(e) if lock_timeout(&e) && retries < 100 => {
                        retries += 1;
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Err(e) => panic!("{statement}: {e}"),
                }
            }
        }
        return retries;
    }
    loop {
        let mut t = c.transaction().unwrap();
        let result = statements.iter().try_for_each(|s| t.batch_execute(s));
        match result {
            Ok(()) => {
                t.commit().unwrap();
                return retries;
            }
            Err(e) if lock_timeout(&e) && retries < 100 => {
                drop(t);
                retries += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("{}: {e}", migration.tag),
        }
    }
}
