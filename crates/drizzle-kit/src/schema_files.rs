//! Turning `schema` paths and globs into the list of Rust files to parse.

use std::path::{Component, Path, PathBuf};

use globset::GlobBuilder;

use crate::diagnostics::Problem;
use crate::settings::{Origin, SchemaPattern};

const GLOB_CHARS: &[char] = &['*', '?', '[', '{'];

/// Every file named by `patterns`, each pattern's matches sorted, duplicates dropped.
/// A pattern that names no Rust file is an error: a typo must not produce an empty schema
/// (and a migration dropping everything).
pub fn collect(patterns: &[SchemaPattern]) -> Result<Vec<PathBuf>, Vec<Problem>> {
    if patterns.is_empty() {
        return Err(vec![Problem::new("no schema files configured").with_help(
            "set `schema = \"src/db/schema.rs\"` in drizzle.toml or pass `--schema <PATH>`",
        )]);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    for pattern in patterns {
        match matches(pattern) {
            Ok(found) if !found.is_empty() => {
                for f in found {
                    if !files.contains(&f) {
                        files.push(f);
                    }
                }
            }
            Ok(_) => problems.push(nothing_found(pattern, None)),
            Err(why) => problems.push(nothing_found(pattern, Some(why))),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

fn nothing_found(pattern: &SchemaPattern, why: Option<String>) -> Problem {
    let message = match why {
        Some(why) => format!("invalid schema glob `{}`: {why}", pattern.pattern),
        None => format!("no schema files found for `{}`", pattern.pattern),
    };
    match &pattern.origin {
        Origin::Flag => Problem::new(message)
            .with_help("`--schema` paths are relative to the working directory"),
        Origin::Config { source, span } => Problem::new(message)
            .at(source, span.clone(), "matches no `.rs` file")
            .with_help("paths in the config file are relative to the directory that holds it"),
    }
}

/// Drops `.` components so walked paths and the glob agree on spelling.
fn normalized(base: &Path, pattern: &str) -> PathBuf {
    base.join(pattern)
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

fn is_rust(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
}

fn matches(pattern: &SchemaPattern) -> Result<Vec<PathBuf>, String> {
    let full = normalized(&pattern.base, &pattern.pattern);
    if !pattern.pattern.contains(GLOB_CHARS) {
        if full.is_file() {
            return Ok(vec![full]);
        }
        if full.is_dir() {
            // Like drizzle-kit, a directory adds its direct files only; `dir/**/*.rs`
            // says "recursively" explicitly.
            let mut found: Vec<PathBuf> = std::fs::read_dir(&full)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_rust(p))
                .collect();
            found.sort();
            return Ok(found);
        }
        return Ok(Vec::new());
    }
    let root: PathBuf = full
        .components()
        .take_while(|c| !c.as_os_str().to_string_lossy().contains(GLOB_CHARS))
        .collect();
    let glob = GlobBuilder::new(&full.to_string_lossy())
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())?
        .compile_matcher();
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_rust(e.path()) && glob.is_match(e.path()))
        .map(walkdir::DirEntry::into_path)
        .collect();
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(base: &Path, p: &str) -> SchemaPattern {
        SchemaPattern {
            pattern: p.into(),
            base: base.to_path_buf(),
            origin: Origin::Flag,
        }
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("db/nested")).unwrap();
        for f in ["db/a.rs", "db/b.rs", "db/notes.md", "db/nested/c.rs"] {
            std::fs::write(root.join(f), "").unwrap();
        }
        dir
    }

    fn names(root: &Path, files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| {
                f.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn directory_adds_its_direct_rust_files() {
        let dir = tree();
        let files = collect(&[flag(dir.path(), "./db")]).unwrap();
        assert_eq!(names(dir.path(), &files), ["db/a.rs", "db/b.rs"]);
    }

    #[test]
    fn globs_recurse_only_when_asked_and_deduplicate() {
        let dir = tree();
        let files =
            collect(&[flag(dir.path(), "db/*.rs"), flag(dir.path(), "db/**/*.rs")]).unwrap();
        assert_eq!(
            names(dir.path(), &files),
            ["db/a.rs", "db/b.rs", "db/nested/c.rs"]
        );
    }

    #[test]
    fn nothing_matched_is_an_error_per_pattern() {
        let dir = tree();
        let problems = collect(&[
            flag(dir.path(), "nope/*.rs"),
            flag(dir.path(), "db/a.rs"),
            flag(dir.path(), "x.rs"),
        ])
        .unwrap_err();
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "no schema files found for `nope/*.rs`",
                "no schema files found for `x.rs`"
            ]
        );
    }
}
