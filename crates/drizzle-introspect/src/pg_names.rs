//! The names PostgreSQL chooses itself (`<table>_pkey`, `<table>_<column>_seq`), truncated
//! to 63 bytes exactly as `makeObjectName` does, so introspection recognizes them.

/// PostgreSQL's `NAMEDATALEN - 1`.
const MAX_IDENTIFIER: usize = 63;

/// The name PostgreSQL gives `name1[_name2]_label` when it picks a constraint or sequence name.
pub(crate) fn object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + name2.map_or(0, |_| 1);
    let available = MAX_IDENTIFIER.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    // Shorten the longer part first, one byte at a time, as makeObjectName does.
    while n1 + n2 > available {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_owned();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The longest prefix of `s` of at most `len` bytes that ends on a character boundary.
fn clip(s: &str, mut len: usize) -> &str {
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    &s[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_untouched() {
        assert_eq!(object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(object_name("users", Some("id"), "seq"), "users_id_seq");
    }

    #[test]
    fn long_names_are_truncated_like_postgres() {
        let table = "t".repeat(70);
        assert_eq!(
            object_name(&table, None, "pkey"),
            format!("{}_pkey", "t".repeat(58))
        );
        let seq = object_name(&"a".repeat(40), Some(&"b".repeat(40)), "seq");
        assert_eq!(seq, format!("{}_{}_seq", "a".repeat(29), "b".repeat(29)));
        assert_eq!(seq.len(), 63);
    }
}
