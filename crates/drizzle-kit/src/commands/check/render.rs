//! Findings for a terminal: miette reports (the SQL line under a lint finding), the
//! drift diff, and nothing that depends on the terminal's width.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::drift::colored;
use super::finding::{Finding, Severity};

/// Matches the width of the other diagnostics so CI logs look the same.
const WIDTH: usize = 100;

/// Every finding, one report each, in order.
pub fn render(findings: &[Finding], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    let mut out = String::new();
    for finding in findings {
        let rendered = match &finding.problem {
            Some(problem) => handler.render_report(&mut out, problem),
            None => handler.render_report(&mut out, &Shown(finding)),
        };
        if rendered.is_err() {
            out.push_str(&format!("  × {}\n", finding.message));
        }
        if let Some(diff) = &finding.diff {
            out.push_str(&if color { colored(diff) } else { diff.clone() });
        }
        out.push('\n');
    }
    out
}

/// A finding as a miette diagnostic.
struct Shown<'a>(&'a Finding);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = self.0;
        // With a source the report shows the file and line itself.
        if finding.source.is_none()
            && let Some(file) = &finding.file
        {
            write!(f, "{file}")?;
            if let (Some(line), Some(column)) = (finding.line, finding.column) {
                write!(f, ":{line}:{column}")?;
            }
            if let Some(path) = &finding.json_path {
                write!(f, " at {path}")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&finding.message)?;
        for detail in &finding.details {
            write!(f, "\n  - {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let f = self.0;
        Some(match &f.rationale {
            Some(why) => Box::new(format!("{why}\nfix: {}", f.fix)),
            None => Box::new(&f.fix),
        })
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source.as_ref().map(|(s, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.0.source.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(Some("here".to_owned()), span.clone());
        Some(Box::new(std::iter::once(label)))
    }
}
