//! `drizzle-kit push`: parse the schema files, read the database, diff the two without
//! false differences, count what each step risks on the real rows, confirm, and apply
//! everything in one transaction.

// `check --db` compares a database with a snapshot the same way.
pub(super) mod constants;
pub(super) mod equalize;
mod execute;
mod report;
pub(super) mod scope;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use drizzle_diff::Change;
use drizzle_introspect::{Introspection, canonicalize_with_database};

use crate::cli::PushArgs;
use crate::diagnostics::Problem;
use crate::failure::Failure;
use crate::settings::Settings;

use super::pull::{connect, progress};
use super::{renames, risk, summary};
use equalize::Sides;
use execute::{Groups, Stage};
use report::{PushReport, Status};

/// Milliseconds per phase, printed with `--verbose`.
struct Timings {
    last: Instant,
    phases: Vec<(&'static str, f64)>,
}

impl Timings {
    fn start() -> Timings {
        Timings {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    fn mark(&mut self, phase: &'static str) {
        let ms = self.last.elapsed().as_secs_f64() * 1000.0;
        self.phases.push((phase, (ms * 10.0).round() / 10.0));
        self.last = Instant::now();
    }

    fn line(&self) -> String {
        let parts: Vec<String> = self
            .phases
            .iter()
            .map(|(p, ms)| format!("{p} {ms} ms"))
            .collect();
        format!("timings: {}", parts.join(", "))
    }
}

fn database_failure(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::rejected("the database", vec![Problem::new(format!("{what}: {e}"))])
}

/// Pushes the schema files to the database; with `--json`, the outcome (or error) is one
/// document on stdout.
pub fn run(args: &PushArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    let mut report = PushReport::default();
    let result = push(args, settings, cwd, &mut report);
    if args.json {
        if let Err(failure) = &result {
            report.failed(failure);
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", report.to_text());
    }
    result
}

fn push(
    args: &PushArgs,
    settings: &Settings,
    cwd: &Path,
    json: &mut PushReport,
) -> Result<(), Failure> {
    let verbose = args.verbose || settings.verbose;
    let strict = args.strict || settings.strict;
    let mut err = std::io::stderr();
    let mut timings = Timings::start();

    let options = scope::options(args, settings);
    let scope = scope::Scope::new(&options)?;
    let (files, left_out) = scope.apply(super::schema::load(settings, cwd)?);
    if !left_out.is_empty() {
        let _ = writeln!(
            err,
            "warning: not pushed, outside `schema_filter`/`tables_filter`: {}",
            left_out.join(", ")
        );
    }
    timings.mark("parse");

    let mut client = connect::connect(settings.credentials.as_ref(), "drizzle-kit push")?;
    timings.mark("connect");
    let spinner = progress::Spinner::start("Reading the database schema...", !args.json);
    let found = drizzle_introspect::introspect(&mut client, &options);
    spinner.finish();
    let Introspection {
        schema: database,
        warnings,
        round_trips,
    } = found.map_err(|e| database_failure("cannot read the database schema", e))?;
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        err,
        "[✓] Read {}, {}, {}, {} from the database",
        count(database.tables.len(), "table", "tables"),
        count(database.views.len(), "view", "views"),
        count(database.enums.len(), "enum", "enums"),
        count(database.sequences.len(), "sequence", "sequences"),
    );
    if !warnings.is_empty() {
        let _ = writeln!(
            err,
            "[i] {} database object(s) outside the schema model are left alone{}",
            warnings.len(),
            if verbose {
                ":"
            } else {
                " (--verbose lists them)"
            }
        );
        if verbose {
            for w in &warnings {
                let _ = writeln!(err, "  {w}");
            }
        }
    }
    timings.mark("introspect");

    let (database_canonical, files_canonical) = canonicalize_with_database(
        &mut client,
        &equalize::comparable(&database),
        &equalize::comparable(&files),
    )
    .map_err(|e| database_failure("cannot compare the expressions", e))?;
    if verbose {
        for f in database_canonical
            .failures
            .iter()
            .chain(&files_canonical.failures)
        {
            let _ = writeln!(
                err,
                "  note: {} compared as written: {}",
                f.object, f.message
            );
        }
    }
    let same_defaults = constants::same_defaults(
        &mut client,
        &database_canonical.schema,
        &files_canonical.schema,
    )
    .map_err(|e| database_failure("cannot compare the defaults", e))?;
    timings.mark("canonicalize");

    let sides = Sides {
        database: &database,
        database_canonical: &database_canonical.schema,
        files: &files,
        files_canonical: &files_canonical.schema,
        same_defaults: &same_defaults,
    };
    let planner = |decided: &drizzle_diff::Renames| {
        let first = drizzle_diff::plan(&equalize::equalize(&sides, &[]), &files, decided)?;
        if first.renames.is_empty() {
            return Ok(first);
        }
        // Renamed objects are compared with their new counterparts only once the renames
        // are known.
        drizzle_diff::plan(&equalize::equalize(&sides, &first.renames), &files, decided)
    };
    let plan = if args.json {
        // A document on stdout cannot wait for answers: undecided renames are rejected.
        renames::resolve_with(&args.renames(), planner, None, &mut std::io::stderr())?
    } else {
        renames::resolve(&args.renames(), planner)?
    };
    json.renames(&plan.renames);
    for unused in &plan.unused {
        let _ = writeln!(
            err,
            "warning: `--rename {unused}` matches nothing in this change; ignored"
        );
    }
    let changes = plan.changes;
    let statements = drizzle_sql::render(&changes);
    timings.mark("diff");
    if statements.is_empty() {
        json.status = Status::NoChanges;
        json.timings(&timings.phases, round_trips);
        let _ = writeln!(err, "[i] No changes detected");
        if verbose {
            let _ = writeln!(
                err,
                "{} ({round_trips} introspection round trips)",
                timings.line()
            );
        }
        return Ok(());
    }

    let report = risk::assess(&mut client, &database, &files, &changes)
        .map_err(|e| database_failure("cannot count the rows at risk", e))?;
    timings.mark("risk");
    let groups = execute::group(&changes, &statements);
    json.statements(&groups);
    json.risks(&report);
    json.timings(&timings.phases, round_trips);

    let _ = write!(err, "{}", summary::changes(&changes));
    if verbose {
        let _ = write!(err, "{}", listing(&groups));
    }
    if !report.risks.is_empty() {
        let _ = write!(err, "{}", report.render());
    }
    if args.dry_run {
        json.status = Status::DryRun;
        if !args.json {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{}", listing(&groups));
        }
        let _ = writeln!(err, "[i] --dry-run: nothing was changed");
        return Ok(());
    }
    if let Err(rejected) = confirm(args, strict, &report, &changes) {
        json.status = Status::Rejected;
        return Err(rejected);
    }

    let result = execute::run(&mut client, &groups);
    timings.mark("execute");
    json.timings(&timings.phases, round_trips);
    match result {
        Ok(()) => {
            if !groups.before.is_empty() {
                let _ = writeln!(
                    err,
                    "[i] {} enum value addition(s) committed first: later statements use them",
                    groups.before.len()
                );
            }
            if !groups.after.is_empty() {
                let _ = writeln!(
                    err,
                    "[i] {} statement(s) ran after the commit (not allowed in a transaction)",
                    groups.after.len()
                );
            }
            json.status = Status::Applied;
            let _ = writeln!(err, "[✓] Changes applied");
            if verbose {
                let _ = writeln!(
                    err,
                    "{} ({round_trips} introspection round trips)",
                    timings.line()
                );
            }
            Ok(())
        }
        Err(refused) => Err(refused_failure(&refused)),
    }
}

/// The statements by group, each group under a comment when there is more than one.
fn listing(groups: &Groups) -> String {
    let mut out = String::new();
    let several = [&groups.before, &groups.main, &groups.after]
        .iter()
        .filter(|g| !g.is_empty())
        .count()
        > 1;
    let sections = [
        (
            &groups.before,
            "-- committed first: enum values that later statements use",
        ),
        (&groups.main, "-- in one transaction"),
        (
            &groups.after,
            "-- after the commit: not allowed in a transaction",
        ),
    ];
    for (list, title) in sections {
        if list.is_empty() {
            continue;
        }
        if several {
            out.push_str(title);
            out.push('\n');
        }
        for statement in list {
            out.push_str(statement.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Asks before a risky (or, with `--strict`, any) push; without a terminal or with
/// `--json`, refuses unless `--force` accepted the risks.
fn confirm(
    args: &PushArgs,
    strict: bool,
    report: &risk::Report,
    changes: &[Change],
) -> Result<(), Failure> {
    let risky = report.is_risky();
    if args.force || (!risky && !strict) {
        return Ok(());
    }
    if args.json || !renames::interactive() {
        let problem = if risky && args.json {
            Problem::new("the push risks existing data (see `risks`); nothing was changed")
                .with_help("pass `--force` to accept the risks")
        } else if risky {
            Problem::new("the push risks existing data (see the risks above); nothing was changed")
                .with_help("push from a terminal to confirm, or pass `--force` to accept the risks")
        } else {
            Problem::new(
                "`strict` asks for confirmation, which needs a terminal; nothing was changed",
            )
            .with_help("push from a terminal, or pass `--force`")
        };
        return Err(Failure::rejected("the push", vec![problem]));
    }
    let yes = if risky {
        let blocking = report.risks.iter().filter(|r| r.blocking).count();
        format!("Yes, I accept the {blocking} risk(s) above and want to push")
    } else {
        format!("Yes, I want to execute all {} change(s)", changes.len())
    };
    let question = if risky {
        "THE PUSH RISKS EXISTING DATA. Do you still want to push changes?"
    } else {
        "Do you want to push these changes?"
    };
    let choice = dialoguer::Select::new()
        .with_prompt(question)
        .items(["No, abort", yes.as_str()])
        .default(0)
        .report(false)
        .interact_on_opt(&dialoguer::console::Term::stderr())
        .ok()
        .flatten();
    if choice == Some(1) {
        Ok(())
    } else {
        Err(Failure::rejected(
            "the push",
            vec![Problem::new(
                "[x] All changes were aborted; nothing was changed",
            )],
        ))
    }
}

/// What the user must know about a failed run: which statement, and what was kept.
fn refused_failure(refused: &execute::Refused) -> Failure {
    let statement = refused.statement.trim_end();
    let outcome = match (refused.stage, refused.committed.is_empty()) {
        // Nothing commits before the first group, so a failure there changes nothing.
        (Stage::Before, _) | (Stage::Main, true) => {
            "the transaction was rolled back: the database is unchanged".to_owned()
        }
        (Stage::Main, false) => format!(
            "the transaction was rolled back; only the {} enum value addition(s) committed before it remain",
            refused.committed.len()
        ),
        (Stage::After, _) => {
            "the main transaction was committed; the statements after it stopped here (an index \
             left INVALID by a failed CONCURRENTLY build must be dropped before trying again)"
                .to_owned()
        }
    };
    Failure::rejected(
        "the push",
        vec![
            Problem::new(format!(
                "the database refused `{statement}`: {}",
                refused.message
            ))
            .with_help(outcome),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::Schema;

    #[test]
    fn listing_titles_groups_only_when_there_are_several() {
        let groups = Groups {
            before: Vec::new(),
            main: vec!["CREATE TABLE \"t\" (\n\t\"id\" integer\n);\n".into()],
            after: Vec::new(),
        };
        assert_eq!(
            listing(&groups),
            "CREATE TABLE \"t\" (\n\t\"id\" integer\n);\n"
        );
        let groups = Groups {
            after: vec!["CREATE INDEX CONCURRENTLY \"i\" ON \"t\" USING btree (\"id\");".into()],
            ..groups
        };
        insta::assert_snapshot!(listing(&groups));
    }

    #[test]
    fn spelling_alone_is_no_change() {
        let mut database = Schema::default();
        let mut t = drizzle_schema::Table::new("public", "t");
        t.columns
            .insert("c".into(), drizzle_schema::Column::new("c", "character(1)"));
        database.tables.insert(t.key(), t.clone());
        let mut files = database.clone();
        files.tables["public.t"].columns["c"].sql_type = "char".into();
        let sides = Sides {
            database: &database,
            database_canonical: &equalize::comparable(&database),
            files: &files,
            files_canonical: &equalize::comparable(&files),
            same_defaults: &Default::default(),
        };
        let plan = drizzle_diff::plan(
            &equalize::equalize(&sides, &[]),
            &files,
            &Default::default(),
        )
        .unwrap();
        assert_eq!(plan.changes, Vec::new());
    }
}
