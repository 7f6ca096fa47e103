//! `drizzle.toml`: reading, `${VAR}` expansion and validation into typed values.
//!
//! Every problem points at the offending value (file:line:column from toml's spans) and
//! all of them are reported at once, so a broken file is fixed in one round trip.

mod interpolate;
mod raw;
mod validate;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Problem, Source, source};
use crate::env::Environment;
use crate::settings::{Credentials, RolesFilter};
use crate::suggest;
use crate::values::{CasingMode, Dialect, Extension, PrefixMode};
use raw::RawConfig;

pub use interpolate::{InterpolateError, interpolate};

/// The name looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "drizzle.toml";

/// A value from the file and where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The validated value.
    pub value: T,
    /// Byte range of the value in the file.
    pub span: Range<usize>,
}

/// A validated `drizzle.toml`; `None` means the key was absent.
#[derive(Debug, Clone)]
pub struct FileConfig {
    /// The file's text, for diagnostics raised later (e.g. a glob that matches nothing).
    pub source: Source,
    /// The directory relative paths in the file are resolved against.
    pub dir: PathBuf,
    /// `dialect`.
    pub dialect: Option<Dialect>,
    /// `schema` patterns, as written (relative to `dir`).
    pub schema: Vec<Located<String>>,
    /// `out`, resolved against `dir`.
    pub out: Option<PathBuf>,
    /// `breakpoints`.
    pub breakpoints: Option<bool>,
    /// `strict`.
    pub strict: Option<bool>,
    /// `verbose`.
    pub verbose: Option<bool>,
    /// `casing`.
    pub casing: Option<CasingMode>,
    /// `tables_filter`.
    pub tables_filter: Option<Vec<String>>,
    /// `schema_filter`.
    pub schema_filter: Option<Vec<String>>,
    /// `extensions_filters`.
    pub extensions_filters: Option<Vec<Extension>>,
    /// `[db_credentials]`.
    pub credentials: Option<Credentials>,
    /// `[migrations] table`.
    pub migrations_table: Option<String>,
    /// `[migrations] schema`.
    pub migrations_schema: Option<String>,
    /// `[migrations] prefix`.
    pub prefix: Option<PrefixMode>,
    /// `[migrations] lock_timeout`: PostgreSQL `lock_timeout` while `migrate` runs.
    pub migrations_lock_timeout: Option<std::time::Duration>,
    /// `[migrations] statement_timeout`: PostgreSQL `statement_timeout` while `migrate` runs.
    pub migrations_statement_timeout: Option<std::time::Duration>,
    /// `[entities] roles`.
    pub roles: Option<RolesFilter>,
    /// `safe`: generate writes the safe form of migrations.
    pub safe: Option<bool>,
    /// `[lint]`.
    pub lint: Option<drizzle_lint::LintConfig>,
}

/// Reads and validates the file at `path`; `display` is how reports name it.
pub fn load(path: &Path, display: &str, env: &Environment) -> Result<FileConfig, Vec<Problem>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![
            Problem::new(format!("cannot read config file {display}: {e}"))
                .with_help("pass an existing file with `--config <PATH>`"),
        ]
    })?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    parse(display, &text, &dir, env)
}

/// Validates `text` as a config file living in `dir`.
pub fn parse(
    display: &str,
    text: &str,
    dir: &Path,
    env: &Environment,
) -> Result<FileConfig, Vec<Problem>> {
    let src = source(display, text);
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_problem(&src, &e)])?;
    let (config, mut problems) = validate::config(raw, dir, &src, env);
    if problems.is_empty() {
        Ok(config)
    } else {
        problems.sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
        Err(problems)
    }
}

/// Turns serde/toml's message into ours, adding a did-you-mean for unknown keys.
fn toml_problem(src: &Source, err: &toml::de::Error) -> Problem {
    let message = err.message().trim_end();
    let span = err.span().unwrap_or(0..0);
    let (message, label, help) = if let Some(rest) = message.strip_prefix("unknown field ") {
        // serde's wording is fixed: "unknown field `x`, expected one of `a`, `b`" (or
        // "expected `a`"); the backticked words are all we need.
        let words: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let given = words.first().copied().unwrap_or_default();
        let expected = words.get(1..).unwrap_or_default();
        (
            format!("unknown key `{given}`"),
            "unknown key".to_owned(),
            Some(if expected.is_empty() {
                "this table takes no keys".to_owned()
            } else {
                suggest::help_for(given, expected)
            }),
        )
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let message = match key_before(src.inner(), span.start) {
            Some(key) => format!("wrong type for `{key}`: expected {expected}, found {found}"),
            None => format!("wrong type: expected {expected}, found {found}"),
        };
        (message, format!("expected {expected}"), None)
    } else if message.starts_with("missing field") {
        (message.to_owned(), "in this table".to_owned(), None)
    } else {
        (
            format!("invalid TOML: {message}"),
            "here".to_owned(),
            Some("see drizzle.toml.example for the accepted syntax".to_owned()),
        )
    };
    Problem::new(message)
        .at(src, span, label)
        .with_optional_help(help)
}

/// The key whose value starts at `offset` (`key = value` on the same line), for messages
/// serde cannot name the key in.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..offset]
        .trim_end()
        .strip_suffix('=')?
        .trim();
    let key = before.rsplit(['{', ',', ' ']).next()?.trim();
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests;
