//! Renames the differ cannot decide alone, shared by `generate` and `push`: asked on a
//! terminal, one question per new object, until the differ is satisfied; without one,
//! reported with the flag or attribute that answers each question.

use std::collections::BTreeSet;
use std::io::IsTerminal;

use drizzle_diff::{DiffError, Plan, RenameCandidate, RenameKind, Renames};

use crate::diagnostics::Problem;
use crate::failure::Failure;

/// Something that answers a question by picking one of its options.
pub trait Ask {
    /// The index of the chosen option, or `None` when the user gave up (Esc, Ctrl-C).
    fn choose(&mut self, question: &str, options: &[String]) -> Option<usize>;
}

/// Questions as `dialoguer` selects on stderr.
pub struct TerminalAsk;

impl Ask for TerminalAsk {
    fn choose(&mut self, question: &str, options: &[String]) -> Option<usize> {
        dialoguer::Select::new()
            .with_prompt(question)
            .items(options)
            .default(0)
            .report(false)
            .interact_on_opt(&dialoguer::console::Term::stderr())
            .ok()
            .flatten()
    }
}

/// Whether questions can be asked: both the keyboard and the screen are a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Plans with `flags`, asking about every undecided rename on a terminal (see
/// [`resolve_with`]); without one, an undecided rename is a rejection naming its answers.
pub fn resolve<F>(flags: &Renames, plan: F) -> Result<Plan, Failure>
where
    F: FnMut(&Renames) -> Result<Plan, DiffError>,
{
    if interactive() {
        resolve_with(flags, plan, Some(&mut TerminalAsk), &mut std::io::stderr())
    } else {
        resolve_with(flags, plan, None, &mut std::io::stderr())
    }
}

/// Calls `plan` with the decisions so far until it succeeds. Each round asks `ask` about
/// every candidate (create first, then one rename per disappearing object not already
/// chosen in this round) and logs each answer to `log`; deciding a table rename can reveal
/// column questions inside it, hence the rounds. With no `ask`, the first undecided
/// rename fails the run.
pub fn resolve_with<F>(
    flags: &Renames,
    mut plan: F,
    mut ask: Option<&mut dyn Ask>,
    log: &mut dyn std::io::Write,
) -> Result<Plan, Failure>
where
    F: FnMut(&Renames) -> Result<Plan, DiffError>,
{
    let mut decided = flags.clone();
    let mut asked: BTreeSet<(RenameKind, Option<String>, String)> = BTreeSet::new();
    loop {
        let candidates = match plan(&decided) {
            Ok(plan) => return Ok(plan),
            Err(DiffError::Ambiguous(candidates)) => candidates,
            Err(other) => return Err(rejected_diff(other)),
        };
        let Some(ask) = ask.as_deref_mut() else {
            return Err(rejected_diff(DiffError::Ambiguous(candidates)));
        };
        let mut taken: BTreeSet<(RenameKind, Option<String>, String)> = BTreeSet::new();
        for candidate in &candidates {
            let id = (
                candidate.kind,
                candidate.table.clone(),
                candidate.created.clone(),
            );
            // A differ that asks again about a decided object would loop forever.
            if !asked.insert(id) {
                return Err(Failure::internal(Problem::new(format!(
                    "the differ asked twice: {}",
                    candidate.question()
                ))));
            }
            let free: Vec<&String> = candidate
                .deleted
                .iter()
                .filter(|d| {
                    !taken.contains(&(candidate.kind, candidate.table.clone(), (*d).clone()))
                })
                .collect();
            let choice = if free.is_empty() {
                0
            } else {
                let options = options(candidate, &free);
                ask.choose(&candidate.question(), &options)
                    .ok_or_else(aborted)?
            };
            let kind = candidate.kind;
            let new = shown(kind, &candidate.created);
            if choice == 0 {
                decided.create(candidate.creation());
                let _ = writeln!(log, "+ {new} {kind} will be created");
            } else {
                let deleted = free[choice - 1];
                taken.insert((kind, candidate.table.clone(), deleted.clone()));
                decided.rename(candidate.rename(deleted));
                let verb = if moved(kind, deleted, &candidate.created) {
                    "moved"
                } else {
                    "renamed"
                };
                let old = shown(kind, deleted);
                let _ = writeln!(log, "~ {old} › {new} {kind} will be {verb}");
            }
        }
    }
}

/// drizzle-kit's option lines: `+ NAME create KIND`, then `~ OLD › NEW rename KIND`.
fn options(candidate: &RenameCandidate, free: &[&String]) -> Vec<String> {
    let kind = candidate.kind;
    let new = shown(kind, &candidate.created);
    let mut options = vec![format!("+ {new} create {kind}")];
    options.extend(
        free.iter()
            .map(|d| format!("~ {} › {new} rename {kind}", shown(kind, d))),
    );
    options
}

/// Whether the kind lives in a PostgreSQL schema, so its keys are `schema.name`.
fn schema_scoped(kind: RenameKind) -> bool {
    matches!(
        kind,
        RenameKind::Enum | RenameKind::Sequence | RenameKind::Table | RenameKind::View
    )
}

/// A key as drizzle-kit shows it: `name`, or `schema.name` outside `public`.
fn shown(kind: RenameKind, key: &str) -> String {
    match key.split_once('.') {
        Some((drizzle_schema::PUBLIC, name)) if schema_scoped(kind) => name.to_owned(),
        _ => key.to_owned(),
    }
}

fn moved(kind: RenameKind, from: &str, to: &str) -> bool {
    let schema = |key: &str| key.split_once('.').map(|(s, _)| s.to_owned());
    schema_scoped(kind) && schema(from) != schema(to)
}

fn aborted() -> Failure {
    Failure::rejected(
        "the schema change",
        vec![Problem::new(
            "a rename question was left unanswered; nothing was changed",
        )],
    )
}

/// One problem per undecided rename (with every flag or attribute that answers it) or
/// unrenderable difference, listed like schema errors.
pub fn rejected_diff(error: DiffError) -> Failure {
    let problems = match error {
        DiffError::Ambiguous(candidates) => candidates
            .iter()
            .map(|c| {
                // `help()` is the question followed by one line per way to answer it.
                let help = c.help();
                let answers = help.split_once('\n').map_or("", |(_, rest)| rest);
                let answers: Vec<&str> = answers.lines().map(str::trim).collect();
                Problem::new(c.question())
                    .with_help(format!("decide it with one of:\n{}", answers.join("\n")))
            })
            .collect(),
        DiffError::Unrenderable(items) => items
            .into_iter()
            .map(|item| Problem::new(format!("cannot generate: {item}")))
            .collect(),
        // Later variants still reach the user intact.
        #[allow(unreachable_patterns)]
        other => vec![Problem::new(other.to_string())],
    };
    Failure::rejected("the schema change", problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::{Column, Schema, Table};

    /// Answers from a script, recording every question and its options.
    struct Scripted {
        answers: Vec<usize>,
        seen: Vec<String>,
    }

    impl Ask for Scripted {
        fn choose(&mut self, question: &str, options: &[String]) -> Option<usize> {
            self.seen
                .push(format!("{question}\n  {}", options.join("\n  ")));
            if self.answers.is_empty() {
                None
            } else {
                Some(self.answers.remove(0))
            }
        }
    }

    fn table(name: &str, columns: &[&str]) -> Table {
        let mut t = Table::new("public", name);
        for c in columns {
            t.columns.insert((*c).to_owned(), Column::new(*c, "text"));
        }
        t
    }

    fn schema(tables: &[Table]) -> Schema {
        let mut s = Schema::default();
        for t in tables {
            s.tables.insert(t.key(), t.clone());
        }
        s
    }

    fn run(from: &Schema, to: &Schema, answers: Vec<usize>) -> (Result<Plan, Failure>, String) {
        let mut ask = Scripted {
            answers,
            seen: Vec::new(),
        };
        let mut log = Vec::new();
        let result = resolve_with(
            &Renames::new(),
            |r| drizzle_diff::plan(from, to, r),
            Some(&mut ask),
            &mut log,
        );
        let transcript = format!(
            "{}\n--- log\n{}",
            ask.seen.join("\n"),
            String::from_utf8(log).unwrap()
        );
        (result, transcript)
    }

    #[test]
    fn a_table_rename_reveals_column_questions_in_a_second_round() {
        let from = schema(&[table("old_things", &["a", "b"])]);
        let to = schema(&[table("things", &["a", "c"])]);
        let (plan, transcript) = run(&from, &to, vec![1, 1]);
        let plan = plan.unwrap();
        let described: Vec<String> = plan.changes.iter().map(|c| c.describe()).collect();
        insta::assert_snapshot!(format!("{transcript}--- changes\n{}", described.join("\n")));
    }

    #[test]
    fn a_disappearing_object_is_offered_once_per_round() {
        let from = schema(&[table("t", &["x"])]);
        let to = schema(&[table("t", &["p", "q"])]);
        let (plan, transcript) = run(&from, &to, vec![1]);
        assert!(plan.is_ok());
        insta::assert_snapshot!(transcript);
    }

    #[test]
    fn giving_up_rejects_the_run() {
        let from = schema(&[table("a", &[])]);
        let to = schema(&[table("b", &[])]);
        let (plan, _) = run(&from, &to, vec![]);
        let failure = plan.unwrap_err();
        assert_eq!(failure.code, crate::failure::REJECTED);
        assert!(failure.problems[0].message.contains("unanswered"));
    }

    #[test]
    fn without_a_terminal_every_answer_is_named() {
        let from = schema(&[table("a", &[])]);
        let to = schema(&[table("b", &[])]);
        let mut log = Vec::new();
        let failure = resolve_with(
            &Renames::new(),
            |r| drizzle_diff::plan(&from, &to, r),
            None,
            &mut log,
        )
        .unwrap_err();
        assert!(log.is_empty());
        let help = failure.problems[0].help.clone().unwrap_or_default();
        assert!(help.contains("--rename table:a=b"), "{help}");
        assert!(help.contains("--create table:b"), "{help}");
    }
}
