//! Random pairs of valid schemas (A, B) that share objects: a "universe" of objects is drawn
//! once, each with a version for A and a version for B (present or not, named, typed and
//! constrained differently), so B is A with additions, drops, renames (with `renamed_from`
//! hints), moves and alterations of every kind the differ handles.

use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Generated, Identity, IdentityKind, Index,
    IndexColumn, Literal, OldName, PUBLIC, Policy, PrimaryKey, Schema, SchemaDef, Sequence,
    SequenceOptions, Table, UniqueConstraint, View, names, qualified_key,
};
use indexmap::IndexMap;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Two versions of everything: index 0 is A, 1 is B.
type Two<T> = [T; 2];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Int,
    BigInt,
    SmallInt,
    Text,
    Varchar,
    Bool,
    Numeric,
    Timestamp,
    Timestamptz,
    Date,
    Jsonb,
    Uuid,
    IntArray,
    TextArray,
    Enum(usize),
}

const TYPES: &[Ty] = &[
    Ty::Int,
    Ty::BigInt,
    Ty::SmallInt,
    Ty::Text,
    Ty::Varchar,
    Ty::Bool,
    Ty::Numeric,
    Ty::Timestamp,
    Ty::Timestamptz,
    Ty::Date,
    Ty::Jsonb,
    Ty::Uuid,
    Ty::IntArray,
    Ty::TextArray,
];

struct G(StdRng);

impl G {
    fn chance(&mut self, p: f64) -> bool {
        self.0.gen_bool(p)
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.gen_range(0..n)
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    /// Present in A and/or B (never in neither).
    fn presence(&mut self) -> Two<bool> {
        match self.below(6) {
            0 => [true, false],
            1 => [false, true],
            _ => [true, true],
        }
    }
    /// The same in both versions, or changed in B with probability `p`.
    fn two<T: Clone>(&mut self, p: f64, mut f: impl FnMut(&mut G) -> T) -> Two<T> {
        let a = f(self);
        let b = if self.chance(p) { f(self) } else { a.clone() };
        [a, b]
    }
    fn name(&mut self, base: &str, p: f64) -> Two<String> {
        if self.chance(p) {
            [base.to_owned(), format!("{base}_r")]
        } else {
            [base.to_owned(), base.to_owned()]
        }
    }
}

struct UEnum {
    present: Two<bool>,
    name: Two<String>,
    schema: Two<usize>,
    values: Two<Vec<String>>,
    /// B value → A value.
    value_renames: Vec<(String, String)>,
}

struct USequence {
    present: Two<bool>,
    name: Two<String>,
    schema: Two<usize>,
    options: Two<SequenceOptions>,
}

struct UColumn {
    present: Two<bool>,
    name: Two<String>,
    ty: Two<Ty>,
    not_null: Two<bool>,
    default: Two<bool>,
    identity: Two<Option<IdentityKind>>,
    generated: Two<Option<String>>,
    comment: Two<Option<String>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Pk {
    Inline,
    Composite(usize),
    None,
}

struct UUnique {
    present: Two<bool>,
    columns: Vec<usize>,
    nulls_not_distinct: Two<bool>,
    name: Two<Option<String>>,
}

struct UIndex {
    present: Two<bool>,
    name: Two<String>,
    columns: Vec<(usize, bool, bool)>,
    unique: Two<bool>,
    hash: Two<bool>,
    partial: Two<bool>,
    expression: Two<bool>,
}

struct UFk {
    present: Two<bool>,
    column: usize,
    target: usize,
    on_delete: Two<&'static str>,
}

struct UCheck {
    present: Two<bool>,
    name: Two<String>,
    column: usize,
}

struct UPolicy {
    present: Two<bool>,
    name: Two<String>,
    command: Two<&'static str>,
    restrictive: Two<bool>,
    with_check: Two<bool>,
}

struct UTable {
    present: Two<bool>,
    name: Two<String>,
    schema: Two<usize>,
    columns: Vec<UColumn>,
    pk: Two<Pk>,
    uniques: Vec<UUnique>,
    indexes: Vec<UIndex>,
    fks: Vec<UFk>,
    checks: Vec<UCheck>,
    policies: Vec<UPolicy>,
    rls: Two<bool>,
    comment: Two<Option<String>>,
}

struct UView {
    present: Two<bool>,
    name: Two<String>,
    schema: Two<usize>,
    table: usize,
    column: usize,
    materialized: bool,
    /// Reads no table (so it can move and change options without being re-created).
    constant: bool,
    fillfactor: Two<Option<u8>>,
}

/// Everything both versions are drawn from.
struct Universe {
    /// Schema names per version; index 0 is `public`.
    schemas: Vec<Two<String>>,
    /// Whether each schema is declared in each version (else it exists only while used).
    declared: Vec<Two<bool>>,
    enums: Vec<UEnum>,
    sequences: Vec<USequence>,
    tables: Vec<UTable>,
    views: Vec<UView>,
}

fn universe(g: &mut G) -> Universe {
    let mut schemas = vec![[PUBLIC.to_owned(), PUBLIC.to_owned()]];
    for i in 0..g.below(3) {
        schemas.push(g.name(&format!("s{i}"), 0.3));
    }
    let n_schemas = schemas.len();
    // A renamed schema must be declared in B to carry its hint (and in A to be renamed).
    let declared: Vec<Two<bool>> = schemas
        .iter()
        .map(|names| {
            if names[0] != names[1] {
                [true, true]
            } else {
                g.two(0.5, |g| g.chance(0.5))
            }
        })
        .collect();
    let schema = |g: &mut G| g.two(0.15, |g| g.below(n_schemas));

    let enums = (0..g.below(3))
        .map(|i| {
            let all = ["a", "b", "c", "d", "e"];
            let mut values = g.two(0.5, |g| {
                let mut v: Vec<String> = all
                    .iter()
                    .filter(|_| g.chance(0.6))
                    .map(|s| s.to_string())
                    .collect();
                if v.is_empty() {
                    v.push("a".into());
                }
                v
            });
            let mut value_renames = Vec::new();
            if g.chance(0.3) {
                let pos = g.below(values[0].len());
                let old = values[0][pos].clone();
                if let Some(p) = values[1].iter().position(|v| *v == old) {
                    let new = format!("{old}2");
                    values[1][p] = new.clone();
                    value_renames.push((new, old));
                }
            }
            UEnum {
                present: g.presence(),
                name: g.name(&format!("e{i}"), 0.2),
                schema: schema(g),
                values,
                value_renames,
            }
        })
        .collect();

    let sequences = (0..g.below(2))
        .map(|i| USequence {
            present: g.presence(),
            name: g.name(&format!("q{i}"), 0.3),
            schema: schema(g),
            options: g.two(0.5, |g| SequenceOptions {
                increment: Some(g.pick(&["1", "2"]).to_owned()),
                min_value: Some("1".to_owned()),
                max_value: g
                    .pick(&[Some("1000"), Some("9999"), None])
                    .map(str::to_owned),
                start_with: Some("1".to_owned()),
                cache: Some(g.pick(&["1", "2"]).to_owned()),
                cycle: Some(g.chance(0.5)),
            }),
        })
        .collect();

    let n_enums = 3;
    let n_tables = 1 + g.below(4);
    let mut tables = Vec::new();
    for i in 0..n_tables {
        let mut columns = vec![UColumn {
            present: [true, true],
            name: g.name("id", 0.1),
            ty: [Ty::Int, Ty::Int],
            not_null: [true, true],
            default: [false, false],
            identity: g.two(0.3, |g| {
                g.chance(0.3)
                    .then(|| g.pick(&[IdentityKind::Always, IdentityKind::ByDefault]))
            }),
            generated: [None, None],
            comment: [None, None],
        }];
        for j in 1..=1 + g.below(5) {
            let ty = g.two(0.3, |g| {
                if g.chance(0.15) {
                    Ty::Enum(g.below(n_enums))
                } else {
                    g.pick(TYPES)
                }
            });
            let generated = g.two(0.3, |g| {
                g.chance(0.2)
                    .then(|| g.pick(&["\"{id}\" * 2", "\"{id}\" + 1"]).to_owned())
            });
            columns.push(UColumn {
                present: g.presence(),
                name: g.name(&format!("c{j}"), 0.2),
                ty,
                not_null: g.two(0.3, |g| g.chance(0.4)),
                default: g.two(0.3, |g| g.chance(0.4)),
                identity: g.two(0.2, |g| {
                    g.chance(0.15)
                        .then(|| g.pick(&[IdentityKind::Always, IdentityKind::ByDefault]))
                }),
                generated,
                comment: g.two(0.3, |g| g.chance(0.2).then(|| "a column".to_owned())),
            });
        }
        // Dedicated foreign key columns, always integers.
        let mut fks = Vec::new();
        for k in 0..g.below(3) {
            let column = columns.len();
            columns.push(UColumn {
                present: g.presence(),
                name: g.name(&format!("ref{k}"), 0.2),
                ty: [Ty::Int, Ty::Int],
                not_null: [false, false],
                default: [false, false],
                identity: [None, None],
                generated: [None, None],
                comment: [None, None],
            });
            fks.push(UFk {
                present: g.presence(),
                column,
                target: g.below(n_tables),
                on_delete: g.two(0.3, |g| g.pick(&["no action", "cascade", "set null"])),
            });
        }
        let n_columns = columns.len();
        let pk = g.two(0.2, |g| match g.below(6) {
            0 => Pk::None,
            1 => Pk::Composite(1 + g.below(n_columns - 1)),
            _ => Pk::Inline,
        });
        let uniques = (0..g.below(3))
            .map(|_| UUnique {
                present: g.presence(),
                columns: pick_columns(g, n_columns),
                nulls_not_distinct: g.two(0.3, |g| g.chance(0.3)),
                name: g.two(0.2, |g| {
                    g.chance(0.5).then(|| format!("uq{}", g.below(100)))
                }),
            })
            .collect();
        let indexes = (0..g.below(3))
            .enumerate()
            .map(|(k, _)| UIndex {
                present: g.presence(),
                name: g.name(&format!("t{i}_ix{k}"), 0.2),
                columns: pick_columns(g, n_columns)
                    .into_iter()
                    .map(|c| (c, g.chance(0.7), g.chance(0.5)))
                    .collect(),
                unique: g.two(0.3, |g| g.chance(0.3)),
                hash: g.two(0.2, |g| g.chance(0.2)),
                partial: g.two(0.3, |g| g.chance(0.3)),
                expression: g.two(0.2, |g| g.chance(0.2)),
            })
            .collect();
        let checks = (0..g.below(3))
            .map(|k| UCheck {
                present: g.presence(),
                name: g.name(&format!("t{i}_ck{k}"), 0.2),
                column: g.below(n_columns),
            })
            .collect();
        let policies = (0..g.below(3))
            .map(|k| UPolicy {
                present: g.presence(),
                name: g.name(&format!("p{k}"), 0.2),
                command: g.two(0.3, |g| g.pick(&["ALL", "SELECT", "UPDATE", "DELETE"])),
                restrictive: g.two(0.2, |g| g.chance(0.3)),
                with_check: g.two(0.3, |g| g.chance(0.5)),
            })
            .collect();
        tables.push(UTable {
            present: if i == 0 { [true, true] } else { g.presence() },
            name: g.name(&format!("t{i}"), 0.25),
            schema: schema(g),
            columns,
            pk,
            uniques,
            indexes,
            fks,
            checks,
            policies,
            rls: g.two(0.3, |g| g.chance(0.3)),
            comment: g.two(0.3, |g| g.chance(0.3).then(|| "a table".to_owned())),
        });
    }
    let views = (0..g.below(3))
        .map(|k| {
            let table = g.below(tables.len());
            let column = g.below(tables[table].columns.len());
            let materialized = g.chance(0.4);
            UView {
                present: g.presence(),
                name: g.name(&format!("v{k}"), 0.25),
                schema: schema(g),
                table,
                column,
                materialized,
                constant: g.chance(0.4),
                fillfactor: g.two(0.4, |g| {
                    (materialized && g.chance(0.5)).then(|| g.pick(&[50, 70]))
                }),
            }
        })
        .collect();
    Universe {
        schemas,
        declared,
        enums,
        sequences,
        tables,
        views,
    }
}

fn pick_columns(g: &mut G, n: usize) -> Vec<usize> {
    let first = g.below(n);
    let mut out = vec![first];
    if g.chance(0.3) {
        let second = g.below(n);
        if second != first {
            out.push(second);
        }
    }
    out
}

/// The `renamed_from` hint of an object in B that existed in A under another name or schema.
fn hint(
    u: &Universe,
    names: &Two<String>,
    schema: Two<usize>,
    in_a: bool,
    v: usize,
) -> Option<OldName> {
    let moved = schema[0] != schema[1];
    (v == 1 && in_a && (moved || names[0] != names[1])).then(|| OldName {
        schema: moved.then(|| u.schemas[schema[0]][0].clone()),
        name: names[0].clone(),
    })
}

/// Builds version `v` (0 = A, 1 = B) of the universe.
fn build(u: &Universe, v: usize) -> Schema {
    let mut s = Schema::default();
    let schema_name = |i: usize| u.schemas[i][v].clone();
    for (i, names) in u.schemas.iter().enumerate().skip(1) {
        if !u.declared[i][v] {
            continue;
        }
        let renamed_from = (v == 1 && names[0] != names[1]).then(|| names[0].clone());
        s.schemas.insert(
            schema_name(i),
            SchemaDef {
                name: schema_name(i),
                renamed_from,
            },
        );
    }
    let enum_of = |i: usize| -> Option<(String, String, Vec<String>)> {
        let e = u.enums.get(i)?;
        e.present[v].then(|| {
            (
                schema_name(e.schema[v]),
                e.name[v].clone(),
                e.values[v].clone(),
            )
        })
    };
    for e in u.enums.iter().filter(|e| e.present[v]) {
        let renamed_from = hint(u, &e.name, e.schema, e.present[0], v);
        let value_renames = if v == 1 {
            e.value_renames.iter().cloned().collect()
        } else {
            IndexMap::new()
        };
        let en = Enum {
            name: e.name[v].clone(),
            schema: schema_name(e.schema[v]),
            values: e.values[v].clone(),
            value_renames,
            comment: None,
            renamed_from,
        };
        s.enums.insert(qualified_key(&en.schema, &en.name), en);
    }
    for q in u.sequences.iter().filter(|q| q.present[v]) {
        let renamed_from = hint(u, &q.name, q.schema, q.present[0], v);
        let seq = Sequence {
            name: q.name[v].clone(),
            schema: schema_name(q.schema[v]),
            options: q.options[v].clone(),
            renamed_from,
        };
        s.sequences
            .insert(qualified_key(&seq.schema, &seq.name), seq);
    }
    for (ti, t) in u.tables.iter().enumerate().filter(|(_, t)| t.present[v]) {
        let table = build_table(u, ti, t, v, &enum_of);
        s.tables.insert(table.key(), table);
    }
    for view in u.views.iter().filter(|w| w.present[v]) {
        let t = &u.tables[view.table];
        let c = &t.columns[view.column];
        if !view.constant && (!t.present[v] || !c.present[v]) {
            continue;
        }
        let renamed_from = hint(u, &view.name, view.schema, view.present[0], v);
        let with = view.fillfactor[v]
            .map(|f| IndexMap::from([("fillfactor".to_owned(), Literal::Number(f.to_string()))]));
        let definition = if view.constant {
            "select 1 as \"one\"".to_owned()
        } else {
            format!(
                "select \"{}\" from \"{}\".\"{}\"",
                c.name[v],
                schema_name(t.schema[v]),
                t.name[v]
            )
        };
        let w = View {
            name: view.name[v].clone(),
            schema: schema_name(view.schema[v]),
            columns: IndexMap::new(),
            definition: Some(definition),
            materialized: view.materialized,
            with,
            is_existing: false,
            with_no_data: None,
            using: None,
            tablespace: None,
            comment: None,
            renamed_from,
        };
        s.views.insert(qualified_key(&w.schema, &w.name), w);
    }
    s
}

fn type_text(
    ty: Ty,
    enum_of: &dyn Fn(usize) -> Option<(String, String, Vec<String>)>,
) -> (String, Option<String>) {
    let t = match ty {
        Ty::Int => "integer",
        Ty::BigInt => "bigint",
        Ty::SmallInt => "smallint",
        Ty::Text => "text",
        Ty::Varchar => "varchar(50)",
        Ty::Bool => "boolean",
        Ty::Numeric => "numeric(10, 2)",
        Ty::Timestamp => "timestamp",
        Ty::Timestamptz => "timestamp with time zone",
        Ty::Date => "date",
        Ty::Jsonb => "jsonb",
        Ty::Uuid => "uuid",
        Ty::IntArray => "integer[]",
        Ty::TextArray => "text[]",
        Ty::Enum(i) => {
            return match enum_of(i) {
                Some((schema, name, _)) => (name, Some(schema)),
                None => ("text".to_owned(), None),
            };
        }
    };
    (t.to_owned(), None)
}

fn default_for(
    ty: Ty,
    enum_of: &dyn Fn(usize) -> Option<(String, String, Vec<String>)>,
) -> Literal {
    match ty {
        Ty::Int | Ty::BigInt | Ty::SmallInt => Literal::Number("5".into()),
        Ty::Text | Ty::Varchar => Literal::Sql("'x'".into()),
        Ty::Bool => Literal::Bool(true),
        Ty::Numeric => Literal::Sql("'1.50'".into()),
        Ty::Timestamp | Ty::Timestamptz => Literal::Sql("now()".into()),
        Ty::Date => Literal::Sql("'2024-01-01'".into()),
        Ty::Jsonb => Literal::Sql("'{}'::jsonb".into()),
        Ty::Uuid => Literal::Sql("gen_random_uuid()".into()),
        Ty::IntArray => Literal::Sql("'{1,2}'".into()),
        Ty::TextArray => Literal::Sql("'{a}'".into()),
        Ty::Enum(i) => match enum_of(i) {
            Some((_, _, values)) => Literal::Sql(format!("'{}'", values[values.len() - 1])),
            None => Literal::Sql("'x'".into()),
        },
    }
}

fn is_int(ty: &str) -> bool {
    matches!(ty, "integer" | "bigint" | "smallint")
}

fn build_table(
    u: &Universe,
    ti: usize,
    t: &UTable,
    v: usize,
    enum_of: &dyn Fn(usize) -> Option<(String, String, Vec<String>)>,
) -> Table {
    let schema = u.schemas[t.schema[v]][v].clone();
    let mut table = Table::new(&schema, &t.name[v]);
    table.renamed_from = hint(u, &t.name, t.schema, t.present[0], v);
    let pk = match t.pk[v] {
        Pk::Composite(c) if t.columns[c].present[v] => Pk::Composite(c),
        Pk::Composite(_) => Pk::Inline,
        other => other,
    };
    for (ci, c) in t.columns.iter().enumerate().filter(|(_, c)| c.present[v]) {
        let (sql_type, type_schema) = type_text(c.ty[v], enum_of);
        let mut col = Column::new(&c.name[v], &sql_type);
        col.type_schema = type_schema;
        col.not_null = c.not_null[v];
        col.comment = c.comment[v].clone();
        if v == 1 && c.present[0] && c.name[0] != c.name[1] {
            col.renamed_from = Some(c.name[0].clone());
        }
        let int = is_int(&sql_type) && col.type_schema.is_none();
        if let Some(expression) = &c.generated[v]
            && int
            && ci != 0
        {
            col.generated = Some(Generated {
                expression: expression.replace("{id}", &t.columns[0].name[v]),
            });
        } else if let Some(kind) = c.identity[v]
            && int
        {
            let max = match sql_type.as_str() {
                "integer" => "2147483647",
                "bigint" => "9223372036854775807",
                _ => "32767",
            };
            col.not_null = true;
            col.identity = Some(Identity {
                kind,
                name: names::identity_sequence(&t.name[v], &c.name[v]),
                schema: schema.clone(),
                options: SequenceOptions {
                    increment: Some("1".into()),
                    min_value: Some("1".into()),
                    max_value: Some(max.into()),
                    start_with: Some("1".into()),
                    cache: Some("1".into()),
                    cycle: Some(false),
                },
            });
        } else if c.default[v] {
            col.default = Some(default_for(c.ty[v], enum_of));
        }
        match pk {
            Pk::Inline if ci == 0 => {
                col.primary_key = true;
                col.not_null = true;
            }
            Pk::Composite(other) if ci == 0 || ci == other => col.not_null = true,
            _ => {}
        }
        table.columns.insert(col.name.clone(), col);
    }
    if let Pk::Composite(other) = pk {
        let cols = vec![
            t.columns[0].name[v].clone(),
            t.columns[other].name[v].clone(),
        ];
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        let name = names::primary_key(&t.name[v], &refs);
        table.composite_primary_keys.insert(
            name.clone(),
            PrimaryKey {
                name,
                columns: cols,
            },
        );
    }
    let col_name = |ci: usize| t.columns[ci].name[v].clone();
    let present = |cols: &[usize]| cols.iter().all(|c| t.columns[*c].present[v]);
    // CREATE TABLE folds a unique constraint on the primary key's columns into the primary
    // key (which then takes its name), and duplicate unique constraints into one; ALTER
    // TABLE keeps them all. Schemas here say each key once.
    let mut pk_columns: Vec<usize> = match pk {
        Pk::Inline => vec![0],
        Pk::Composite(other) => vec![0, other],
        Pk::None => vec![],
    };
    pk_columns.sort();
    let mut seen_keys: Vec<Vec<usize>> = Vec::new();
    for uq in t
        .uniques
        .iter()
        .filter(|x| x.present[v] && present(&x.columns))
    {
        let mut key = uq.columns.clone();
        key.sort();
        if key == pk_columns || seen_keys.contains(&key) {
            continue;
        }
        seen_keys.push(key);
        let cols: Vec<String> = uq.columns.iter().map(|c| col_name(*c)).collect();
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        let name = uq.name[v]
            .clone()
            .map(|n| format!("t{ti}_{n}"))
            .unwrap_or_else(|| names::unique(&t.name[v], &refs));
        if table.unique_constraints.contains_key(&name) {
            continue;
        }
        table.unique_constraints.insert(
            name.clone(),
            UniqueConstraint {
                name,
                columns: cols,
                nulls_not_distinct: uq.nulls_not_distinct[v],
            },
        );
    }
    for ix in t
        .indexes
        .iter()
        .filter(|x| x.present[v] && present(&x.columns.iter().map(|c| c.0).collect::<Vec<_>>()))
    {
        let first = &table.columns[&col_name(ix.columns[0].0)];
        let text_first = matches!(first.sql_type.as_str(), "text" | "varchar(50)");
        let expression = ix.expression[v] && text_first;
        let hash = ix.hash[v] && !ix.unique[v] && ix.columns.len() == 1 && !expression;
        let columns = ix
            .columns
            .iter()
            .enumerate()
            .map(|(k, (c, asc, nulls_first))| {
                if k == 0 && expression {
                    IndexColumn {
                        expression: format!("lower(\"{}\")", col_name(*c)),
                        is_expression: true,
                        asc: true,
                        nulls: Some("last".into()),
                        opclass: None,
                    }
                } else if hash {
                    IndexColumn {
                        expression: col_name(*c),
                        is_expression: false,
                        asc: true,
                        nulls: Some("last".into()),
                        opclass: None,
                    }
                } else {
                    IndexColumn {
                        expression: col_name(*c),
                        is_expression: false,
                        asc: *asc,
                        nulls: Some(if *nulls_first { "first" } else { "last" }.into()),
                        opclass: None,
                    }
                }
            })
            .collect();
        table.indexes.insert(
            ix.name[v].clone(),
            Index {
                name: ix.name[v].clone(),
                columns,
                is_unique: ix.unique[v],
                where_clause: ix.partial[v].then(|| format!("\"{}\" > 0", col_name(0))),
                concurrently: false,
                method: if hash { "hash" } else { "btree" }.into(),
                with: Some(IndexMap::new()),
            },
        );
    }
    for fk in &t.fks {
        let target = &u.tables[fk.target];
        let target_pk = match target.pk[v] {
            Pk::Composite(c) if target.columns[c].present[v] => Pk::Composite(c),
            Pk::Composite(_) => Pk::Inline,
            other => other,
        };
        if !fk.present[v]
            || !t.columns[fk.column].present[v]
            || !target.present[v]
            || target_pk != Pk::Inline
        {
            continue;
        }
        let from = vec![col_name(fk.column)];
        let to = vec![target.columns[0].name[v].clone()];
        let name = names::foreign_key(&t.name[v], &[&from[0]], &target.name[v], &[&to[0]]);
        if table.foreign_keys.contains_key(&name) {
            continue;
        }
        let target_schema = u.schemas[target.schema[v]][v].clone();
        table.foreign_keys.insert(
            name.clone(),
            ForeignKey {
                name,
                table_from: t.name[v].clone(),
                columns_from: from,
                table_to: target.name[v].clone(),
                schema_to: (target_schema != PUBLIC).then_some(target_schema),
                columns_to: to,
                on_update: Some("no action".into()),
                on_delete: Some(fk.on_delete[v].into()),
            },
        );
    }
    for ck in t.checks.iter().filter(|c| c.present[v]) {
        let c = &t.columns[ck.column];
        let value = if !c.present[v] {
            format!("\"{}\" > 0", col_name(0))
        } else {
            let column = &table.columns[&c.name[v]];
            if is_int(&column.sql_type) && column.type_schema.is_none() {
                format!("\"{}\" > 0", c.name[v])
            } else if matches!(column.sql_type.as_str(), "text" | "varchar(50)") {
                format!("\"{}\" <> ''", c.name[v])
            } else {
                format!("\"{}\" IS NOT NULL OR true", c.name[v])
            }
        };
        table.check_constraints.insert(
            ck.name[v].clone(),
            CheckConstraint {
                name: ck.name[v].clone(),
                value,
            },
        );
    }
    for p in t.policies.iter().filter(|p| p.present[v]) {
        let command = p.command[v];
        let renamed_from =
            (v == 1 && p.present[0] && p.name[0] != p.name[1]).then(|| p.name[0].clone());
        table.policies.insert(
            p.name[v].clone(),
            Policy {
                name: p.name[v].clone(),
                as_: Some(
                    if p.restrictive[v] {
                        "RESTRICTIVE"
                    } else {
                        "PERMISSIVE"
                    }
                    .into(),
                ),
                for_: Some(command.into()),
                to: Some(vec!["public".into()]),
                using: Some(format!("\"{}\" > 0", col_name(0))),
                with_check: (p.with_check[v] && matches!(command, "ALL" | "UPDATE"))
                    .then(|| "true".to_owned()),
                on: None,
                schema: None,
                renamed_from,
            },
        );
    }
    table.rls_enabled = t.rls[v];
    table.comment = t.comment[v].clone();
    table
}

/// The pair drawn from `seed`.
pub fn pair(seed: u64) -> (Schema, Schema) {
    let mut g = G(StdRng::seed_from_u64(seed));
    let u = universe(&mut g);
    (build(&u, 0), build(&u, 1))
}
