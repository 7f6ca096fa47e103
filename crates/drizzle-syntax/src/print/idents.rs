//! Rust identifiers for SQL names: keyword escaping, sanitizing, and unique allocation.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use std::collections::HashSet;

/// Keywords (strict, reserved and edition-2024 `gen`) that need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Words that cannot be identifiers even as raw identifiers.
const NEVER_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names an item must not take: the prelude, the derives, and every type name the
/// parser maps by its last segment (an item named `Value` would read as JSON).
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "Box",
    "String",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Default",
    "Debug",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "FromIterator",
    "Self",
    "str",
    "bool",
    "char",
    "u8",
    "i16",
    "i32",
    "i64",
    "f32",
    "f64",
    "Uuid",
    "NaiveDate",
    "Date",
    "NaiveTime",
    "Time",
    "NaiveDateTime",
    "PrimitiveDateTime",
    "DateTime",
    "OffsetDateTime",
    "Utc",
    "FixedOffset",
    "Local",
    "PgInterval",
    "Decimal",
    "BigDecimal",
    "Value",
    "Json",
    "IpNetwork",
    "IpAddr",
    "MacAddress",
    "Table",
    "PgEnum",
    "View",
    "Sequence",
    "Role",
    "PgSchema",
];

/// An identifier for `name`, raw when it is a keyword. `name` must already be sanitized.
pub(crate) fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Keeps ASCII letters, digits and `_`; never empty, never starting with a digit, never a
/// word that cannot be an identifier.
fn sanitize(text: &str, fallback: &str, digit_prefix: &str) -> String {
    let mut out: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if out.chars().all(|c| c == '_') {
        out = fallback.to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, digit_prefix);
    }
    if NEVER_RAW.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A snake_case field name for a column name.
pub(crate) fn field_name(column: &str) -> String {
    sanitize(&column.to_snake_case(), "column", "c_")
}

/// An UpperCamelCase type name for an SQL name.
pub(crate) fn type_name(sql: &str, fallback: &str) -> String {
    sanitize(&sql.to_upper_camel_case(), fallback, "T")
}

/// An UpperCamelCase variant name for an enum value.
pub(crate) fn variant_name(value: &str) -> String {
    sanitize(&value.to_upper_camel_case(), "Value", "V")
}

/// Hands out names that are unique within one namespace, deterministically: the first
/// free candidate, else the first candidate with the smallest free number appended.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    used: HashSet<String>,
}

impl Namespace {
    /// The type namespace of a printed file, with every reserved name taken.
    pub(crate) fn types() -> Self {
        Namespace {
            used: RESERVED_TYPES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims the first free name among `candidates` (at least one).
    pub(crate) fn claim(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if self.used.insert(c.clone()) {
                return c.clone();
            }
        }
        let base = &candidates[0];
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|c| self.used.insert(c.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(field_name("createdAt"), "created_at");
        assert_eq!(field_name("type"), "type");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("123"), "c_123");
        assert_eq!(field_name("é"), "column");
        assert_eq!(type_name("post_tags", "Table"), "PostTags");
        assert_eq!(type_name("self", "Table"), "Self_");
        assert_eq!(variant_name("it's"), "ItS");
        assert_eq!(variant_name("1st"), "V1st");
        assert_eq!(variant_name(""), "Value");
    }

    #[test]
    fn claims_are_unique_and_deterministic() {
        let mut ns = Namespace::types();
        assert_eq!(ns.claim(&["Users".into()]), "Users");
        assert_eq!(ns.claim(&["Users".into(), "AppUsers".into()]), "AppUsers");
        assert_eq!(ns.claim(&["Users".into()]), "Users2");
        assert_eq!(ns.claim(&["Value".into()]), "Value2");
        assert_eq!(ns.claim(&["V1".into()]), "V1");
        assert_eq!(ns.claim(&["V1".into()]), "V1_2");
    }
}
