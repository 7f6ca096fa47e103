//! Why a run stopped, and the exit code that says so.

use crate::diagnostics::{Problem, color_enabled, render};

/// Exit code for rejected input (bad schema, config or snapshot; a diff we refuse).
pub const REJECTED: u8 = 1;

/// Exit code for usage and internal errors (clap uses it for bad flags too).
pub const INTERNAL: u8 = 2;

/// A run that did not succeed: the problems to show and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// Everything that went wrong, in report order.
    pub problems: Vec<Problem>,
    /// What was rejected, for the summary line ("the schema", "drizzle.toml").
    pub what: String,
    /// The process exit code.
    pub code: u8,
}

impl Failure {
    /// The user's input was rejected.
    pub fn rejected(what: impl Into<String>, problems: Vec<Problem>) -> Self {
        Failure {
            problems,
            what: what.into(),
            code: REJECTED,
        }
    }

    /// Something failed that the input did not cause (an unwritable folder, a bug).
    pub fn internal(problem: Problem) -> Self {
        Failure {
            problems: vec![problem],
            what: "this run".to_owned(),
            code: INTERNAL,
        }
    }

    /// A failed run that already reported why (`check`'s findings): only the exit code.
    pub fn silent(code: u8) -> Self {
        Failure {
            problems: Vec::new(),
            what: String::new(),
            code,
        }
    }

    /// The full report for stderr.
    pub fn report(&self) -> String {
        if self.problems.is_empty() && self.what.is_empty() {
            return String::new();
        }
        render(&self.problems, &self.what, color_enabled())
    }
}
