//! Everything the user is told went wrong, rendered the same way: a message, the source
//! line with a label under the exact span, and a hint.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

/// Fixed so snapshots and CI logs do not depend on the terminal that ran the command.
const WIDTH: usize = 100;

/// A source file shared by every problem found in it.
pub type Source = Arc<NamedSource<String>>;

/// Wraps a file's text for use in problems; `name` is what the report shows as its path.
pub fn source(name: impl AsRef<str>, text: impl Into<String>) -> Source {
    Arc::new(NamedSource::new(name, text.into()))
}

/// One problem with the user's input, pointing into a file when there is one.
#[derive(Debug, Clone)]
pub struct Problem {
    /// What is wrong, as one sentence.
    pub message: String,
    /// The file the span points into.
    pub source: Option<Source>,
    /// Byte range of the offending text.
    pub span: Option<Range<usize>>,
    /// Text shown under the span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Problem {
    /// A problem that points at nothing (a flag, the environment, the file system).
    pub fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            source: None,
            span: None,
            label: None,
            help: None,
        }
    }

    /// Points the problem at `span` in `source`, labelled `label`.
    pub fn at(mut self, source: &Source, span: Range<usize>, label: impl Into<String>) -> Self {
        self.source = Some(Arc::clone(source));
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint only when there is one.
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        self.source.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(self.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Whether reports may use color: never when `NO_COLOR` is set or stderr is not a terminal.
pub fn color_enabled() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Renders problems one after another, then a one-line summary naming `what` was rejected.
pub fn render(problems: &[Problem], what: &str, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    let mut out = String::new();
    for problem in problems {
        if handler.render_report(&mut out, problem).is_err() {
            // Rendering into a String only fails on a broken source span; the plain message
            // is still worth showing rather than nothing.
            out.push_str(&format!("  × {}\n", problem.message));
        }
        out.push('\n');
    }
    let n = problems.len();
    let noun = if n == 1 { "error" } else { "errors" };
    out.push_str(&format!("error: {n} {noun} in {what}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_label_help_and_summary() {
        let src = source("drizzle.toml", "dialect = \"mysql\"\n");
        let problem = Problem::new("unsupported dialect `mysql`")
            .at(&src, 10..17, "only `postgresql` is supported")
            .with_help("set `dialect = \"postgresql\"`");
        insta::assert_snapshot!(render(&[problem], "drizzle.toml", false));
    }

    #[test]
    fn renders_problems_without_source() {
        let problems = [Problem::new("a"), Problem::new("b").with_help("c")];
        let text = render(&problems, "the command line", false);
        assert!(text.contains("× a"), "{text}");
        assert!(text.contains("help: c"), "{text}");
        assert!(
            text.ends_with("error: 2 errors in the command line\n"),
            "{text}"
        );
    }
}
