//! Column type text in `CREATE TABLE` / `ADD COLUMN` (drizzle-kit's `parseType`).

use crate::quote::{qualified, quote_ident};

/// Type names drizzle-kit prints verbatim; it checks them with `startsWith`.
const NATIVE_PREFIXES: &[&str] = &[
    "uuid",
    "smallint",
    "integer",
    "bigint",
    "boolean",
    "text",
    "varchar",
    "serial",
    "bigserial",
    "decimal",
    "numeric",
    "real",
    "json",
    "jsonb",
    "time",
    "timestamp",
    "date",
    "interval",
    "double precision",
    "char",
    "vector",
    "geometry",
    "halfvec",
    "sparsevec",
    "bit",
];

/// The type of a column as it appears after the column name.
///
/// Enum columns (`type_schema` set) are always quoted and qualified outside `public`;
/// drizzle-kit applies its native-prefix test to them too, which leaves an enum named
/// `textual` in schema `app` unqualified (wrong schema), so we don't. Other types follow
/// drizzle-kit: native prefixes verbatim, plain names quoted (`"inet"`, `"smallserial"`).
/// Text that is not a plain name (`varbit(5)`, `public.citext`) is left verbatim, where
/// drizzle-kit would quote it into a type that does not exist.
pub fn column_type(sql_type: &str, type_schema: Option<&str>) -> String {
    let split = sql_type.find('[').unwrap_or(sql_type.len());
    let (base, arrays) = sql_type.split_at(split);
    if let Some(schema) = type_schema {
        return if schema.is_empty() || schema == drizzle_schema::PUBLIC {
            format!("{}{arrays}", quote_ident(base))
        } else {
            format!("{}{arrays}", qualified(schema, base))
        };
    }
    if NATIVE_PREFIXES.iter().any(|p| sql_type.starts_with(p)) || !is_plain_name(base) {
        sql_type.to_owned()
    } else {
        format!("{}{arrays}", quote_ident(base))
    }
}

fn is_plain_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_types_are_verbatim() {
        for t in [
            "integer",
            "varchar(255)",
            "timestamp (3)",
            "timestamp(6) with time zone",
            "numeric(10, 2)",
            "text[][]",
            "integer[3]",
            "double precision",
            "geometry(point)",
            "interval day to second(3)",
        ] {
            assert_eq!(column_type(t, None), t);
        }
    }

    #[test]
    fn other_plain_names_are_quoted() {
        assert_eq!(column_type("smallserial", None), "\"smallserial\"");
        assert_eq!(column_type("inet", None), "\"inet\"");
        assert_eq!(column_type("citext[]", None), "\"citext\"[]");
        assert_eq!(column_type("varbit(5)", None), "varbit(5)");
    }

    #[test]
    fn enums_are_quoted_and_qualified_outside_public() {
        assert_eq!(column_type("role", Some("public")), "\"role\"");
        assert_eq!(column_type("status", Some("app")), "\"app\".\"status\"");
        assert_eq!(
            column_type("priority[]", Some("app")),
            "\"app\".\"priority\"[]"
        );
        assert_eq!(column_type("textual", Some("app")), "\"app\".\"textual\"");
    }
}
