//! Cutting a migration file into statements, with their byte ranges.
//!
//! The cut is lexical (quotes, dollar quotes, comments), so it works on any file,
//! including ones the parser cannot read; `--> statement-breakpoint` is just a comment.

use std::ops::Range;

/// One statement of a file: its text from the first code character through its `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The statement text (leading comments and whitespace excluded).
    pub text: &'a str,
    /// Its byte range in the file.
    pub start: usize,
}

impl Piece<'_> {
    /// The byte range in the file.
    pub fn span(&self) -> Range<usize> {
        self.start..self.start + self.text.len()
    }
}

/// The statements of `sql`, in order; comment-only stretches yield nothing.
pub fn split(sql: &str) -> Vec<Piece<'_>> {
    let bytes = sql.as_bytes();
    let mut pieces = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match b {
            b'-' if next == Some(b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            b'/' if next == Some(b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b';' => {
                if let Some(s) = start.take() {
                    pieces.push(Piece {
                        text: &sql[s..=i],
                        start: s,
                    });
                }
                i += 1;
                continue;
            }
            _ if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
        i = match b {
            b'\'' => skip_quoted(bytes, i, b'\'', escapes_backslash(bytes, i)),
            b'"' => skip_quoted(bytes, i, b'"', false),
            b'$' => skip_dollar(sql, i),
            _ => i + 1,
        };
    }
    if let Some(s) = start {
        let text = sql[s..].trim_end();
        pieces.push(Piece { text, start: s });
    }
    pieces
}

/// `E'...'` strings treat backslash as an escape character.
fn escapes_backslash(bytes: &[u8], quote: usize) -> bool {
    quote >= 1
        && matches!(bytes[quote - 1], b'e' | b'E')
        && (quote < 2 || !(bytes[quote - 2].is_ascii_alphanumeric() || bytes[quote - 2] == b'_'))
}

fn skip_quoted(bytes: &[u8], open: usize, quote: u8, backslash: bool) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if backslash => i += 2,
            c if c == quote => {
                // A doubled quote is an escaped quote, not the end.
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_block_comment(bytes: &[u8], open: usize) -> usize {
    // PostgreSQL block comments nest.
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// `$tag$ ... $tag$`; a `$` that does not open a dollar quote (`$1`) is one character.
fn skip_dollar(sql: &str, open: usize) -> usize {
    let rest = &sql[open + 1..];
    let tag_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let starts_with_digit = rest.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if starts_with_digit || rest.as_bytes().get(tag_len) != Some(&b'$') {
        return open + 1;
    }
    let delimiter = &sql[open..open + tag_len + 2];
    let body = open + delimiter.len();
    sql[body..]
        .find(delimiter)
        .map_or(sql.len(), |end| body + end + delimiter.len())
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).iter().map(|p| p.text).collect()
    }

    #[test]
    fn breakpoints_and_comments_are_not_statements() {
        let sql = "-- drizzle:no-transaction\nCREATE TABLE \"t\" (\n\t\"id\" integer\n);\n--> statement-breakpoint\nCREATE INDEX \"i\" ON \"t\" (\"id\");--> statement-breakpoint\n/* a; /* nested; */ b; */ SELECT 1";
        assert_eq!(
            texts(sql),
            [
                "CREATE TABLE \"t\" (\n\t\"id\" integer\n);",
                "CREATE INDEX \"i\" ON \"t\" (\"id\");",
                "SELECT 1"
            ]
        );
        let pieces = split(sql);
        assert_eq!(&sql[pieces[1].span()], pieces[1].text);
    }

    #[test]
    fn semicolons_inside_quotes_do_not_cut() {
        let sql = "INSERT INTO t VALUES ('a;''b', E'c\\';d', \"x;y\");\nDO $body$ BEGIN PERFORM 1; END $body$;\nSELECT $1;";
        assert_eq!(
            texts(sql),
            [
                "INSERT INTO t VALUES ('a;''b', E'c\\';d', \"x;y\");",
                "DO $body$ BEGIN PERFORM 1; END $body$;",
                "SELECT $1;"
            ]
        );
    }

    #[test]
    fn positions_are_one_based() {
        let sql = "SELECT 1;\n  SELECT 2;";
        let second = split(sql)[1];
        assert_eq!(line_col(sql, second.start), (2, 3));
    }
}
