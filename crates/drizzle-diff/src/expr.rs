//! Just enough SQL lexing to follow renames through expressions (checks, index predicates,
//! policies, generated columns) and to see which objects a view's query names.
//!
//! PostgreSQL stores these expressions parsed, so after `RENAME COLUMN` they already name the
//! new column; the schema's text names it too. Substituting identifiers in the old text lets
//! the differ see that nothing else changed, instead of dropping and re-adding (and
//! revalidating) the constraint. The substitution skips string literals, so a wrong match
//! can only make two texts differ (a needless but safe re-creation), never hide a change.

use std::collections::{HashMap, HashSet};

/// One lexical piece of an expression.
enum Piece<'a> {
    /// `"name"` (with `""` inside undone).
    Quoted(String),
    /// A bare word: keyword, function or unquoted identifier.
    Word(&'a str),
    /// Anything else, verbatim (operators, literals, spaces).
    Other(&'a str),
}

fn pieces(sql: &str) -> Vec<Piece<'_>> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b'\'' => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                out.push(Piece::Other(&sql[start..i]));
            }
            b'"' => {
                i += 1;
                let mut name = String::new();
                let mut closed = false;
                while i < bytes.len() {
                    if bytes[i] == b'"' {
                        if bytes.get(i + 1) == Some(&b'"') {
                            name.push('"');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        closed = true;
                        break;
                    }
                    let ch = sql[i..].chars().next().unwrap_or_default();
                    name.push(ch);
                    i += ch.len_utf8();
                }
                if closed {
                    out.push(Piece::Quoted(name));
                } else {
                    out.push(Piece::Other(&sql[start..i]));
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                out.push(Piece::Word(&sql[start..i]));
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or_default();
                i += ch.len_utf8();
                out.push(Piece::Other(&sql[start..i]));
            }
        }
    }
    out
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `sql` with every identifier named in `map` (old → new) replaced, outside string literals.
/// Quoted identifiers match exactly; bare words match case-insensitively, as PostgreSQL folds them.
pub fn rename_identifiers(sql: &str, map: &HashMap<String, String>) -> String {
    if map.is_empty() {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    for piece in pieces(sql) {
        match piece {
            Piece::Quoted(name) => match map.get(&name) {
                Some(new) => out.push_str(&quoted(new)),
                None => out.push_str(&quoted(&name)),
            },
            Piece::Word(word) => match map.get(&word.to_ascii_lowercase()) {
                Some(new) if is_plain(new) => out.push_str(new),
                Some(new) => out.push_str(&quoted(new)),
                None => out.push_str(word),
            },
            Piece::Other(text) => out.push_str(text),
        }
    }
    out
}

/// Every identifier `sql` may name (quoted ones as written, bare words lowercased).
pub fn identifiers(sql: &str) -> HashSet<String> {
    pieces(sql)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Quoted(name) => Some(name),
            Piece::Word(word) => Some(word.to_ascii_lowercase()),
            Piece::Other(_) => None,
        })
        .collect()
}

/// A name PostgreSQL reads the same without quotes.
fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn quoted_and_bare_identifiers_follow_renames() {
        let m = map(&[("qty", "quantity"), ("t", "items")]);
        assert_eq!(
            rename_identifiers(r#""t"."qty" > 0 and qty < 10"#, &m),
            r#""items"."quantity" > 0 and quantity < 10"#
        );
    }

    #[test]
    fn literals_are_left_alone() {
        let m = map(&[("qty", "quantity")]);
        assert_eq!(
            rename_identifiers(r#"note <> 'qty "qty"' and "qty" > 0"#, &m),
            r#"note <> 'qty "qty"' and "quantity" > 0"#
        );
        assert_eq!(
            rename_identifiers("'it''s' || qty", &m),
            "'it''s' || quantity"
        );
    }

    #[test]
    fn identifiers_are_collected() {
        let ids = identifiers(r#"select "id", Name from "app"."Users" where x = 'lit'"#);
        for expected in ["select", "id", "name", "app", "Users", "where", "x"] {
            assert!(ids.contains(expected), "{expected}");
        }
        assert!(!ids.contains("lit"));
    }
}
