//! The one place identifiers and literals are quoted.
//!
//! drizzle-kit interpolates names between double quotes without escaping; we escape, which
//! gives the same bytes for every name that does not itself contain a quote.

/// `"name"`, with embedded double quotes doubled.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `'text'`, with embedded single quotes doubled (standard-conforming strings, so a
/// backslash is an ordinary character).
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `"schema"."name"`, always qualified (types, sequences, views, FK targets).
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// A table as drizzle-kit names it in statements: unqualified in `public`, else
/// `"schema"."table"`.
pub fn table_name(schema: &str, name: &str) -> String {
    if schema.is_empty() || schema == drizzle_schema::PUBLIC {
        quote_ident(name)
    } else {
        qualified(schema, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_double_embedded_quotes() {
        assert_eq!(quote_ident("users"), "\"users\"");
        assert_eq!(quote_ident("Mixed Case"), "\"Mixed Case\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn literals_double_embedded_quotes() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal(""), "''");
        assert_eq!(quote_literal("back\\slash"), "'back\\slash'");
    }

    #[test]
    fn public_tables_are_unqualified() {
        assert_eq!(table_name("public", "t"), "\"t\"");
        assert_eq!(table_name("", "t"), "\"t\"");
        assert_eq!(table_name("app", "t"), "\"app\".\"t\"");
        assert_eq!(qualified("public", "e"), "\"public\".\"e\"");
    }
}
