//! Helpers shared by the printer's tests: parsing one file, naming differences, and a
//! generator of models the parser can produce.

pub mod strategy;

use drizzle_schema::Schema;
use drizzle_syntax::{ParseOptions, SourceFile, parse_sources};
use indexmap::IndexMap;
use std::collections::BTreeSet;
use std::fmt::Debug;

/// Parses `text` as the only schema file; errors are rendered.
pub fn parse_one(text: &str) -> Result<Schema, String> {
    let file = SourceFile {
        path: "schema.rs".into(),
        text: text.to_owned(),
    };
    parse_sources(&[file], &ParseOptions::default()).map_err(|diags| {
        diags
            .iter()
            .map(|d| d.render_plain(text))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn compare<V: Debug + PartialEq>(
    path: &str,
    a: &IndexMap<String, V>,
    b: &IndexMap<String, V>,
    out: &mut Vec<String>,
) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (x, y) = (a.get(key), b.get(key));
        if x != y {
            out.push(format!("{path}.{key}:\n  want {x:?}\n  got  {y:?}"));
        }
    }
}

/// Every difference between two models, by path (empty when equal).
pub fn differences(want: &Schema, got: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    compare("schemas", &want.schemas, &got.schemas, &mut out);
    compare("enums", &want.enums, &got.enums, &mut out);
    compare("sequences", &want.sequences, &got.sequences, &mut out);
    compare("roles", &want.roles, &got.roles, &mut out);
    compare("policies", &want.policies, &got.policies, &mut out);
    compare("views", &want.views, &got.views, &mut out);
    let keys: BTreeSet<&String> = want.tables.keys().chain(got.tables.keys()).collect();
    for key in keys {
        match (want.tables.get(key), got.tables.get(key)) {
            (Some(a), Some(b)) => {
                let p = format!("tables.{key}");
                compare(&format!("{p}.columns"), &a.columns, &b.columns, &mut out);
                compare(&format!("{p}.indexes"), &a.indexes, &b.indexes, &mut out);
                compare(
                    &format!("{p}.fks"),
                    &a.foreign_keys,
                    &b.foreign_keys,
                    &mut out,
                );
                compare(
                    &format!("{p}.pks"),
                    &a.composite_primary_keys,
                    &b.composite_primary_keys,
                    &mut out,
                );
                compare(
                    &format!("{p}.uniques"),
                    &a.unique_constraints,
                    &b.unique_constraints,
                    &mut out,
                );
                compare(
                    &format!("{p}.checks"),
                    &a.check_constraints,
                    &b.check_constraints,
                    &mut out,
                );
                compare(&format!("{p}.policies"), &a.policies, &b.policies, &mut out);
                let head = |t: &drizzle_schema::Table| {
                    format!(
                        "{} {} rls={} comment={:?} renamed_from={:?}",
                        t.schema, t.name, t.rls_enabled, t.comment, t.renamed_from
                    )
                };
                if head(a) != head(b) {
                    out.push(format!("{p}:\n  want {}\n  got  {}", head(a), head(b)));
                }
            }
            (a, b) => out.push(format!(
                "tables.{key}: want {:?}, got {:?}",
                a.map(|t| &t.name),
                b.map(|t| &t.name)
            )),
        }
    }
    out
}
