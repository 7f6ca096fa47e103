//! Errors: the internal spanned issue every check produces, and the two forms it leaves
//! the crate in (a `Diagnostic` for the CLI, a `syn::Error` for the derives).

use proc_macro2::Span;
use std::ops::Range;
use std::path::PathBuf;

/// One problem found in a schema file, positioned for miette and for plain rendering.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct Diagnostic {
    /// File the problem is in.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range in the file's text.
    pub span: Range<usize>,
    /// What is wrong and what was expected.
    pub message: String,
    /// Short text for the caret label.
    pub label: String,
    /// The fix, when one can be suggested.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Renders `path:line:col: error: message`, the source line, a caret label and the help.
    pub fn render_plain(&self, source: &str) -> String {
        let mut out = format!(
            "{}:{}:{}: error: {}\n",
            self.path.display(),
            self.line,
            self.column,
            self.message
        );
        let line_start = line_start_offset(source, self.line);
        let text = source[line_start..]
            .split(['\n', '\r'])
            .next()
            .unwrap_or("");
        out.push_str("  | ");
        out.push_str(text);
        out.push('\n');
        let line_chars = text.chars().count();
        let col0 = (self.column - 1).min(line_chars);
        let end = self
            .span
            .end
            .min(line_start + text.len())
            .max(self.span.start);
        let width = source
            .get(self.span.start..end)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            .max(1);
        out.push_str("  | ");
        out.push_str(&" ".repeat(col0));
        out.push_str(&"^".repeat(width));
        if !self.label.is_empty() {
            out.push(' ');
            out.push_str(&self.label);
        }
        out.push('\n');
        if let Some(help) = &self.help {
            out.push_str("  = help: ");
            out.push_str(help);
            out.push('\n');
        }
        out
    }
}

/// The byte offset where 1-based `line` starts (the text's end when past it).
fn line_start_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    let mut seen = 1;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == line {
                return i + 1;
            }
        }
    }
    text.len()
}

/// The byte offset of a 1-based line and 0-based character column, clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = line_start_offset(text, line);
    let rest = &text[start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    rest[..line_len]
        .char_indices()
        .nth(column)
        .map(|(i, _)| start + i)
        .unwrap_or(start + line_len)
}

/// A problem found by a check, before it knows which file it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    /// Where it starts.
    pub start: Span,
    /// Where it ends (the same span for single tokens).
    pub end: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl Issue {
    /// An issue on one span.
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Issue {
            start: span,
            end: span,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    /// Adds the suggested fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help unless one is already set.
    pub fn help_opt(mut self, help: impl Into<String>) -> Self {
        if self.help.is_none() {
            self.help = Some(help.into());
        }
        self
    }

    /// Extends the issue to the end of `end`.
    pub fn until(mut self, end: Span) -> Self {
        self.end = end;
        self
    }

    /// An issue from a syn parse error (its own message, positioned where syn stopped).
    pub fn from_syn(err: &syn::Error) -> Self {
        Issue::new(err.span(), err.to_string(), "here")
    }

    /// Positions the issue in `text`, a file parsed with span locations.
    pub fn into_diagnostic(self, path: &std::path::Path, text: &str) -> Diagnostic {
        let start = self.start.start();
        let mut end = self.end.end();
        if (end.line, end.column) < (start.line, start.column) {
            end = self.start.end();
        }
        let line = start.line.max(1);
        let begin = offset_of(text, line, start.column);
        let finish = offset_of(text, end.line.max(1), end.column).max(begin);
        let column = text[line_start_offset(text, line)..begin].chars().count() + 1;
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            span: begin..finish,
            message: self.message,
            label: self.label,
            help: self.help,
        }
    }

    /// Positions the issue at the very end of `text` (input that ended too early).
    pub fn into_diagnostic_at_end(self, path: &std::path::Path, text: &str) -> Diagnostic {
        let line = text.split('\n').count();
        let last = text.rsplit('\n').next().unwrap_or("");
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column: last.chars().count() + 1,
            span: text.len()..text.len(),
            message: self.message,
            label: "input ends here".into(),
            help: self.help,
        }
    }

    /// The derive's form: syn reports the message at the span; the help rides along.
    pub fn into_syn(self) -> syn::Error {
        let text = match &self.help {
            Some(help) => format!("{}\n  = help: {help}", self.message),
            None => self.message,
        };
        syn::Error::new(self.start, text)
    }
}

/// The closest candidate to `word` by edit distance, when it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1) + 1 && *d < c.len().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_plain_points_at_the_span() {
        let source = "line one\n  bad thing\n";
        let d = Diagnostic {
            path: PathBuf::from("a.rs"),
            line: 2,
            column: 3,
            span: 11..14,
            message: "bad".into(),
            label: "this".into(),
            help: Some("fix it".into()),
        };
        assert_eq!(
            d.render_plain(source),
            "a.rs:2:3: error: bad\n  |   bad thing\n  |   ^^^ this\n  = help: fix it\n"
        );
    }

    #[test]
    fn offsets_count_characters() {
        let text = "é\nab€c\n";
        assert_eq!(offset_of(text, 2, 3), 3 + 2 + 3);
        assert_eq!(offset_of(text, 9, 0), text.len());
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(
            did_you_mean("primay_key", ["primary_key", "unique"]),
            Some("primary_key")
        );
        assert_eq!(did_you_mean("zzz", ["primary_key", "unique"]), None);
    }
}
