//! `CREATE TABLE`, `ADD COLUMN` and the table-level constraints.

use drizzle_diff::TableRef;
use drizzle_schema::{Column, ForeignKey, Identity, IdentityKind, Index, Table};

use crate::quote::{qualified, quote_ident, table_name};
use crate::types::column_type;

/// `"schema"."table"` or `"table"` for a table reference.
pub fn table_ref(t: &TableRef) -> String {
    table_name(&t.schema, &t.name)
}

/// `CREATE TABLE ... (\n\t...\n);\n` — the trailing newline is part of drizzle-kit's text.
pub fn create_table(t: &Table) -> String {
    let mut lines: Vec<String> = t
        .columns
        .values()
        .map(|c| format!("\t{}", column_definition(c, &t.schema, true)))
        .collect();
    // PostgreSQL allows one primary key; drizzle-kit inlines only the first.
    if let Some(pk) = t.composite_primary_keys.values().next() {
        lines.push(format!(
            "\tCONSTRAINT {} PRIMARY KEY({})",
            quote_ident(&pk.name),
            column_list(&pk.columns)
        ));
    }
    for u in t.unique_constraints.values() {
        lines.push(format!(
            "\tCONSTRAINT {} UNIQUE{}({})",
            quote_ident(&u.name),
            nulls_not_distinct(u.nulls_not_distinct),
            column_list(&u.columns)
        ));
    }
    for c in t.check_constraints.values() {
        lines.push(format!(
            "\tCONSTRAINT {} CHECK ({})",
            quote_ident(&c.name),
            c.value
        ));
    }
    format!(
        "CREATE TABLE {} (\n{}\n);\n",
        table_name(&t.schema, &t.name),
        lines.join(",\n")
    )
}

/// `ALTER TABLE ... ADD COLUMN ...;`.
pub fn add_column(table: &TableRef, c: &Column) -> String {
    format!(
        "ALTER TABLE {} ADD COLUMN {};",
        table_ref(table),
        column_definition(c, &table.schema, false)
    )
}

/// A column definition in drizzle-kit's clause order. `in_create` drops `NOT NULL` for
/// identity columns (implied there) exactly as drizzle-kit's CREATE TABLE does.
fn column_definition(c: &Column, table_schema: &str, in_create: bool) -> String {
    let mut s = format!(
        "{} {}",
        quote_ident(&c.name),
        column_type(&c.sql_type, c.type_schema.as_deref())
    );
    if c.primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if let Some(default) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(&default.to_sql());
    }
    if let Some(generated) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) STORED",
            generated.expression
        ));
    }
    if c.not_null && !(in_create && c.identity.is_some()) {
        s.push_str(" NOT NULL");
    }
    if in_create && let Some(legacy) = &c.legacy_unique {
        let truthy = legacy.is_unique.as_ref().is_some_and(js_truthy);
        if truthy {
            s.push_str(&format!(
                " CONSTRAINT {} UNIQUE{}",
                quote_ident(legacy.name.as_deref().unwrap_or_default()),
                nulls_not_distinct(legacy.nulls_not_distinct.unwrap_or(false))
            ));
        }
    }
    if let Some(identity) = &c.identity {
        s.push_str(&identity_clause(identity, table_schema));
    }
    s
}

/// ` GENERATED ... AS IDENTITY (sequence name ...)`, with drizzle-kit's leading space.
pub fn identity_clause(i: &Identity, table_schema: &str) -> String {
    let kind = match i.kind {
        IdentityKind::Always => "ALWAYS",
        IdentityKind::ByDefault => "BY DEFAULT",
    };
    // drizzle-kit qualifies the sequence with the table's schema, only outside public.
    let name = table_name(table_schema, &i.name);
    let o = &i.options;
    let mut s = format!(" GENERATED {kind} AS IDENTITY (sequence name {name}");
    for (clause, value) in [
        ("INCREMENT BY", &o.increment),
        ("MINVALUE", &o.min_value),
        ("MAXVALUE", &o.max_value),
        ("START WITH", &o.start_with),
        ("CACHE", &o.cache),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            s.push_str(&format!(" {clause} {v}"));
        }
    }
    if o.cycle == Some(true) {
        s.push_str(" CYCLE");
    }
    s.push(')');
    s
}

/// The JavaScript truthiness drizzle-kit applies to the legacy `isUnique` value.
fn js_truthy(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => false,
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        serde_json::Value::String(s) => !s.is_empty(),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => true,
    }
}

fn nulls_not_distinct(on: bool) -> &'static str {
    if on { " NULLS NOT DISTINCT" } else { "" }
}

/// `"a","b"` — no space after the comma, as drizzle-kit writes it.
pub fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(",")
}

/// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...;` (target always schema-qualified).
pub fn add_foreign_key(table: &TableRef, fk: &ForeignKey) -> String {
    let target = qualified(
        fk.schema_to
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(drizzle_schema::PUBLIC),
        &fk.table_to,
    );
    let mut s = format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}({})",
        table_ref(table),
        quote_ident(&fk.name),
        column_list(&fk.columns_from),
        target,
        column_list(&fk.columns_to)
    );
    if let Some(action) = fk.on_delete.as_deref().filter(|a| !a.is_empty()) {
        s.push_str(&format!(" ON DELETE {action}"));
    }
    if let Some(action) = fk.on_update.as_deref().filter(|a| !a.is_empty()) {
        s.push_str(&format!(" ON UPDATE {action}"));
    }
    s.push(';');
    s
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] ... USING m (...) [WITH (...)] [WHERE ...];`.
pub fn create_index(table: &TableRef, index: &Index) -> String {
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|c| {
            let mut s = if c.is_expression {
                c.expression.clone()
            } else {
                quote_ident(&c.expression)
            };
            // An operator class replaces the ordering words in drizzle-kit's output.
            if let Some(opclass) = &c.opclass {
                s.push(' ');
                s.push_str(opclass);
                return s;
            }
            if !c.asc {
                s.push_str(" DESC");
            }
            match c.nulls.as_deref() {
                Some("last") if c.asc => {}
                Some(nulls) => {
                    s.push_str(" NULLS ");
                    s.push_str(&nulls.to_uppercase());
                }
                None => {}
            }
            s
        })
        .collect();
    let mut s = format!(
        "CREATE {}INDEX{} {} ON {} USING {} ({})",
        if index.is_unique { "UNIQUE " } else { "" },
        if index.concurrently {
            " CONCURRENTLY"
        } else {
            ""
        },
        quote_ident(&index.name),
        table_ref(table),
        index.method,
        columns.join(",")
    );
    if let Some(with) = index.with.as_ref().filter(|w| !w.is_empty()) {
        let options: Vec<String> = with
            .iter()
            .map(|(k, v)| format!("{k}={}", v.to_sql()))
            .collect();
        s.push_str(&format!(" WITH ({})", options.join(",")));
    }
    if let Some(predicate) = &index.where_clause {
        s.push_str(&format!(" WHERE {predicate}"));
    }
    s.push(';');
    s
}
