//! Catalog rows → schema-level objects: schemas, enums, sequences, roles, storage options,
//! and warnings for the objects the model has no place for.

use std::collections::BTreeSet;

use drizzle_schema::{
    Enum, Literal, Role, Schema, SchemaDef, Sequence, SequenceOptions, qualified_key,
};
use indexmap::IndexMap;

use crate::catalog::Catalog;
use crate::options::Options;
use crate::warning::{Warning, WarningKind};

/// Non-public schemas, enums, standalone sequences and (when enabled) roles.
pub(crate) fn schema_objects(
    catalog: &Catalog,
    options: &Options,
    serials: &BTreeSet<String>,
    schema: &mut Schema,
    warnings: &mut Vec<Warning>,
) {
    for name in &catalog.schemas {
        if name != drizzle_schema::PUBLIC {
            schema.schemas.insert(
                name.clone(),
                SchemaDef {
                    name: name.clone(),
                    renamed_from: None,
                },
            );
        }
    }
    for row in &catalog.enums {
        schema.enums.insert(
            qualified_key(&row.schema, &row.name),
            Enum {
                name: row.name.clone(),
                schema: row.schema.clone(),
                values: row.values.clone(),
                value_renames: IndexMap::new(),
                comment: row.comment.clone(),
                renamed_from: None,
            },
        );
    }
    for row in &catalog.sequences {
        let key = qualified_key(&row.schema, &row.name);
        if serials.contains(&key) {
            continue;
        }
        if let Some((schema_name, table, column)) = &row.owner {
            warnings.push(Warning::new(
                WarningKind::SequenceOwnedBy,
                &key,
                format!("OWNED BY {schema_name}.{table}.{column} is not represented; kept as a standalone sequence"),
            ));
        }
        schema.sequences.insert(
            key,
            Sequence {
                name: row.name.clone(),
                schema: row.schema.clone(),
                options: SequenceOptions {
                    increment: Some(row.increment.clone()),
                    min_value: Some(row.min.clone()),
                    max_value: Some(row.max.clone()),
                    start_with: Some(row.start.clone()),
                    cache: Some(row.cache.clone()),
                    cycle: Some(row.cycle),
                },
                renamed_from: None,
            },
        );
    }
    for row in &catalog.roles {
        if options.roles.keeps(&row.name) {
            schema.roles.insert(
                row.name.clone(),
                Role {
                    name: row.name.clone(),
                    create_db: Some(row.create_db),
                    create_role: Some(row.create_role),
                    inherit: Some(row.inherit),
                    renamed_from: None,
                },
            );
        }
    }
}

/// One warning per object the model cannot represent.
pub(crate) fn unsupported(catalog: &Catalog, warnings: &mut Vec<Warning>) {
    for row in &catalog.unsupported {
        let detail = row.detail.as_deref().unwrap_or_default();
        let (kind, object, message) = match row.kind.as_str() {
            "trigger" => (
                WarningKind::Trigger,
                format!("{}.{}", row.schema, row.name),
                format!("on {}.{detail} is not represented", row.schema),
            ),
            "rule" => (
                WarningKind::Rule,
                format!("{}.{}", row.schema, row.name),
                format!("on {}.{detail} is not represented", row.schema),
            ),
            "domain" => (
                WarningKind::Domain,
                format!("{}.{}", row.schema, row.name),
                "not represented; columns keep its name as their type".to_owned(),
            ),
            "range type" | "multirange type" => (
                WarningKind::RangeType,
                format!("{}.{}", row.schema, row.name),
                "not represented; columns keep its name as their type".to_owned(),
            ),
            "composite type" => (
                WarningKind::CompositeType,
                format!("{}.{}", row.schema, row.name),
                "not represented; columns keep its name as their type".to_owned(),
            ),
            "extension" => (
                WarningKind::Extension,
                row.name.clone(),
                format!(
                    "version {detail} in schema {} is not represented; its objects are skipped",
                    row.schema
                ),
            ),
            "statistics object" => (
                WarningKind::Statistics,
                format!("{}.{}", row.schema, row.name),
                format!("on {}.{detail} is not represented", row.schema),
            ),
            other => (
                WarningKind::Function,
                format!("{}.{}({detail})", row.schema, row.name),
                format!("{other} is not represented"),
            ),
        };
        warnings.push(Warning::new(kind, object, message));
    }
}

/// `reloptions` (`{fillfactor=70,check_option=local}`) → drizzle's camelCase `with` map;
/// `None` when there are none.
pub(crate) fn with_options(options: &[String]) -> Option<IndexMap<String, Literal>> {
    if options.is_empty() {
        return None;
    }
    let map = options
        .iter()
        .filter_map(|option| option.split_once('='))
        .map(|(key, value)| (camel_case(key), option_literal(value)))
        .collect();
    Some(map)
}

/// Index `reloptions` → the `with` map under their SQL names.
pub(crate) fn storage_options(options: &[String]) -> IndexMap<String, Literal> {
    options
        .iter()
        .filter_map(|option| option.split_once('='))
        .map(|(key, value)| (key.to_owned(), option_literal(value)))
        .collect()
}

fn option_literal(value: &str) -> Literal {
    match value {
        "true" | "on" => Literal::Bool(true),
        "false" | "off" => Literal::Bool(false),
        v if !v.is_empty()
            && v.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.') =>
        {
            Literal::Number(v.to_owned())
        }
        v => Literal::Sql(v.to_owned()),
    }
}

/// `security_barrier` → `securityBarrier`.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for ch in key.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloptions_become_camel_case_literals() {
        let with = with_options(&[
            "security_barrier=true".into(),
            "check_option=local".into(),
            "fillfactor=70".into(),
            "autovacuum_vacuum_scale_factor=0.2".into(),
        ])
        .unwrap();
        assert_eq!(with["securityBarrier"], Literal::Bool(true));
        assert_eq!(with["checkOption"], Literal::Sql("local".into()));
        assert_eq!(with["fillfactor"], Literal::Number("70".into()));
        assert_eq!(
            with["autovacuumVacuumScaleFactor"],
            Literal::Number("0.2".into())
        );
        assert_eq!(with_options(&[]), None);
        let index = storage_options(&["gin_pending_list_limit=128".into()]);
        assert_eq!(
            index["gin_pending_list_limit"],
            Literal::Number("128".into())
        );
    }
}
