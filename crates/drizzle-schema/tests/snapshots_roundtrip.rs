//! Snapshot JSON against the conformance corpus: every snapshot drizzle-kit wrote reads,
//! `generate` snapshots are written back byte for byte, pull snapshots value for value;
//! and arbitrary models survive a write/read round trip.

use drizzle_schema::snapshot::Snapshot;
use drizzle_schema::*;
use indexmap::IndexMap;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures")
}

/// Every `**/meta/*_snapshot.json` under the corpus, sorted.
fn fixture_snapshots() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.parent().and_then(Path::file_name) == Some("meta".as_ref())
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with("_snapshot.json"))
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixtures_root(), &mut out);
    out.sort();
    assert!(
        out.len() > 10,
        "the fixture corpus was not found under {}",
        fixtures_root().display()
    );
    out
}

fn is_pull(path: &Path) -> bool {
    path.strip_prefix(fixtures_root())
        .is_ok_and(|rel| rel.starts_with("pull"))
}

#[test]
fn generate_snapshots_round_trip_byte_for_byte() {
    let mut checked = 0;
    for path in fixture_snapshots().iter().filter(|p| !is_pull(p)) {
        let text = std::fs::read_to_string(path).unwrap();
        let snapshot =
            Snapshot::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = snapshot.to_json();
        if written != text {
            let first = written
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{} differs at line {}:\n  ours:   {:?}\n  theirs: {:?}",
                path.display(),
                first + 1,
                written.lines().nth(first),
                text.lines().nth(first)
            );
        }
        checked += 1;
    }
    assert!(checked > 10, "only {checked} generate snapshots checked");
}

#[test]
fn pull_snapshots_round_trip_as_values() {
    let mut checked = 0;
    for path in fixture_snapshots().iter().filter(|p| is_pull(p)) {
        let text = std::fs::read_to_string(path).unwrap();
        let snapshot =
            Snapshot::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ours: serde_json::Value = serde_json::from_str(&snapshot.to_json()).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
        // serde_json's map equality ignores key order, which is what differs for pull.
        assert_eq!(ours, theirs, "{}", path.display());
        checked += 1;
    }
    assert!(checked > 0, "no pull snapshots found");
}

#[test]
fn empty_snapshot_is_drizzle_dry_pg() {
    let text = Snapshot::empty().to_json();
    insta::assert_snapshot!(text);
    assert_eq!(Snapshot::from_json(&text).unwrap(), Snapshot::empty());
}

// ---- property: write then read gives the same model -------------------------------

fn ident() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,8}"
}

fn text() -> impl Strategy<Value = String> {
    // Quotes, backslashes, control characters and non-ASCII exercise the string writer.
    "[a-zA-Z0-9 '\"\\\\\n\t\u{1}é✓]{0,12}"
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        text().prop_map(Literal::Sql),
        any::<i64>().prop_map(|n| Literal::Number(n.to_string())),
        (-1.0e6f64..1.0e6)
            .prop_map(|f| Literal::Number(drizzle_schema::json::js_number(&f.to_string()))),
        any::<bool>().prop_map(Literal::Bool),
    ]
}

fn opt_num() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(any::<i64>().prop_map(|n| n.to_string()))
}

fn sequence_options() -> impl Strategy<Value = SequenceOptions> {
    (
        opt_num(),
        opt_num(),
        opt_num(),
        opt_num(),
        opt_num(),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(
            |(increment, min_value, max_value, start_with, cache, cycle)| SequenceOptions {
                increment,
                min_value,
                max_value,
                start_with,
                cache,
                cycle,
            },
        )
}

fn column(commented: bool) -> impl Strategy<Value = Column> {
    (
        ident(),
        prop_oneof![
            Just("integer".to_owned()),
            Just("text".to_owned()),
            Just("varchar(255)".to_owned())
        ],
        proptest::option::of(ident()),
        any::<(bool, bool)>(),
        proptest::option::of(literal()),
        proptest::option::of(text()),
        proptest::option::of((any::<bool>(), ident(), sequence_options())),
        proptest::option::of(text()),
    )
        .prop_map(
            move |(
                name,
                sql_type,
                type_schema,
                (pk, nn),
                default,
                generated,
                identity,
                comment,
            )| {
                let mut c = Column::new(name, sql_type);
                c.type_schema = type_schema;
                c.primary_key = pk;
                c.not_null = nn;
                c.default = default;
                c.generated = generated.map(|expression| Generated { expression });
                c.identity = identity.map(|(always, name, options)| Identity {
                    kind: if always {
                        IdentityKind::Always
                    } else {
                        IdentityKind::ByDefault
                    },
                    name,
                    schema: "public".to_owned(),
                    options,
                });
                c.comment = if commented { comment } else { None };
                c
            },
        )
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        ident(),
        proptest::option::of(prop_oneof![
            Just("PERMISSIVE".to_owned()),
            Just("RESTRICTIVE".to_owned())
        ]),
        proptest::option::of(prop_oneof![
            Just("ALL".to_owned()),
            Just("SELECT".to_owned())
        ]),
        proptest::option::of(proptest::collection::vec(ident(), 0..3)),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(|(name, as_, for_, to, using, with_check)| Policy {
            name,
            as_,
            for_,
            to,
            using,
            with_check,
            on: None,
            schema: None,
            renamed_from: None,
        })
}

fn index() -> impl Strategy<Value = Index> {
    let col = (
        text(),
        any::<(bool, bool)>(),
        proptest::option::of(ident()),
        proptest::option::of(ident()),
    )
        .prop_map(
            |(expression, (is_expression, asc), nulls, opclass)| IndexColumn {
                expression,
                is_expression,
                asc,
                nulls,
                opclass,
            },
        );
    (
        ident(),
        proptest::collection::vec(col, 1..3),
        any::<(bool, bool)>(),
        proptest::option::of(text()),
        ident(),
        proptest::option::of(proptest::collection::vec((ident(), literal()), 0..3)),
    )
        .prop_map(
            |(name, columns, (is_unique, concurrently), where_clause, method, with)| Index {
                name,
                columns,
                is_unique,
                where_clause,
                concurrently,
                method,
                with: with.map(|w| w.into_iter().collect()),
            },
        )
}

fn table() -> impl Strategy<Value = Table> {
    (
        prop_oneof![Just("public".to_owned()), ident()],
        ident(),
        proptest::collection::vec(column(true), 0..4),
        proptest::collection::vec(index(), 0..2),
        proptest::collection::vec(policy(), 0..2),
        (
            ident(),
            ident(),
            proptest::option::of(ident()),
            proptest::option::of(ident()),
        ),
        any::<(bool, bool)>(),
        proptest::option::of(text()),
    )
        .prop_map(
            |(schema, name, columns, indexes, policies, fk, (rls, nnd), comment)| {
                let mut t = Table::new(schema, name.clone());
                t.columns = columns.into_iter().map(|c| (c.name.clone(), c)).collect();
                t.indexes = indexes.into_iter().map(|i| (i.name.clone(), i)).collect();
                t.policies = policies.into_iter().map(|p| (p.name.clone(), p)).collect();
                let (fk_name, table_to, schema_to, on_delete) = fk;
                t.foreign_keys.insert(
                    fk_name.clone(),
                    ForeignKey {
                        name: fk_name,
                        table_from: name.clone(),
                        columns_from: vec!["a".into()],
                        table_to,
                        schema_to,
                        columns_to: vec!["b".into(), "c".into()],
                        on_update: Some("no action".into()),
                        on_delete,
                    },
                );
                t.composite_primary_keys.insert(
                    "pk".into(),
                    PrimaryKey {
                        name: "pk".into(),
                        columns: vec!["a".into()],
                    },
                );
                t.unique_constraints.insert(
                    "u".into(),
                    UniqueConstraint {
                        name: "u".into(),
                        columns: vec![],
                        nulls_not_distinct: nnd,
                    },
                );
                t.check_constraints.insert(
                    "c".into(),
                    CheckConstraint {
                        name: "c".into(),
                        value: "\"t\".\"a\" > 0".into(),
                    },
                );
                t.rls_enabled = rls;
                t.comment = comment;
                t
            },
        )
}

fn view() -> impl Strategy<Value = View> {
    (
        ident(),
        ident(),
        proptest::collection::vec(column(false), 0..3),
        proptest::option::of(text()),
        any::<(bool, bool)>(),
        proptest::option::of(proptest::collection::vec((ident(), literal()), 0..3)),
        proptest::option::of(any::<bool>()),
        (proptest::option::of(ident()), proptest::option::of(ident())),
        proptest::option::of(text()),
    )
        .prop_map(
            |(
                schema,
                name,
                columns,
                definition,
                (materialized, is_existing),
                with,
                with_no_data,
                (using, tablespace),
                comment,
            )| View {
                name,
                schema,
                columns: columns.into_iter().map(|c| (c.name.clone(), c)).collect(),
                definition,
                materialized,
                with: with.map(|w| w.into_iter().collect()),
                is_existing,
                with_no_data,
                using,
                tablespace,
                comment,
                renamed_from: None,
            },
        )
}

fn keyed<T>(items: Vec<T>, key: impl Fn(&T) -> String) -> IndexMap<String, T> {
    items.into_iter().map(|i| (key(&i), i)).collect()
}

fn schema() -> impl Strategy<Value = Schema> {
    let enum_def = (
        ident(),
        ident(),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of(text()),
    )
        .prop_map(|(schema, name, values, comment)| Enum {
            name,
            schema,
            values,
            value_renames: IndexMap::new(),
            comment,
            renamed_from: None,
        });
    let sequence =
        (ident(), ident(), sequence_options()).prop_map(|(schema, name, options)| Sequence {
            name,
            schema,
            options,
            renamed_from: None,
        });
    let role = (
        ident(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(name, create_db, create_role, inherit)| Role {
            name,
            create_db,
            create_role,
            inherit,
            renamed_from: None,
        });
    let linked = (policy(), ident()).prop_map(|(mut p, table)| {
        p.on = Some(format!("\"public\".\"{table}\""));
        p.schema = Some("public".into());
        p
    });
    (
        proptest::collection::vec(ident(), 0..3),
        proptest::collection::vec(enum_def, 0..3),
        proptest::collection::vec(sequence, 0..2),
        proptest::collection::vec(role, 0..2),
        proptest::collection::vec(linked, 0..2),
        proptest::collection::vec(view(), 0..2),
        proptest::collection::vec(table(), 0..3),
    )
        .prop_map(
            |(schemas, enums, sequences, roles, policies, views, tables)| Schema {
                schemas: schemas
                    .into_iter()
                    .map(|name| {
                        (
                            name.clone(),
                            SchemaDef {
                                name,
                                renamed_from: None,
                            },
                        )
                    })
                    .collect(),
                enums: keyed(enums, |e| qualified_key(&e.schema, &e.name)),
                sequences: keyed(sequences, |s| qualified_key(&s.schema, &s.name)),
                roles: keyed(roles, |r| r.name.clone()),
                policies: keyed(policies, |p| p.name.clone()),
                views: keyed(views, |v| qualified_key(&v.schema, &v.name)),
                tables: keyed(tables, Table::key),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn written_models_read_back_identical(schema in schema(), renamed in proptest::option::of((ident(), ident()))) {
        let mut snapshot = Snapshot::empty();
        snapshot.id = "00000000-0000-0000-0000-000000000001".into();
        snapshot.prev_id = snapshot::ORIGIN_ID.into();
        snapshot.schema = schema;
        if let Some((old, new)) = renamed {
            snapshot.meta.schemas.insert(old, new);
        }
        let text = snapshot.to_json();
        let back = Snapshot::from_json(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, snapshot);
    }
}
