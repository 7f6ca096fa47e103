//! Building SQL text for the canonicalization script: identifier quoting, dollar quoting,
//! and removing a table's own qualification from expressions.

/// `"name"` with embedded quotes doubled.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `$qN$text$qN$` with the first tag that does not occur in `text`.
pub(crate) fn dollar_quote(text: &str) -> String {
    let tag = (0..)
        .map(|n| format!("$q{n}$"))
        .find(|tag| !text.contains(tag.as_str()))
        .unwrap_or_default();
    format!("{tag}{text}{tag}")
}

/// Removes `schema.table.` and `table.` qualifiers (quoted or bare) in front of column
/// references, outside string literals: drizzle-kit writes check, index predicate and
/// policy expressions table-qualified, and a scratch table with another name must accept them.
pub(crate) fn strip_qualifier(sql: &str, schema: &str, table: &str) -> String {
    let prefixes = [
        format!("{}.{}.", quote_ident(schema), quote_ident(table)),
        format!("{schema}.{table}."),
        format!("{}.", quote_ident(table)),
        format!("{table}."),
    ];
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\'' {
            let end = literal_end(bytes, i);
            out.push_str(&sql[i..end]);
            i = end;
            continue;
        }
        let boundary =
            i == 0 || !is_ident_byte(bytes[i - 1]) && bytes[i - 1] != b'.' && bytes[i - 1] != b'"';
        if boundary {
            let hit = prefixes.iter().find(|p| {
                let bare = !p.starts_with('"');
                let rest = &sql[i..];
                let matches = if bare {
                    rest.len() >= p.len()
                        && rest.is_char_boundary(p.len())
                        && rest[..p.len()].eq_ignore_ascii_case(p)
                } else {
                    rest.starts_with(p.as_str())
                };
                matches
                    && rest[p.len()..]
                        .bytes()
                        .next()
                        .is_some_and(|n| is_ident_byte(n) || n == b'"')
            });
            if let Some(prefix) = hit {
                i += prefix.len();
                continue;
            }
        }
        let ch = sql[i..].chars().next().unwrap_or_default();
        if c == b'"' {
            // Copy a quoted identifier whole so its content is never mistaken for a prefix.
            let end = sql[i + 1..].find('"').map_or(sql.len(), |e| i + 1 + e + 1);
            out.push_str(&sql[i..end]);
            i = end;
            continue;
        }
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The index just past the single-quoted literal starting at `start` (`''` escapes).
fn literal_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_own_table_qualifiers_only() {
        assert_eq!(
            strip_qualifier("\"users\".\"age\" > 0", "public", "users"),
            "\"age\" > 0"
        );
        assert_eq!(
            strip_qualifier("\"app\".\"parent\".\"a\" > 5", "app", "parent"),
            "\"a\" > 5"
        );
        assert_eq!(
            strip_qualifier("users.age > 0 AND other.x", "public", "users"),
            "age > 0 AND other.x"
        );
        assert_eq!(
            strip_qualifier("note = 'users.age'", "public", "users"),
            "note = 'users.age'"
        );
        assert_eq!(
            strip_qualifier("myusers.age", "public", "users"),
            "myusers.age"
        );
        assert_eq!(
            strip_qualifier("\"x.users\".a", "public", "users"),
            "\"x.users\".a"
        );
    }

    #[test]
    fn dollar_quotes_avoid_their_content() {
        assert_eq!(dollar_quote("select 1"), "$q0$select 1$q0$");
        assert_eq!(dollar_quote("a $q0$ b"), "$q1$a $q0$ b$q1$");
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
