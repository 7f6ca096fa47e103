//! An application migrating its own database: `embed_migrations!` compiles
//! `tests/migrations` into this test binary, and `drizzle::migrate` applies it (or the same
//! folder read at run time) to a real PostgreSQL.

use std::path::Path;

use drizzle::{MigrateError, MigrationSource, MigrationsFolder};
use drizzle_testkit::fresh_database;

static MIGRATIONS: drizzle::EmbeddedMigrations = drizzle::embed_migrations!("tests/migrations");

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/migrations");

/// Tracking rows as (created_at, hash), in id order.
fn rows(client: &mut drizzle::postgres::Client) -> Vec<(i64, String)> {
    client
        .query(
            "SELECT created_at, hash FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn tags(report: &drizzle::MigrateReport) -> Vec<&str> {
    report.applied.iter().map(|a| a.tag.as_str()).collect()
}

#[test]
fn the_binary_migrates_its_database_from_the_embedded_folder() {
    assert_eq!(MIGRATIONS.folder, "tests/migrations");
    assert_eq!(MIGRATIONS.migrations.len(), 3);
    let db = fresh_database();
    let mut client = db.client();

    let report = drizzle::migrate(&mut client, &MIGRATIONS).unwrap();
    assert_eq!(
        tags(&report),
        ["0000_init", "0001_posts", "0002_posts_concurrently"]
    );
    assert!(report.applied[2].no_transaction);
    let index: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_account_id_index'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(index, 1);
    client
        .batch_execute(
            "INSERT INTO accounts (email) VALUES ('a@example.com');
             INSERT INTO posts (account_id, title) SELECT id, 'hello' FROM accounts",
        )
        .unwrap();

    let again = drizzle::migrate(&mut client, &MIGRATIONS).unwrap();
    assert!(again.applied.is_empty());
    assert_eq!(again.already_applied, 3);
}

#[test]
fn embedded_and_folder_runs_record_the_same_rows() {
    let from_folder = MigrationsFolder::new(FOLDER).migrations().unwrap();
    let embedded = MIGRATIONS.migrations().unwrap();
    let identity = |ms: &[drizzle::Migration]| -> Vec<(String, u64, String)> {
        ms.iter()
            .map(|m| (m.tag.clone(), m.when, m.hash.clone()))
            .collect()
    };
    assert_eq!(identity(&from_folder), identity(&embedded));
    assert!(
        embedded[0]
            .origin
            .ends_with("tests/migrations/0000_init.sql (embedded)")
    );

    // The folder at run time, then the embedded copy: it finds everything applied.
    let db = fresh_database();
    let mut client = db.client();
    let report = drizzle::migrate(&mut client, FOLDER).unwrap();
    assert_eq!(report.applied.len(), 3);
    let recorded = rows(&mut client);
    let expected: Vec<(i64, String)> = from_folder
        .iter()
        .map(|m| (m.when as i64, m.hash.clone()))
        .collect();
    assert_eq!(recorded, expected);
    let status = drizzle::migration_status(&mut client, &MIGRATIONS).unwrap();
    assert!(
        status
            .migrations
            .iter()
            .all(|m| m.state == drizzle::MigrationState::Applied),
        "{status:?}"
    );
    assert!(
        drizzle::migrate(&mut client, &MIGRATIONS)
            .unwrap()
            .applied
            .is_empty()
    );
}

#[test]
fn an_edited_migration_stops_the_library_run_before_anything_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("migrations");
    std::fs::create_dir_all(copy.join("meta")).unwrap();
    for file in [
        "meta/_journal.json",
        "0000_init.sql",
        "0001_posts.sql",
        "0002_posts_concurrently.sql",
    ] {
        std::fs::copy(Path::new(FOLDER).join(file), copy.join(file)).unwrap();
    }
    let db = fresh_database();
    let mut client = db.client();
    drizzle::migrate(&mut client, &MIGRATIONS).unwrap();
    std::fs::write(
        copy.join("0000_init.sql"),
        "CREATE TABLE \"accounts\" (\"id\" bigserial PRIMARY KEY);\n",
    )
    .unwrap();
    let before = rows(&mut client);
    let err = drizzle::migrate(&mut client, copy.as_path()).unwrap_err();
    let MigrateError::Verification { problems } = &err else {
        panic!("expected a verification error, got {err}");
    };
    assert_eq!(problems.len(), 1, "{err}");
    assert!(
        err.to_string()
            .contains("0000_init was edited after it was applied"),
        "{err}"
    );
    assert_eq!(rows(&mut client), before);
}
