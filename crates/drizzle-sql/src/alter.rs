//! Statements that change existing columns and types: type changes (with `USING`, defaults
//! and serial sequences), identity changes and enum recreation.

use drizzle_diff::{EnumColumn, TableRef};
use drizzle_schema::{Column, Enum, Identity, IdentityKind, SequenceOptions};

use crate::casts;
use crate::quote::{qualified, quote_ident, quote_literal};
use crate::statements::create_enum;
use crate::table::{add_column, table_ref};
use crate::types::column_type;

fn alter_column(table: &TableRef, column: &str, action: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {action};",
        table_ref(table),
        quote_ident(column)
    )
}

fn is_serial(sql_type: &str) -> bool {
    serial_integer(sql_type).is_some()
}

/// The integer type behind a serial type.
fn serial_integer(sql_type: &str) -> Option<&'static str> {
    match sql_type {
        "smallserial" => Some("smallint"),
        "serial" => Some("integer"),
        "bigserial" => Some("bigint"),
        _ => None,
    }
}

/// The type as `SET DATA TYPE` takes it: enums always schema-qualified (as drizzle-kit
/// writes them there), serial types as their integer types (they are not types).
pub fn target_type(c: &Column) -> String {
    if let Some(schema) = &c.type_schema {
        let split = c.sql_type.find('[').unwrap_or(c.sql_type.len());
        let (base, arrays) = c.sql_type.split_at(split);
        let schema = if schema.is_empty() {
            drizzle_schema::PUBLIC
        } else {
            schema
        };
        return format!("{}{arrays}", qualified(schema, base));
    }
    match serial_integer(&c.sql_type) {
        Some(integer) => integer.to_owned(),
        None => column_type(&c.sql_type, None),
    }
}

/// A serial column's sequence, as PostgreSQL names it.
fn serial_sequence(table: &TableRef, column: &str) -> String {
    qualified(&table.schema, &format!("{}_{column}_seq", table.name))
}

/// `SET DATA TYPE`, with whatever it takes around it: the default is dropped first when the
/// value needs a `USING` (PostgreSQL would not convert the default), then set again; a
/// column becoming serial gets its sequence (owned, default, positioned after the largest
/// value), a column leaving serial loses it.
pub fn alter_column_type(table: &TableRef, from: &Column, to: &Column) -> Vec<String> {
    let column = quote_ident(&to.name);
    let target = target_type(to);
    let using = casts::using(from, to, &column, &target);
    let (was_serial, is_now_serial) = (is_serial(&from.sql_type), is_serial(&to.sql_type));
    let sequence = serial_sequence(table, &to.name);
    let mut out = Vec::new();
    if (from.default.is_some() && using.is_some()) || (was_serial && !is_now_serial) {
        out.push(alter_column(table, &to.name, "DROP DEFAULT"));
    }
    let set_type = match &using {
        Some(using) => format!("SET DATA TYPE {target} USING {using}"),
        None => format!("SET DATA TYPE {target}"),
    };
    out.push(alter_column(table, &to.name, &set_type));
    if was_serial && is_now_serial {
        out.push(format!("ALTER SEQUENCE {sequence} AS {target};"));
    } else if was_serial {
        out.push(format!("DROP SEQUENCE {sequence};"));
    } else if is_now_serial {
        out.push(format!(
            "CREATE SEQUENCE {sequence} AS {target} OWNED BY {}.{column};",
            table_ref(table)
        ));
        out.push(alter_column(
            table,
            &to.name,
            &format!("SET DEFAULT nextval({})", quote_literal(&sequence)),
        ));
        // Existing rows already hold values: the next one must not collide.
        out.push(format!(
            "SELECT setval({}, COALESCE((SELECT max({column}) FROM {}), 0) + 1, false);",
            quote_literal(&sequence),
            table_ref(table)
        ));
    }
    match &to.default {
        Some(default) => out.push(alter_column(
            table,
            &to.name,
            &format!("SET DEFAULT {}", default.to_sql()),
        )),
        None if from.default.is_some() && using.is_none() => {
            out.push(alter_column(table, &to.name, "DROP DEFAULT"));
        }
        None => {}
    }
    out
}

fn identity_kind(kind: IdentityKind) -> &'static str {
    match kind {
        IdentityKind::Always => "ALWAYS",
        IdentityKind::ByDefault => "BY DEFAULT",
    }
}

/// Identity changes, one statement per changed part (drizzle-kit's shape), plus the
/// sequence rename drizzle-kit never writes.
pub fn alter_identity(
    table: &TableRef,
    column: &str,
    from: &Identity,
    to: &Identity,
) -> Vec<String> {
    let mut out = Vec::new();
    if from.name != to.name {
        out.push(format!(
            "ALTER SEQUENCE {} RENAME TO {};",
            qualified(&to.schema, &from.name),
            quote_ident(&to.name)
        ));
    }
    if from.kind != to.kind {
        out.push(alter_column(
            table,
            column,
            &format!("SET GENERATED {}", identity_kind(to.kind)),
        ));
    }
    let (a, b) = (&from.options, &to.options);
    for (clause, old, new) in [
        ("MINVALUE", &a.min_value, &b.min_value),
        ("MAXVALUE", &a.max_value, &b.max_value),
        ("INCREMENT BY", &a.increment, &b.increment),
        ("START WITH", &a.start_with, &b.start_with),
        ("CACHE", &a.cache, &b.cache),
    ] {
        if old != new
            && let Some(value) = new.as_deref().filter(|v| !v.is_empty())
        {
            out.push(alter_column(
                table,
                column,
                &format!("SET {clause} {value}"),
            ));
        }
    }
    let (old_cycle, new_cycle) = (a.cycle.unwrap_or(false), b.cycle.unwrap_or(false));
    if old_cycle != new_cycle {
        let action = if new_cycle {
            "SET CYCLE"
        } else {
            "SET NO CYCLE"
        };
        out.push(alter_column(table, column, action));
    }
    out
}

/// `ALTER SEQUENCE` restating drizzle-kit's option list; `NO CYCLE` (which drizzle-kit
/// never writes, leaving the sequence cycling) and resets of removed bounds are ours.
pub fn alter_sequence(name: &str, from: &SequenceOptions, to: &SequenceOptions) -> String {
    let mut s = format!("ALTER SEQUENCE {name}");
    for (clause, value) in [
        ("INCREMENT BY", &to.increment),
        ("MINVALUE", &to.min_value),
        ("MAXVALUE", &to.max_value),
        ("START WITH", &to.start_with),
        ("CACHE", &to.cache),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            s.push_str(&format!(" {clause} {v}"));
        }
    }
    if to.min_value.is_none() && from.min_value.is_some() {
        s.push_str(" NO MINVALUE");
    }
    if to.max_value.is_none() && from.max_value.is_some() {
        s.push_str(" NO MAXVALUE");
    }
    if to.cycle == Some(true) {
        s.push_str(" CYCLE");
    } else if from.cycle == Some(true) {
        s.push_str(" NO CYCLE");
    }
    s.push(';');
    s
}

/// Enum recreation: every column using the type goes to `text` (its default, which names
/// the type, dropped first), the type is dropped and created again, and the columns that
/// keep the type come back with a cast (failing, and rolling back, on a removed value).
pub fn recreate_enum(e: &Enum, columns: &[EnumColumn]) -> Vec<String> {
    let mut out = Vec::new();
    for c in columns {
        if c.has_default {
            out.push(alter_column(&c.table, &c.column, "DROP DEFAULT"));
        }
        out.push(alter_column(
            &c.table,
            &c.column,
            &format!("SET DATA TYPE text{}", c.array),
        ));
    }
    let name = qualified(&e.schema, &e.name);
    out.push(format!("DROP TYPE {name};"));
    out.push(create_enum(e));
    for c in columns.iter().filter(|c| c.restore) {
        let target = format!("{name}{}", c.array);
        out.push(alter_column(
            &c.table,
            &c.column,
            &format!(
                "SET DATA TYPE {target} USING {}::{target}",
                quote_ident(&c.column)
            ),
        ));
        if let Some(default) = &c.default {
            out.push(alter_column(
                &c.table,
                &c.column,
                &format!("SET DEFAULT {}", default.to_sql()),
            ));
        }
    }
    out
}

/// A generated column re-added (PostgreSQL 15 cannot change a generation expression);
/// drizzle-kit's lowercase `drop column` kept.
pub fn recreate_column(table: &TableRef, column: &Column) -> Vec<String> {
    vec![
        format!(
            "ALTER TABLE {} drop column {};",
            table_ref(table),
            quote_ident(&column.name)
        ),
        add_column(table, column),
    ]
}

/// `ADD GENERATED ... AS IDENTITY (...)` on an existing column.
pub fn add_identity(table: &TableRef, column: &str, identity: &Identity) -> String {
    alter_column(
        table,
        column,
        &format!(
            "ADD{}",
            crate::table::identity_clause(identity, &table.schema)
        ),
    )
}
