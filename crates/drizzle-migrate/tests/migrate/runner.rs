//! The runner against a real PostgreSQL: what it applies, what it refuses, and what a
//! failure, a crash or a concurrent runner leaves behind.

use crate::support::{Folder, created_at, exists, rows, rows_in};
use drizzle_migrate::*;
use drizzle_testkit::{TestDatabase, fresh_database};
use std::process::Command;
use std::sync::Barrier;
use std::time::{Duration, Instant};

const A: (&str, u64, &str) = (
    "0000_a",
    1_700_000_000_000,
    "CREATE TABLE \"a\" (\n\t\"id\" serial PRIMARY KEY NOT NULL\n);\n",
);
const B: (&str, u64, &str) = (
    "0001_b",
    1_700_000_001_000,
    "CREATE TABLE \"b\" (\n\t\"id\" integer\n);\n--> statement-breakpoint\nALTER TABLE \"b\" ADD COLUMN \"name\" text;",
);
const C: (&str, u64, &str) = (
    "0002_c",
    1_700_000_002_000,
    "CREATE TABLE \"c\" (\n\t\"id\" integer\n);\n",
);

fn run(db: &TestDatabase, folder: &Folder) -> Result<MigrateReport, MigrateError> {
    run_with(db, folder, &MigrateOptions::default())
}

fn run_with(
    db: &TestDatabase,
    folder: &Folder,
    options: &MigrateOptions,
) -> Result<MigrateReport, MigrateError> {
    migrate(&mut db.client(), &folder.source(), options, &mut Silent)
}

fn tags(report: &MigrateReport) -> Vec<&str> {
    report.applied.iter().map(|a| a.tag.as_str()).collect()
}

fn problems(err: MigrateError) -> Vec<Problem> {
    match err {
        MigrateError::Verification { problems } => problems,
        other => panic!("expected a verification error, got: {other}"),
    }
}

fn failure(err: MigrateError) -> StatementFailure {
    match err {
        MigrateError::Statement(failure) => *failure,
        other => panic!("expected a statement failure, got: {other}"),
    }
}

#[test]
fn fresh_apply_then_rerun_applies_nothing() {
    let db = fresh_database();
    let folder = Folder::with(&[A, B, C]);
    let report = run(&db, &folder).unwrap();
    assert_eq!(tags(&report), ["0000_a", "0001_b", "0002_c"]);
    assert_eq!(report.applied[1].statements, 2);
    assert_eq!(report.already_applied, 0);
    let hashes: Vec<String> = [A, B, C].iter().map(|m| checksum(m.2.as_bytes())).collect();
    let recorded: Vec<(String, i64)> = rows(&db).into_iter().map(|r| (r.1, r.2)).collect();
    assert_eq!(
        recorded,
        [
            (hashes[0].clone(), A.1 as i64),
            (hashes[1].clone(), B.1 as i64),
            (hashes[2].clone(), C.1 as i64)
        ]
    );
    assert!(exists(&db, "a") && exists(&db, "b") && exists(&db, "c"));

    let again = run(&db, &folder).unwrap();
    assert!(again.applied.is_empty() && again.pending.is_empty());
    assert_eq!(again.already_applied, 3);
    assert_eq!(rows(&db).len(), 3);
}

/// What drizzle-orm 0.45's `PgDialect.migrate` sends (reference §4), byte for byte.
fn migrate_like_drizzle_orm(db: &TestDatabase, migrations: &[(&str, u64, &str)]) {
    let mut client = db.client();
    client
        .batch_execute("CREATE SCHEMA IF NOT EXISTS \"drizzle\"")
        .unwrap();
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\" (\n\t\t\tid SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at bigint\n\t\t)",
        )
        .unwrap();
    let last: Option<i64> = client
        .query_opt(
            "select id, hash, created_at from \"drizzle\".\"__drizzle_migrations\" order by created_at desc limit 1",
            &[],
        )
        .unwrap()
        .map(|r| r.get(2));
    let mut tx = client.transaction().unwrap();
    for (_, when, sql) in migrations {
        if last.is_none_or(|last| last < *when as i64) {
            for chunk in split_statements(sql) {
                tx.batch_execute(chunk).unwrap();
            }
            tx.execute(
                "insert into \"drizzle\".\"__drizzle_migrations\" (\"hash\", \"created_at\") values($1, $2)",
                &[&checksum(sql.as_bytes()), &(*when as i64)],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

#[test]
fn continues_a_database_migrated_by_drizzle_orm_and_leaves_it_continuable() {
    let db = fresh_database();
    migrate_like_drizzle_orm(&db, &[A, B]);
    let folder = Folder::with(&[A, B, C]);
    let report = run(&db, &folder).unwrap();
    assert_eq!(tags(&report), ["0002_c"]);
    assert_eq!(report.already_applied, 2);
    assert_eq!(created_at(&db), [A.1 as i64, B.1 as i64, C.1 as i64]);

    // drizzle-orm, run next on the same folder, must find nothing to do (and would fail on
    // "already exists" if it re-ran anything).
    migrate_like_drizzle_orm(&db, &[A, B, C]);
    assert_eq!(rows(&db).len(), 3);
}

#[test]
fn checksum_mismatch_changes_nothing_unless_ignored() {
    let db = fresh_database();
    let mut folder = Folder::with(&[A, B]);
    run(&db, &folder).unwrap();
    folder.write_sql(
        "0000_a",
        "CREATE TABLE \"a\" (\n\t\"id\" bigserial PRIMARY KEY NOT NULL\n);\n",
    );
    folder.add(C.0, C.1, C.2);
    let err = run(&db, &folder).unwrap_err();
    insta::assert_snapshot!(folder.redact(&err.to_string()));
    let found = problems(err);
    assert!(matches!(&found[..], [Problem::ChecksumMismatch { tag, .. }] if tag == "0000_a"));
    assert!(!exists(&db, "c"));
    assert_eq!(rows(&db).len(), 2);

    let mut events = Vec::new();
    let options = MigrateOptions {
        ignore_checksums: true,
        ..MigrateOptions::default()
    };
    let report = migrate(
        &mut db.client(),
        &folder.source(),
        &options,
        &mut |e: &Event<'_>| {
            if let Event::ChecksumIgnored { tag, .. } = e {
                events.push(tag.to_string());
            }
        },
    )
    .unwrap();
    assert_eq!(events, ["0000_a"]);
    assert_eq!(report.checksums_ignored, ["0000_a"]);
    assert_eq!(tags(&report), ["0002_c"]);
}

#[test]
fn an_applied_migration_without_file_changes_nothing() {
    let db = fresh_database();
    let mut folder = Folder::with(&[A, B]);
    run(&db, &folder).unwrap();
    folder.remove("0001_b");
    folder.add(C.0, C.1, C.2);
    let err = run(&db, &folder).unwrap_err();
    insta::assert_snapshot!(err.to_string());
    assert!(matches!(
        &problems(err)[..],
        [Problem::MissingFile {
            id: 2,
            created_at: Some(1_700_000_001_000),
            ..
        }]
    ));
    assert!(!exists(&db, "c"));
    assert_eq!(rows(&db).len(), 2);
}

#[test]
fn an_older_pending_migration_is_refused_unless_allowed() {
    let db = fresh_database();
    let folder = Folder::with(&[A, C]);
    run(&db, &folder).unwrap();
    // A branch merged late brings B, dated before C.
    let merged = Folder::with(&[A, B, C]);
    let err = run(&db, &merged).unwrap_err();
    insta::assert_snapshot!(err.to_string());
    assert!(matches!(&problems(err)[..], [Problem::OutOfOrder { tag, .. }] if tag == "0001_b"));
    assert!(!exists(&db, "b"));

    let options = MigrateOptions {
        allow_out_of_order: true,
        ..MigrateOptions::default()
    };
    let report = run_with(&db, &merged, &options).unwrap();
    assert_eq!(tags(&report), ["0001_b"]);
    assert_eq!(created_at(&db), [A.1 as i64, C.1 as i64, B.1 as i64]);
}

#[test]
fn problems_are_all_reported_as_json() {
    let db = fresh_database();
    let mut folder = Folder::with(&[A, B, C]);
    run(&db, &folder).unwrap();
    folder.write_sql("0000_a", "-- edited\nSELECT 1;");
    folder.remove("0002_c");
    folder.add("0001_late", A.1 + 1, "SELECT 2;");
    let err = run(&db, &folder).unwrap_err();
    let json = err.to_json();
    assert_eq!(json["error"], "verification");
    assert_eq!(json["message"], err.to_string());
    let found = problems(err);
    assert_eq!(json["problems"], serde_json::to_value(&found).unwrap());
    insta::assert_snapshot!(folder.redact(&serde_json::to_string_pretty(&found).unwrap()));
}

#[test]
fn a_failure_in_the_middle_keeps_earlier_migrations_and_nothing_of_the_failed_one() {
    let db = fresh_database();
    let bad = "CREATE TABLE \"b\" (\n\t\"id\" integer\n);\n--> statement-breakpoint\nINSERT INTO \"b\" (\"id\")\nSELECT \"id\" FROM \"missing_table\";";
    let folder = Folder::with(&[A, (B.0, B.1, bad), C]);
    let err = run(&db, &folder).unwrap_err();
    insta::assert_snapshot!(folder.redact(&err.to_string()));
    let json = err.to_json();
    assert_eq!(
        (
            &json["error"],
            &json["failure"]["error"]["code"],
            &json["failure"]["error"]["position"]
        ),
        (&"statement".into(), &"42P01".into(), &42.into())
    );
    let failed = failure(err);
    assert_eq!(
        (failed.statement, failed.line, failed.error_at),
        (2, 5, Some((6, 18)))
    );
    assert_eq!(failed.error.code, "42P01");
    assert_eq!(failed.failed_in, FailedIn::OwnTransaction);
    assert_eq!(failed.committed_before, ["0000_a"]);
    assert!(exists(&db, "a"));
    assert!(
        !exists(&db, "b"),
        "the failed migration's first statement remained"
    );
    assert!(!exists(&db, "c"));
    assert_eq!(created_at(&db), [A.1 as i64]);

    folder.write_sql(B.0, B.2);
    let report = run(&db, &folder).unwrap();
    assert_eq!(tags(&report), ["0001_b", "0002_c"]);
    assert_eq!(rows(&db).len(), 3);
}

#[test]
fn single_transaction_is_all_or_nothing() {
    let db = fresh_database();
    let folder = Folder::with(&[A, (B.0, B.1, "CREATE TABLE \"b\" (\"id\" nosuchtype);")]);
    let options = MigrateOptions {
        single_transaction: true,
        ..MigrateOptions::default()
    };
    let failed = failure(run_with(&db, &folder, &options).unwrap_err());
    assert_eq!(failed.failed_in, FailedIn::SingleTransaction);
    assert_eq!(failed.rolled_back, ["0000_a", "0001_b"]);
    assert!(
        failed
            .to_string()
            .contains("nothing of 0000_a, 0001_b remains")
    );
    assert!(!exists(&db, "a"));
    assert!(rows(&db).is_empty());

    folder.write_sql(B.0, B.2);
    let report = run_with(&db, &folder, &options).unwrap();
    assert_eq!(tags(&report), ["0000_a", "0001_b"]);
    assert_eq!(rows(&db).len(), 2);
}

#[test]
fn no_transaction_migrations_can_create_indexes_concurrently() {
    let db = fresh_database();
    let concurrently = "-- drizzle:no-transaction\nCREATE INDEX CONCURRENTLY \"a_id_idx\" ON \"a\" (\"id\");--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"b_id_idx\" ON \"b\" (\"id\");";
    let mut folder = Folder::with(&[A, B, ("0002_idx", C.1, concurrently)]);
    let report = run(&db, &folder).unwrap();
    assert!(report.applied[2].no_transaction);
    let valid: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text IN ('a_id_idx', 'b_id_idx')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(valid, 2);

    // Without the marker PostgreSQL refuses it, which is why the marker exists.
    folder.add(
        "0003_in_tx",
        C.1 + 1,
        "CREATE INDEX CONCURRENTLY \"a_id2_idx\" ON \"a\" (\"id\");",
    );
    let failed = failure(run(&db, &folder).unwrap_err());
    assert_eq!(failed.error.code, "25001");
    folder.remove("0003_in_tx");

    // A failure reports what already ran and stays unrecorded.
    folder.add(
        "0003_partial",
        C.1 + 2,
        "-- drizzle:no-transaction\nCREATE INDEX CONCURRENTLY \"a_id3_idx\" ON \"a\" (\"id\");\n--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"a_nope_idx\" ON \"a\" (\"nope\");",
    );
    let err = run(&db, &folder).unwrap_err();
    insta::assert_snapshot!(folder.redact(&err.to_string()));
    let failed = failure(err);
    assert_eq!(failed.failed_in, FailedIn::NoTransaction);
    assert_eq!(failed.completed_lines, [2]);
    assert!(exists(&db, "a_id3_idx"));
    assert_eq!(rows(&db).len(), 3);

    // In a single transaction it cannot run at all, and nothing starts.
    let options = MigrateOptions {
        single_transaction: true,
        ..MigrateOptions::default()
    };
    let found = problems(run_with(&db, &folder, &options).unwrap_err());
    assert!(
        matches!(&found[..], [Problem::NoTransactionInSingleTransaction { tag }] if tag == "0003_partial")
    );
}

#[test]
fn dry_run_lists_pending_migrations_and_touches_nothing() {
    let db = fresh_database();
    let mut folder = Folder::with(&[A, B]);
    let options = MigrateOptions {
        dry_run: true,
        ..MigrateOptions::default()
    };
    let report = run_with(&db, &folder, &options).unwrap();
    assert!(report.dry_run && report.applied.is_empty());
    let pending: Vec<&str> = report.pending.iter().map(|p| p.tag.as_str()).collect();
    assert_eq!(pending, ["0000_a", "0001_b"]);
    assert!(!exists(&db, "a"));
    let schemas: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'drizzle'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(schemas, 0, "a dry run created the tracking schema");

    run(&db, &folder).unwrap();
    folder.add(C.0, C.1, C.2);
    let report = run_with(&db, &folder, &options).unwrap();
    let pending: Vec<&str> = report.pending.iter().map(|p| p.tag.as_str()).collect();
    assert_eq!((pending, report.already_applied), (vec!["0002_c"], 2));
    assert!(!exists(&db, "c"));

    let json: serde_json::Value = serde_json::to_value(&report).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "dry_run",
            "table",
            "already_applied",
            "pending",
            "applied",
            "checksums_ignored",
            "lock_wait_ms",
            "duration_ms"
        ]
    );
}

#[test]
fn status_shows_applied_pending_changed_and_missing() {
    let db = fresh_database();
    let mut folder = Folder::with(&[A, B, C]);
    let before = status(
        &mut db.client(),
        &folder.source(),
        &TrackingTable::default(),
    )
    .unwrap();
    assert!(!before.table_exists);
    assert_eq!(before.in_state(MigrationState::Pending).count(), 3);

    run(&db, &folder).unwrap();
    folder.write_sql(B.0, "SELECT 'edited';");
    folder.remove(C.0);
    folder.add("0003_d", C.1 + 1, "SELECT 'new';");
    let now = status(
        &mut db.client(),
        &folder.source(),
        &TrackingTable::default(),
    )
    .unwrap();
    insta::assert_snapshot!(folder.redact(&serde_json::to_string_pretty(&now).unwrap()));
}

#[test]
fn the_tracking_table_can_live_elsewhere() {
    let db = fresh_database();
    let folder = Folder::with(&[A, B]);
    let options = MigrateOptions {
        table: TrackingTable::new("ops", "schema history"),
        ..MigrateOptions::default()
    };
    run_with(&db, &folder, &options).unwrap();
    assert_eq!(rows_in(&db, "\"ops\".\"schema history\"").len(), 2);
    assert!(!exists(&db, "drizzle.__drizzle_migrations"));
    assert!(run_with(&db, &folder, &options).unwrap().applied.is_empty());
}

#[test]
fn session_settings_apply_to_migrations_and_are_restored() {
    let db = fresh_database();
    let folder = Folder::with(&[(
        "0000_slow",
        1,
        "CREATE TABLE \"t\" (\"id\" integer);\n--> statement-breakpoint\nSELECT pg_sleep(2);",
    )]);
    let mut client = db.client();
    client
        .batch_execute("SET statement_timeout = '7s'")
        .unwrap();
    let options = MigrateOptions {
        statement_timeout: Some(Duration::from_millis(200)),
        ..MigrateOptions::default()
    };
    let failed =
        failure(migrate(&mut client, &folder.source(), &options, &mut Silent).unwrap_err());
    assert_eq!(failed.error.code, "57014", "{failed}");
    assert!(!exists(&db, "t"));
    let restored: String = client
        .query_one("SHOW statement_timeout", &[])
        .unwrap()
        .get(0);
    assert_eq!(restored, "7s");
}

#[test]
fn a_held_lock_is_waited_for_within_the_timeout_and_its_holder_named() {
    let db = fresh_database();
    let folder = Folder::with(&[A]);
    let mut holder = db.client();
    let holder_pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let key = lock_key(&TrackingTable::default());
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&key])
        .unwrap();

    let options = MigrateOptions {
        lock_wait_timeout: Some(Duration::from_millis(300)),
        ..MigrateOptions::default()
    };
    let mut waited_for = Vec::new();
    let err = migrate(
        &mut db.client(),
        &folder.source(),
        &options,
        &mut |e: &Event<'_>| {
            if let Event::WaitingForLock {
                holder: Some(h), ..
            } = e
            {
                waited_for.push(h.pid);
            }
        },
    )
    .unwrap_err();
    assert_eq!(waited_for, [holder_pid]);
    match &err {
        MigrateError::LockTimeout {
            holder: Some(h),
            waited_ms,
        } => assert!(h.pid == holder_pid && *waited_ms >= 300, "{err}"),
        other => panic!("expected a lock timeout, got {other}"),
    }
    assert!(!exists(&db, "a"));

    // Without a timeout the runner waits, and proceeds as soon as the lock is released.
    std::thread::scope(|s| {
        let waiter = s.spawn(|| run(&db, &folder));
        std::thread::sleep(Duration::from_millis(500));
        assert!(!waiter.is_finished());
        holder
            .execute("SELECT pg_advisory_unlock($1)", &[&key])
            .unwrap();
        assert_eq!(tags(&waiter.join().unwrap().unwrap()), ["0000_a"]);
    });
}

#[test]
fn eight_concurrent_runners_apply_each_migration_once() {
    let db = fresh_database();
    let slow = |tag: &'static str, when: u64| {
        (
            tag,
            when,
            // Slow enough that the runners overlap.
            "CREATE TABLE \"x\" (\"id\" integer);\n--> statement-breakpoint\nSELECT pg_sleep(0.05);",
        )
    };
    let migrations = [A, B, C, slow("0003_x", C.1 + 1)];
    let folder = Folder::with(&migrations);
    let barrier = Barrier::new(8);
    let reports: Vec<MigrateReport> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let mut client = db.client();
                    barrier.wait();
                    migrate(
                        &mut client,
                        &folder.source(),
                        &MigrateOptions::default(),
                        &mut Silent,
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect()
    });
    let mut applied: Vec<&str> = reports.iter().flat_map(tags).collect();
    applied.sort();
    assert_eq!(applied, ["0000_a", "0001_b", "0002_c", "0003_x"]);
    assert_eq!(rows(&db).len(), 4);
}

const CRASH_URL: &str = "DRIZZLE_MIGRATE_TEST_CRASH_URL";
const CRASH_DIR: &str = "DRIZZLE_MIGRATE_TEST_CRASH_DIR";
const CRASH_HELPER: &str = "runner::crash_helper_runs_a_slow_migration";

/// Sleeps a minute only in the session of the runner that is to be killed.
const SLOW: (&str, u64, &str) = (
    "0001_slow",
    B.1,
    "CREATE TABLE \"slow\" (\"id\" integer);\n--> statement-breakpoint\nSELECT pg_sleep(CASE WHEN current_setting('application_name') = 'crash-victim' THEN 60 ELSE 0.1 END);",
);

/// The process the crash test kills (re-executed with the environment set); run on its
/// own, it checks that the slow migration applies.
#[test]
fn crash_helper_runs_a_slow_migration() {
    if let (Ok(url), Ok(dir)) = (std::env::var(CRASH_URL), std::env::var(CRASH_DIR)) {
        let result = migrate_url(
            &url,
            &MigrationsFolder::new(dir),
            &MigrateOptions::default(),
            &mut Silent,
        );
        panic!("the crash helper should have been killed, but finished: {result:?}");
    }
    let db = fresh_database();
    let folder = Folder::with(&[A, SLOW]);
    assert_eq!(tags(&run(&db, &folder).unwrap()), ["0000_a", "0001_slow"]);
}

#[test]
fn a_runner_killed_mid_migration_needs_no_repair() {
    let db = fresh_database();
    let folder = Folder::with(&[A, SLOW, C]);
    let separator = if db.url().contains('?') { '&' } else { '?' };
    let mut victim = Command::new(std::env::current_exe().unwrap())
        .args([CRASH_HELPER, "--exact", "--nocapture", "--test-threads=1"])
        .env(
            CRASH_URL,
            format!("{}{separator}application_name=crash-victim", db.url()),
        )
        .env(CRASH_DIR, folder.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();

    let mut watcher = db.client();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let sleeping: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND application_name = 'crash-victim' AND query LIKE '%pg_sleep%' AND state = 'active'",
                &[],
            )
            .unwrap()
            .get(0);
        if sleeping == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the victim never reached its slow migration"
        );
        assert!(
            victim.try_wait().unwrap().is_none(),
            "the victim exited early"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    victim.kill().unwrap(); // SIGKILL
    victim.wait().unwrap();
    assert_eq!(
        created_at(&db),
        [A.1 as i64],
        "0000_a was committed before the kill"
    );

    // The killed session's transaction and lock go away without anyone's help.
    let started = Instant::now();
    let options = MigrateOptions {
        lock_wait_timeout: Some(Duration::from_secs(30)),
        ..MigrateOptions::default()
    };
    let report = run_with(&db, &folder, &options).unwrap();
    assert_eq!(tags(&report), ["0001_slow", "0002_c"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(rows(&db).len(), 3);
}

/// `13_add_drop_table` as `embed_migrations!` would compile it in.
static EMBEDDED: EmbeddedMigrations = EmbeddedMigrations {
    folder: "migrations-fixtures/cases/13_add_drop_table/out",
    migrations: &[
        EmbeddedMigration {
            tag: "0000_v1",
            when: 1700000000000,
            sql: include_str!(
                "../../../../migrations-fixtures/cases/13_add_drop_table/out/0000_v1.sql"
            ),
            breakpoints: true,
        },
        EmbeddedMigration {
            tag: "0001_v2",
            when: 1700000001000,
            sql: include_str!(
                "../../../../migrations-fixtures/cases/13_add_drop_table/out/0001_v2.sql"
            ),
            breakpoints: true,
        },
    ],
};

#[test]
fn embedded_migrations_migrate_a_database_like_their_folder() {
    let db = fresh_database();
    let report = migrate(
        &mut db.client(),
        &EMBEDDED,
        &MigrateOptions::default(),
        &mut Silent,
    )
    .unwrap();
    assert_eq!(tags(&report), ["0000_v1", "0001_v2"]);
    assert!(exists(&db, "keep") && exists(&db, "brand_new") && !exists(&db, "drop_me"));

    // The drizzle-kit folder they came from is the same migrations, already applied.
    let folder = MigrationsFolder::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../migrations-fixtures/cases/13_add_drop_table/out"),
    );
    let st = status(&mut db.client(), &folder, &TrackingTable::default()).unwrap();
    assert_eq!(st.in_state(MigrationState::Applied).count(), 2);
    assert!(st.missing.is_empty());
}

#[test]
fn events_report_each_migration_with_its_duration() {
    let db = fresh_database();
    let folder = Folder::with(&[A, B]);
    let mut seen = Vec::new();
    migrate(
        &mut db.client(),
        &folder.source(),
        &MigrateOptions::default(),
        &mut |e: &Event<'_>| {
            seen.push(match e {
                Event::LockAcquired { .. } => "lock".to_owned(),
                Event::Planned { applied, pending } => format!("plan {applied}+{pending}"),
                Event::MigrationStarted { index, total, tag } => {
                    format!("start {index}/{total} {tag}")
                }
                Event::MigrationApplied { tag, duration, .. } => {
                    assert!(*duration > Duration::ZERO);
                    format!("done {tag}")
                }
                other => format!("{other:?}"),
            })
        },
    )
    .unwrap();
    assert_eq!(
        seen,
        [
            "lock",
            "plan 0+2",
            "start 0/2 0000_a",
            "done 0000_a",
            "start 1/2 0001_b",
            "done 0001_b"
        ]
    );
}

/// drizzle-kit's own folders (the conformance corpus) apply, except where drizzle-kit's
/// SQL cannot run; those fail with the expected error and leave nothing behind.
#[test]
fn applies_every_drizzle_kit_fixture_folder() {
    let cases =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases");
    let expected_failures = [
        ("07_types_extensions_custom", "42704"), // postgis is not installed
        ("11_type_change", "42804"),             // drizzle-kit emits no USING (NOTES.md)
        ("31_index_concurrently_with", "25001"), // CONCURRENTLY without the no-transaction marker
        ("70_defaults_broken_literals", "42601"), // drizzle-kit's broken literal (NOTES.md)
    ];
    let mut case_dirs: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("out/meta/_journal.json").is_file())
        .collect();
    case_dirs.sort();
    assert!(case_dirs.len() > 40, "{} fixture folders", case_dirs.len());
    let mut failures = Vec::new();
    for case in case_dirs {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let folder = MigrationsFolder::new(case.join("out"));
        // Roles are cluster-wide: a fresh database does not isolate CREATE ROLE, so the
        // case takes them from every other test using them, and they are dropped afterwards.
        let roles = drizzle_testkit::roles_in_migrations(&case.join("out"));
        let _roles = (!roles.is_empty()).then(|| drizzle_testkit::exclusive_roles(&roles));
        let db = fresh_database();
        match migrate(
            &mut db.client(),
            &folder,
            &MigrateOptions::default(),
            &mut Silent,
        ) {
            Ok(report) => {
                // 67_defaults_bigint_crash has an empty journal: drizzle-kit crashed.
                let journal = folder.journal().unwrap();
                assert_eq!(report.applied.len(), journal.entries.len(), "{name}");
                let again = migrate(
                    &mut db.client(),
                    &folder,
                    &MigrateOptions::default(),
                    &mut Silent,
                )
                .unwrap();
                assert!(again.applied.is_empty(), "{name}");
            }
            Err(MigrateError::Statement(failure)) => {
                let recorded = rows(&db).len();
                assert_eq!(recorded, failure.committed_before.len(), "{name}");
                failures.push((name, failure.error.code.clone()));
            }
            Err(other) => panic!("{name}: {other}"),
        }
    }
    let expected: Vec<(String, String)> = expected_failures
        .iter()
        .map(|(c, code)| (c.to_string(), code.to_string()))
        .collect();
    assert_eq!(failures, expected);
}
