//! Catalog rows → tables and views of the model (columns, constraints, indexes, policies).

use std::collections::{BTreeMap, BTreeSet};

use drizzle_schema::{
    CheckConstraint, Column, ForeignKey, Generated, Identity, IdentityKind, Index, IndexColumn,
    Policy, PrimaryKey, Schema, SequenceOptions, Table, UniqueConstraint, View, qualified_key,
};
use indexmap::IndexMap;

use crate::catalog::{Catalog, ColumnRow, ConstraintRow, IndexRow, PolicyRow, RelationRow};
use crate::defaults::default_literal;
use crate::objects::{storage_options, with_options};
use crate::options::TableFilter;
use crate::pg_names::object_name;
use crate::types::spell_type;
use crate::warning::{Warning, WarningKind};

/// Where a relation went in the model.
enum Target {
    Table(String),
    View(String),
}

/// Builds tables and views into `schema`; returns the serial sequences folded into columns
/// (as `schema.name`) so they are not also reported as standalone sequences.
pub(crate) fn relations(
    catalog: &Catalog,
    filter: &TableFilter,
    schema: &mut Schema,
    warnings: &mut Vec<Warning>,
) -> BTreeSet<String> {
    let mut targets: BTreeMap<i64, Target> = BTreeMap::new();
    let mut names: BTreeMap<i64, &RelationRow> = BTreeMap::new();
    for rel in &catalog.relations {
        let object = format!("{}.{}", rel.schema, rel.name);
        if !filter.keeps(&rel.schema, &rel.name) {
            continue;
        }
        if rel.kind == "f" {
            warnings.push(Warning::new(WarningKind::ForeignTable, object, "skipped"));
            continue;
        }
        if rel.is_partition {
            warnings.push(Warning::new(
                WarningKind::Partition,
                object,
                "skipped; partitions are not represented",
            ));
            continue;
        }
        names.insert(rel.oid, rel);
        match rel.kind.as_str() {
            "v" | "m" => {
                let view = view(rel);
                let key = qualified_key(&view.schema, &view.name);
                schema.views.insert(key.clone(), view);
                targets.insert(rel.oid, Target::View(key));
            }
            _ => {
                table_warnings(rel, &object, warnings);
                let mut table = Table::new(rel.schema.clone(), rel.name.clone());
                table.rls_enabled = rel.rls;
                table.comment = rel.comment.clone();
                let key = table.key();
                schema.tables.insert(key.clone(), table);
                targets.insert(rel.oid, Target::Table(key));
            }
        }
    }

    let mut serials = BTreeSet::new();
    for row in &catalog.columns {
        let (Some(target), Some(rel)) = (targets.get(&row.rel), names.get(&row.rel)) else {
            continue;
        };
        let (column, serial) = column(row, rel, warnings);
        if let Some(seq) = serial {
            serials.insert(seq);
        }
        match target {
            Target::Table(key) => {
                schema.tables[key]
                    .columns
                    .insert(column.name.clone(), column);
            }
            Target::View(key) => {
                schema.views[key]
                    .columns
                    .insert(column.name.clone(), column);
            }
        }
    }

    for row in &catalog.constraints {
        if let (Some(Target::Table(key)), Some(rel)) = (targets.get(&row.rel), names.get(&row.rel))
        {
            let table = &mut schema.tables[key];
            constraint(row, rel, table, warnings);
        }
    }

    for row in &catalog.indexes {
        let (Some(target), Some(rel)) = (targets.get(&row.rel), names.get(&row.rel)) else {
            continue;
        };
        let object = format!("{}.{}.{}", rel.schema, rel.name, row.name);
        match target {
            Target::Table(key) => {
                let index = index(row, &object, warnings);
                schema.tables[key].indexes.insert(index.name.clone(), index);
            }
            Target::View(_) => warnings.push(Warning::new(
                WarningKind::MaterializedViewIndex,
                object,
                "skipped; views carry no indexes in the model",
            )),
        }
    }

    for row in &catalog.policies {
        if let Some(Target::Table(key)) = targets.get(&row.rel) {
            let policy = policy(row);
            schema.tables[key]
                .policies
                .insert(policy.name.clone(), policy);
        }
    }
    serials
}

fn table_warnings(rel: &RelationRow, object: &str, warnings: &mut Vec<Warning>) {
    if rel.kind == "p" {
        warnings.push(Warning::new(
            WarningKind::PartitionedTable,
            object,
            "kept as a plain table; its PARTITION BY is not represented",
        ));
    }
    if !rel.parents.is_empty() {
        warnings.push(Warning::new(
            WarningKind::Inheritance,
            object,
            format!(
                "inherits from {}; kept without inheritance or inherited constraints",
                rel.parents.join(", ")
            ),
        ));
    }
    if rel.persistence == "u" {
        warnings.push(Warning::new(
            WarningKind::Unlogged,
            object,
            "kept as a logged table",
        ));
    }
    if rel.force_rls {
        warnings.push(Warning::new(
            WarningKind::ForceRowLevelSecurity,
            object,
            "kept as ENABLE ROW LEVEL SECURITY without FORCE",
        ));
    }
}

fn view(rel: &RelationRow) -> View {
    let materialized = rel.kind == "m";
    let definition = rel.definition.as_deref().map(|d| {
        let d = d.trim();
        d.strip_suffix(';').unwrap_or(d).trim_end().to_owned()
    });
    View {
        name: rel.name.clone(),
        schema: rel.schema.clone(),
        columns: IndexMap::new(),
        definition,
        materialized,
        with: with_options(&rel.options),
        is_existing: false,
        with_no_data: materialized.then_some(!rel.populated),
        using: rel
            .access_method
            .clone()
            .filter(|am| materialized && am != "heap"),
        tablespace: rel.tablespace.clone().filter(|_| materialized),
        comment: rel.comment.clone(),
        renamed_from: None,
    }
}

/// One column, and the serial sequence it absorbed (`schema.name`), if any.
fn column(
    row: &ColumnRow,
    rel: &RelationRow,
    warnings: &mut Vec<Warning>,
) -> (Column, Option<String>) {
    let object = format!("{}.{}.{}", rel.schema, rel.name, row.name);
    let mut column = Column::new(row.name.clone(), String::new());
    let dims = if row.is_array {
        row.dims.max(1) as usize
    } else {
        0
    };
    if row.base_kind == "e" {
        column.sql_type = format!("{}{}", row.base_name, "[]".repeat(dims));
        column.type_schema = Some(row.base_schema.clone());
    } else {
        let (base, _) = crate::types::split_array(&row.formatted);
        column.sql_type = format!("{}{}", spell_type(base), "[]".repeat(dims));
    }
    column.not_null = row.not_null;
    column.comment = row.comment.clone();
    if row.custom_collation {
        warnings.push(Warning::new(
            WarningKind::Collation,
            &object,
            format!(
                "COLLATE \"{}\" is not represented; kept with the type's default collation",
                row.collation.as_deref().unwrap_or("?")
            ),
        ));
    }

    let mut serial = None;
    match (row.identity.as_str(), &row.seq) {
        ("a" | "d", Some(seq)) if seq.kind == "i" => {
            column.identity = Some(Identity {
                kind: if row.identity == "a" {
                    IdentityKind::Always
                } else {
                    IdentityKind::ByDefault
                },
                name: seq.name.clone(),
                schema: seq.schema.clone(),
                options: SequenceOptions {
                    increment: Some(seq.increment.clone()),
                    min_value: Some(seq.min.clone()),
                    max_value: Some(seq.max.clone()),
                    start_with: Some(seq.start.clone()),
                    cache: Some(seq.cache.clone()),
                    cycle: Some(seq.cycle),
                },
            });
            return (column, None);
        }
        _ => {}
    }
    let Some(expr) = row.default_expr.as_deref() else {
        return (column, None);
    };
    if row.generated == "s" {
        column.generated = Some(Generated {
            expression: expr.to_owned(),
        });
        return (column, None);
    }
    if let Some(seq) = &row.seq {
        let serial_type = match row.base_name.as_str() {
            "int2" => Some("smallserial"),
            "int4" => Some("serial"),
            "int8" => Some("bigserial"),
            _ => None,
        };
        let is_serial = seq.kind == "a"
            && !row.is_array
            && row.is_integer
            && expr.starts_with("nextval('")
            && expr.ends_with("'::regclass)")
            && expr.contains(&seq.name)
            && seq.schema == rel.schema
            && seq.name == object_name(&rel.name, Some(&row.name), "seq")
            && seq.start == "1"
            && seq.increment == "1"
            && seq.min == "1"
            && seq.max == seq.type_max
            && seq.cache == "1"
            && !seq.cycle
            && seq.type_max == type_max(&row.base_name);
        if let (true, Some(serial_type)) = (is_serial, serial_type) {
            column.sql_type = serial_type.to_owned();
            serial = Some(format!("{}.{}", seq.schema, seq.name));
            return (column, serial);
        }
    }
    column.default = Some(default_literal(
        expr,
        &row.formatted,
        &row.base_name,
        row.is_array,
    ));
    (column, serial)
}

/// The maximum of an integer type as `pg_sequence` prints it.
fn type_max(base_name: &str) -> &'static str {
    match base_name {
        "int2" => "32767",
        "int4" => "2147483647",
        _ => "9223372036854775807",
    }
}

fn constraint(
    row: &ConstraintRow,
    rel: &RelationRow,
    table: &mut Table,
    warnings: &mut Vec<Warning>,
) {
    let object = format!("{}.{}.{}", rel.schema, rel.name, row.name);
    if row.kind == "x" {
        warnings.push(Warning::new(
            WarningKind::ExclusionConstraint,
            object,
            format!("skipped: {}", row.definition.as_deref().unwrap_or_default()),
        ));
        return;
    }
    if !row.is_local {
        // Inherited from a parent; the inheritance warning already names the table.
        return;
    }
    if row.deferrable {
        let how = if row.deferred {
            "DEFERRABLE INITIALLY DEFERRED"
        } else {
            "DEFERRABLE"
        };
        warnings.push(Warning::new(
            WarningKind::Deferrable,
            &object,
            format!("kept without {how}"),
        ));
    }
    if !row.validated {
        warnings.push(Warning::new(
            WarningKind::NotValid,
            &object,
            "kept as a validated constraint",
        ));
    }
    match row.kind.as_str() {
        "p" => {
            // A single-column key PostgreSQL named is the column-level `primary_key`; renaming
            // the table keeps the old `<table>_pkey`, so any `_pkey` name counts. drizzle's
            // composite names end in `_pk`, and other explicit names stay explicit.
            let inline = row.columns.len() == 1
                && (row.name == object_name(&rel.name, None, "pkey")
                    || row.name.ends_with("_pkey"));
            match (inline, table.columns.get_mut(&row.columns[0])) {
                (true, Some(column)) => column.primary_key = true,
                _ => {
                    table.composite_primary_keys.insert(
                        row.name.clone(),
                        PrimaryKey {
                            name: row.name.clone(),
                            columns: row.columns.clone(),
                        },
                    );
                }
            }
        }
        "u" => {
            table.unique_constraints.insert(
                row.name.clone(),
                UniqueConstraint {
                    name: row.name.clone(),
                    columns: row.columns.clone(),
                    nulls_not_distinct: row.nulls_not_distinct,
                },
            );
        }
        "f" => {
            if row.match_type == "f" {
                warnings.push(Warning::new(
                    WarningKind::ForeignKeyOption,
                    &object,
                    "kept without MATCH FULL",
                ));
            }
            if row.delete_set_columns {
                warnings.push(Warning::new(
                    WarningKind::ForeignKeyOption,
                    &object,
                    "ON DELETE SET NULL/DEFAULT (columns) kept as applying to every column",
                ));
            }
            let schema_to = row
                .ref_schema
                .clone()
                .filter(|s| s != drizzle_schema::PUBLIC);
            table.foreign_keys.insert(
                row.name.clone(),
                ForeignKey {
                    name: row.name.clone(),
                    table_from: rel.name.clone(),
                    columns_from: row.columns.clone(),
                    table_to: row.ref_table.clone().unwrap_or_default(),
                    schema_to,
                    columns_to: row.ref_columns.clone(),
                    on_update: Some(fk_action(&row.on_update).to_owned()),
                    on_delete: Some(fk_action(&row.on_delete).to_owned()),
                },
            );
        }
        "c" => {
            if row.no_inherit {
                warnings.push(Warning::new(
                    WarningKind::NoInherit,
                    &object,
                    "kept without NO INHERIT",
                ));
            }
            let value = strip_outer_parens(row.expression.as_deref().unwrap_or_default());
            table.check_constraints.insert(
                row.name.clone(),
                CheckConstraint {
                    name: row.name.clone(),
                    value: value.to_owned(),
                },
            );
        }
        _ => {}
    }
}

/// drizzle's spelling of `confupdtype` / `confdeltype`.
fn fk_action(code: &str) -> &'static str {
    match code {
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        _ => "no action",
    }
}

/// `(a > 0)` → `a > 0`, but `(a > 0) AND (b > 0)` is left alone.
pub(crate) fn strip_outer_parens(expr: &str) -> &str {
    let expr = expr.trim();
    if !(expr.starts_with('(') && expr.ends_with(')')) {
        return expr;
    }
    let mut depth = 0i32;
    let mut in_string = false;
    for (i, ch) in expr.char_indices() {
        match ch {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth == 0 && i != expr.len() - 1 {
                    return expr;
                }
            }
            _ => {}
        }
    }
    &expr[1..expr.len() - 1]
}

fn index(row: &IndexRow, object: &str, warnings: &mut Vec<Warning>) -> Index {
    if row.has_include {
        warnings.push(Warning::new(
            WarningKind::IndexInclude,
            object,
            "kept without its INCLUDE columns",
        ));
    }
    if row.nulls_not_distinct {
        warnings.push(Warning::new(
            WarningKind::IndexNullsNotDistinct,
            object,
            "kept as a unique index with distinct nulls",
        ));
    }
    if row.custom_collation.iter().any(|c| *c) {
        warnings.push(Warning::new(
            WarningKind::Collation,
            object,
            "index key collation is not represented",
        ));
    }
    let columns = (0..row.columns.len())
        .map(|k| {
            let is_expression = row.columns[k].is_empty();
            IndexColumn {
                expression: if is_expression {
                    row.expressions[k].clone()
                } else {
                    row.columns[k].clone()
                },
                is_expression,
                asc: !row.descending[k],
                nulls: Some(if row.nulls_first[k] { "first" } else { "last" }.to_owned()),
                opclass: (!row.default_opclass[k]).then(|| row.opclasses[k].clone()),
            }
        })
        .collect();
    Index {
        name: row.name.clone(),
        columns,
        is_unique: row.is_unique,
        where_clause: row.predicate.clone(),
        concurrently: false,
        method: row.method.clone(),
        // Index storage parameters keep their SQL names in drizzle's snapshot (only view
        // options are camelCased).
        with: Some(storage_options(&row.options)),
    }
}

fn policy(row: &PolicyRow) -> Policy {
    let command = match row.command.as_str() {
        "r" => "SELECT",
        "a" => "INSERT",
        "w" => "UPDATE",
        "d" => "DELETE",
        _ => "ALL",
    };
    let mut to = row.roles.clone();
    to.sort();
    Policy {
        name: row.name.clone(),
        as_: Some(
            if row.permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            }
            .to_owned(),
        ),
        for_: Some(command.to_owned()),
        to: Some(to),
        using: row.using_expr.clone(),
        with_check: row.check_expr.clone(),
        on: None,
        schema: None,
        renamed_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_parens() {
        assert_eq!(strip_outer_parens("(a > 0)"), "a > 0");
        assert_eq!(
            strip_outer_parens("(a > 0) AND (b > 0)"),
            "(a > 0) AND (b > 0)"
        );
        assert_eq!(strip_outer_parens("a > 0"), "a > 0");
        assert_eq!(strip_outer_parens("(x = ')(')"), "x = ')('");
    }

    #[test]
    fn actions() {
        assert_eq!(fk_action("a"), "no action");
        assert_eq!(fk_action("c"), "cascade");
        assert_eq!(fk_action("n"), "set null");
        assert_eq!(fk_action("d"), "set default");
        assert_eq!(fk_action("r"), "restrict");
    }
}
