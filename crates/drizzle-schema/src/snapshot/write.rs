//! Model → snapshot JSON in `drizzle-kit generate`'s key order (its serializer's order,
//! not the zod shape order: `default` after `identity`, fk `tableTo` before `columnsFrom`).

use super::{DIALECT, RenameMeta, Snapshot, VERSION};
use crate::json::Json;
use crate::{
    Column, Enum, ForeignKey, IdentityKind, Index, IndexColumn, Literal, PUBLIC, Policy, Schema,
    Sequence, SequenceOptions, Table, View,
};
use indexmap::IndexMap;

/// The whole file as a JSON tree.
pub(super) fn snapshot(s: &Snapshot) -> Json {
    let schema = &s.schema;
    let mut top = Json::object();
    top.push("id", Json::str(&s.id));
    top.push("prevId", Json::str(&s.prev_id));
    top.push("version", Json::str(VERSION));
    top.push("dialect", Json::str(DIALECT));
    top.push("tables", record(&schema.tables, table));
    top.push("enums", record(&schema.enums, enum_def));
    top.push(
        "schemas",
        Json::Object(
            schema
                .schemas
                .iter()
                .map(|(k, s)| (k.clone(), Json::str(&s.name)))
                .collect(),
        ),
    );
    top.push("sequences", record(&schema.sequences, sequence));
    top.push(
        "roles",
        record(&schema.roles, |r| {
            let mut o = Json::object();
            o.push("name", Json::str(&r.name));
            o.push_opt("createDb", r.create_db.map(Json::Bool));
            o.push_opt("createRole", r.create_role.map(Json::Bool));
            o.push_opt("inherit", r.inherit.map(Json::Bool));
            o
        }),
    );
    top.push("policies", record(&schema.policies, policy));
    top.push("views", record(&schema.views, view));
    top.push("_meta", meta(&s.meta));
    if let Some(internal) = &s.internal {
        top.push("internal", Json::from_value(internal));
    }
    if let Some(comments) = comments(schema) {
        top.push("comments", comments);
    }
    top
}

fn record<T>(map: &IndexMap<String, T>, f: impl Fn(&T) -> Json) -> Json {
    Json::Object(map.iter().map(|(k, v)| (k.clone(), f(v))).collect())
}

fn strings(items: &[String]) -> Json {
    Json::Array(items.iter().map(Json::str).collect())
}

fn string_map(map: &IndexMap<String, String>) -> Json {
    record(map, |s| Json::str(s))
}

/// drizzle-kit writes its empty default as `columns, schemas, tables`, but the maps a
/// diff fills (`prepareMigrationMeta`) as `schemas, tables, columns`.
fn meta(m: &RenameMeta) -> Json {
    let mut o = Json::object();
    if m.columns.is_empty() && m.schemas.is_empty() && m.tables.is_empty() {
        o.push("columns", string_map(&m.columns));
        o.push("schemas", string_map(&m.schemas));
        o.push("tables", string_map(&m.tables));
    } else {
        o.push("schemas", string_map(&m.schemas));
        o.push("tables", string_map(&m.tables));
        o.push("columns", string_map(&m.columns));
    }
    o
}

fn literal(l: &Literal) -> Json {
    match l {
        Literal::Sql(s) => Json::str(s),
        Literal::Number(n) => Json::Number(n.clone()),
        Literal::Bool(b) => Json::Bool(*b),
        Literal::Json(v) => Json::from_value(v),
    }
}

fn literal_map(map: &IndexMap<String, Literal>) -> Json {
    record(map, literal)
}

fn enum_def(e: &Enum) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&e.name));
    o.push("schema", Json::str(&e.schema));
    o.push("values", strings(&e.values));
    o
}

fn push_sequence_options(o: &mut Json, opts: &SequenceOptions) {
    o.push_opt("increment", opts.increment.as_ref().map(Json::str));
    o.push_opt("startWith", opts.start_with.as_ref().map(Json::str));
    o.push_opt("minValue", opts.min_value.as_ref().map(Json::str));
    o.push_opt("maxValue", opts.max_value.as_ref().map(Json::str));
    o.push_opt("cache", opts.cache.as_ref().map(Json::str));
    o.push_opt("cycle", opts.cycle.map(Json::Bool));
}

fn sequence(s: &Sequence) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&s.name));
    o.push("schema", Json::str(&s.schema));
    push_sequence_options(&mut o, &s.options);
    o
}

fn policy(p: &Policy) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&p.name));
    o.push_opt("as", p.as_.as_ref().map(Json::str));
    o.push_opt("for", p.for_.as_ref().map(Json::str));
    o.push_opt("to", p.to.as_deref().map(strings));
    o.push_opt("using", p.using.as_ref().map(Json::str));
    o.push_opt("withCheck", p.with_check.as_ref().map(Json::str));
    o.push_opt("on", p.on.as_ref().map(Json::str));
    o.push_opt("schema", p.schema.as_ref().map(Json::str));
    o
}

fn view(v: &View) -> Json {
    let mut o = Json::object();
    o.push("columns", record(&v.columns, column));
    o.push_opt("definition", v.definition.as_ref().map(Json::str));
    o.push("name", Json::str(&v.name));
    o.push("schema", Json::str(&v.schema));
    o.push("isExisting", Json::Bool(v.is_existing));
    o.push_opt("with", v.with.as_ref().map(literal_map));
    o.push_opt("withNoData", v.with_no_data.map(Json::Bool));
    o.push("materialized", Json::Bool(v.materialized));
    o.push_opt("tablespace", v.tablespace.as_ref().map(Json::str));
    o.push_opt("using", v.using.as_ref().map(Json::str));
    o
}

fn table(t: &Table) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&t.name));
    // drizzle-kit spells the public schema as "" inside table objects (keys still say public).
    let schema = if t.schema == PUBLIC { "" } else { &t.schema };
    o.push("schema", Json::str(schema));
    o.push("columns", record(&t.columns, column));
    o.push("indexes", record(&t.indexes, index));
    o.push("foreignKeys", record(&t.foreign_keys, foreign_key));
    o.push(
        "compositePrimaryKeys",
        record(&t.composite_primary_keys, |pk| {
            let mut o = Json::object();
            o.push("name", Json::str(&pk.name));
            o.push("columns", strings(&pk.columns));
            o
        }),
    );
    o.push(
        "uniqueConstraints",
        record(&t.unique_constraints, |u| {
            let mut o = Json::object();
            o.push("name", Json::str(&u.name));
            o.push("nullsNotDistinct", Json::Bool(u.nulls_not_distinct));
            o.push("columns", strings(&u.columns));
            o
        }),
    );
    o.push("policies", record(&t.policies, policy));
    o.push(
        "checkConstraints",
        record(&t.check_constraints, |c| {
            let mut o = Json::object();
            o.push("name", Json::str(&c.name));
            o.push("value", Json::str(&c.value));
            o
        }),
    );
    o.push("isRLSEnabled", Json::Bool(t.rls_enabled));
    o
}

fn column(c: &Column) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&c.name));
    o.push("type", Json::str(&c.sql_type));
    o.push_opt("typeSchema", c.type_schema.as_ref().map(Json::str));
    o.push("primaryKey", Json::Bool(c.primary_key));
    o.push("notNull", Json::Bool(c.not_null));
    if let Some(g) = &c.generated {
        let mut go = Json::object();
        go.push("as", Json::str(&g.expression));
        go.push("type", Json::str("stored"));
        o.push("generated", go);
    }
    if let Some(i) = &c.identity {
        let mut io = Json::object();
        let kind = match i.kind {
            IdentityKind::Always => "always",
            IdentityKind::ByDefault => "byDefault",
        };
        io.push("type", Json::str(kind));
        io.push("name", Json::str(&i.name));
        io.push("schema", Json::str(&i.schema));
        push_sequence_options(&mut io, &i.options);
        o.push("identity", io);
    }
    o.push_opt("default", c.default.as_ref().map(literal));
    if let Some(legacy) = &c.legacy_unique {
        o.push_opt("isUnique", legacy.is_unique.as_ref().map(Json::from_value));
        o.push_opt("uniqueName", legacy.name.as_ref().map(Json::str));
        o.push_opt(
            "nullsNotDistinct",
            legacy.nulls_not_distinct.map(Json::Bool),
        );
    }
    o
}

fn index_column(c: &IndexColumn) -> Json {
    let mut o = Json::object();
    o.push("expression", Json::str(&c.expression));
    // drizzle-kit builds expression keys and column keys with different object literals.
    if c.is_expression {
        o.push("asc", Json::Bool(c.asc));
        o.push("isExpression", Json::Bool(true));
    } else {
        o.push("isExpression", Json::Bool(false));
        o.push("asc", Json::Bool(c.asc));
    }
    o.push_opt("nulls", c.nulls.as_ref().map(Json::str));
    o.push_opt("opclass", c.opclass.as_ref().map(Json::str));
    o
}

fn index(i: &Index) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&i.name));
    o.push(
        "columns",
        Json::Array(i.columns.iter().map(index_column).collect()),
    );
    o.push("isUnique", Json::Bool(i.is_unique));
    o.push_opt("where", i.where_clause.as_ref().map(Json::str));
    o.push("concurrently", Json::Bool(i.concurrently));
    o.push("method", Json::str(&i.method));
    o.push_opt("with", i.with.as_ref().map(literal_map));
    o
}

fn foreign_key(f: &ForeignKey) -> Json {
    let mut o = Json::object();
    o.push("name", Json::str(&f.name));
    o.push("tableFrom", Json::str(&f.table_from));
    o.push("tableTo", Json::str(&f.table_to));
    o.push_opt("schemaTo", f.schema_to.as_ref().map(Json::str));
    o.push("columnsFrom", strings(&f.columns_from));
    o.push("columnsTo", strings(&f.columns_to));
    o.push_opt("onDelete", f.on_delete.as_ref().map(Json::str));
    o.push_opt("onUpdate", f.on_update.as_ref().map(Json::str));
    o
}

/// Our extension: the comments drizzle-kit's format cannot hold, or `None` when there are none.
fn comments(schema: &Schema) -> Option<Json> {
    let mut tables = Json::object();
    let mut columns = Json::object();
    for (key, t) in &schema.tables {
        if let Some(c) = &t.comment {
            tables.push(key, Json::str(c));
        }
        let mut cols = Json::object();
        for (name, col) in &t.columns {
            if let Some(c) = &col.comment {
                cols.push(name, Json::str(c));
            }
        }
        if cols != Json::object() {
            columns.push(key, cols);
        }
    }
    let mut views = Json::object();
    for (key, v) in &schema.views {
        if let Some(c) = &v.comment {
            views.push(key, Json::str(c));
        }
    }
    let mut enums = Json::object();
    for (key, e) in &schema.enums {
        if let Some(c) = &e.comment {
            enums.push(key, Json::str(c));
        }
    }
    let mut out = Json::object();
    for (key, part) in [
        ("tables", tables),
        ("columns", columns),
        ("views", views),
        ("enums", enums),
    ] {
        if part != Json::object() {
            out.push(key, part);
        }
    }
    (out != Json::object()).then_some(out)
}
