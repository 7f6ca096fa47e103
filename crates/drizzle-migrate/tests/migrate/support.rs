//! Migrations folders written by hand and looks at the database, shared by the runner tests.

use drizzle_migrate::{Journal, JournalEntry, MigrationsFolder};
use drizzle_testkit::TestDatabase;
use std::fs;
use std::path::Path;

/// A migrations folder in a temporary directory, journal kept in step with the files.
pub struct Folder {
    pub dir: tempfile::TempDir,
    entries: Vec<JournalEntry>,
}

impl Folder {
    pub fn new() -> Folder {
        Folder {
            dir: tempfile::tempdir().unwrap(),
            entries: Vec::new(),
        }
    }

    /// A folder with `migrations` as (tag, when, sql).
    pub fn with(migrations: &[(&str, u64, &str)]) -> Folder {
        let mut folder = Folder::new();
        for (tag, when, sql) in migrations {
            folder.add(tag, *when, sql);
        }
        folder
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn source(&self) -> MigrationsFolder {
        MigrationsFolder::new(self.dir.path())
    }

    pub fn add(&mut self, tag: &str, when: u64, sql: &str) {
        self.entries.push(JournalEntry {
            idx: self.entries.len() as u32,
            version: "7".into(),
            when,
            tag: tag.into(),
            breakpoints: true,
        });
        self.write_sql(tag, sql);
        self.write_journal();
    }

    pub fn write_sql(&self, tag: &str, sql: &str) {
        fs::write(self.dir.path().join(format!("{tag}.sql")), sql).unwrap();
    }

    /// Drops a migration from the journal and deletes its file.
    pub fn remove(&mut self, tag: &str) {
        self.entries.retain(|e| e.tag != tag);
        fs::remove_file(self.dir.path().join(format!("{tag}.sql"))).unwrap();
        self.write_journal();
    }

    fn write_journal(&self) {
        let mut journal = Journal::empty();
        journal.entries = self.entries.clone();
        fs::create_dir_all(self.dir.path().join("meta")).unwrap();
        fs::write(
            self.dir.path().join("meta/_journal.json"),
            journal.to_json(),
        )
        .unwrap();
    }

    /// `text` with this folder's path replaced by `<out>`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.dir.path().display().to_string(), "<out>")
    }
}

/// Tracking rows as (id, hash, created_at), by id.
pub fn rows(db: &TestDatabase) -> Vec<(i32, String, i64)> {
    rows_in(db, "\"drizzle\".\"__drizzle_migrations\"")
}

pub fn rows_in(db: &TestDatabase, table: &str) -> Vec<(i32, String, i64)> {
    db.client()
        .query(
            &format!("SELECT id, hash, created_at FROM {table} ORDER BY id"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The `created_at` of every tracking row, by id.
pub fn created_at(db: &TestDatabase) -> Vec<i64> {
    rows(db).into_iter().map(|r| r.2).collect()
}

/// Whether a relation (table, index, schema-qualified or not) exists.
pub fn exists(db: &TestDatabase, relation: &str) -> bool {
    db.client()
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&relation])
        .unwrap()
        .get(0)
}
