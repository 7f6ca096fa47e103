//! Models in the form the parser produces them (defaults filled in, roles sorted, names
//! unique where PostgreSQL requires it), built from a seed so proptest can drive them.

use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Generated, Identity, IdentityKind, Index,
    IndexColumn, Literal, OldName, Policy, PrimaryKey, Role, Schema, SchemaDef, Sequence,
    SequenceOptions, Table, UniqueConstraint, View, names, qualified_key,
};
use indexmap::IndexMap;
use proptest::prelude::*;
use std::collections::HashSet;

/// Generated schemas.
pub fn schema() -> impl Strategy<Value = Schema> {
    any::<u64>().prop_map(build)
}

/// A small deterministic random source (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "users",
    "post_tags",
    "type",
    "self",
    "Users",
    "userId",
    "a b",
    "123",
    "order",
    "gen",
    "value",
    "option",
    "string",
    "crate",
    "table",
    "created_at",
    "x",
    "items",
    "Ünicode",
    "a_b",
    "aB",
    "id",
];

const VALUES: &[&str] = &[
    "active",
    "in-active",
    "it's",
    "Partner Org",
    "a_b",
    "aB",
    "1st",
    "self",
    "x",
    "value",
];

const TYPES: &[&str] = &[
    "integer",
    "bigint",
    "smallint",
    "text",
    "varchar(255)",
    "varchar",
    "char(2)",
    "char",
    "numeric",
    "numeric(10, 2)",
    "numeric(5)",
    "boolean",
    "uuid",
    "date",
    "time",
    "time(3) with time zone",
    "time with time zone",
    "timestamp",
    "timestamp (3)",
    "timestamp(3)",
    "timestamp with time zone",
    "timestamp(6) with time zone",
    "jsonb",
    "json",
    "bytea",
    "double precision",
    "real",
    "interval",
    "inet",
    "vector(3)",
    "integer[]",
    "text[][]",
    "varchar(20)[]",
    "serial",
    "bigserial",
    "smallserial",
    "integer[3]",
    "bytea[]",
];

const COMMENTS: &[&str] = &["doc", "two\nlines", " leading space", "", "quote \" and \\"];

fn comment(rng: &mut Rng) -> Option<String> {
    rng.chance(20).then(|| rng.pick(COMMENTS).to_string())
}

fn seq_options(rng: &mut Rng, type_max: &str, identity: bool) -> SequenceOptions {
    let increment = rng
        .chance(30)
        .then(|| rng.pick(&["2", "-1", "10"]).to_string());
    let negative = increment.as_deref().is_some_and(|i| i.starts_with('-'));
    let (min_d, max_d) = match (identity, negative) {
        (true, true) => ("-32768", "-1"),
        (true, false) => ("1", type_max),
        (false, true) => ("-9223372036854775808", "-1"),
        (false, false) => ("1", "9223372036854775807"),
    };
    let min = if rng.chance(20) {
        "-100".to_string()
    } else {
        min_d.to_string()
    };
    let max = if rng.chance(20) {
        "1000".to_string()
    } else {
        max_d.to_string()
    };
    let start = if rng.chance(20) {
        "5".to_string()
    } else if negative {
        max.clone()
    } else {
        min.clone()
    };
    SequenceOptions {
        increment: Some(increment.unwrap_or_else(|| "1".into())),
        min_value: Some(min),
        max_value: Some(max),
        start_with: Some(start),
        cache: Some(if rng.chance(20) { "20" } else { "1" }.into()),
        cycle: Some(rng.chance(20)),
    }
}

fn old_name(rng: &mut Rng) -> Option<OldName> {
    match rng.below(6) {
        0 => Some(OldName {
            schema: None,
            name: "old_name".into(),
        }),
        1 => Some(OldName {
            schema: Some("old_schema".into()),
            name: "old".into(),
        }),
        _ => None,
    }
}

fn default_for(rng: &mut Rng, sql_type: &str, enum_values: Option<&[String]>) -> Option<Literal> {
    if !rng.chance(40) {
        return None;
    }
    if let Some(values) = enum_values {
        return Some(match rng.below(3) {
            0 if !sql_type.ends_with("[]") => {
                Literal::Sql(format!("'{}'", rng.pick(values).replace('\'', "''")))
            }
            1 => Literal::Sql("'{}'".into()),
            _ => Literal::Sql("'x'::text".into()),
        });
    }
    let general = [
        Literal::Sql("lower('X')".into()),
        Literal::Sql("'it''s'".into()),
        Literal::Number("5".into()),
        Literal::Bool(true),
        Literal::Sql("now()".into()),
    ];
    let specific: Vec<Literal> = match sql_type {
        "integer" | "bigint" | "smallint" => vec![
            Literal::Number("0".into()),
            Literal::Number("-5".into()),
            Literal::Number("1.5".into()),
        ],
        "numeric" | "numeric(10, 2)" | "numeric(5)" => vec![
            Literal::Number("1.25".into()),
            Literal::Sql("'10.50'".into()),
        ],
        "double precision" | "real" => {
            vec![Literal::Number("1e21".into()), Literal::Number("2".into())]
        }
        "boolean" => vec![Literal::Bool(false), Literal::Sql("true".into())],
        "uuid" => vec![Literal::Sql("gen_random_uuid()".into())],
        "jsonb" | "json" => vec![Literal::Sql("'{\"a\":1}'::jsonb".into())],
        t if t.ends_with("[]") => vec![
            Literal::Sql("'{}'".into()),
            Literal::Sql("'{\"a\",\"b\"}'".into()),
        ],
        _ => vec![
            Literal::Sql("''".into()),
            Literal::Sql("'line1\nline2'".into()),
        ],
    };
    Some(if rng.chance(70) {
        rng.pick(&specific).clone()
    } else {
        rng.pick(&general).clone()
    })
}

fn column(rng: &mut Rng, name: &str, table: &str, schema: &str, enums: &[Enum]) -> Column {
    let use_enum = !enums.is_empty() && rng.chance(20);
    let mut c;
    let mut enum_values = None;
    if use_enum {
        let e = rng.pick(enums);
        let array = rng.chance(30);
        c = Column::new(
            name,
            if array {
                format!("{}[]", e.name)
            } else {
                e.name.clone()
            },
        );
        c.type_schema = Some(e.schema.clone());
        enum_values = Some(e.values.clone());
    } else {
        c = Column::new(name, *rng.pick(TYPES));
    }
    c.not_null = rng.chance(50);
    let int = matches!(c.sql_type.as_str(), "integer" | "bigint" | "smallint");
    if int && c.type_schema.is_none() && rng.chance(15) {
        let max = match c.sql_type.as_str() {
            "integer" => "2147483647",
            "bigint" => "9223372036854775807",
            _ => "32767",
        };
        c.not_null = true;
        c.identity = Some(Identity {
            kind: if rng.chance(50) {
                IdentityKind::Always
            } else {
                IdentityKind::ByDefault
            },
            name: if rng.chance(30) {
                "custom_seq".into()
            } else {
                names::identity_sequence(table, name)
            },
            schema: schema.to_owned(),
            options: seq_options(rng, max, true),
        });
    } else {
        c.default = default_for(rng, &c.sql_type, enum_values.as_deref());
        if c.default.is_none() && rng.chance(10) {
            c.generated = Some(Generated {
                expression: "1 + 1".into(),
            });
        }
    }
    c.comment = comment(rng);
    if rng.chance(10) {
        c.renamed_from = Some("old_col".into());
    }
    c
}

fn subset(rng: &mut Rng, columns: &[String], max: usize) -> Vec<String> {
    let n = 1 + rng.below(max.min(columns.len()));
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let c = rng.pick(columns).clone();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn build(seed: u64) -> Schema {
    let mut rng = Rng(seed | 1);
    let mut s = Schema::default();
    let schemas: Vec<&str> = ["app", "billing", "Auth"]
        .into_iter()
        .filter(|_| rng.chance(30))
        .collect();
    let pick_schema = |rng: &mut Rng| -> String {
        if schemas.is_empty() || rng.chance(60) {
            "public".into()
        } else {
            rng.pick(&schemas).to_string()
        }
    };
    for sc in &schemas {
        s.schemas.insert(
            sc.to_string(),
            SchemaDef {
                name: sc.to_string(),
                renamed_from: rng.chance(20).then(|| "old_schema".into()),
            },
        );
    }
    for _ in 0..rng.below(3) {
        let schema = pick_schema(&mut rng);
        let name = rng.pick(NAMES).to_string();
        let key = qualified_key(&schema, &name);
        let mut values: Vec<String> = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let v = rng.pick(VALUES).to_string();
            if !values.contains(&v) {
                values.push(v);
            }
        }
        let mut value_renames = IndexMap::new();
        if rng.chance(20) {
            value_renames.insert(values[0].clone(), "old_value".into());
        }
        s.enums.entry(key).or_insert(Enum {
            name,
            schema,
            values,
            value_renames,
            comment: comment(&mut rng),
            renamed_from: old_name(&mut rng),
        });
    }
    let enums: Vec<Enum> = s.enums.values().cloned().collect();
    let mut index_names: HashSet<String> = HashSet::new();
    for _ in 0..1 + rng.below(4) {
        let schema = pick_schema(&mut rng);
        let name = rng.pick(NAMES).to_string();
        let key = qualified_key(&schema, &name);
        if s.tables.contains_key(&key) {
            continue;
        }
        let mut t = Table::new(schema.clone(), name.clone());
        for _ in 0..1 + rng.below(6) {
            let cname = rng.pick(NAMES).to_string();
            if !t.columns.contains_key(&cname) {
                let c = column(&mut rng, &cname, &name, &schema, &enums);
                t.columns.insert(cname, c);
            }
        }
        let cols: Vec<String> = t.columns.keys().cloned().collect();
        let mut constraint_names: HashSet<String> = HashSet::new();
        if rng.chance(20) {
            let c = &mut t.columns[rng.below(cols.len())];
            c.primary_key = true;
            c.not_null = true;
        } else if rng.chance(20) {
            let pk_cols = subset(&mut rng, &cols, 3);
            for c in &pk_cols {
                t.columns[c].not_null = true;
            }
            let refs: Vec<&str> = pk_cols.iter().map(String::as_str).collect();
            let pk_name = if rng.chance(50) {
                format!("{name}_pkey")
            } else {
                names::primary_key(&name, &refs)
            };
            constraint_names.insert(pk_name.clone());
            t.composite_primary_keys.insert(
                pk_name.clone(),
                PrimaryKey {
                    name: pk_name,
                    columns: pk_cols,
                },
            );
        }
        for i in 0..rng.below(3) {
            let ucols = subset(&mut rng, &cols, 2);
            let refs: Vec<&str> = ucols.iter().map(String::as_str).collect();
            let uname = if rng.chance(50) {
                format!("{name}_uq{i}")
            } else {
                names::unique(&name, &refs)
            };
            if constraint_names.insert(uname.clone()) {
                let nnd = rng.chance(30);
                t.unique_constraints.insert(
                    uname.clone(),
                    UniqueConstraint {
                        name: uname,
                        columns: ucols,
                        nulls_not_distinct: nnd,
                    },
                );
            }
        }
        for i in 0..rng.below(3) {
            let mut keys = Vec::new();
            let mut plain = Vec::new();
            let mut expression = false;
            for _ in 0..1 + rng.below(3) {
                if rng.chance(20) {
                    expression = true;
                    keys.push(IndexColumn {
                        expression: "lower(\"x\")".into(),
                        is_expression: true,
                        asc: true,
                        nulls: Some("last".into()),
                        opclass: None,
                    });
                } else {
                    let col = rng.pick(&cols).clone();
                    let asc = rng.chance(60);
                    let nulls = if rng.chance(70) {
                        if asc { "last" } else { "first" }
                    } else if asc {
                        "first"
                    } else {
                        "last"
                    };
                    plain.push(col.clone());
                    keys.push(IndexColumn {
                        expression: col,
                        is_expression: false,
                        asc,
                        nulls: Some(nulls.into()),
                        opclass: rng.chance(15).then(|| "text_pattern_ops".into()),
                    });
                }
            }
            let refs: Vec<&str> = plain.iter().map(String::as_str).collect();
            let iname = if expression || rng.chance(40) {
                format!("{name}_idx{i}")
            } else {
                names::index(&name, &refs)
            };
            if !index_names.insert(qualified_key(&schema, &iname)) {
                continue;
            }
            let mut with = IndexMap::new();
            if rng.chance(20) {
                with.insert("fillfactor".to_string(), Literal::Number("70".into()));
            }
            if rng.chance(10) {
                with.insert("deduplicate_items".to_string(), Literal::Bool(false));
            }
            t.indexes.insert(
                iname.clone(),
                Index {
                    name: iname,
                    columns: keys,
                    is_unique: rng.chance(30),
                    where_clause: rng.chance(20).then(|| "\"x\" > 0".into()),
                    concurrently: rng.chance(20),
                    method: rng.pick(&["btree", "btree", "gin", "hash"]).to_string(),
                    with: Some(with),
                },
            );
        }
        for i in 0..rng.below(3) {
            let cname = format!("{name}_check{i}");
            constraint_names.insert(cname.clone());
            t.check_constraints.insert(
                cname.clone(),
                CheckConstraint {
                    name: cname,
                    value: "length(\"x\") > 0".into(),
                },
            );
        }
        if rng.chance(20) {
            t.rls_enabled = true;
        }
        for i in 0..rng.below(2) {
            let mut to: Vec<String> = if rng.chance(50) {
                vec!["public".into()]
            } else {
                vec!["b_role".into(), "a_role".into(), "current_user".into()]
            };
            to.sort();
            let pname = format!("policy {i}");
            t.policies.insert(
                pname.clone(),
                Policy {
                    name: pname,
                    as_: Some(rng.pick(&["PERMISSIVE", "RESTRICTIVE"]).to_string()),
                    for_: Some(
                        rng.pick(&["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"])
                            .to_string(),
                    ),
                    to: Some(to),
                    using: rng.chance(50).then(|| "true".into()),
                    with_check: rng.chance(30).then(|| "\"x\" = current_user".into()),
                    on: None,
                    schema: None,
                    renamed_from: rng.chance(10).then(|| "old_policy".into()),
                },
            );
        }
        t.comment = comment(&mut rng);
        t.renamed_from = old_name(&mut rng);
        s.tables.insert(key, t);
    }
    // Foreign keys, once every table exists.
    let keys: Vec<String> = s.tables.keys().cloned().collect();
    for key in &keys {
        for i in 0..rng.below(3) {
            let target_key = rng.pick(&keys).clone();
            let target = &s.tables[&target_key];
            let to_cols: Vec<String> = target.columns.keys().cloned().collect();
            let cols_to = subset(&mut rng, &to_cols, 2);
            let (t_name, t_schema) = (target.name.clone(), target.schema.clone());
            let table = &mut s.tables[key];
            let from_cols: Vec<String> = table.columns.keys().cloned().collect();
            if from_cols.len() < cols_to.len() {
                continue;
            }
            let mut cols_from = subset(&mut rng, &from_cols, cols_to.len());
            while cols_from.len() < cols_to.len() {
                let c = rng.pick(&from_cols).clone();
                if !cols_from.contains(&c) {
                    cols_from.push(c);
                }
            }
            let a: Vec<&str> = cols_from.iter().map(String::as_str).collect();
            let b: Vec<&str> = cols_to.iter().map(String::as_str).collect();
            let name = if rng.chance(40) {
                format!("{}_fk{i}", table.name)
            } else {
                names::foreign_key(&table.name, &a, &t_name, &b)
            };
            let taken = table.foreign_keys.contains_key(&name)
                || table.unique_constraints.contains_key(&name)
                || table.check_constraints.contains_key(&name)
                || table.composite_primary_keys.contains_key(&name);
            if taken {
                continue;
            }
            let actions = [
                "no action",
                "cascade",
                "restrict",
                "set null",
                "set default",
            ];
            let fk = ForeignKey {
                name: name.clone(),
                table_from: table.name.clone(),
                columns_from: cols_from,
                table_to: t_name,
                schema_to: (t_schema != "public").then_some(t_schema),
                columns_to: cols_to,
                on_update: Some(rng.pick(&actions).to_string()),
                on_delete: Some(rng.pick(&actions).to_string()),
            };
            table.foreign_keys.insert(name, fk);
        }
    }
    for _ in 0..rng.below(3) {
        let schema = pick_schema(&mut rng);
        let name = format!("{}_view", rng.pick(NAMES));
        let key = qualified_key(&schema, &name);
        if s.tables.contains_key(&key) || s.views.contains_key(&key) {
            continue;
        }
        let materialized = rng.chance(50);
        let existing = rng.chance(15);
        let mut columns = IndexMap::new();
        for _ in 0..rng.below(3) {
            let cname = rng.pick(NAMES).to_string();
            let mut c = Column::new(
                cname.clone(),
                *rng.pick(&[
                    "integer",
                    "text",
                    "varchar(10)",
                    "timestamp(3)",
                    "jsonb",
                    "text[]",
                ]),
            );
            c.not_null = rng.chance(30);
            c.comment = comment(&mut rng);
            columns.insert(cname, c);
        }
        let with = match (rng.below(3), materialized) {
            (0, _) => None,
            (1, false) => Some(IndexMap::from([
                ("checkOption".to_string(), Literal::Sql("local".into())),
                ("securityBarrier".to_string(), Literal::Bool(true)),
            ])),
            (1, true) => Some(IndexMap::from([
                ("fillfactor".to_string(), Literal::Number("70".into())),
                ("autovacuumEnabled".to_string(), Literal::Bool(false)),
                (
                    "vacuumIndexCleanup".to_string(),
                    Literal::Sql("auto".into()),
                ),
            ])),
            _ => Some(IndexMap::new()),
        };
        s.views.insert(
            key,
            View {
                name,
                schema,
                columns,
                definition: (!existing)
                    .then(|| "select \"id\" from \"users\" where \"x\" <> 'y'".into()),
                materialized,
                with,
                is_existing: existing,
                with_no_data: (materialized && rng.chance(30)).then_some(true),
                using: (materialized && rng.chance(20)).then(|| "heap".into()),
                tablespace: (materialized && rng.chance(20)).then(|| "pg_default".into()),
                comment: comment(&mut rng),
                renamed_from: old_name(&mut rng),
            },
        );
    }
    for _ in 0..rng.below(3) {
        let schema = pick_schema(&mut rng);
        let name = format!("{}_seq", rng.pick(NAMES));
        let key = qualified_key(&schema, &name);
        let options = seq_options(&mut rng, "", false);
        let renamed_from = old_name(&mut rng);
        s.sequences.entry(key).or_insert(Sequence {
            name,
            schema,
            options,
            renamed_from,
        });
    }
    for _ in 0..rng.below(3) {
        let name = rng.pick(NAMES).to_string();
        let role = Role {
            name: name.clone(),
            create_db: Some(rng.chance(30)),
            create_role: Some(rng.chance(30)),
            inherit: Some(!rng.chance(30)),
            renamed_from: rng.chance(10).then(|| "old_role".into()),
        };
        s.roles.entry(name).or_insert(role);
    }
    s
}
