//! `embed_migrations!("dir")`: reads `$CARGO_MANIFEST_DIR/dir/meta/_journal.json` while
//! compiling and expands to a `drizzle::EmbeddedMigrations` holding every migration's text.
//!
//! The files are pulled in with `include_str!`/`include_bytes!` on absolute paths rather
//! than read here only, so cargo tracks them: editing a migration or the journal rebuilds
//! the crate that embeds them.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use serde::Deserialize;
use syn::LitStr;

/// The folder used when the macro is given no argument (drizzle-kit's default `out`).
const DEFAULT_FOLDER: &str = "drizzle";

/// The part of a journal entry the runner needs, with the runner's own field rules.
#[derive(Debug, Deserialize)]
struct Entry {
    tag: String,
    when: u64,
    breakpoints: bool,
}

#[derive(Debug, Deserialize)]
struct Journal {
    dialect: String,
    entries: Vec<Entry>,
}

/// The macro's expansion, or the compile error naming the folder or journal problem.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let (folder, span) = if input.is_empty() {
        (DEFAULT_FOLDER.to_owned(), Span::call_site())
    } else {
        match syn::parse2::<LitStr>(input) {
            Ok(lit) => (lit.value(), lit.span()),
            Err(_) => {
                return syn::Error::new(
                    Span::call_site(),
                    "expected the migrations folder as a string literal, relative to the crate's Cargo.toml: `embed_migrations!(\"drizzle\")`",
                )
                .to_compile_error();
            }
        }
    };
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return syn::Error::new(span, "CARGO_MANIFEST_DIR is not set: build with cargo")
            .to_compile_error();
    };
    match embed(Path::new(&manifest_dir), &folder) {
        Ok(tokens) => tokens,
        Err(message) => syn::Error::new(span, message).to_compile_error(),
    }
}

/// The expansion for `folder` below `manifest_dir`; the error is the whole message.
fn embed(manifest_dir: &Path, folder: &str) -> Result<TokenStream, String> {
    let root = manifest_dir.join(folder);
    if !root.is_dir() {
        return Err(format!(
            "migrations folder `{folder}` not found: {} is not a directory (the path is relative to the crate's Cargo.toml)",
            root.display()
        ));
    }
    let journal_path = root.join("meta").join("_journal.json");
    let text = std::fs::read_to_string(&journal_path).map_err(|e| {
        format!(
            "cannot read {folder}/meta/_journal.json ({e}): not a migrations folder; run `drizzle-kit generate` first"
        )
    })?;
    let journal: Journal = serde_json::from_str(&text)
        .map_err(|e| format!("malformed journal {folder}/meta/_journal.json: {e}"))?;
    if journal.dialect != "postgresql" {
        return Err(format!(
            "{folder}/meta/_journal.json: dialect is {:?}; only \"postgresql\" folders are supported",
            journal.dialect
        ));
    }
    let mut migrations = Vec::new();
    for entry in &journal.entries {
        let sql_path = sql_file(&root, folder, &entry.tag)?;
        let tag = &entry.tag;
        let when = entry.when;
        let breakpoints = entry.breakpoints;
        let sql_path = path_literal(&sql_path)?;
        migrations.push(quote! {
            ::drizzle::EmbeddedMigration {
                tag: #tag,
                when: #when,
                sql: ::core::include_str!(#sql_path),
                breakpoints: #breakpoints,
            }
        });
    }
    let journal_path = path_literal(&journal_path)?;
    Ok(quote! {
        {
            const _: &[u8] = ::core::include_bytes!(#journal_path);
            const MIGRATIONS: &[::drizzle::EmbeddedMigration] = &[#(#migrations),*];
            ::drizzle::EmbeddedMigrations {
                folder: #folder,
                migrations: MIGRATIONS,
            }
        }
    })
}

/// `<root>/<tag>.sql`, refusing tags that would leave the folder.
fn sql_file(root: &Path, folder: &str, tag: &str) -> Result<PathBuf, String> {
    if tag.is_empty() || tag.contains(['/', '\\']) || tag.starts_with('.') {
        return Err(format!(
            "{folder}/meta/_journal.json: the tag {tag:?} is not a file name"
        ));
    }
    let path = root.join(format!("{tag}.sql"));
    if !path.is_file() {
        return Err(format!(
            "{folder}/meta/_journal.json lists {tag}, but {folder}/{tag}.sql does not exist"
        ));
    }
    Ok(path)
}

/// `include_str!` takes a string literal; a path that is not UTF-8 cannot be one.
fn path_literal(path: &Path) -> Result<String, String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{} is not a UTF-8 path", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn folder(journal: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("migrations/meta")).unwrap();
        fs::write(dir.path().join("migrations/meta/_journal.json"), journal).unwrap();
        for (name, text) in files {
            fs::write(dir.path().join("migrations").join(name), text).unwrap();
        }
        dir
    }

    const JOURNAL: &str = r#"{"version":"7","dialect":"postgresql","entries":[
        {"idx":0,"version":"7","when":1700000000000,"tag":"0000_init","breakpoints":true}]}"#;

    #[test]
    fn expands_to_included_files() {
        let dir = folder(JOURNAL, &[("0000_init.sql", "SELECT 1;")]);
        let tokens = embed(dir.path(), "migrations").unwrap().to_string();
        let root = dir.path().join("migrations");
        for expected in [
            format!(
                "include_bytes ! ({:?})",
                root.join("meta/_journal.json").display().to_string()
            ),
            format!(
                "include_str ! ({:?})",
                root.join("0000_init.sql").display().to_string()
            ),
            "tag : \"0000_init\"".to_owned(),
            "when : 1700000000000u64".to_owned(),
            "folder : \"migrations\"".to_owned(),
        ] {
            assert!(tokens.contains(&expected), "{expected} in {tokens}");
        }
    }

    #[test]
    fn errors_name_the_folder_and_the_journal_problem() {
        let missing_file = folder(JOURNAL, &[]);
        let bad_json = folder("{\"version\":\"7\",", &[]);
        let mysql = folder(r#"{"version":"7","dialect":"mysql","entries":[]}"#, &[]);
        let escaping = folder(
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":1,"tag":"../x","breakpoints":true}]}"#,
            &[],
        );
        let no_when = folder(
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","tag":"0000_a","breakpoints":true}]}"#,
            &[],
        );
        let empty = tempfile::tempdir().unwrap();
        fs::create_dir(empty.path().join("migrations")).unwrap();
        let err = |dir: &Path, name: &str| embed(dir, name).unwrap_err();
        let messages = [
            err(missing_file.path(), "migrations"),
            err(bad_json.path(), "migrations"),
            err(mysql.path(), "migrations"),
            err(escaping.path(), "migrations"),
            err(no_when.path(), "migrations"),
            err(empty.path(), "migrations").replace(&empty.path().display().to_string(), "<crate>"),
            err(empty.path(), "nowhere").replace(&empty.path().display().to_string(), "<crate>"),
        ];
        insta::assert_snapshot!(messages.join("\n"));
    }
}
