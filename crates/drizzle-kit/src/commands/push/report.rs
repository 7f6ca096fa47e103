//! The `push --json` document: one per run, printed on stdout and nothing else there, the
//! same keys whatever the outcome so that scripts never probe for them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::commands::risk::{self, Severity};
use crate::failure::Failure;

use super::execute::Groups;

/// How a push ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Status {
    /// The database already matches the schema files.
    NoChanges,
    /// Every statement ran.
    Applied,
    /// `--dry-run`: the statements were listed, nothing ran.
    DryRun,
    /// Consent was needed (a risk, or `strict`) and `--force` was not given: nothing ran.
    Rejected,
    /// An error stopped the run (see `errors`).
    #[default]
    Failed,
}

/// One rename applied by the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct RenameJson {
    /// `table`, `column`, `enum`, ...
    pub kind: &'static str,
    /// For columns and policies: the table's key in the schema files.
    pub table: Option<String>,
    /// Old key or name.
    pub from: String,
    /// New key or name.
    pub to: String,
}

/// One assessed step of the risk report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct RiskJson {
    /// What the step does.
    pub step: String,
    /// `loss`, `failure` or `rewrite`.
    pub severity: &'static str,
    /// What the counts mean, or why they are unknown.
    pub message: String,
    /// Whether the step needs consent (`--force`).
    pub blocking: bool,
}

/// One reason the run failed or was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct ErrorJson {
    /// What was rejected ("the push", "the database", "the schema").
    pub what: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The whole document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(super) struct PushReport {
    /// How the push ended.
    pub status: Status,
    /// `ALTER TYPE ... ADD VALUE` committed before the main transaction.
    pub committed_first: Vec<String>,
    /// The statements of the main transaction.
    pub statements: Vec<String>,
    /// `CONCURRENTLY` index statements, run one by one after the commit.
    pub after_commit: Vec<String>,
    /// The renames the plan applied.
    pub renames: Vec<RenameJson>,
    /// The risk report, counted on the data before any change.
    pub risks: Vec<RiskJson>,
    /// Why the push failed or was rejected (empty otherwise).
    pub errors: Vec<ErrorJson>,
    /// Milliseconds per phase (`parse_ms`, `connect_ms`, ...) and `round_trips`.
    pub timings: BTreeMap<String, serde_json::Value>,
}

impl PushReport {
    /// Records the statements, in the groups they run in.
    pub(super) fn statements(&mut self, groups: &Groups) {
        self.committed_first.clone_from(&groups.before);
        self.statements.clone_from(&groups.main);
        self.after_commit.clone_from(&groups.after);
    }

    /// Records the renames the plan applied.
    pub(super) fn renames(&mut self, renames: &[drizzle_diff::Rename]) {
        self.renames = renames
            .iter()
            .map(|r| RenameJson {
                kind: r.kind.as_str(),
                table: r.table.clone(),
                from: r.from.clone(),
                to: r.to.clone(),
            })
            .collect();
    }

    /// Records the risk report.
    pub(super) fn risks(&mut self, report: &risk::Report) {
        self.risks = report
            .risks
            .iter()
            .map(|r| RiskJson {
                step: r.step.clone(),
                severity: match r.severity {
                    Severity::Loss => "loss",
                    Severity::Failure => "failure",
                    Severity::Rewrite => "rewrite",
                },
                message: r.message.clone(),
                blocking: r.blocking,
            })
            .collect();
    }

    /// Records the timings: `phase` becomes `phase_ms`.
    pub(super) fn timings(&mut self, phases: &[(&'static str, f64)], round_trips: usize) {
        for (phase, ms) in phases {
            self.timings.insert(format!("{phase}_ms"), (*ms).into());
        }
        self.timings
            .insert("round_trips".into(), round_trips.into());
    }

    /// Records why the run stopped; a rejection keeps its status, anything else failed.
    pub(super) fn failed(&mut self, failure: &Failure) {
        if self.status != Status::Rejected {
            self.status = Status::Failed;
        }
        self.errors = failure
            .problems
            .iter()
            .map(|p| ErrorJson {
                what: failure.what.clone(),
                message: p.message.clone(),
                help: p.help.clone(),
            })
            .collect();
    }

    /// The document, pretty-printed.
    pub(super) fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Problem;

    #[test]
    fn a_rejection_keeps_its_status_and_lists_its_problems() {
        let mut report = PushReport {
            status: Status::Rejected,
            ..PushReport::default()
        };
        report.timings(&[("parse", 1.5)], 3);
        report.failed(&Failure::rejected(
            "the push",
            vec![Problem::new("nothing was changed").with_help("pass `--force`")],
        ));
        insta::assert_snapshot!(report.to_text());
    }

    #[test]
    fn status_values_are_snake_case_like_the_other_commands() {
        let values: Vec<String> = [Status::NoChanges, Status::DryRun, Status::Applied]
            .iter()
            .map(|s| serde_json::to_string(s).unwrap())
            .collect();
        assert_eq!(values, ["\"no_changes\"", "\"dry_run\"", "\"applied\""]);
    }

    #[test]
    fn any_other_failure_is_failed() {
        let mut report = PushReport {
            status: Status::DryRun,
            ..PushReport::default()
        };
        report.failed(&Failure::rejected(
            "the database",
            vec![Problem::new("down")],
        ));
        assert_eq!(report.status, Status::Failed);
        assert_eq!(report.errors.len(), 1);
    }
}
