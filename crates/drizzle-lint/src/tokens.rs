//! sqlparser's tokenizer with byte offsets, and the small predicates the recognizers share.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// A token that is not whitespace or a comment, with its byte range in the statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    /// The token.
    pub token: Token,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

impl Tok {
    /// Whether this is the unquoted keyword `word` (any case).
    pub fn is(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }

    /// The identifier this token names: quoted as written, unquoted folded to lower case.
    pub fn ident(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
            Token::Word(w) => Some(w.value.to_lowercase()),
            _ => None,
        }
    }
}

/// The tokens of `text`, or `None` when it does not even tokenize (an unterminated quote).
pub fn tokens(text: &str) -> Option<Vec<Tok>> {
    let dialect = PostgreSqlDialect {};
    let raw = Tokenizer::new(&dialect, text)
        .tokenize_with_location()
        .ok()?;
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |line: u64, column: u64| -> usize {
        let Some(&line_start) = usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| lines.get(l))
        else {
            return text.len();
        };
        let column = usize::try_from(column).unwrap_or(1).saturating_sub(1);
        text[line_start..]
            .char_indices()
            .nth(column)
            .map_or(text.len(), |(i, _)| line_start + i)
    };
    Some(
        raw.into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .map(|t| Tok {
                start: offset(t.span.start.line, t.span.start.column),
                end: offset(t.span.end.line, t.span.end.column),
                token: t.token,
            })
            .collect(),
    )
}

/// Functions whose value differs per row: a default calling one is evaluated for every
/// existing row when the column is added, which rewrites the table.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "gen_random_bytes",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
];

/// The first volatile function `expr` calls, if any.
pub fn volatile_call(expr: &str) -> Option<String> {
    let toks = tokens(expr)?;
    toks.windows(2).find_map(|w| {
        let name = w[0].ident()?;
        (w[1].token == Token::LParen && VOLATILE.contains(&name.as_str())).then_some(name)
    })
}

/// Splits `toks` at commas outside parentheses.
pub fn split_top_level(toks: &[Tok]) -> Vec<&[Tok]> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut from = 0;
    for (i, t) in toks.iter().enumerate() {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth -= 1,
            Token::Comma if depth == 0 => {
                parts.push(&toks[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&toks[from..]);
    parts
}

/// Index of the parenthesis closing the one at `open`.
pub fn closing_paren(toks: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_bytes() {
        let toks = tokens("ALTER TABLE \"é\"\n  ADD x").unwrap();
        let text = "ALTER TABLE \"é\"\n  ADD x";
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["ALTER", "TABLE", "\"é\"", "ADD", "x"]);
    }

    #[test]
    fn volatile_functions_are_found_by_name() {
        assert_eq!(
            volatile_call("gen_random_uuid()").as_deref(),
            Some("gen_random_uuid")
        );
        assert_eq!(
            volatile_call("(\"public\".uuid_generate_v4())").as_deref(),
            Some("uuid_generate_v4")
        );
        assert_eq!(volatile_call("now()"), None);
        assert_eq!(volatile_call("'random()'"), None);
    }
}
