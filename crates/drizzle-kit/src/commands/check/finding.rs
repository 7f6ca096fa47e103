//! What `check` reports: findings with stable codes, and the `--json` document.

use std::fmt;
use std::ops::Range;

use serde::{Serialize, Serializer};

use crate::diagnostics::{Problem, Source};

/// A finding's stable code: `<area>/<name>`. Codes are never renamed or reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// The folder cannot be listed or a file cannot be read.
    Unreadable,
    /// A folder in the layout of drizzle-kit before 0.20.
    OldLayout,
    /// SQL files or snapshots but no `meta/_journal.json`.
    JournalMissing,
    /// The journal is not valid JSON or not a journal.
    JournalMalformed,
    /// Two journal entries with the same `idx`.
    DuplicateIdx,
    /// Two journal entries with the same `tag`.
    DuplicateTag,
    /// A journal entry whose `when` is not later than the previous one's.
    WhenOrder,
    /// A journal entry without its SQL file.
    SqlMissing,
    /// A SQL file that is not UTF-8 text.
    SqlNotUtf8,
    /// A SQL file no journal entry lists.
    SqlOrphan,
    /// A journal entry without its snapshot.
    SnapshotMissing,
    /// A snapshot that is not valid JSON or not a snapshot.
    SnapshotMalformed,
    /// A snapshot of another drizzle-kit version.
    SnapshotVersion,
    /// A snapshot no journal entry accounts for.
    SnapshotOrphan,
    /// Two snapshots with the same `id`.
    DuplicateSnapshotId,
    /// Two snapshots continuing the same parent: two branches each generated a migration.
    Collision,
    /// A snapshot whose `prevId` is not the previous snapshot's `id`.
    ChainBreak,
    /// The schema files differ from the last snapshot.
    SchemaDrift,
    /// The schema files cannot be read.
    SchemaInvalid,
    /// A lint rule.
    Lint(drizzle_lint::Rule),
    /// (`check --db`) A migration not applied to the database yet (a warning: deploys apply it).
    DbPending,
    /// (`check --db`) An applied migration whose file changed since.
    DbChecksumMismatch,
    /// (`check --db`) A pending migration older than the newest applied one.
    DbOutOfOrder,
    /// (`check --db`) A migration the database applied that is not in the folder.
    DbMissingFile,
    /// (`check --db`) Objects changed in the database by hand since the last migration.
    DbDrift,
    /// (`check --db`) The database cannot be reached or read.
    DbUnreachable,
}

impl Code {
    /// The code as reports print it.
    pub fn as_string(&self) -> String {
        let name = match self {
            Code::Unreadable => "folder/unreadable",
            Code::OldLayout => "folder/old-layout",
            Code::JournalMissing => "folder/journal-missing",
            Code::JournalMalformed => "folder/journal-malformed",
            Code::DuplicateIdx => "folder/duplicate-idx",
            Code::DuplicateTag => "folder/duplicate-tag",
            Code::WhenOrder => "folder/when-order",
            Code::SqlMissing => "folder/sql-missing",
            Code::SqlNotUtf8 => "folder/sql-not-utf8",
            Code::SqlOrphan => "folder/sql-orphan",
            Code::SnapshotMissing => "folder/snapshot-missing",
            Code::SnapshotMalformed => "folder/snapshot-malformed",
            Code::SnapshotVersion => "folder/snapshot-version",
            Code::SnapshotOrphan => "folder/snapshot-orphan",
            Code::DuplicateSnapshotId => "folder/duplicate-snapshot-id",
            Code::Collision => "folder/collision",
            Code::ChainBreak => "folder/chain-break",
            Code::SchemaDrift => "schema/drift",
            Code::SchemaInvalid => "schema/invalid",
            Code::Lint(rule) => return format!("lint/{rule}"),
            Code::DbPending => "db/pending",
            Code::DbChecksumMismatch => "db/checksum-mismatch",
            Code::DbOutOfOrder => "db/out-of-order",
            Code::DbMissingFile => "db/missing-file",
            Code::DbDrift => "db/drift",
            Code::DbUnreachable => "db/unreachable",
        };
        name.to_owned()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

/// Whether a finding fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; exit code unaffected.
    Warning,
    /// Reported; exit code 1.
    Error,
}

/// One thing `check` (or `generate`'s linter) found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The file concerned, relative to the working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Where in a JSON file (`entries[2].when`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
    /// For lint findings: the statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// For lint findings: why the rule exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// How to fix it.
    pub fix: String,
    /// Supporting lines (the changes of a drift, the files of a collision).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// For drift: the unified diff of the two schemas' SQL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// The file's text and the span to underline, for the terminal report.
    #[serde(skip)]
    pub source: Option<(Source, Range<usize>)>,
    /// A parser diagnostic shown as is in the terminal report.
    #[serde(skip)]
    pub problem: Option<Problem>,
}

impl Finding {
    /// A finding with only a code, severity, message and fix.
    pub fn new(
        code: Code,
        severity: Severity,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            severity,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            json_path: None,
            statement: None,
            rationale: None,
            fix: fix.into(),
            details: Vec::new(),
            diff: None,
            source: None,
            problem: None,
        }
    }

    /// An error.
    pub fn error(code: Code, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding::new(code, Severity::Error, message, fix)
    }

    /// A warning.
    pub fn warning(code: Code, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding::new(code, Severity::Warning, message, fix)
    }

    /// Names the file concerned.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Names the position in the file.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        if line > 0 {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    /// Names the JSON path of the offending value.
    pub fn at_json_path(mut self, path: impl Into<String>) -> Self {
        self.json_path = Some(path.into());
        self
    }

    /// Adds supporting lines.
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }

    /// The lint finding `f` of the migration whose text is `source`.
    pub fn from_lint(f: drizzle_lint::Finding, source: Option<&Source>) -> Self {
        let severity = match f.level {
            drizzle_lint::Level::Error => Severity::Error,
            _ => Severity::Warning,
        };
        let mut finding = Finding::new(Code::Lint(f.rule), severity, f.message.clone(), f.fix())
            .in_file(f.file.clone())
            .at(f.line, f.column);
        finding.statement = Some(f.statement.clone());
        finding.rationale = Some(f.rationale().to_owned());
        finding.source = source.map(|s| (s.clone(), f.span.clone()));
        finding
    }
}

/// `check --json`: one document on stdout.
#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    /// Always `"check"`.
    pub command: &'static str,
    /// No errors (warnings allowed).
    pub ok: bool,
    /// Number of error findings.
    pub errors: usize,
    /// Number of warning findings.
    pub warnings: usize,
    /// Journal entries read.
    pub migrations: usize,
    /// Every finding, folder first, then schema, then lint, in file order.
    pub findings: &'a [Finding],
}

impl<'a> CheckReport<'a> {
    /// The report of `findings` over `migrations` journal entries.
    pub fn new(findings: &'a [Finding], migrations: usize) -> Self {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        CheckReport {
            command: "check",
            ok: errors == 0,
            errors,
            warnings: findings.len() - errors,
            migrations,
            findings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_area_slash_name() {
        assert_eq!(Code::Collision.as_string(), "folder/collision");
        assert_eq!(
            Code::Lint(drizzle_lint::Rule::SetNotNull).as_string(),
            "lint/set-not-null"
        );
        assert_eq!(Code::DbChecksumMismatch.as_string(), "db/checksum-mismatch");
    }
}
