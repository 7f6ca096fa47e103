//! Column defaults as `pg_get_expr` prints them, turned into drizzle-kit's snapshot form:
//! numbers and booleans as JSON literals, string literals without their redundant cast,
//! json as `'…'::jsonb`, everything else verbatim SQL.

use drizzle_schema::Literal;

/// The literal for a default expression on a column whose type `format_type()` printed as
/// `formatted` and whose element type is named `base_name` (`int4`, `numeric`, ...).
pub(crate) fn default_literal(
    expr: &str,
    formatted: &str,
    base_name: &str,
    is_array: bool,
) -> Literal {
    let expr = expr.trim();
    if is_array {
        return Literal::Sql(strip_cast(expr, formatted).unwrap_or(expr).to_owned());
    }
    match base_name {
        "int2" | "int4" | "int8" | "float4" | "float8" => {
            let bare = strip_cast(expr, formatted)
                .map(unquote)
                .unwrap_or(Some(expr));
            match bare {
                Some(n) if is_number(n) => Literal::Number(n.to_owned()),
                _ => Literal::Sql(expr.to_owned()),
            }
        }
        "numeric" => {
            let bare = strip_cast(expr, formatted).unwrap_or(expr);
            if is_number(bare) {
                Literal::Sql(format!("'{bare}'"))
            } else {
                Literal::Sql(bare.to_owned())
            }
        }
        "bool" => match expr {
            "true" => Literal::Bool(true),
            "false" => Literal::Bool(false),
            _ => Literal::Sql(expr.to_owned()),
        },
        // drizzle-kit writes json defaults with their cast; keep it.
        "json" | "jsonb" => Literal::Sql(expr.to_owned()),
        _ => Literal::Sql(strip_cast(expr, formatted).unwrap_or(expr).to_owned()),
    }
}

/// `'text'::T` → `'text'` when `T` is the column's own type (with or without its modifier,
/// or the `bpchar`/`text` spellings of character types): the cast adds nothing then.
fn strip_cast<'a>(expr: &'a str, formatted: &str) -> Option<&'a str> {
    let end = quoted_end(expr)?;
    let target = expr[end..].strip_prefix("::")?;
    let column_type = formatted.trim();
    let without_modifier = strip_modifier(column_type);
    let character = column_type.starts_with("character") || column_type == "text";
    let same = target == column_type
        || target == without_modifier
        || (character
            && matches!(
                target,
                "bpchar" | "text" | "character varying" | "character"
            ));
    same.then_some(&expr[..end])
}

/// The byte index just past a leading single-quoted SQL literal (with `''` escapes).
fn quoted_end(expr: &str) -> Option<usize> {
    let bytes = expr.as_bytes();
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// `numeric(10,2)` → `numeric`, `timestamp(3) without time zone` → `timestamp without time zone`.
fn strip_modifier(formatted: &str) -> String {
    match (formatted.find('('), formatted.find(')')) {
        (Some(open), Some(close)) if close > open => {
            format!("{}{}", &formatted[..open], &formatted[close + 1..])
        }
        _ => formatted.to_owned(),
    }
}

/// `'text'` → `text` when the literal holds no escaped quote.
fn unquote(literal: &str) -> Option<&str> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains('\'')).then_some(inner)
}

/// A JSON-compatible number: optional minus, digits, optional fraction and exponent.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(at) => (&digits[..at], Some(&digits[at + 1..])),
        None => (digits, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(int)
        && frac.is_none_or(all_digits)
        && exponent.is_none_or(|e| all_digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(expr: &str, formatted: &str, base: &str) -> Literal {
        default_literal(expr, formatted, base, formatted.ends_with(']'))
    }

    #[test]
    fn numbers_become_json_numbers() {
        assert_eq!(lit("0", "integer", "int4"), Literal::Number("0".into()));
        assert_eq!(
            lit("'-5'::integer", "integer", "int4"),
            Literal::Number("-5".into())
        );
        assert_eq!(
            lit("9007199254740993", "bigint", "int8"),
            Literal::Number("9007199254740993".into())
        );
        assert_eq!(
            lit("'-0.5'::double precision", "double precision", "float8"),
            Literal::Number("-0.5".into())
        );
        assert_eq!(lit("1.5", "real", "float4"), Literal::Number("1.5".into()));
        assert_eq!(
            lit("(1 + 2)", "integer", "int4"),
            Literal::Sql("(1 + 2)".into())
        );
        assert_eq!(
            lit("nextval('counter_seq'::regclass)", "integer", "int4"),
            Literal::Sql("nextval('counter_seq'::regclass)".into())
        );
    }

    #[test]
    fn numerics_are_quoted_strings() {
        assert_eq!(
            lit("1.50", "numeric(10,2)", "numeric"),
            Literal::Sql("'1.50'".into())
        );
        assert_eq!(
            lit("'2.25'::numeric", "numeric", "numeric"),
            Literal::Sql("'2.25'".into())
        );
    }

    #[test]
    fn string_casts_to_the_column_type_are_dropped() {
        assert_eq!(
            lit("'hello'::text", "text", "text"),
            Literal::Sql("'hello'".into())
        );
        assert_eq!(
            lit("'it''s'::text", "text", "text"),
            Literal::Sql("'it''s'".into())
        );
        assert_eq!(
            lit(
                "'abc'::character varying",
                "character varying(10)",
                "varchar"
            ),
            Literal::Sql("'abc'".into())
        );
        assert_eq!(
            lit("'XY'::bpchar", "character(2)", "bpchar"),
            Literal::Sql("'XY'".into())
        );
        assert_eq!(
            lit("'low'::level", "level", "level"),
            Literal::Sql("'low'".into())
        );
        assert_eq!(
            lit(
                "'2024-01-02 03:04:05'::timestamp without time zone",
                "timestamp(3) without time zone",
                "timestamp"
            ),
            Literal::Sql("'2024-01-02 03:04:05'".into())
        );
        assert_eq!(
            lit("'{4,5}'::integer[]", "integer[]", "int4"),
            Literal::Sql("'{4,5}'".into())
        );
        assert_eq!(
            lit("'10.0.0.1'::inet", "inet", "inet"),
            Literal::Sql("'10.0.0.1'".into())
        );
    }

    #[test]
    fn other_expressions_are_kept() {
        assert_eq!(
            lit("now()", "timestamp with time zone", "timestamptz"),
            Literal::Sql("now()".into())
        );
        assert_eq!(lit("true", "boolean", "bool"), Literal::Bool(true));
        assert_eq!(
            lit("'{\"a\": 1}'::jsonb", "jsonb", "jsonb"),
            Literal::Sql("'{\"a\": 1}'::jsonb".into())
        );
        assert_eq!(
            lit("'x'::text || 'y'::text", "text", "text"),
            Literal::Sql("'x'::text || 'y'::text".into())
        );
    }
}
