//! Where the runner gets its migrations: a folder on disk, or a list compiled into the
//! binary, so embedding migrations needs no change to the runner.

use crate::{BREAKPOINT, FolderError, MigrateError, MigrationsFolder, checksum};
use std::borrow::Cow;
use std::fs;

/// The first line that makes a migration run outside a transaction.
pub const NO_TRANSACTION_MARKER: &str = "-- drizzle:no-transaction";

/// One migration, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Journal tag (`0001_brave_otter`), the file name without `.sql`.
    pub tag: String,
    /// Journal `when` (epoch ms), recorded as `created_at`.
    pub when: u64,
    /// The file's text.
    pub sql: Cow<'static, str>,
    /// The journal's `breakpoints` flag (informative: the text is split either way, as drizzle-orm does).
    pub breakpoints: bool,
    /// sha256 of the file, lowercase hex, as drizzle-orm records it.
    pub hash: String,
    /// Where the text came from, for messages (`drizzle/0001_brave_otter.sql`).
    pub origin: String,
}

impl Migration {
    /// A migration from its text; the hash is computed here.
    pub fn new(
        tag: impl Into<String>,
        when: u64,
        sql: impl Into<Cow<'static, str>>,
        breakpoints: bool,
        origin: impl Into<String>,
    ) -> Migration {
        let sql = sql.into();
        Migration {
            tag: tag.into(),
            when,
            hash: checksum(sql.as_bytes()),
            sql,
            breakpoints,
            origin: origin.into(),
        }
    }

    /// Whether the file opts out of transactions with `-- drizzle:no-transaction` on its first line.
    pub fn no_transaction(&self) -> bool {
        let first = self.sql.trim_start_matches('\u{feff}').lines().next();
        first.is_some_and(|line| line.trim_end() == NO_TRANSACTION_MARKER)
    }

    /// The statements to execute, each with its byte offset in the file; chunks holding
    /// only whitespace are left out (drizzle-orm sends them; PostgreSQL ignores them).
    pub fn statements(&self) -> Vec<Statement<'_>> {
        let mut out = Vec::new();
        let mut offset = 0;
        for chunk in self.sql.split(BREAKPOINT) {
            if !chunk.trim().is_empty() {
                out.push(Statement {
                    sql: chunk,
                    offset,
                    index: out.len(),
                });
            }
            offset += chunk.len() + BREAKPOINT.len();
        }
        out
    }
}

/// A chunk of a migration between breakpoints (it may hold several SQL statements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The chunk's text, surrounding whitespace included.
    pub sql: &'a str,
    /// Byte offset of the chunk in the file.
    pub offset: usize,
    /// 0-based position among the migration's non-empty chunks.
    pub index: usize,
}

impl Statement<'_> {
    /// 1-based line of the file where the statement starts: the chunk's first line that
    /// is neither blank nor a `--` comment (its first line when it has no other).
    pub fn line(&self, file: &str) -> usize {
        let mut at = 0;
        for line in self.sql.split_inclusive('\n') {
            let code = line.trim();
            if !code.is_empty() && !code.starts_with("--") {
                return line_of(
                    file,
                    self.offset + at + (line.len() - line.trim_start().len()),
                );
            }
            at += line.len();
        }
        let lead = self.sql.len() - self.sql.trim_start().len();
        line_of(file, self.offset + lead)
    }
}

/// 1-based line of the byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Anything that lists migrations in the order they apply.
pub trait MigrationSource {
    /// The migrations, in journal order.
    fn migrations(&self) -> Result<Vec<Migration>, MigrateError>;
}

impl MigrationSource for MigrationsFolder {
    /// Reads the journal and every `<tag>.sql` it lists; a listed file that is missing is an error.
    fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        self.check_layout()?;
        let journal_path = self.journal_path();
        if !journal_path.is_file() {
            return Err(MigrateError::NoJournal { path: journal_path });
        }
        let journal = self.journal()?;
        journal
            .entries
            .iter()
            .map(|entry| {
                let path = self.root().join(format!("{}.sql", entry.tag));
                let bytes = fs::read(&path).map_err(FolderError::io("cannot read", &path))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| MigrateError::NotUtf8 { path: path.clone() })?;
                Ok(Migration::new(
                    entry.tag.clone(),
                    entry.when,
                    text,
                    entry.breakpoints,
                    path.display().to_string(),
                ))
            })
            .collect()
    }
}

/// A migration compiled into the binary (what `embed_migrations!` expands to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigration {
    /// Journal tag.
    pub tag: &'static str,
    /// Journal `when` (epoch ms).
    pub when: u64,
    /// The file's text (`include_str!`).
    pub sql: &'static str,
    /// The journal's `breakpoints` flag.
    pub breakpoints: bool,
}

/// A migrations folder compiled into the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigrations {
    /// The folder the migrations were read from at compile time, for messages.
    pub folder: &'static str,
    /// The migrations, in journal order.
    pub migrations: &'static [EmbeddedMigration],
}

impl MigrationSource for EmbeddedMigrations {
    fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        Ok(self
            .migrations
            .iter()
            .map(|m| {
                let origin = format!("{}/{}.sql (embedded)", self.folder, m.tag);
                Migration::new(m.tag, m.when, m.sql, m.breakpoints, origin)
            })
            .collect())
    }
}

impl MigrationSource for [Migration] {
    fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        Ok(self.to_vec())
    }
}

impl MigrationSource for Vec<Migration> {
    fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        Ok(self.clone())
    }
}

impl<T: MigrationSource + ?Sized> MigrationSource for &T {
    fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        (**self).migrations()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migration(sql: &'static str) -> Migration {
        Migration::new("0000_a", 1, sql, true, "drizzle/0000_a.sql")
    }

    #[test]
    fn statements_know_their_line() {
        let sql = "CREATE TABLE \"t\" (\n\t\"id\" integer\n);\n--> statement-breakpoint\nCREATE INDEX \"i\" ON \"t\" (\"id\");--> statement-breakpoint\n\n--> statement-breakpoint\nSELECT 1;";
        let m = migration(sql);
        let lines: Vec<(usize, usize)> = m
            .statements()
            .iter()
            .map(|s| (s.index, s.line(sql)))
            .collect();
        assert_eq!(lines, [(0, 1), (1, 5), (2, 8)]);
        assert_eq!(m.statements()[2].sql, "\nSELECT 1;");
        let marked = "-- drizzle:no-transaction\n\nCREATE INDEX CONCURRENTLY i ON t (a);";
        assert_eq!(migration(marked).statements()[0].line(marked), 3);
    }

    #[test]
    fn no_transaction_only_on_the_first_line() {
        assert!(
            migration("-- drizzle:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);")
                .no_transaction()
        );
        assert!(migration("-- drizzle:no-transaction\r\nSELECT 1;").no_transaction());
        assert!(!migration("SELECT 1;\n-- drizzle:no-transaction").no_transaction());
        assert!(!migration("-- drizzle:no-transaction-please\nSELECT 1;").no_transaction());
    }

    #[test]
    fn embedded_and_folder_sources_agree() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("meta")).unwrap();
        fs::write(
            dir.path().join("meta/_journal.json"),
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":5,"tag":"0000_a","breakpoints":true}]}"#,
        )
        .unwrap();
        fs::write(dir.path().join("0000_a.sql"), "SELECT 1;").unwrap();
        let from_folder = MigrationsFolder::new(dir.path()).migrations().unwrap();
        static EMBEDDED: &[EmbeddedMigration] = &[EmbeddedMigration {
            tag: "0000_a",
            when: 5,
            sql: "SELECT 1;",
            breakpoints: true,
        }];
        let embedded = EmbeddedMigrations {
            folder: "drizzle",
            migrations: EMBEDDED,
        }
        .migrations()
        .unwrap();
        assert_eq!(from_folder[0].hash, embedded[0].hash);
        assert_eq!(
            (from_folder[0].tag.as_str(), from_folder[0].when),
            (embedded[0].tag.as_str(), embedded[0].when)
        );
        assert_eq!(embedded[0].origin, "drizzle/0000_a.sql (embedded)");
    }

    #[test]
    fn folder_without_journal_or_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = MigrationsFolder::new(dir.path()).migrations().unwrap_err();
        assert!(matches!(err, MigrateError::NoJournal { .. }), "{err}");
        fs::create_dir(dir.path().join("meta")).unwrap();
        fs::write(
            dir.path().join("meta/_journal.json"),
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":5,"tag":"0000_a","breakpoints":true}]}"#,
        )
        .unwrap();
        let err = MigrationsFolder::new(dir.path()).migrations().unwrap_err();
        assert!(err.to_string().contains("0000_a.sql"), "{err}");
    }
}
