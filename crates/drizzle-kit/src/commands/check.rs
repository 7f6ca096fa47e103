//! `drizzle-kit check`: is this repository's migration state sound, and safe to deploy?
//!
//! Without a database: folder integrity (journal, SQL files, snapshots, the snapshot
//! chain), schema drift (the schema files against the last snapshot) and the safety lint
//! of every migration (none is known to be applied). With `--db` (or `--url`), also the
//! database: pending, edited, out-of-order and missing migrations, objects changed by hand
//! since the newest applied migration, and the lint of only the migrations still to apply.
//! Exit 0 when no finding is an error, 1 otherwise; `--json` prints one document on stdout
//! and nothing else.

mod db;
mod drift;
pub mod finding;
mod folder;
pub mod generated;
mod live;
pub mod render;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use drizzle_lint::Linter;
use drizzle_schema::Schema;

use crate::cli::CheckArgs;
use crate::diagnostics::{Problem, Source, color_enabled, source};
use crate::failure::{Failure, REJECTED};
use crate::settings::Settings;
use finding::{CheckReport, Code, Finding, Severity};

/// Runs the checks and reports them on stderr (or as JSON on stdout).
pub fn run(args: &CheckArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    let mut folder = folder::inspect(&settings.out, cwd);
    let migrations = folder.entries;
    let mut findings = std::mem::take(&mut folder.findings);

    match super::schema::load(settings, cwd) {
        Ok(current) => match &folder.last {
            Some((name, snapshot)) => {
                findings.extend(drift::drift(
                    &snapshot.schema,
                    &current,
                    name,
                    Code::SchemaDrift,
                ));
            }
            // An unreadable last snapshot is already a finding; comparing against an
            // older one would report changes that are not there.
            None if folder.last_unreadable => {}
            None => findings.extend(drift::drift(
                &Schema::default(),
                &current,
                "the empty schema (no snapshot yet)",
                Code::SchemaDrift,
            )),
        },
        Err(failure) => findings.extend(failure.problems.into_iter().map(schema_problem)),
    }

    // Without the journal every applied migration would look missing from the folder and
    // the whole database like drift: the folder findings say what to fix first.
    let journal_read = !findings.iter().any(|f| {
        matches!(
            f.code,
            Code::JournalMalformed | Code::JournalMissing | Code::OldLayout
        )
    });
    let applied = if args.database() && journal_read {
        let database = live::check(settings, &folder, cwd);
        findings.extend(database.findings);
        database.applied
    } else {
        BTreeSet::new()
    };
    findings.extend(lint(&folder.migrations, &applied, settings));

    if args.json {
        let report = CheckReport::new(&findings, migrations);
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::internal(Problem::new(format!("cannot encode JSON: {e}"))))?;
        print_stdout(&text)?;
    } else {
        let color = color_enabled();
        let mut text = render::render(&findings, color);
        text.push_str(&summary(
            &findings,
            migrations,
            folder.last.as_ref().map(|l| l.0.as_str()),
            args.database(),
        ));
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(Failure::silent(REJECTED));
    }
    Ok(())
}

/// Lint findings of the `migrations` not in `applied`; the applied ones only teach the
/// linter what exists (their tables hold data).
pub fn lint(
    migrations: &[folder::MigrationFile],
    applied: &BTreeSet<String>,
    settings: &Settings,
) -> Vec<Finding> {
    let mut linter = Linter::new(settings.lint.clone());
    let mut out = Vec::new();
    for m in migrations {
        let (path, text) = (&m.path, &m.text);
        if applied.contains(&m.tag) {
            linter.learn(text);
            continue;
        }
        let found = linter.lint(path, text);
        if found.is_empty() {
            continue;
        }
        let src = source(path, text.clone());
        out.extend(found.into_iter().map(|f| lint_finding(f, &src, text)));
    }
    out
}

/// A lint finding pointing at the first line of its statement.
pub fn lint_finding(f: drizzle_lint::Finding, src: &Source, text: &str) -> Finding {
    let start = f.span.start;
    let end = text[start..f.span.end]
        .find('\n')
        .map_or(f.span.end, |n| start + n);
    let span = start..end;
    let mut finding = Finding::from_lint(f, Some(src));
    finding.source = Some((src.clone(), span));
    finding
}

/// A schema parse error as a finding; the terminal shows the parser's own report.
fn schema_problem(problem: Problem) -> Finding {
    let mut finding = Finding::error(
        Code::SchemaInvalid,
        problem.message.clone(),
        problem.help.clone().unwrap_or_else(|| {
            "fix the schema files; drift cannot be checked until they parse".to_owned()
        }),
    );
    if let (Some(src), Some(span)) = (&problem.source, &problem.span) {
        let text = src.inner();
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        finding = finding.in_file(src.name()).at(line, column);
    }
    finding.problem = Some(problem);
    finding
}

fn summary(findings: &[Finding], migrations: usize, last: Option<&str>, database: bool) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let noun = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if findings.is_empty() {
        let mut state = last.map_or_else(
            || "no migrations yet".to_owned(),
            |l| format!("schema matches {l}"),
        );
        if database {
            state.push_str(", database up to date");
        }
        return format!(
            "check: {}, {state}; no problems found\n",
            noun(migrations, "migration")
        );
    }
    format!(
        "check: {}, {} in {}\n",
        noun(errors, "error"),
        noun(warnings, "warning"),
        noun(migrations, "migration")
    )
}

fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::internal(
            Problem::new(format!("cannot write to stdout: {e}")),
        )),
        _ => Ok(()),
    }
}
