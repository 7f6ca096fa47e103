//! The migrations folder: `<tag>.sql` files, `meta/_journal.json` and `meta/*_snapshot.json`.

use crate::atomic::AtomicBatch;
use crate::journal::{JOURNAL_VERSION, Journal, JournalEntry};
use crate::{FolderError, Prefix, random_name};
use chrono::{DateTime, Utc};
use drizzle_schema::snapshot::{DIALECT, Snapshot, SnapshotError, VERSION};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A migration about to be written.
#[derive(Debug, Clone)]
pub struct NewMigration<'a> {
    /// The name after the prefix; a random `adjective_noun` when `None`.
    pub name: Option<&'a str>,
    /// How the file name is prefixed.
    pub prefix: Prefix,
    /// The SQL file's exact contents.
    pub sql: &'a str,
    /// The schema after this migration.
    pub snapshot: &'a Snapshot,
    /// Whether `sql` separates statements with breakpoints (recorded in the journal).
    pub breakpoints: bool,
}

/// Where a migration was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenMigration {
    /// The journal tag (`0001_brave_otter`).
    pub tag: String,
    /// `<root>/<tag>.sql`.
    pub sql_path: PathBuf,
    /// `<root>/meta/<prefix>_snapshot.json`.
    pub snapshot_path: PathBuf,
    /// `<root>/meta/_journal.json`.
    pub journal_path: PathBuf,
}

/// A migrations folder on disk (drizzle-kit 0.31 layout).
#[derive(Debug, Clone)]
pub struct MigrationsFolder {
    root: PathBuf,
}

impl MigrationsFolder {
    /// The folder at `root` (which need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        MigrationsFolder { root: root.into() }
    }

    /// The folder's path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/meta`.
    pub fn meta_dir(&self) -> PathBuf {
        self.root.join("meta")
    }

    /// `<root>/meta/_journal.json`.
    pub fn journal_path(&self) -> PathBuf {
        self.meta_dir().join("_journal.json")
    }

    /// The journal; an empty one (not written) when the folder has none yet.
    pub fn journal(&self) -> Result<Journal, FolderError> {
        let path = self.journal_path();
        match fs::read_to_string(&path) {
            Ok(text) => Journal::from_json(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Journal::empty()),
            Err(e) => Err(FolderError::io("cannot read", path)(e)),
        }
    }

    /// Snapshot files: `meta/*.json` not starting with `_`, sorted by name as drizzle-kit
    /// does (so the last one is the latest).
    pub fn snapshot_paths(&self) -> Result<Vec<PathBuf>, FolderError> {
        let meta = self.meta_dir();
        let entries = match fs::read_dir(&meta) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(FolderError::io("cannot list", meta)(e)),
        };
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(FolderError::io("cannot list", &meta))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with('_') && !name.starts_with('.') && name.ends_with(".json") {
                paths.push(entry.path());
            }
        }
        paths.sort();
        Ok(paths)
    }

    /// Refuses folders in drizzle-kit's pre-0.20 layout (an entry named by 14 digits).
    pub fn check_layout(&self) -> Result<(), FolderError> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(FolderError::io("cannot list", &self.root)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(FolderError::io("cannot list", &self.root))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.len() == 14 && name.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FolderError::OldLayout { path: entry.path() });
            }
        }
        Ok(())
    }

    /// Every snapshot read and validated; the last one (by file name) with its path.
    ///
    /// Fails on a snapshot that cannot be read, on an old layout, and when two
    /// snapshots share a `prevId` (two branches generated on the same parent). Only the
    /// last snapshot is parsed in full: of the others, only the header (`id`, `prevId`,
    /// `version`, `dialect`) is built, after checking the whole file is JSON.
    pub fn latest_snapshot(&self) -> Result<Option<(PathBuf, Snapshot)>, FolderError> {
        self.check_layout()?;
        let paths = self.snapshot_paths()?;
        let mut by_parent: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut latest = None;
        for (i, path) in paths.iter().enumerate() {
            let text = fs::read_to_string(path).map_err(FolderError::io("cannot read", path))?;
            let invalid = |source| FolderError::Snapshot {
                path: path.clone(),
                source,
            };
            let (prev_id, snapshot) = if i + 1 == paths.len() {
                let snapshot = Snapshot::from_json(&text).map_err(invalid)?;
                (snapshot.prev_id.clone(), Some(snapshot))
            } else {
                (read_prev_id(&text).map_err(invalid)?, None)
            };
            if let Some(first) = by_parent.insert(prev_id.clone(), path.clone()) {
                return Err(FolderError::Collision {
                    prev_id,
                    first,
                    second: path.clone(),
                });
            }
            latest = snapshot.map(|s| (path.clone(), s));
        }
        Ok(latest)
    }

    /// Writes the SQL file, the snapshot and the journal entry, all or nothing.
    ///
    /// Never overwrites a snapshot. With a time prefix (timestamp, supabase, unix) a
    /// migration written in the same second as the previous one would share its
    /// `meta/<prefix>_snapshot.json`: this waits for the next second instead (at most
    /// one second per try), so back-to-back runs (scripts, `generate --safe`'s split)
    /// just work. A snapshot that still exists (an orphan, a clock that went back) is
    /// refused with [`FolderError::SnapshotExists`].
    pub fn write_migration(&self, m: &NewMigration) -> Result<WrittenMigration, FolderError> {
        let name = match m.name {
            Some(name) => name.to_owned(),
            None => random_name(&mut rand::thread_rng()),
        };
        let mut now = Utc::now();
        if matches!(
            m.prefix,
            Prefix::Timestamp | Prefix::Supabase | Prefix::Unix
        ) {
            // The journal index only matters for the index prefix.
            for _ in 0..SAME_SECOND_TRIES {
                if !self.snapshot_path(m.prefix, 0, now).exists() {
                    break;
                }
                let into_second = u64::from(now.timestamp_subsec_millis());
                std::thread::sleep(std::time::Duration::from_millis(
                    1000 - into_second.min(999),
                ));
                now = Utc::now();
            }
        }
        self.write_migration_at(m, &name, now)
    }

    /// `meta/<prefix>_snapshot.json` of the migration with index `idx` written at `now`.
    fn snapshot_path(&self, prefix: Prefix, idx: u32, now: DateTime<Utc>) -> PathBuf {
        self.meta_dir()
            .join(format!("{}_snapshot.json", prefix.render(idx, now)))
    }

    /// `write_migration` with the name and clock fixed.
    pub(crate) fn write_migration_at(
        &self,
        m: &NewMigration,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<WrittenMigration, FolderError> {
        check_name(name)?;
        self.check_layout()?;
        let mut journal = self.journal()?;
        let idx = journal.next_idx();
        let when = next_when(&journal, now);
        let prefix = m.prefix.render(idx, now);
        let tag = format!("{prefix}_{name}");
        let written = WrittenMigration {
            sql_path: self.root.join(format!("{tag}.sql")),
            snapshot_path: self.snapshot_path(m.prefix, idx, now),
            journal_path: self.journal_path(),
            tag: tag.clone(),
        };
        if journal.entries.iter().any(|e| e.tag == tag) || written.sql_path.exists() {
            return Err(FolderError::InvalidName {
                name: name.to_owned(),
                reason: "a migration with this tag already exists",
            });
        }
        // drizzle-kit's `none` prefix keeps one `_snapshot.json`, rewritten every time.
        if m.prefix != Prefix::None && written.snapshot_path.exists() {
            return Err(FolderError::SnapshotExists {
                path: written.snapshot_path,
            });
        }
        journal.entries.push(JournalEntry {
            idx,
            version: JOURNAL_VERSION.to_owned(),
            when,
            tag,
            breakpoints: m.breakpoints,
        });

        let mut batch = AtomicBatch::default();
        batch.create_dir_all(&self.meta_dir())?;
        batch.write(&written.sql_path, m.sql.as_bytes())?;
        batch.write(&written.snapshot_path, m.snapshot.to_json().as_bytes())?;
        // Last: a journal entry must never point at files that are not there.
        batch.write(&written.journal_path, journal.to_json().as_bytes())?;
        batch.commit();
        Ok(written)
    }
}

/// The keys of a snapshot that place it in the chain; serde skips everything else
/// without building it (but still checks it is JSON).
#[derive(Deserialize)]
struct Header {
    // Checked to be a string, as the full reader does; the chain needs only `prevId`.
    #[serde(rename = "id")]
    _id: String,
    #[serde(rename = "prevId")]
    prev_id: String,
    version: String,
    dialect: String,
}

/// The `prevId` of a snapshot that is not the latest, reading its header only: parsing
/// every snapshot in full made each `generate` take seconds on long histories.
fn read_prev_id(text: &str) -> Result<String, SnapshotError> {
    match serde_json::from_str::<Header>(text) {
        Ok(h) if h.version == VERSION && h.dialect == DIALECT => Ok(h.prev_id),
        // Anything unusual goes through the full reader: its errors are the ones users
        // know, and it also accepts what the header struct is stricter about (duplicate keys).
        _ => Snapshot::from_json(text).map(|s| s.prev_id),
    }
}

/// How many seconds `write_migration` waits, one at a time, for a free snapshot name: one
/// is enough unless the clock is adjusted meanwhile.
const SAME_SECOND_TRIES: usize = 2;

fn check_name(name: &str) -> Result<(), FolderError> {
    let reason = if name.is_empty() {
        "it is empty"
    } else if name.contains(['/', '\\']) {
        "it contains a path separator"
    } else if name.chars().any(char::is_control) {
        "it contains a control character"
    } else {
        return Ok(());
    };
    Err(FolderError::InvalidName {
        name: name.to_owned(),
        reason,
    })
}

/// Epoch milliseconds of `now`, but always after the last entry's `when`: drizzle-orm's
/// migrator only applies entries newer than the last one it recorded, so a slow or
/// skewed clock must not produce a migration it would skip.
fn next_when(journal: &Journal, now: DateTime<Utc>) -> u64 {
    let now = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    match journal.entries.iter().map(|e| e.when).max() {
        Some(last) if last >= now => last + 1,
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn migration(snapshot: &Snapshot) -> NewMigration<'_> {
        NewMigration {
            name: None,
            prefix: Prefix::Timestamp,
            sql: "SELECT 1;",
            snapshot,
            breakpoints: true,
        }
    }

    #[test]
    fn tags_and_when_come_from_the_clock() {
        let dir = tempfile::tempdir().unwrap();
        let folder = MigrationsFolder::new(dir.path());
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 23, 37, 29).unwrap();
        let snapshot = Snapshot::empty();
        let w = folder
            .write_migration_at(&migration(&snapshot), "init", now)
            .unwrap();
        assert_eq!(w.tag, "20261120233729_init");
        assert_eq!(
            w.snapshot_path,
            dir.path().join("meta/20261120233729_snapshot.json")
        );
        assert_eq!(folder.journal().unwrap().entries[0].when, 1795217849000);
    }

    #[test]
    fn a_second_migration_in_the_same_second_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = MigrationsFolder::new(dir.path());
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 23, 37, 29).unwrap();
        let snapshot = Snapshot::empty();
        folder
            .write_migration_at(&migration(&snapshot), "a", now)
            .unwrap();
        let err = folder
            .write_migration_at(&migration(&snapshot), "b", now)
            .unwrap_err();
        assert!(
            matches!(&err, FolderError::SnapshotExists { path } if path.ends_with("meta/20261120233729_snapshot.json")),
            "{err}"
        );
        assert_eq!(folder.journal().unwrap().entries.len(), 1);
        assert!(!dir.path().join("20261120233729_b.sql").exists());
    }

    #[test]
    fn when_never_goes_backwards() {
        let dir = tempfile::tempdir().unwrap();
        let folder = MigrationsFolder::new(dir.path());
        let later = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let earlier = Utc.with_ymd_and_hms(2029, 1, 1, 0, 0, 0).unwrap();
        let snapshot = Snapshot::empty();
        folder
            .write_migration_at(&migration(&snapshot), "a", later)
            .unwrap();
        folder
            .write_migration_at(&migration(&snapshot), "b", earlier)
            .unwrap();
        let whens: Vec<u64> = folder
            .journal()
            .unwrap()
            .entries
            .iter()
            .map(|e| e.when)
            .collect();
        assert_eq!(whens, [1893456000000, 1893456000001]);
    }
}
