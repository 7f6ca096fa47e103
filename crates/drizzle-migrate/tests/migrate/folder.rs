//! The migrations folder on disk: tags, continuing drizzle-kit's folders, atomic writes
//! and the checks run before generating.

use drizzle_migrate::*;
use drizzle_schema::snapshot::{ORIGIN_ID, Snapshot};
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations-fixtures/cases")
        .join(case)
        .join("out")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted, to compare a folder before and after.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_owned();
            if path.is_dir() {
                out.push((rel, Vec::new()));
                walk(&path, root, out);
            } else {
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn next_snapshot(prev_id: &str, id: &str) -> Snapshot {
    let mut s = Snapshot::empty();
    s.id = id.to_owned();
    s.prev_id = prev_id.to_owned();
    s
}

fn write(
    folder: &MigrationsFolder,
    name: &str,
    prefix: Prefix,
    snapshot: &Snapshot,
) -> WrittenMigration {
    folder
        .write_migration(&NewMigration {
            name: Some(name),
            prefix,
            sql: "SELECT 1;",
            snapshot,
            breakpoints: true,
        })
        .unwrap()
}

/// Error text with the temp dir replaced, so it can be snapshotted.
fn redact(err: &FolderError, root: &Path) -> String {
    err.to_string()
        .replace(&root.display().to_string(), "<out>")
}

#[test]
fn tags_follow_each_prefix_mode() {
    let dir = tempfile::tempdir().unwrap();
    let folder = MigrationsFolder::new(dir.path().join("drizzle"));
    assert_eq!(folder.journal().unwrap(), Journal::empty());
    assert!(
        !folder.root().exists(),
        "reading must not create the folder"
    );

    let s0 = next_snapshot(ORIGIN_ID, "00000000-0000-0000-0000-000000000001");
    let w = write(&folder, "init", Prefix::Index, &s0);
    assert_eq!(w.tag, "0000_init");
    assert_eq!(w.sql_path, folder.root().join("0000_init.sql"));
    assert_eq!(
        w.snapshot_path,
        folder.root().join("meta/0000_snapshot.json")
    );
    assert_eq!(fs::read_to_string(&w.sql_path).unwrap(), "SELECT 1;");
    assert_eq!(fs::read_to_string(&w.snapshot_path).unwrap(), s0.to_json());

    let s1 = next_snapshot(&s0.id, "00000000-0000-0000-0000-000000000002");
    let w = write(&folder, "second", Prefix::Timestamp, &s1);
    let (prefix, name) = w.tag.split_once('_').unwrap();
    assert!(
        prefix.len() == 14 && prefix.bytes().all(|b| b.is_ascii_digit()),
        "{}",
        w.tag
    );
    assert_eq!(name, "second");
    assert_eq!(
        w.snapshot_path,
        folder.root().join(format!("meta/{prefix}_snapshot.json"))
    );

    let s2 = next_snapshot(&s1.id, "00000000-0000-0000-0000-000000000003");
    let w = write(&folder, "third", Prefix::Unix, &s2);
    let (prefix, _) = w.tag.split_once('_').unwrap();
    assert!(
        prefix.len() == 10 && prefix.bytes().all(|b| b.is_ascii_digit()),
        "{}",
        w.tag
    );

    let s3 = next_snapshot(&s2.id, "00000000-0000-0000-0000-000000000004");
    let w = write(&folder, "fourth", Prefix::None, &s3);
    assert_eq!(w.tag, "_fourth");
    assert_eq!(w.sql_path, folder.root().join("_fourth.sql"));
    assert_eq!(w.snapshot_path, folder.root().join("meta/_snapshot.json"));

    let journal = folder.journal().unwrap();
    let idx: Vec<u32> = journal.entries.iter().map(|e| e.idx).collect();
    assert_eq!(idx, [0, 1, 2, 3]);
    assert!(
        journal
            .entries
            .iter()
            .all(|e| e.version == "7" && e.breakpoints)
    );
    assert!(journal.entries.windows(2).all(|w| w[0].when <= w[1].when));
    let text = fs::read_to_string(folder.journal_path()).unwrap();
    assert!(text.starts_with("{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [\n    {\n      \"idx\": 0,"));
    assert!(text.ends_with("}\n  ]\n}"), "no trailing newline");

    // Latest = last file name, as in drizzle-kit: `_snapshot.json` is ignored and the
    // 14-digit timestamp prefix sorts after the 10-digit unix one.
    let (latest, snapshot) = folder.latest_snapshot().unwrap().unwrap();
    assert_eq!(snapshot, s1);
    assert!(
        latest
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("20")
    );
}

#[test]
fn random_names_are_used_without_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let folder = MigrationsFolder::new(dir.path());
    let w = folder
        .write_migration(&NewMigration {
            name: None,
            prefix: Prefix::Index,
            sql: "",
            snapshot: &Snapshot::empty(),
            breakpoints: false,
        })
        .unwrap();
    let (prefix, name) = w.tag.split_once('_').unwrap();
    assert_eq!(prefix, "0000");
    assert!(
        name.contains('_') && name.bytes().all(|b| b == b'_' || b.is_ascii_lowercase()),
        "{name}"
    );
    assert!(!folder.journal().unwrap().entries[0].breakpoints);
}

#[test]
fn continues_a_drizzle_kit_folder() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("47_view_create"), dir.path());
    let folder = MigrationsFolder::new(dir.path());
    let original_journal = fs::read_to_string(folder.journal_path()).unwrap();
    let journal = folder.journal().unwrap();
    assert_eq!(
        journal.to_json(),
        original_journal,
        "journal layout matches drizzle-kit"
    );

    let (path, prev) = folder.latest_snapshot().unwrap().unwrap();
    assert_eq!(path, dir.path().join("meta/0000_snapshot.json"));
    let next = next_snapshot(&prev.id, "00000000-0000-0000-0000-000000000002");
    let w = write(&folder, "more_views", Prefix::Index, &next);
    assert_eq!(w.tag, "0001_more_views");
    assert_eq!(w.snapshot_path, dir.path().join("meta/0001_snapshot.json"));

    let after = folder.journal().unwrap();
    assert_eq!(after.entries[0], journal.entries[0]);
    assert_eq!(after.entries[1].idx, 1);
    assert_eq!(after.entries[1].tag, "0001_more_views");
    assert_eq!(folder.latest_snapshot().unwrap().unwrap().1, next);
}

#[test]
fn a_failed_write_leaves_the_folder_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("47_view_create"), dir.path());
    // A directory where the new snapshot must go makes the second of three writes fail
    // (`none` is the prefix whose snapshot is rewritten, so it is not refused up front).
    fs::create_dir(dir.path().join("meta/_snapshot.json")).unwrap();
    let before = tree(dir.path());

    let folder = MigrationsFolder::new(dir.path());
    let err = folder
        .write_migration(&NewMigration {
            name: Some("doomed"),
            prefix: Prefix::None,
            sql: "SELECT 1;",
            snapshot: &next_snapshot(ORIGIN_ID, "x"),
            breakpoints: true,
        })
        .unwrap_err();
    assert!(matches!(err, FolderError::Io { .. }), "{err}");
    assert!(err.to_string().contains("_snapshot.json"), "{err}");
    assert_eq!(
        tree(dir.path()),
        before,
        "no file added, changed or left behind"
    );
}

#[test]
fn an_unreadable_journal_stops_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drizzle");
    fs::create_dir_all(root.join("meta/_journal.json/oops")).unwrap();
    let before = tree(&root);
    let err = MigrationsFolder::new(&root)
        .write_migration(&NewMigration {
            name: Some("x"),
            prefix: Prefix::None,
            sql: "",
            snapshot: &Snapshot::empty(),
            breakpoints: true,
        })
        .unwrap_err();
    assert!(err.to_string().contains("_journal.json"), "{err}");
    assert_eq!(tree(&root), before);
}

#[test]
fn branches_generated_on_the_same_parent_are_a_collision() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("47_view_create"), dir.path());
    let meta = dir.path().join("meta");
    let text = fs::read_to_string(meta.join("0000_snapshot.json")).unwrap();
    let branch = text.replace(
        "\"id\": \"00000000-0000-0000-0000-000000000001\"",
        "\"id\": \"00000000-0000-0000-0000-0000000000b2\"",
    );
    fs::write(meta.join("0001_snapshot.json"), branch).unwrap();
    let err = MigrationsFolder::new(dir.path())
        .latest_snapshot()
        .unwrap_err();
    insta::assert_snapshot!(redact(&err, dir.path()));
}

#[test]
fn bad_files_are_reported_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let folder = MigrationsFolder::new(dir.path());
    fs::create_dir(dir.path().join("meta")).unwrap();
    fs::write(
        folder.journal_path(),
        "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [\n    {\"idx\": 0, \"version\": \"7\", \"when\": -1, \"tag\": \"a\", \"breakpoints\": true}\n  ]\n}",
    )
    .unwrap();
    let journal = folder.journal().unwrap_err();

    fs::write(
        dir.path().join("meta/0000_snapshot.json"),
        Snapshot::empty()
            .to_json()
            .replace("\"tables\": {}", "\"tables\": []"),
    )
    .unwrap();
    let malformed = folder.latest_snapshot().unwrap_err();

    fs::write(
        dir.path().join("meta/0000_snapshot.json"),
        Snapshot::empty()
            .to_json()
            .replace("\"version\": \"7\"", "\"version\": \"6\""),
    )
    .unwrap();
    let outdated = folder.latest_snapshot().unwrap_err();

    fs::create_dir(dir.path().join("20230101120000")).unwrap();
    let old_layout = folder.latest_snapshot().unwrap_err();

    let messages = [journal, malformed, outdated, old_layout].map(|e| redact(&e, dir.path()));
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn names_that_are_not_file_names_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let folder = MigrationsFolder::new(dir.path());
    for name in ["", "a/b", "x\ny"] {
        let err = folder
            .write_migration(&NewMigration {
                name: Some(name),
                prefix: Prefix::Index,
                sql: "",
                snapshot: &Snapshot::empty(),
                breakpoints: true,
            })
            .unwrap_err();
        assert!(matches!(err, FolderError::InvalidName { .. }), "{err}");
    }
    assert!(fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn two_migrations_in_one_second_get_their_own_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let folder = MigrationsFolder::new(dir.path());
    let s0 = next_snapshot(ORIGIN_ID, "00000000-0000-0000-0000-000000000001");
    let s1 = next_snapshot(&s0.id, "00000000-0000-0000-0000-000000000002");
    for prefix in [Prefix::Timestamp, Prefix::Unix] {
        let first = write(&folder, "first", prefix, &s0);
        let second = write(&folder, "second", prefix, &s1);
        assert_ne!(first.snapshot_path, second.snapshot_path);
        assert_eq!(
            fs::read_to_string(&first.snapshot_path).unwrap(),
            s0.to_json()
        );
        assert_eq!(
            fs::read_to_string(&second.snapshot_path).unwrap(),
            s1.to_json()
        );
    }
}

#[test]
fn an_existing_snapshot_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("47_view_create"), dir.path());
    // An orphan left where the next migration's snapshot goes.
    fs::write(dir.path().join("meta/0001_snapshot.json"), "{}").unwrap();
    let before = tree(dir.path());
    let err = MigrationsFolder::new(dir.path())
        .write_migration(&NewMigration {
            name: Some("next"),
            prefix: Prefix::Index,
            sql: "SELECT 1;",
            snapshot: &Snapshot::empty(),
            breakpoints: true,
        })
        .unwrap_err();
    assert!(matches!(err, FolderError::SnapshotExists { .. }), "{err}");
    insta::assert_snapshot!(redact(&err, dir.path()));
    assert_eq!(tree(dir.path()), before, "nothing written");
}

/// A folder of three snapshots chained 1 → 2 → 3, with `edit` applied to the middle one.
fn chain_with_middle(edit: impl Fn(String) -> String) -> (tempfile::TempDir, MigrationsFolder) {
    let dir = tempfile::tempdir().unwrap();
    let folder = MigrationsFolder::new(dir.path());
    let ids = [
        ORIGIN_ID,
        "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0000-000000000002",
        "00000000-0000-0000-0000-000000000003",
    ];
    for (k, pair) in ids.windows(2).enumerate() {
        write(
            &folder,
            &format!("m{k}"),
            Prefix::Index,
            &next_snapshot(pair[0], pair[1]),
        );
    }
    let middle = dir.path().join("meta/0001_snapshot.json");
    let text = fs::read_to_string(&middle).unwrap();
    fs::write(&middle, edit(text)).unwrap();
    (dir, folder)
}

#[test]
fn only_the_latest_snapshot_is_parsed_in_full() {
    // The body of an earlier snapshot is never read again: it is not validated.
    let (_dir, folder) = chain_with_middle(|t| t.replace("\"tables\": {}", "\"tables\": []"));
    let (path, latest) = folder.latest_snapshot().unwrap().unwrap();
    assert!(path.ends_with("meta/0002_snapshot.json"));
    assert_eq!(latest.id, "00000000-0000-0000-0000-000000000003");

    // Keys the header struct would refuse twice are read as the full reader reads them.
    let (_dir, folder) = chain_with_middle(|t| t.replacen("{", "{\n  \"id\": \"dup\",", 1));
    assert!(folder.latest_snapshot().is_ok());
}

/// A change to a snapshot file's text.
type Edit = fn(String) -> String;

#[test]
fn earlier_snapshots_fail_with_the_full_readers_messages() {
    let edits: [(&str, Edit); 6] = [
        ("syntax", |t| t.replace("\"tables\": {}", "\"tables\": {")),
        ("outdated", |t| {
            t.replace("\"version\": \"7\"", "\"version\": \"6\"")
        }),
        ("newer", |t| {
            t.replace("\"version\": \"7\"", "\"version\": \"8\"")
        }),
        ("dialect", |t| t.replace("\"postgresql\"", "\"mysql\"")),
        ("id type", |t| {
            t.replace(
                "\"id\": \"00000000-0000-0000-0000-000000000002\"",
                "\"id\": 2",
            )
        }),
        ("not an object", |_| "[]".to_owned()),
    ];
    let mut report = String::new();
    for (label, edit) in edits {
        let (dir, folder) = chain_with_middle(edit);
        let middle = dir.path().join("meta/0001_snapshot.json");
        let full = Snapshot::from_json(&fs::read_to_string(&middle).unwrap()).unwrap_err();
        let err = folder.latest_snapshot().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: {full}", middle.display()),
            "{label}"
        );
        report.push_str(&format!("{label}: {}\n", redact(&err, dir.path())));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn a_collision_is_found_among_earlier_snapshots() {
    let (dir, folder) = chain_with_middle(|t| t);
    // A fourth snapshot continuing the first, as a second branch would write it.
    let branch = next_snapshot(
        "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0000-0000000000b2",
    );
    fs::write(
        dir.path().join("meta/0001b_snapshot.json"),
        branch.to_json(),
    )
    .unwrap();
    let err = folder.latest_snapshot().unwrap_err();
    assert!(matches!(err, FolderError::Collision { .. }), "{err}");
    assert!(
        redact(&err, dir.path()).starts_with(
            "<out>/meta/0001_snapshot.json and <out>/meta/0001b_snapshot.json both follow"
        ),
        "{err}"
    );
}
