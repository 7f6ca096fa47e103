//! All-or-nothing file writes: each file goes to a temp file in its directory, is
//! fsynced and renamed into place; on failure every rename of this batch is undone.

use crate::FolderError;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A batch of file writes that can be undone until it is committed.
#[derive(Default)]
pub(crate) struct AtomicBatch {
    /// Directories this batch created, innermost last.
    created_dirs: Vec<PathBuf>,
    /// Files put in place, with the backup of what they replaced.
    placed: Vec<(PathBuf, Option<PathBuf>)>,
}

impl AtomicBatch {
    /// Creates `dir` and its missing parents, remembering which ones were new.
    pub(crate) fn create_dir_all(&mut self, dir: &Path) -> Result<(), FolderError> {
        let mut missing = Vec::new();
        let mut cursor = Some(dir);
        while let Some(d) = cursor {
            if d.as_os_str().is_empty() || d.exists() {
                break;
            }
            missing.push(d.to_owned());
            cursor = d.parent();
        }
        for d in missing.into_iter().rev() {
            fs::create_dir(&d).map_err(FolderError::io("cannot create directory", &d))?;
            self.created_dirs.push(d);
        }
        Ok(())
    }

    /// Writes `contents` to `path` through a synced temp file and a rename.
    pub(crate) fn write(&mut self, path: &Path, contents: &[u8]) -> Result<(), FolderError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut temp = tempfile::Builder::new()
            .prefix(".drizzle-tmp-")
            .tempfile_in(dir)
            .map_err(FolderError::io("cannot create a temporary file in", dir))?;
        temp.write_all(contents)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(FolderError::io("cannot write", temp.path()))?;

        // Renaming over an existing file would lose it if a later step fails: move it aside first.
        let backup = if path.is_file() {
            let backup = temp.path().with_extension("bak");
            fs::rename(path, &backup).map_err(FolderError::io("cannot move aside", path))?;
            Some(backup)
        } else {
            None
        };
        match temp.persist(path) {
            Ok(_) => {
                self.placed.push((path.to_owned(), backup));
                sync_dir(dir);
                Ok(())
            }
            Err(e) => {
                if let Some(backup) = backup {
                    let _ = fs::rename(backup, path);
                }
                Err(FolderError::Io {
                    action: "cannot write",
                    path: path.to_owned(),
                    source: e.error,
                })
            }
        }
    }

    /// Keeps everything written; drops the backups.
    pub(crate) fn commit(mut self) {
        for (_, backup) in self.placed.drain(..) {
            if let Some(backup) = backup {
                let _ = fs::remove_file(backup);
            }
        }
        self.created_dirs.clear();
    }
}

impl Drop for AtomicBatch {
    /// Not committed: put the folder back as it was, newest change first.
    fn drop(&mut self) {
        for (path, backup) in self.placed.drain(..).rev() {
            match backup {
                Some(backup) => {
                    let _ = fs::rename(backup, &path);
                }
                None => {
                    let _ = fs::remove_file(&path);
                }
            }
        }
        for dir in self.created_dirs.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Makes a rename durable; best effort, as not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walk(dir);
        names.sort();
        names
    }

    fn walk(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let content = fs::read_to_string(&path).unwrap_or_default();
            out.push(format!("{}={content}", path.display()));
            if path.is_dir() {
                out.extend(walk(&path));
            }
        }
        out
    }

    #[test]
    fn dropping_an_uncommitted_batch_restores_replaced_files_and_removes_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.json");
        fs::write(&kept, "old").unwrap();
        let before = listing(dir.path());
        {
            let mut batch = AtomicBatch::default();
            let nested = dir.path().join("new/meta");
            batch.create_dir_all(&nested).unwrap();
            batch.write(&nested.join("a.sql"), b"a").unwrap();
            batch.write(&kept, b"new").unwrap();
            assert_eq!(fs::read_to_string(&kept).unwrap(), "new");
            // A directory in the way: the rename fails and the batch is dropped uncommitted.
            fs::create_dir(dir.path().join("blocked")).unwrap();
            let err = batch.write(&dir.path().join("blocked"), b"x").unwrap_err();
            assert!(err.to_string().contains("blocked"), "{err}");
            fs::remove_dir(dir.path().join("blocked")).unwrap();
        }
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn committed_batches_keep_files_and_drop_backups() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "old").unwrap();
        let mut batch = AtomicBatch::default();
        batch.write(&file, b"new").unwrap();
        batch.commit();
        assert_eq!(listing(dir.path()), [format!("{}=new", file.display())]);
    }
}
