//! A statement that PostgreSQL rejected, located in its migration file, with what was
//! rolled back and what remains.

use crate::Migration;
use crate::source::{Statement, line_of};
use postgres::error::ErrorPosition;
use serde::Serialize;
use std::fmt;

/// PostgreSQL's report of an error, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatabaseMessage {
    /// SQLSTATE (`42P01`); empty when the connection itself failed.
    pub code: String,
    /// The primary message.
    pub message: String,
    /// `DETAIL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// `HINT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// 1-based character position in the statement sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

impl DatabaseMessage {
    /// The fields of a `postgres` error (a lost connection has only a message).
    pub fn from_error(error: &postgres::Error) -> DatabaseMessage {
        match error.as_db_error() {
            Some(db) => DatabaseMessage {
                code: db.code().code().to_owned(),
                message: db.message().to_owned(),
                detail: db.detail().map(str::to_owned),
                hint: db.hint().map(str::to_owned),
                position: match db.position() {
                    Some(ErrorPosition::Original(p)) => Some(*p),
                    _ => None,
                },
            },
            None => DatabaseMessage {
                code: String::new(),
                message: error.to_string(),
                detail: None,
                hint: None,
                position: None,
            },
        }
    }
}

impl fmt::Display for DatabaseMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.code.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{} ({})", self.message, self.code)?;
        }
        if let Some(detail) = &self.detail {
            write!(f, "\nDETAIL: {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nHINT: {hint}")?;
        }
        Ok(())
    }
}

/// How the failed migration ran, which decides what remains of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailedIn {
    /// Its own transaction: rolled back entirely.
    OwnTransaction,
    /// The run's single transaction: every migration of this run rolled back.
    SingleTransaction,
    /// No transaction: the statements before the failing one remain.
    NoTransaction,
}

/// A migration statement that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementFailure {
    /// Journal tag of the migration.
    pub tag: String,
    /// The file (or embedded origin).
    pub origin: String,
    /// 1-based number of the statement among the migration's statements.
    pub statement: usize,
    /// How many statements the migration has.
    pub statements: usize,
    /// 1-based line of the file where the statement starts.
    pub line: usize,
    /// Line and column of PostgreSQL's error position in the file, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_at: Option<(usize, usize)>,
    /// The text of the line the error points at (or the statement's first line).
    pub source_line: String,
    /// PostgreSQL's message.
    pub error: DatabaseMessage,
    /// How the migration ran.
    pub failed_in: FailedIn,
    /// Lines of the statements that ran and remain (no-transaction migrations only).
    pub completed_lines: Vec<usize>,
    /// Migrations committed earlier in this run (they stay).
    pub committed_before: Vec<String>,
    /// Migrations of this run rolled back with it (single transaction).
    pub rolled_back: Vec<String>,
}

impl StatementFailure {
    /// Locates `error` raised by `statement` of `migration`.
    pub(crate) fn new(
        migration: &Migration,
        statement: &Statement<'_>,
        statements: usize,
        error: &postgres::Error,
        failed_in: FailedIn,
    ) -> StatementFailure {
        let file = migration.sql.as_ref();
        let error = DatabaseMessage::from_error(error);
        let line = statement.line(file);
        let error_at = error.position.and_then(|p| {
            // The position counts characters of the statement sent, from 1.
            let in_chunk = statement
                .sql
                .char_indices()
                .nth(usize::try_from(p).ok()?.checked_sub(1)?)
                .map_or(statement.sql.len(), |(byte, _)| byte);
            let offset = statement.offset + in_chunk;
            let line = line_of(file, offset);
            let line_start = file[..offset].rfind('\n').map_or(0, |i| i + 1);
            Some((line, file[line_start..offset].chars().count() + 1))
        });
        let shown = error_at.map_or(line, |(l, _)| l);
        StatementFailure {
            tag: migration.tag.clone(),
            origin: migration.origin.clone(),
            statement: statement.index + 1,
            statements,
            line,
            error_at,
            source_line: file.lines().nth(shown - 1).unwrap_or("").to_owned(),
            error,
            failed_in,
            completed_lines: Vec::new(),
            committed_before: Vec::new(),
            rolled_back: Vec::new(),
        }
    }
}

impl fmt::Display for StatementFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.error_at.unwrap_or((self.line, 0));
        writeln!(
            f,
            "migration {} failed: statement {} of {} (line {}) was rejected by PostgreSQL",
            self.tag, self.statement, self.statements, self.line
        )?;
        if column > 0 {
            writeln!(f, "  --> {}:{line}:{column}", self.origin)?;
        } else {
            writeln!(f, "  --> {}:{line}", self.origin)?;
        }
        let gutter = " ".repeat(line.to_string().len());
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{line} | {}", self.source_line)?;
        if column > 0 {
            let pad: String = self
                .source_line
                .chars()
                .take(column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{gutter} | {pad}^")?;
        }
        writeln!(f, "ERROR: {}", self.error)?;
        // Both errors mean the statement cannot share a transaction; say how to opt out.
        if self.failed_in != FailedIn::NoTransaction
            && matches!(self.error.code.as_str(), "25001" | "55P04")
        {
            writeln!(
                f,
                "help: put `-- drizzle:no-transaction` on the first line of the file to run it outside a transaction"
            )?;
        }
        match self.failed_in {
            FailedIn::OwnTransaction => {
                write!(f, "The migration was rolled back: nothing of it remains.")?
            }
            FailedIn::SingleTransaction => write!(
                f,
                "The single transaction was rolled back: nothing of {} remains.",
                self.rolled_back.join(", ")
            )?,
            FailedIn::NoTransaction => {
                if self.completed_lines.is_empty() {
                    write!(
                        f,
                        "The migration runs outside a transaction (-- drizzle:no-transaction); no statement of it had run."
                    )?
                } else {
                    let lines: Vec<String> =
                        self.completed_lines.iter().map(|l| l.to_string()).collect();
                    write!(
                        f,
                        "The migration runs outside a transaction (-- drizzle:no-transaction): the statements at line {} ran and remain. \
                         It is not recorded as applied, so the next run executes the whole file again: \
                         make those statements idempotent (IF NOT EXISTS) or undo them first.",
                        lines.join(", ")
                    )?
                }
            }
        }
        if !self.committed_before.is_empty() {
            write!(
                f,
                "\nApplied before it in this run and committed: {}.",
                self.committed_before.join(", ")
            )?;
        }
        Ok(())
    }
}
