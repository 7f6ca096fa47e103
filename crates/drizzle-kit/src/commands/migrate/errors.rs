//! The runner's errors as diagnostics: a failed statement points into its migration file
//! with PostgreSQL's message under the exact position; verification problems each say
//! how to fix them.

use drizzle_migrate::{FailedIn, MigrateError, Migration, Problem as Found, StatementFailure};

use crate::diagnostics::{Problem, source};
use crate::failure::Failure;

/// The report for `error`; `migrations` supplies the text of a failed migration's file.
pub(super) fn failure(error: &MigrateError, migrations: &[Migration]) -> Failure {
    match error {
        MigrateError::Verification { problems } => Failure::rejected(
            "the migrations (nothing was applied)",
            problems.iter().map(verification_problem).collect(),
        ),
        MigrateError::Statement(failure) => {
            let sql = migrations
                .iter()
                .find(|m| m.tag == failure.tag && m.origin == failure.origin)
                .map(|m| m.sql.as_ref());
            Failure::rejected(
                format!("migration {}", failure.tag),
                vec![statement_problem(failure, sql)],
            )
        }
        MigrateError::LockTimeout { .. } => Failure::rejected(
            "the migration lock",
            vec![Problem::new(error.to_string()).with_help(
                "another runner is applying migrations: let it finish, or wait longer with --lock-timeout",
            )],
        ),
        MigrateError::Connect { .. } => Failure::rejected(
            "the database connection",
            vec![Problem::new(error.to_string())],
        ),
        MigrateError::Database { .. } => {
            Failure::rejected("the database", vec![Problem::new(error.to_string())])
        }
        MigrateError::NoJournal { .. } => Failure::rejected(
            "the migrations folder",
            vec![Problem::new(error.to_string()).with_help(
                "pass the folder with `--out DIR` or set `out` in drizzle.toml",
            )],
        ),
        MigrateError::Folder(_) | MigrateError::NotUtf8 { .. } => Failure::rejected(
            "the migrations folder",
            vec![Problem::new(error.to_string())],
        ),
    }
}

fn verification_problem(found: &Found) -> Problem {
    match found {
        Found::ChecksumMismatch {
            tag,
            origin,
            file_hash,
            db_hash,
        } => Problem::new(format!(
            "{tag} was edited after it was applied\n  applied sha256 {db_hash}\n  file    sha256 {file_hash}"
        ))
        .with_help(format!(
            "restore {origin} as it was applied and put the change in a new migration \
             (--ignore-checksums skips this check, in an emergency only)"
        )),
        Found::MissingFile {
            id,
            hash,
            created_at,
        } => Problem::new(format!(
            "the database has applied a migration that is not in the folder: tracking row id {id}, \
             created_at {}, sha256 {hash}",
            created_at.map_or_else(|| "null".to_owned(), |c| c.to_string())
        ))
        .with_help(
            "restore its SQL file and journal entry; this folder may be older than the database \
             or belong to another project",
        ),
        Found::OutOfOrder {
            tag,
            when,
            newest_applied,
            newest_applied_when,
        } => Problem::new(format!(
            "{tag} (when {when}) is pending but older than the applied {newest_applied} \
             (when {newest_applied_when})"
        ))
        .with_help(
            "a branch with this migration was probably merged after newer migrations were applied \
             (drizzle-kit would skip it silently); check that it does not conflict with the newer \
             ones, then run with --allow-out-of-order",
        ),
        Found::NoTransactionInSingleTransaction { tag } => Problem::new(format!(
            "{tag} starts with `-- drizzle:no-transaction` and cannot run inside --single-transaction"
        ))
        .with_help("run without --single-transaction"),
    }
}

/// The failed statement in its file: the label sits on PostgreSQL's error position (the
/// statement's first line when it gave none).
fn statement_problem(failure: &StatementFailure, sql: Option<&str>) -> Problem {
    let error = &failure.error;
    let code = if error.code.is_empty() {
        String::new()
    } else {
        format!(" [{}]", error.code)
    };
    let mut message = format!(
        "migration {} failed: statement {} of {} was rejected by PostgreSQL: {}{code}",
        failure.tag, failure.statement, failure.statements, error.message
    );
    if let Some(detail) = &error.detail {
        message.push_str(&format!("\nDETAIL: {detail}"));
    }
    message.push_str(&format!("\n{}", outcome(failure)));
    let mut help = Vec::new();
    if let Some(hint) = &error.hint {
        help.push(format!("PostgreSQL: {hint}"));
    }
    // Both codes mean the statement cannot share a transaction.
    if failure.failed_in != FailedIn::NoTransaction
        && matches!(error.code.as_str(), "25001" | "55P04")
    {
        help.push(
            "put `-- drizzle:no-transaction` on the first line of the file to run it outside a transaction"
                .to_owned(),
        );
    }
    let problem =
        Problem::new(message).with_optional_help((!help.is_empty()).then(|| help.join("\n")));
    let Some(sql) = sql else {
        // No text to show (never expected: the runner got it from the same list).
        let (line, column) = failure.error_at.unwrap_or((failure.line, 1));
        return Problem {
            message: format!(
                "{}\n  at {}:{line}:{column}",
                problem.message, failure.origin
            ),
            ..problem
        };
    };
    let span = span_at(sql, failure);
    problem.at(&source(&failure.origin, sql), span, error.message.clone())
}

/// What remains of the failed migration and of this run.
fn outcome(failure: &StatementFailure) -> String {
    let mut out = match failure.failed_in {
        FailedIn::OwnTransaction => "The migration was rolled back: nothing of it remains.".to_owned(),
        FailedIn::SingleTransaction => format!(
            "The single transaction was rolled back: nothing of {} remains.",
            failure.rolled_back.join(", ")
        ),
        FailedIn::NoTransaction if failure.completed_lines.is_empty() => {
            "The migration runs outside a transaction (-- drizzle:no-transaction); none of its statements had run.".to_owned()
        }
        FailedIn::NoTransaction => format!(
            "The migration runs outside a transaction (-- drizzle:no-transaction): the statements at line {} ran and remain. \
             It is not recorded as applied, so the next run executes the whole file again: make those statements \
             idempotent (IF NOT EXISTS) or undo them first.",
            failure
                .completed_lines
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if !failure.committed_before.is_empty() {
        out.push_str(&format!(
            "\nApplied before it in this run and committed: {}.",
            failure.committed_before.join(", ")
        ));
    }
    out
}

/// Byte range of the token at PostgreSQL's position, or of the statement's first line.
fn span_at(sql: &str, failure: &StatementFailure) -> std::ops::Range<usize> {
    let line_start = |line: usize| -> usize {
        sql.split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum()
    };
    match failure.error_at {
        Some((line, column)) => {
            let start_of_line = line_start(line);
            let rest = &sql[start_of_line..];
            let start = start_of_line
                + rest
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(rest.len(), |(i, _)| i);
            let token = sql[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
                .unwrap_or(sql.len() - start);
            start..start + token.max(1).min(sql.len() - start)
        }
        None => {
            let start = line_start(failure.line);
            let text = sql[start..].lines().next().unwrap_or("");
            let lead = text.len() - text.trim_start().len();
            start + lead..start + text.trim_end().len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::render;
    use drizzle_migrate::DatabaseMessage;

    fn failure(sql: &str, line: usize, error_at: Option<(usize, usize)>) -> StatementFailure {
        StatementFailure {
            tag: "0001_posts".into(),
            origin: "drizzle/0001_posts.sql".into(),
            statement: 2,
            statements: 2,
            line,
            error_at,
            source_line: sql.lines().nth(line - 1).unwrap_or("").into(),
            error: DatabaseMessage {
                code: "42P01".into(),
                message: "relation \"authors\" does not exist".into(),
                detail: None,
                hint: Some("Create it first.".into()),
                position: Some(40),
            },
            failed_in: FailedIn::OwnTransaction,
            completed_lines: Vec::new(),
            committed_before: vec!["0000_init".into()],
            rolled_back: Vec::new(),
        }
    }

    const SQL: &str = "CREATE TABLE \"posts\" (\"id\" integer);\n--> statement-breakpoint\nALTER TABLE \"posts\" ADD CONSTRAINT \"fk\" FOREIGN KEY (\"id\") REFERENCES authors(\"id\");\n";

    #[test]
    fn a_failed_statement_points_at_the_position() {
        let f = failure(SQL, 3, Some((3, 71)));
        assert_eq!(&SQL[span_at(SQL, &f)], "authors");
        let problem = statement_problem(&f, Some(SQL));
        insta::assert_snapshot!(render(&[problem], "migration 0001_posts", false));
    }

    #[test]
    fn without_a_position_the_statement_line_is_labelled() {
        let f = failure(SQL, 3, None);
        assert_eq!(
            &SQL[span_at(SQL, &f)],
            SQL.lines().nth(2).unwrap().trim_end()
        );
    }

    #[test]
    fn no_transaction_failures_say_what_remains() {
        let mut f = failure(SQL, 3, None);
        f.failed_in = FailedIn::NoTransaction;
        f.completed_lines = vec![1];
        f.committed_before.clear();
        insta::assert_snapshot!(outcome(&f));
    }
}
