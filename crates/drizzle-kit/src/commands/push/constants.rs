//! Defaults that are the same constant written two ways (`ARRAY['a'::text, 'b'::text]` and
//! `'{a,b}'::text[]`): even canonical text differs, so the server compares the values.
//! Only expressions without function calls are evaluated, so nothing runs that could have
//! an effect (`nextval`) or a different result each time.

use std::collections::HashSet;

use drizzle_schema::{Column, Literal, Schema};
use drizzle_sql::quote_literal;

/// Whether `sql` is built from literals, casts and array constructors only.
fn constant(sql: &str) -> bool {
    let mut rest = String::with_capacity(sql.len());
    let mut in_literal = false;
    for ch in sql.chars() {
        match (ch, in_literal) {
            ('\'', _) => in_literal = !in_literal,
            (_, true) => {}
            (c, false) => rest.push(c),
        }
    }
    // Type modifiers are the only parentheses allowed: `::numeric(10,2)`, `::varchar(3)`.
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    let mut after_cast = false;
    while let Some(c) = chars.next() {
        if c == '(' && after_cast {
            for d in chars.by_ref() {
                if d == ')' {
                    break;
                }
                if !(d.is_ascii_digit() || d == ',' || d == ' ') {
                    return false;
                }
            }
            continue;
        }
        if c == ':' && chars.peek() == Some(&':') {
            after_cast = true;
        } else if !(c.is_alphanumeric() || c == '_' || c == ' ' || c == ':' || c == '"') {
            after_cast = false;
        }
        out.push(c);
    }
    !out.contains('(') && !out.contains(';')
}

fn sql_of(default: &Option<Literal>) -> Option<String> {
    default.as_ref().map(Literal::to_sql)
}

/// (table key, column) of every column, present under the same key on both sides, whose
/// canonical defaults differ as text but hold the same constant value.
pub(in crate::commands) fn same_defaults(
    client: &mut postgres::Client,
    database: &Schema,
    files: &Schema,
) -> Result<HashSet<(String, String)>, postgres::Error> {
    let mut candidates: Vec<(String, String, String)> = Vec::new();
    for (key, table) in &database.tables {
        let Some(other) = files.tables.get(key) else {
            continue;
        };
        for (name, column) in &table.columns {
            let Some(o) = other.columns.get(name) else {
                continue;
            };
            let (Some(a), Some(b)) = (sql_of(&column.default), sql_of(&o.default)) else {
                continue;
            };
            if a == b || column.sql_type != o.sql_type || !constant(&a) || !constant(&b) {
                continue;
            }
            let ty = super::super::risk::type_sql(o as &Column);
            candidates.push((
                key.clone(),
                name.clone(),
                format!("SELECT ({a})::{ty} IS NOT DISTINCT FROM ({b})::{ty}"),
            ));
        }
    }
    let mut same = HashSet::new();
    if candidates.is_empty() {
        return Ok(same);
    }
    let values: Vec<String> = candidates
        .iter()
        .enumerate()
        .map(|(i, (_, _, q))| format!("({i}, {})", quote_literal(q)))
        .collect();
    let script = format!(
        "BEGIN;\n\
         CREATE FUNCTION pg_temp.__drizzle_same(q text) RETURNS boolean LANGUAGE plpgsql AS $same$ \
         DECLARE r boolean; BEGIN EXECUTE q INTO r; RETURN coalesce(r, false); \
         EXCEPTION WHEN others THEN RETURN false; END $same$;\n\
         SELECT p.id::text, pg_temp.__drizzle_same(p.q)::text FROM (VALUES {}) AS p(id, q);\n\
         ROLLBACK;",
        values.join(", ")
    );
    let messages = match client.simple_query(&script) {
        Ok(m) => m,
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK");
            return Err(e);
        }
    };
    for message in messages {
        if let postgres::SimpleQueryMessage::Row(row) = message
            && row.get(1) == Some("true")
            && let Some((key, column, _)) = row
                .get(0)
                .and_then(|id| id.parse::<usize>().ok())
                .and_then(|id| candidates.get(id))
        {
            same.insert((key.clone(), column.clone()));
        }
    }
    Ok(same)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_literals_casts_and_arrays_are_constants() {
        for sql in [
            "ARRAY['a'::text, 'b'::text]",
            "'{a,b}'::text[]",
            "'10.50'::numeric(10,2)",
            "'x'::character varying(3)",
            "CURRENT_TIMESTAMP",
            "'(not a call)'::text",
            "42",
        ] {
            assert!(constant(sql), "{sql}");
        }
        for sql in [
            "nextval('s'::regclass)",
            "now()",
            "(1 + 2)",
            "random()::text",
            "'a'::text; DROP TABLE t",
        ] {
            assert!(!constant(sql), "{sql}");
        }
    }
}
