//! `drizzle-kit check`, the linter in `generate`, `generate --safe` and `--json`, run as
//! the binary in temporary projects. Each folder of `tests/check-fixtures/` is a project
//! whose `check` output is snapshotted (a new folder is a new test).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use drizzle_migrate::MigrationSource;

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

/// A project whose config points at a fresh database, with `V1` generated as `0000_init`.
fn db_project(db: &drizzle_testkit::TestDatabase) -> tempfile::TempDir {
    project(&format!("[db_credentials]\nurl = \"{}\"\n", db.url()))
}

/// `check --db --json` and `check --db`, with the journal's clock (in tracking rows)
/// redacted; asserts the exit code agrees with `ok` and both go where they belong.
fn check_db(dir: &Path, name: &str) -> serde_json::Value {
    let redact = |text: &str| {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("created_at") {
            let (head, tail) = rest.split_at(at + "created_at".len());
            out.push_str(head);
            // The terminal report may wrap the line right there.
            let gap = tail.len() - tail.trim_start_matches([' ', '\n', '│']).len();
            let digits = tail[gap..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                out.push_str(&tail[..gap]);
                out.push_str("<when>");
            }
            rest = &tail[if digits > 0 { gap + digits } else { 0 }..];
        }
        out.push_str(rest);
        out
    };
    let machine = run(dir, &["check", "--db", "--json"]);
    assert_eq!(machine.stderr, "", "{name}: --json writes nothing else");
    let report = json(&machine.stdout);
    let ok = report["ok"].as_bool().expect("ok");
    assert_eq!(machine.code, if ok { 0 } else { 1 }, "{name}");
    insta::assert_snapshot!(format!("db_{name}_json"), redact(&machine.stdout));
    let human = run(dir, &["check", "--db"]);
    assert_eq!(human.code, machine.code, "{name}");
    assert_eq!(human.stdout, "", "{name}");
    insta::assert_snapshot!(format!("db_{name}_text"), redact(&human.stderr));
    report
}

fn migrate(dir: &Path) {
    let out = run(dir, &["migrate"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn check_db_reports_pending_migrations_and_lints_only_those() {
    let db = drizzle_testkit::fresh_database();
    let dir = db_project(&db);
    let report = check_db(dir.path(), "pending");
    assert_eq!(codes(&report), ["db/pending"]);
    migrate(dir.path());
    std::fs::write(dir.path().join("schema.rs"), v2()).unwrap();
    let out = run(dir.path(), &["generate", "--name", "tighten"]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    let with_db = json(&run(dir.path(), &["check", "--db", "--json"]).stdout);
    let mut found = codes(&with_db);
    found.sort();
    assert_eq!(
        found,
        [
            "db/pending",
            "lint/check-not-valid",
            "lint/foreign-key-not-valid",
            "lint/index-not-concurrent",
            "lint/missing-lock-timeout",
            "lint/set-not-null",
        ]
    );
    // Without the database every migration is pending: `users` is created in the same
    // run, so tightening it risks nothing.
    let without_db = json(&run(dir.path(), &["check", "--json"]).stdout);
    assert_eq!(codes(&without_db), Vec::<String>::new());
    // Applied, the migration is history and no longer linted.
    migrate(dir.path());
    let report = check_db(dir.path(), "all_applied");
    assert_eq!(codes(&report), Vec::<String>::new());
}

#[test]
fn check_db_reports_an_edited_applied_migration() {
    let db = drizzle_testkit::fresh_database();
    let dir = db_project(&db);
    migrate(dir.path());
    let path = dir.path().join("drizzle/0000_init.sql");
    let text = read(dir.path(), "drizzle/0000_init.sql");
    std::fs::write(&path, format!("{text}\n-- reviewed\n")).unwrap();
    let report = check_db(dir.path(), "checksum_mismatch");
    assert_eq!(codes(&report), ["db/checksum-mismatch"]);
}

#[test]
fn check_db_reports_an_older_migration_merged_after_newer_ones_ran() {
    let db = drizzle_testkit::fresh_database();
    let dir = db_project(&db);
    std::fs::write(dir.path().join("schema.rs"), v2()).unwrap();
    let out = run(dir.path(), &["generate", "--name", "tighten"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    migrate(dir.path());
    // As if 0000 came from a branch merged after 0001 was deployed.
    let when = json(&read(dir.path(), "drizzle/meta/_journal.json"))["entries"][0]["when"]
        .as_i64()
        .unwrap();
    db.client()
        .execute(
            "DELETE FROM drizzle.__drizzle_migrations WHERE created_at = $1",
            &[&when],
        )
        .unwrap();
    let report = check_db(dir.path(), "out_of_order");
    assert_eq!(codes(&report), ["db/out-of-order"]);
}

#[test]
fn check_db_reports_an_applied_migration_missing_from_the_folder() {
    let db = drizzle_testkit::fresh_database();
    let dir = db_project(&db);
    std::fs::write(dir.path().join("schema.rs"), v2()).unwrap();
    let out = run(dir.path(), &["generate", "--name", "tighten"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    migrate(dir.path());
    // The folder of an older checkout: 0001 is gone, the database has it.
    let journal = dir.path().join("drizzle/meta/_journal.json");
    let mut value = json(&std::fs::read_to_string(&journal).unwrap());
    value["entries"].as_array_mut().unwrap().pop();
    std::fs::write(&journal, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    std::fs::remove_file(dir.path().join("drizzle/0001_tighten.sql")).unwrap();
    std::fs::remove_file(dir.path().join("drizzle/meta/0001_snapshot.json")).unwrap();
    std::fs::write(dir.path().join("schema.rs"), V1).unwrap();
    let report = check_db(dir.path(), "missing_file");
    // The database also holds 0001's changes, which the folder's newest snapshot lacks.
    assert_eq!(codes(&report), ["db/missing-file", "db/drift"]);
}

#[test]
fn check_db_lists_objects_changed_by_hand() {
    let db = drizzle_testkit::fresh_database();
    let dir = db_project(&db);
    migrate(dir.path());
    db.client()
        .batch_execute(
            "ALTER TABLE users ADD COLUMN nickname text;
             CREATE INDEX users_name_idx ON users (name);
             ALTER TABLE users ALTER COLUMN org_id SET NOT NULL;
             CREATE TABLE scratch (id integer);",
        )
        .unwrap();
    let report = check_db(dir.path(), "drift");
    assert_eq!(codes(&report), ["db/drift"]);
    assert_eq!(
        report["findings"][0]["details"].as_array().unwrap().len(),
        4
    );
}

#[test]
fn check_db_without_a_reachable_database_is_a_finding() {
    let dir = project("");
    // Nothing listens on port 1.
    let out = run(
        dir.path(),
        &[
            "check",
            "--db",
            "postgres://nobody@127.0.0.1:1/none",
            "--json",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(codes(&json(&out.stdout)), ["db/unreachable"]);
    // `--url` alone checks the database too; `--db` alone needs credentials.
    let out = run(
        dir.path(),
        &[
            "check",
            "--url",
            "postgres://nobody@127.0.0.1:1/none",
            "--json",
        ],
    );
    assert_eq!(codes(&json(&out.stdout)), ["db/unreachable"]);
    let out = run(dir.path(), &["check", "--db", "--json"]);
    let report = json(&out.stdout);
    assert_eq!(codes(&report), ["db/unreachable"]);
    insta::assert_snapshot!(
        "db_no_credentials",
        report["findings"][0]["fix"].as_str().unwrap()
    );
}

/// The schemas (and roles) `schema` declares, as config lines, as push's tests do.
fn scope_config(dir: &Path) -> String {
    let out = run(dir, &["export", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let snapshot = json(&out.stdout);
    let mut schemas: std::collections::BTreeSet<String> = ["public".to_owned()].into();
    for kind in ["tables", "enums", "sequences", "views"] {
        for item in snapshot[kind]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            if let Some(s) = item["schema"].as_str().filter(|s| !s.is_empty()) {
                schemas.insert(s.to_owned());
            }
        }
    }
    schemas.extend(
        snapshot["schemas"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys().cloned()),
    );
    let list = |items: &mut dyn Iterator<Item = &String>| {
        items
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut config = format!("schema_filter = [{}]\n", list(&mut schemas.iter()));
    let roles: Vec<String> = snapshot["roles"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if !roles.is_empty() {
        config.push_str(&format!(
            "[entities]\nroles = {{ include = [{}] }}\n",
            list(&mut roles.iter())
        ));
    }
    config
}

/// Applies every migration of the folder as `migrate` would, then records the tracking rows
/// `migrate` records.
fn apply_folder(db: &drizzle_testkit::TestDatabase, dir: &Path) -> Result<(), String> {
    let migrations = drizzle_migrate::MigrationsFolder::new(dir.join("drizzle"))
        .migrations()
        .map_err(|e| e.to_string())?;
    let mut client = db.client();
    let table = drizzle_migrate::TrackingTable::default();
    for sql in table.create_sql() {
        client.batch_execute(&sql).map_err(|e| e.to_string())?;
    }
    for m in &migrations {
        for statement in m.statements() {
            let sql = statement.sql.trim();
            if let Err(e) = client.batch_execute(sql) {
                let message = e
                    .as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_owned());
                return Err(format!("{}: {sql}: {message}", m.tag));
            }
        }
        client
            .execute(
                &format!(
                    "INSERT INTO {} (hash, created_at) VALUES ($1, $2)",
                    table.qualified()
                ),
                &[&m.hash, &(m.when as i64)],
            )
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Generates each of `versions` in turn, applies the folder, and expects `check --db` to
/// find nothing at all: our own migrations must leave no drift behind.
fn no_drift_after_migrating(versions: &[String]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.rs"), versions.last().unwrap()).unwrap();
    std::fs::write(dir.path().join("drizzle.toml"), "schema = \"schema.rs\"\n").unwrap();
    let scope = scope_config(dir.path());
    let db = drizzle_testkit::fresh_database();
    std::fs::write(
        dir.path().join("drizzle.toml"),
        format!(
            "schema = \"schema.rs\"\n{scope}[db_credentials]\nurl = \"{}\"\n",
            db.url()
        ),
    )
    .unwrap();
    for (k, schema) in versions.iter().enumerate() {
        std::fs::write(dir.path().join("schema.rs"), schema).unwrap();
        let out = run(dir.path(), &["generate", "--name", &format!("v{k}")]);
        if out.code != 0 {
            return Err(format!("generate v{k}: {}", out.stderr));
        }
    }
    // Roles are cluster-wide: every version's, taken from every other test using them, and
    // dropped afterwards.
    let roles = drizzle_testkit::roles_in_migrations(&dir.path().join("drizzle"));
    let _roles = (!roles.is_empty()).then(|| drizzle_testkit::exclusive_roles(&roles));
    apply_folder(&db, dir.path())?;
    let out = run(dir.path(), &["check", "--db", "--json"]);
    let report = json(&out.stdout);
    let db_codes: Vec<String> = codes(&report)
        .into_iter()
        .filter(|c| !c.starts_with("lint/"))
        .collect();
    if out.code != 0 || !db_codes.is_empty() {
        return Err(out.stdout);
    }
    Ok(())
}

#[test]
fn a_database_migrated_by_its_own_migrations_shows_no_drift() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/saas/src/schema.rs");
    let mut failures = Vec::new();
    let example = std::fs::read_to_string(example).expect("example schema");
    if let Err(e) = no_drift_after_migrating(&[example]) {
        failures.push(format!("== example\n{e}"));
    }
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases");
    for case in [
        "08_defaults_create",
        "11_type_change",
        "20_fk_actions",
        "23_fk_cross_schema",
        "29_index_partial",
        "38_enum_custom_schema",
        "44_generated_create",
        "47_view_create",
        "14_pk_composite_create",
        "49_matview_create",
        "70_defaults_broken_literals",
    ] {
        let versions = ["schema_v1.rs", "schema_v2.rs"]
            .map(|v| std::fs::read_to_string(cases.join(case).join(v)).expect(case));
        if let Err(e) = no_drift_after_migrating(&versions) {
            failures.push(format!("== {case}\n{e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
