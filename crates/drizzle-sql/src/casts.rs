//! Whether `ALTER COLUMN ... SET DATA TYPE` needs a `USING` clause, and which.
//!
//! PostgreSQL converts a column without `USING` only through an implicit or assignment
//! cast (and converts the column's default the same way). The table below is a
//! conservative transcription of `pg_cast` for the built-in types: when it is unsure it
//! says "no", and the `USING` it then writes is always valid SQL — a direct cast where
//! PostgreSQL has an explicit one, else a round trip through `text`, which every type has.
//! A value that does not convert makes the migration fail (and roll back), never lose data.

use drizzle_schema::Column;

/// The cast-relevant identity of a column type.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Family {
    /// `smallint`, `integer`, `bigint` (and the serial types), by byte width.
    Int(u8),
    Float,
    Numeric,
    /// `text`, `varchar`, `char`.
    Str,
    Bool,
    Json,
    Jsonb,
    Date,
    Timestamp,
    Timestamptz,
    Time,
    Timetz,
    Interval,
    Inet,
    Cidr,
    Macaddr,
    Macaddr8,
    /// An enum, by schema and name.
    Enum(String, String),
    /// Anything else, by its base name.
    Other(String),
}

/// A column type: family and array depth.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kind {
    family: Family,
    dims: usize,
}

fn kind(c: &Column) -> Kind {
    let split = c.sql_type.find('[').unwrap_or(c.sql_type.len());
    let (base, arrays) = c.sql_type.split_at(split);
    let dims = arrays.matches('[').count();
    if let Some(schema) = &c.type_schema {
        let schema = if schema.is_empty() {
            drizzle_schema::PUBLIC
        } else {
            schema
        };
        return Kind {
            family: Family::Enum(schema.to_owned(), base.to_owned()),
            dims,
        };
    }
    // Type modifiers do not change the family: `varchar(20)`, `timestamp (3) with time zone`.
    let mut plain = String::new();
    let mut depth = 0;
    for ch in base.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => plain.push(ch.to_ascii_lowercase()),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let family = match plain.as_str() {
        "smallint" | "int2" | "smallserial" | "serial2" => Family::Int(2),
        "integer" | "int" | "int4" | "serial" | "serial4" => Family::Int(4),
        "bigint" | "int8" | "bigserial" | "serial8" => Family::Int(8),
        "real" | "float4" | "double precision" | "float8" | "float" => Family::Float,
        "numeric" | "decimal" => Family::Numeric,
        "text" | "varchar" | "character varying" | "char" | "character" | "bpchar" => Family::Str,
        "boolean" | "bool" => Family::Bool,
        "json" => Family::Json,
        "jsonb" => Family::Jsonb,
        "date" => Family::Date,
        "timestamp" | "timestamp without time zone" => Family::Timestamp,
        "timestamp with time zone" | "timestamptz" => Family::Timestamptz,
        "time" | "time without time zone" => Family::Time,
        "time with time zone" | "timetz" => Family::Timetz,
        "inet" => Family::Inet,
        "cidr" => Family::Cidr,
        "macaddr" => Family::Macaddr,
        "macaddr8" => Family::Macaddr8,
        p if p.starts_with("interval") => Family::Interval,
        p => Family::Other(p.to_owned()),
    };
    Kind { family, dims }
}

fn numeric(f: &Family) -> bool {
    matches!(f, Family::Int(_) | Family::Float | Family::Numeric)
}

/// An implicit or assignment cast exists between these scalar families.
fn assignment(from: &Family, to: &Family) -> bool {
    use Family::*;
    if from == to || *to == Str {
        return true;
    }
    if numeric(from) && numeric(to) {
        return true;
    }
    matches!(
        (from, to),
        (Json, Jsonb)
            | (Jsonb, Json)
            | (Date, Timestamp | Timestamptz)
            | (Timestamp, Timestamptz | Date | Time)
            | (Timestamptz, Timestamp | Date | Time | Timetz)
            | (Time, Timetz | Interval)
            | (Timetz, Time)
            | (Interval, Time)
            | (Inet, Cidr)
            | (Cidr, Inet)
            | (Macaddr, Macaddr8)
            | (Macaddr8, Macaddr)
    )
}

/// The expression converting one value of `from` (`value`, already SQL) to the scalar
/// type `target` (rendered) when no assignment cast exists.
fn explicit(value: &str, from: &Family, to: &Family, target: &str) -> String {
    use Family::*;
    match (from, to) {
        (Str, _) => format!("{value}::{target}"),
        (Bool, Int(4)) | (Int(4), Bool) => format!("{value}::{target}"),
        (Bool, Int(_)) | (Int(_), Bool) => format!("{value}::integer::{target}"),
        _ => format!("{value}::text::{target}"),
    }
}

/// The `USING` expression for changing `from` to `to` (`target` is the rendered new type,
/// `column` the quoted column name), or `None` when PostgreSQL converts on its own.
pub fn using(from: &Column, to: &Column, column: &str, target: &str) -> Option<String> {
    let (a, b) = (kind(from), kind(to));
    if a.dims == b.dims {
        if assignment(&a.family, &b.family) {
            return None;
        }
        return Some(explicit(column, &a.family, &b.family, target));
    }
    // Arrays and other types all print as text, by assignment.
    if b.dims == 0 && b.family == Family::Str {
        return None;
    }
    // A scalar becomes a one-element array (NULL stays NULL).
    if a.dims == 0 && b.dims == 1 {
        let element = target.strip_suffix("[]").unwrap_or(target);
        let value = if assignment(&a.family, &b.family) {
            column.to_owned()
        } else {
            explicit(column, &a.family, &b.family, element)
        };
        return Some(format!(
            "CASE WHEN {column} IS NULL THEN NULL ELSE ARRAY[{value}] END"
        ));
    }
    Some(format!("{column}::text::{target}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ty: &str) -> Column {
        Column::new("c", ty)
    }

    fn enum_col(ty: &str) -> Column {
        let mut c = Column::new("c", ty);
        c.type_schema = Some("public".into());
        c
    }

    fn u(from: Column, to: Column, target: &str) -> Option<String> {
        using(&from, &to, "\"c\"", target)
    }

    #[test]
    fn assignment_casts_need_no_using() {
        for (a, b) in [
            ("integer", "bigint"),
            ("bigint", "smallint"),
            ("integer", "text"),
            ("varchar(50)", "varchar(100)"),
            ("numeric(10, 2)", "numeric(12, 4)"),
            ("timestamp", "timestamp with time zone"),
            ("timestamp (3)", "timestamp(6)"),
            ("json", "jsonb"),
            ("boolean", "text"),
            ("real", "double precision"),
            ("integer[]", "text"),
            ("integer[]", "bigint[]"),
            ("smallserial", "integer"),
        ] {
            assert_eq!(u(col(a), col(b), b), None, "{a} -> {b}");
        }
        assert_eq!(u(enum_col("mood"), col("text"), "text"), None);
    }

    #[test]
    fn other_changes_get_a_valid_using() {
        assert_eq!(
            u(col("text"), col("integer"), "integer").as_deref(),
            Some("\"c\"::integer")
        );
        assert_eq!(
            u(col("text"), enum_col("color"), "\"public\".\"color\"").as_deref(),
            Some("\"c\"::\"public\".\"color\"")
        );
        assert_eq!(
            u(enum_col("a"), enum_col("b"), "\"public\".\"b\"").as_deref(),
            Some("\"c\"::text::\"public\".\"b\"")
        );
        assert_eq!(
            u(col("integer"), col("boolean"), "boolean").as_deref(),
            Some("\"c\"::boolean")
        );
        assert_eq!(
            u(col("bigint"), col("boolean"), "boolean").as_deref(),
            Some("\"c\"::integer::boolean")
        );
        assert_eq!(
            u(col("integer"), col("uuid"), "uuid").as_deref(),
            Some("\"c\"::text::uuid")
        );
        assert_eq!(
            u(col("integer"), col("integer[]"), "integer[]").as_deref(),
            Some("CASE WHEN \"c\" IS NULL THEN NULL ELSE ARRAY[\"c\"] END")
        );
        assert_eq!(
            u(col("text"), col("integer[]"), "integer[]").as_deref(),
            Some("CASE WHEN \"c\" IS NULL THEN NULL ELSE ARRAY[\"c\"::integer] END")
        );
        assert_eq!(
            u(col("integer[]"), col("integer"), "integer").as_deref(),
            Some("\"c\"::text::integer")
        );
    }
}
