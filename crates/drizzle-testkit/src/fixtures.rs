//! The conformance corpus (`migrations-fixtures/` at the repository root), located the same
//! way from every crate's tests so that a new case folder is picked up everywhere.

use std::path::{Path, PathBuf};

/// The corpus root: drizzle-kit's real outputs, copied into the repository.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures")
}

/// The case folders of one part of the corpus (`"cases"`, `"push"`, `"pull"`), sorted.
pub fn case_dirs(part: &str) -> Vec<PathBuf> {
    subdirs(&root().join(part))
}

/// The sub-folders of `folder`, sorted by name.
pub fn subdirs(folder: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
                .path()
        })
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// A case folder's name (`"55_rename_table"`).
pub fn case_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_found_with_its_cases_in_order() {
        let cases = case_dirs("cases");
        assert!(cases.len() >= 40, "{} cases", cases.len());
        let names: Vec<String> = cases.iter().map(|d| case_name(d)).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names[0], "01_types_integers");
    }
}
