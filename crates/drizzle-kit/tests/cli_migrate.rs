//! `drizzle-kit migrate` against a real PostgreSQL: fresh apply and rerun, `--status`,
//! `--json`, `--dry-run`, a failing statement's report, the lock wait, the config's
//! timeouts, runs without a config file, and a folder written by drizzle-kit itself.

use std::path::Path;
use std::process::Command;

use drizzle_migrate::{Journal, JournalEntry, TrackingTable, lock_key};
use drizzle_testkit::{TestDatabase, fresh_database};

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");

/// A project directory with a migrations folder in `drizzle/`.
struct Project {
    dir: tempfile::TempDir,
    entries: Vec<JournalEntry>,
    /// The next journal `when`: always later, even after an entry is removed.
    next_when: u64,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Project {
    /// An empty directory: no config, no migrations folder.
    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            entries: Vec::new(),
            next_when: 1_700_000_000_000,
        }
    }

    /// A project whose `drizzle.toml` points at `db`, plus `extra` config lines.
    fn with_config(db: &TestDatabase, extra: &str) -> Project {
        let project = Project::new();
        project.write(
            "drizzle.toml",
            &format!("[db_credentials]\nurl = \"{}\"\n{extra}", db.url()),
        );
        project.write_journal();
        project
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Adds `drizzle/<tag>.sql`, a second after the previous one (from 1700000000000, as
    /// in drizzle-kit's fixtures).
    fn add(&mut self, tag: &str, sql: &str) -> &mut Project {
        let idx = self.entries.len() as u32;
        let when = self.next_when;
        self.next_when += 1000;
        self.entries.push(JournalEntry {
            idx,
            version: "7".into(),
            when,
            tag: tag.into(),
            breakpoints: true,
        });
        self.write(&format!("drizzle/{tag}.sql"), sql);
        self.write_journal();
        self
    }

    fn write_journal(&self) {
        let mut journal = Journal::empty();
        journal.entries = self.entries.clone();
        self.write("drizzle/meta/_journal.json", &journal.to_json());
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(BIN)
            .arg("migrate")
            .args(args)
            .current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .expect("run drizzle-kit");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Durations (`12 ms`, `1.5 s`) become `[duration]`: they differ on every run.
fn redact_durations(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let number_end = rest[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(rest.len(), |e| start + e);
        let after = &rest[number_end..];
        let unit = [" ms", " s"].into_iter().find(|u| {
            after.starts_with(u) && !after[u.len()..].starts_with(|c: char| c.is_alphanumeric())
        });
        let boundary = start == 0 || !rest[..start].ends_with(|c: char| c.is_alphanumeric());
        match unit {
            Some(unit) if boundary => {
                out.push_str(&rest[..start]);
                out.push_str("[duration]");
                rest = &after[unit.len()..];
            }
            _ => {
                out.push_str(&rest[..number_end]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `*_ms` timings become `"[ms]"` so the JSON shape can be snapshotted.
fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key.ends_with("_ms") && v.is_number() {
                    *v = serde_json::Value::String("[ms]".into());
                } else {
                    redact_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

fn snapshot_json(run: &Run) -> String {
    let mut value = run.json();
    redact_json(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

/// Tracking rows as (created_at, hash).
fn tracking_rows(db: &TestDatabase) -> Vec<(i64, String)> {
    db.client()
        .query(
            "SELECT created_at, hash FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn table_exists(db: &TestDatabase, name: &str) -> bool {
    db.client()
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
        .unwrap()
        .get(0)
}

const USERS: &str = "CREATE TABLE \"users\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"email\" text NOT NULL\n);\n";
const POSTS: &str = "CREATE TABLE \"posts\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"user_id\" integer NOT NULL\n);\n--> statement-breakpoint\nALTER TABLE \"posts\" ADD CONSTRAINT \"posts_user_id_users_id_fk\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"users\"(\"id\");";

#[test]
fn migrate_applies_then_a_rerun_applies_nothing() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS).add("0001_posts", POSTS);

    let first = project.run(&[]).ok();
    assert_eq!(first.stdout, "", "data only on stdout");
    insta::assert_snapshot!("fresh_apply", redact_durations(&first.stderr));
    assert!(table_exists(&db, "posts"));
    assert_eq!(tracking_rows(&db).len(), 2);

    let again = project.run(&[]).ok();
    assert_eq!(
        again.stderr,
        "nothing to apply: 2 migrations already applied\n"
    );
    assert_eq!(tracking_rows(&db).len(), 2);
}

#[test]
fn status_shows_applied_pending_changed_and_missing() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    let fresh = project.run(&["--status"]).ok();
    assert_eq!(
        fresh.stdout,
        "\"drizzle\".\"__drizzle_migrations\": 0 applied, 0 pending (the table does not exist yet)\n"
    );

    project
        .add("0000_users", USERS)
        .add("0001_posts", POSTS)
        .add("0002_gone", "SELECT 1;");
    project.run(&[]).ok();
    // Edit an applied file, lose another, add a new one.
    project.write("drizzle/0000_users.sql", &format!("{USERS}-- edited\n"));
    project.entries.retain(|e| e.tag != "0002_gone");
    project.add(
        "0003_comments",
        "CREATE TABLE \"comments\" (\"id\" serial);",
    );

    let status = project.run(&["--status"]).code(1);
    insta::assert_snapshot!("status_text", status.stdout);
    let json = project.run(&["--status", "--json"]).code(1);
    insta::assert_snapshot!("status_json", snapshot_json(&json));
    assert_eq!(json.stderr, "", "the status itself explains the exit code");

    // migrate refuses the same folder and names every problem.
    let refused = project.run(&[]).code(1);
    insta::assert_snapshot!("verification_failure", refused.stderr);
    assert!(!table_exists(&db, "comments"));
}

#[test]
fn json_reports_parse_and_keep_their_shape() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS);
    let applied = project.run(&["--json"]).ok();
    insta::assert_snapshot!("report_json", snapshot_json(&applied));
    let nothing = project.run(&["--json"]).ok();
    let report = nothing.json();
    assert_eq!(report["applied"], serde_json::json!([]));
    assert_eq!(report["already_applied"], 1);

    project.add("0001_broken", "SELECT * FROM \"missing_table\";");
    let failed = project.run(&["--json"]).code(1);
    insta::assert_snapshot!("statement_error_json", snapshot_json(&failed));
    assert!(
        failed.stderr.contains("× migration 0001_broken failed"),
        "the readable report still goes to stderr:\n{}",
        failed.stderr
    );

    let mut unreachable = Project::new();
    unreachable.add("0000_users", USERS);
    let run = unreachable.run(&["--json", "--url", "postgres://nobody@127.0.0.1:1/none"]);
    let run = run.code(1);
    assert_eq!(run.json()["error"], "connect");
}

#[test]
fn dry_run_lists_pending_migrations_and_changes_nothing() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS);
    project.run(&[]).ok();
    project.add("0001_posts", POSTS).add(
        "0002_posts_index",
        "-- drizzle:no-transaction\nCREATE INDEX CONCURRENTLY \"posts_user_id_index\" ON \"posts\" (\"user_id\");",
    );
    let dry = project.run(&["--dry-run"]).ok();
    assert_eq!(
        dry.stdout,
        "drizzle/0001_posts.sql\ndrizzle/0002_posts_index.sql (no transaction)\n"
    );
    assert_eq!(
        dry.stderr,
        "would apply 2 migrations (1 already applied)\n\
         dry run: 2 migrations would be applied (1 already applied); the database was not changed\n"
    );
    assert!(!table_exists(&db, "posts"));
    assert_eq!(tracking_rows(&db).len(), 1);
    let json = project.run(&["--dry-run", "--json"]).ok().json();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["pending"].as_array().unwrap().len(), 2);

    project.run(&[]).ok();
    assert!(table_exists(&db, "posts_user_id_index"));
}

#[test]
fn a_failing_statement_is_shown_in_its_file_and_rolled_back() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS).add(
        "0001_posts",
        "CREATE TABLE \"posts\" (\"id\" serial PRIMARY KEY);\n--> statement-breakpoint\nALTER TABLE \"posts\"\n\tADD COLUMN \"author_id\" integer REFERENCES \"authors\"(\"id\");",
    );
    let failed = project.run(&[]).code(1);
    insta::assert_snapshot!("statement_failure", redact_durations(&failed.stderr));
    assert!(table_exists(&db, "users"), "the earlier migration stays");
    assert!(
        !table_exists(&db, "posts"),
        "nothing of the failed one remains"
    );
    assert_eq!(tracking_rows(&db).len(), 1);

    // Fixed, the next run finishes the job.
    project.write(
        "drizzle/0001_posts.sql",
        "CREATE TABLE \"posts\" (\"id\" serial PRIMARY KEY);\n--> statement-breakpoint\nALTER TABLE \"posts\"\n\tADD COLUMN \"author_id\" integer REFERENCES \"users\"(\"id\");",
    );
    project.run(&[]).ok();
    assert_eq!(tracking_rows(&db).len(), 2);
}

#[test]
fn migrate_works_without_a_config_file() {
    let db = fresh_database();
    let project = Project::new();
    let mut folder = Project::new();
    folder.add("0000_users", USERS);
    let out = folder.path().join("drizzle");
    let out = out.to_str().unwrap();

    project.run(&["--out", out, "--url", db.url()]).ok();
    assert!(table_exists(&db, "users"));

    let other = fresh_database();
    let run = project.run_with(&["--out", out], &[("DATABASE_URL", other.url())]);
    run.ok();
    assert!(table_exists(&other, "users"));

    let none = project.run(&["--out", out]).code(1);
    assert!(
        none.stderr.contains("no URL or credentials are configured"),
        "{}",
        none.stderr
    );
    let no_folder = project.run(&["--url", db.url()]).code(1);
    insta::assert_snapshot!("no_folder", no_folder.stderr);
}

#[test]
fn a_folder_written_by_drizzle_kit_is_applied() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations-fixtures/cases/55_rename_table/out");
    let db = fresh_database();
    let project = Project::new();
    let out = fixture.to_str().unwrap();
    let run = project.run(&["--out", out, "--url", db.url()]).ok();
    assert!(
        run.stderr.contains("applied 2 migrations"),
        "{}",
        run.stderr
    );
    assert!(table_exists(&db, "accounts"));
    assert!(!table_exists(&db, "users"));
    let rows = tracking_rows(&db);
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        [1_700_000_000_000, 1_700_000_001_000],
        "created_at is the journal's `when`, as drizzle-orm records it"
    );
    let sha = drizzle_migrate::checksum(&std::fs::read(fixture.join("0000_v1.sql")).unwrap());
    assert_eq!(rows[0].1, sha);
    project
        .run(&["--out", out, "--url", db.url(), "--status"])
        .ok();
}

#[test]
fn a_waiting_runner_names_the_lock_holder_and_gives_up_after_the_timeout() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS);
    let mut holder = db.client();
    holder
        .batch_execute("SET application_name = 'deploy-job-7'")
        .unwrap();
    let key = lock_key(&TrackingTable::default());
    holder
        .query_one("SELECT pg_advisory_lock($1)", &[&key])
        .unwrap();
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);

    let run = project.run(&["--lock-timeout", "300ms"]).code(1);
    let text = run.stderr.replace(&pid.to_string(), "<pid>");
    assert!(
        text.contains("waiting for the migration lock held by pid <pid> (deploy-job-7"),
        "{text}"
    );
    assert!(text.contains("giving up after 300 ms"), "{text}");
    assert!(
        text.contains("gave up waiting for the migration lock"),
        "{text}"
    );
    assert!(!table_exists(&db, "users"));

    holder
        .query_one("SELECT pg_advisory_unlock($1)", &[&key])
        .unwrap();
    project.run(&["--lock-timeout", "300ms"]).ok();
    assert!(table_exists(&db, "users"));
}

#[test]
fn config_timeouts_reach_the_session() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "[migrations]\nstatement_timeout = \"200ms\"\n");
    project.add("0000_slow", "SELECT pg_sleep(3);");
    let run = project.run(&[]).code(1);
    assert!(
        run.stderr
            .contains("canceling statement due to statement timeout"),
        "{}",
        run.stderr
    );
    let bad = Project::with_config(&db, "[migrations]\nlock_timeout = \"soon\"\n");
    let run = bad.run(&[]).code(1);
    insta::assert_snapshot!("bad_timeout_config", run.stderr);
}

#[test]
fn ignore_checksums_warns_loudly() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS);
    project.run(&[]).ok();
    project.write("drizzle/0000_users.sql", &format!("{USERS}-- edited\n"));
    project.add("0001_posts", POSTS);
    let run = project.run(&["--ignore-checksums"]).ok();
    insta::assert_snapshot!("ignore_checksums", redact_durations(&run.stderr));
    assert!(table_exists(&db, "posts"));
}

#[test]
fn single_transaction_and_out_of_order_flags_reach_the_runner() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project.add("0000_users", USERS).add("0001_posts", POSTS);
    project.run(&["--single-transaction"]).ok();
    assert_eq!(tracking_rows(&db).len(), 2);

    // A branch merged late: its migration is dated before the applied 0001.
    project.entries.insert(
        1,
        JournalEntry {
            idx: 1,
            version: "7".into(),
            when: 1_700_000_000_500,
            tag: "0001_late".into(),
            breakpoints: true,
        },
    );
    for (i, e) in project.entries.iter_mut().enumerate() {
        e.idx = i as u32;
    }
    project.write(
        "drizzle/0001_late.sql",
        "CREATE TABLE \"late\" (\"id\" int);",
    );
    project.write_journal();
    let refused = project.run(&[]).code(1);
    assert!(
        refused.stderr.contains("--allow-out-of-order"),
        "{}",
        refused.stderr
    );
    project.run(&["--allow-out-of-order"]).ok();
    assert!(table_exists(&db, "late"));
}

#[test]
fn tls_urls_are_refused_clearly() {
    let mut project = Project::new();
    project.add("0000_users", USERS);
    let run = project
        .run(&["--url", "postgres://u@localhost/db?sslmode=require"])
        .code(1);
    assert!(
        run.stderr.contains(
            "asks for TLS (sslmode=require), which this drizzle-kit build does not support"
        ),
        "{}",
        run.stderr
    );
    project.write(
        "drizzle.toml",
        "[db_credentials]\nhost = \"localhost\"\ndatabase = \"db\"\nssl = \"require\"\n",
    );
    let run = project.run(&[]).code(1);
    assert!(run.stderr.contains("TLS"), "{}", run.stderr);
}

#[test]
fn help_lists_the_flags() {
    let out = Command::new(BIN)
        .args(["migrate", "--help"])
        .output()
        .unwrap();
    insta::assert_snapshot!("help_migrate", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn eight_runners_at_once_apply_each_migration_once() {
    let db = fresh_database();
    let mut project = Project::with_config(&db, "");
    project
        .add("0000_users", USERS)
        .add(
            "0001_slow",
            "SELECT pg_sleep(0.3);\n--> statement-breakpoint\nCREATE TABLE \"slow\" (\"id\" int);",
        )
        .add("0002_posts", POSTS);
    let runners: Vec<_> = (0..8)
        .map(|_| {
            Command::new(BIN)
                .args(["migrate", "--json"])
                .current_dir(project.path())
                .env_remove("DATABASE_URL")
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for runner in runners {
        let out = runner.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        applied += report["applied"].as_array().unwrap().len();
    }
    assert_eq!(applied, 3, "every migration applied by exactly one runner");
    assert_eq!(tracking_rows(&db).len(), 3);
}
