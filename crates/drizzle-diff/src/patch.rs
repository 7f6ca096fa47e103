//! Applying a resolved rename to the old schema, the way PostgreSQL applies it to the
//! database: everything that refers to the object by identity follows it (column types,
//! foreign keys, index keys, policy roles, expressions). What stays as it was is exactly
//! what the rename does not change in the database, e.g. constraint names.

use std::collections::HashMap;

use drizzle_schema::{PUBLIC, Schema, Table, qualified_key};
use indexmap::IndexMap;

use crate::expr::rename_identifiers;

/// Rebuilds `map` with one key renamed, keeping its position.
pub fn rekey<T>(map: &mut IndexMap<String, T>, from: &str, to: &str) {
    if from == to {
        return;
    }
    if let Some(index) = map.get_index_of(from) {
        let (_, value) = map.shift_remove_index(index).expect("index exists");
        let (new_index, _) = map.insert_full(to.to_owned(), value);
        map.move_index(new_index, index);
    }
}

fn rekey_all<T>(map: &mut IndexMap<String, T>, key: impl Fn(&T) -> String) {
    let taken = std::mem::take(map);
    *map = taken.into_iter().map(|(_, v)| (key(&v), v)).collect();
}

fn one(from: &str, to: &str) -> HashMap<String, String> {
    HashMap::from([(from.to_owned(), to.to_owned())])
}

/// Renames identifiers in every expression a table holds.
fn table_expressions(table: &mut Table, map: &HashMap<String, String>) {
    for check in table.check_constraints.values_mut() {
        check.value = rename_identifiers(&check.value, map);
    }
    for index in table.indexes.values_mut() {
        if let Some(w) = &index.where_clause {
            index.where_clause = Some(rename_identifiers(w, map));
        }
        for key in index.columns.iter_mut().filter(|k| k.is_expression) {
            key.expression = rename_identifiers(&key.expression, map);
        }
    }
    for policy in table.policies.values_mut() {
        if let Some(u) = &policy.using {
            policy.using = Some(rename_identifiers(u, map));
        }
        if let Some(c) = &policy.with_check {
            policy.with_check = Some(rename_identifiers(c, map));
        }
    }
    for column in table.columns.values_mut() {
        if let Some(g) = &mut column.generated {
            g.expression = rename_identifiers(&g.expression, map);
        }
    }
}

/// `"schema"."table"`, as linked policies store their target.
pub fn quoted_table(schema: &str, name: &str) -> String {
    format!("\"{schema}\".\"{name}\"")
}

/// `ALTER SCHEMA from RENAME TO to`.
pub fn schema(s: &mut Schema, from: &str, to: &str) {
    let fix = |schema: &mut String| {
        if schema == from {
            *schema = to.to_owned();
        }
    };
    rekey(&mut s.schemas, from, to);
    if let Some(def) = s.schemas.get_mut(to) {
        def.name = to.to_owned();
    }
    s.enums.values_mut().for_each(|e| fix(&mut e.schema));
    rekey_all(&mut s.enums, |e| qualified_key(&e.schema, &e.name));
    s.sequences.values_mut().for_each(|q| fix(&mut q.schema));
    rekey_all(&mut s.sequences, |q| qualified_key(&q.schema, &q.name));
    s.views.values_mut().for_each(|v| fix(&mut v.schema));
    rekey_all(&mut s.views, |v| qualified_key(&v.schema, &v.name));
    let names = one(from, to);
    for table in s.tables.values_mut() {
        let moved = table.schema == from;
        fix(&mut table.schema);
        for column in table.columns.values_mut() {
            if let Some(ts) = &mut column.type_schema {
                fix(ts);
            }
            if let Some(identity) = &mut column.identity {
                fix(&mut identity.schema);
            }
        }
        for fk in table.foreign_keys.values_mut() {
            if fk.schema_to.as_deref() == Some(from) {
                fk.schema_to = Some(to.to_owned());
            }
        }
        if moved {
            table_expressions(table, &names);
        }
    }
    rekey_all(&mut s.tables, Table::key);
    for policy in s.policies.values_mut() {
        if let Some(schema) = &mut policy.schema {
            fix(schema);
        }
        if let Some(on) = &policy.on {
            policy.on = Some(rename_identifiers(on, &names));
        }
    }
}

/// An enum moved and/or renamed: its key, and every column typed with it.
pub fn enum_(s: &mut Schema, from_key: &str, schema: &str, name: &str) {
    let Some(e) = s.enums.get_mut(from_key) else {
        return;
    };
    let (old_schema, old_name) = (e.schema.clone(), e.name.clone());
    e.schema = schema.to_owned();
    e.name = name.to_owned();
    rekey(&mut s.enums, from_key, &qualified_key(schema, name));
    for column in s.tables.values_mut().flat_map(|t| t.columns.values_mut()) {
        if column.type_schema.as_deref() == Some(old_schema.as_str())
            && base_type(&column.sql_type) == old_name
        {
            let arrays = array_suffix(&column.sql_type).to_owned();
            column.sql_type = format!("{name}{arrays}");
            column.type_schema = Some(schema.to_owned());
        }
    }
}

/// A sequence moved and/or renamed.
pub fn sequence(s: &mut Schema, from_key: &str, schema: &str, name: &str) {
    if let Some(q) = s.sequences.get_mut(from_key) {
        q.schema = schema.to_owned();
        q.name = name.to_owned();
        rekey(&mut s.sequences, from_key, &qualified_key(schema, name));
    }
}

/// A role renamed: policies name it.
pub fn role(s: &mut Schema, from: &str, to: &str) {
    rekey(&mut s.roles, from, to);
    if let Some(r) = s.roles.get_mut(to) {
        r.name = to.to_owned();
    }
    let policies = s
        .tables
        .values_mut()
        .flat_map(|t| t.policies.values_mut())
        .chain(s.policies.values_mut());
    for policy in policies {
        if let Some(roles) = &mut policy.to {
            for r in roles.iter_mut().filter(|r| *r == from) {
                *r = to.to_owned();
            }
            // drizzle-kit keeps `to` sorted.
            roles.sort();
        }
    }
}

/// A table moved and/or renamed: its key, its identity sequences (which move with it),
/// foreign keys pointing at it, its own expressions and linked policies' targets.
pub fn table(s: &mut Schema, from_key: &str, schema: &str, name: &str) {
    let Some(t) = s.tables.get_mut(from_key) else {
        return;
    };
    let (old_schema, old_name) = (t.schema.clone(), t.name.clone());
    t.schema = schema.to_owned();
    t.name = name.to_owned();
    let mut names = one(&old_name, name);
    if old_schema != schema {
        names.insert(old_schema.clone(), schema.to_owned());
    }
    for column in t.columns.values_mut() {
        if let Some(identity) = &mut column.identity {
            identity.schema = schema.to_owned();
        }
    }
    for fk in t.foreign_keys.values_mut() {
        fk.table_from = name.to_owned();
    }
    table_expressions(t, &names);
    rekey(&mut s.tables, from_key, &qualified_key(schema, name));
    for t in s.tables.values_mut() {
        for fk in t.foreign_keys.values_mut() {
            if fk.table_to == old_name && fk.schema_to.as_deref().unwrap_or(PUBLIC) == old_schema {
                fk.table_to = name.to_owned();
                fk.schema_to = Some(schema.to_owned());
            }
        }
    }
    let old_on = quoted_table(&old_schema, &old_name);
    for policy in s.policies.values_mut() {
        if policy.on.as_deref() == Some(old_on.as_str()) {
            policy.on = Some(quoted_table(schema, name));
            policy.schema = Some(schema.to_owned());
        }
    }
}

/// A column renamed: keys and constraints of its table, foreign keys of every table that
/// point at it, and expressions of its table.
pub fn column(s: &mut Schema, table_key: &str, from: &str, to: &str) {
    let Some(t) = s.tables.get_mut(table_key) else {
        return;
    };
    rekey(&mut t.columns, from, to);
    if let Some(c) = t.columns.get_mut(to) {
        c.name = to.to_owned();
    }
    let swap = |columns: &mut Vec<String>| {
        for c in columns.iter_mut().filter(|c| *c == from) {
            *c = to.to_owned();
        }
    };
    for index in t.indexes.values_mut() {
        for key in index.columns.iter_mut().filter(|k| !k.is_expression) {
            if key.expression == from {
                key.expression = to.to_owned();
            }
        }
    }
    t.composite_primary_keys
        .values_mut()
        .for_each(|pk| swap(&mut pk.columns));
    t.unique_constraints
        .values_mut()
        .for_each(|u| swap(&mut u.columns));
    t.foreign_keys
        .values_mut()
        .for_each(|fk| swap(&mut fk.columns_from));
    table_expressions(t, &one(from, to));
    let (schema, name) = (t.schema.clone(), t.name.clone());
    for other in s.tables.values_mut() {
        for fk in other.foreign_keys.values_mut() {
            if fk.table_to == name && fk.schema_to.as_deref().unwrap_or(PUBLIC) == schema {
                swap(&mut fk.columns_to);
            }
        }
    }
}

/// A table policy renamed.
pub fn policy(s: &mut Schema, table_key: &str, from: &str, to: &str) {
    if let Some(t) = s.tables.get_mut(table_key) {
        rekey(&mut t.policies, from, to);
        if let Some(p) = t.policies.get_mut(to) {
            p.name = to.to_owned();
        }
    }
}

/// A linked policy renamed.
pub fn linked_policy(s: &mut Schema, from: &str, to: &str) {
    rekey(&mut s.policies, from, to);
    if let Some(p) = s.policies.get_mut(to) {
        p.name = to.to_owned();
    }
}

/// A view moved and/or renamed.
pub fn view(s: &mut Schema, from_key: &str, schema: &str, name: &str) {
    if let Some(v) = s.views.get_mut(from_key) {
        v.schema = schema.to_owned();
        v.name = name.to_owned();
        rekey(&mut s.views, from_key, &qualified_key(schema, name));
    }
}

/// A type without its array suffix (`mood[]` → `mood`).
pub fn base_type(sql_type: &str) -> &str {
    &sql_type[..sql_type.find('[').unwrap_or(sql_type.len())]
}

/// The array suffix of a type (`mood[][]` → `[][]`).
pub fn array_suffix(sql_type: &str) -> &str {
    &sql_type[sql_type.find('[').unwrap_or(sql_type.len())..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rekey_keeps_position() {
        let mut m: IndexMap<String, i32> = [("a", 1), ("b", 2), ("c", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        rekey(&mut m, "b", "z");
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["a", "z", "c"]);
        assert_eq!(m["z"], 2);
    }

    #[test]
    fn array_parts() {
        assert_eq!(base_type("mood[][]"), "mood");
        assert_eq!(array_suffix("mood[][]"), "[][]");
        assert_eq!(array_suffix("integer"), "");
    }
}
