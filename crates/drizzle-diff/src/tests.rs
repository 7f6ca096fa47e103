//! `diff` over hand-built schemas: what is created, and what is refused.

use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Index, IndexColumn, Literal, OldName, Policy,
    PrimaryKey, Role, Schema, SchemaDef, Sequence, SequenceOptions, Table, UniqueConstraint, View,
};
use indexmap::IndexMap;

use crate::{Change, ChangeKind, Creation, DiffError, Rename, Renames, plan};

fn diff(from: &Schema, to: &Schema) -> Result<Vec<Change>, DiffError> {
    crate::diff(from, to, &Renames::new())
}

fn lines(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{:?}: {}", c.kind(), c.describe()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn enum_(schema: &str, name: &str, values: &[&str]) -> Enum {
    Enum {
        name: name.into(),
        schema: schema.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
        value_renames: IndexMap::new(),
        comment: None,
        renamed_from: None,
    }
}

fn table(schema: &str, name: &str, columns: &[&str]) -> Table {
    let mut t = Table::new(schema, name);
    for c in columns {
        t.columns.insert(c.to_string(), Column::new(*c, "integer"));
    }
    t
}

fn policy(name: &str) -> Policy {
    Policy {
        name: name.into(),
        as_: None,
        for_: None,
        to: None,
        using: Some("true".into()),
        with_check: None,
        on: None,
        schema: None,
        renamed_from: None,
    }
}

fn index(name: &str, column: &str) -> Index {
    Index {
        name: name.into(),
        columns: vec![IndexColumn {
            expression: column.into(),
            is_expression: false,
            asc: true,
            nulls: Some("last".into()),
            opclass: None,
        }],
        is_unique: false,
        where_clause: None,
        concurrently: false,
        method: "btree".into(),
        with: None,
    }
}

fn fk(name: &str, column: &str, to: &str) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        table_from: "t".into(),
        columns_from: vec![column.into()],
        table_to: to.into(),
        schema_to: None,
        columns_to: vec!["id".into()],
        on_update: Some("no action".into()),
        on_delete: Some("no action".into()),
    }
}

fn view(name: &str) -> View {
    View {
        name: name.into(),
        schema: "public".into(),
        columns: IndexMap::new(),
        definition: Some("select 1".into()),
        materialized: false,
        with: None,
        is_existing: false,
        with_no_data: None,
        using: None,
        tablespace: None,
        comment: None,
        renamed_from: None,
    }
}

/// One object of every kind, each with something that can change.
fn base() -> Schema {
    let mut s = Schema::default();
    s.schemas.insert(
        "app".into(),
        SchemaDef {
            name: "app".into(),
            renamed_from: None,
        },
    );
    s.enums.insert(
        "public.mood".into(),
        enum_("public", "mood", &["sad", "ok", "happy"]),
    );
    s.sequences.insert(
        "public.counter".into(),
        Sequence {
            name: "counter".into(),
            schema: "public".into(),
            options: SequenceOptions {
                increment: Some("1".into()),
                ..SequenceOptions::default()
            },
            renamed_from: None,
        },
    );
    s.roles.insert(
        "reader".into(),
        Role {
            name: "reader".into(),
            create_db: None,
            create_role: None,
            inherit: None,
            renamed_from: None,
        },
    );
    let mut t = table("public", "t", &["id", "a", "b"]);
    t.columns["id"].primary_key = true;
    t.columns["id"].not_null = true;
    t.indexes.insert("t_a_idx".into(), index("t_a_idx", "a"));
    t.foreign_keys
        .insert("t_b_fk".into(), fk("t_b_fk", "b", "other"));
    t.unique_constraints.insert(
        "t_a_unique".into(),
        UniqueConstraint {
            name: "t_a_unique".into(),
            columns: vec!["a".into()],
            nulls_not_distinct: false,
        },
    );
    t.check_constraints.insert(
        "a_pos".into(),
        CheckConstraint {
            name: "a_pos".into(),
            value: "a > 0".into(),
        },
    );
    t.policies.insert("p".into(), policy("p"));
    t.comment = Some("a table".into());
    s.tables.insert(t.key(), t);
    s.tables
        .insert("public.other".into(), table("public", "other", &["id"]));
    s.tables
        .insert("app.items".into(), table("app", "items", &["id"]));
    s.views.insert("public.v".into(), view("v"));
    s
}

#[test]
fn an_unchanged_schema_needs_nothing() {
    assert_eq!(diff(&base(), &base()), Ok(Vec::new()));
}

#[test]
fn everything_is_created_from_nothing() {
    let changes = diff(&Schema::default(), &base()).unwrap();
    insta::assert_snapshot!(lines(&changes));
}

#[test]
fn every_drop_and_alteration_is_listed() {
    let from = base();
    let mut to = base();
    to.schemas.clear();
    to.tables.shift_remove("app.items");
    to.enums["public.mood"].values = vec!["ok".into(), "sad".into()];
    to.sequences["public.counter"].options.increment = Some("2".into());
    to.roles["reader"].create_db = Some(true);
    to.tables.shift_remove("public.other");
    let t = &mut to.tables["public.t"];
    t.columns.shift_remove("b");
    t.columns["a"].sql_type = "bigint".into();
    t.columns["a"].default = Some(Literal::Number("1".into()));
    t.columns["a"].not_null = true;
    t.indexes["t_a_idx"].is_unique = true;
    t.foreign_keys.clear();
    t.unique_constraints["t_a_unique"].nulls_not_distinct = true;
    t.check_constraints["a_pos"].value = "a > 1".into();
    t.composite_primary_keys.insert(
        "t_id_a_pk".into(),
        PrimaryKey {
            name: "t_id_a_pk".into(),
            columns: vec!["id".into(), "a".into()],
        },
    );
    t.columns["id"].primary_key = false;
    t.policies.clear();
    t.rls_enabled = false;
    t.comment = None;
    to.views["public.v"].definition = Some("select 2".into());
    let changes = diff(&from, &to).unwrap();
    insta::assert_snapshot!(lines(&changes));
    let risky: Vec<String> = changes
        .iter()
        .filter_map(|c| c.data_risk().map(|r| format!("{}: {r}", c.describe())))
        .collect();
    insta::assert_snapshot!("risks", risky.join("\n"));
}

/// The base schema with one object of every renamable kind renamed in `to`, with hints.
fn renamed() -> Schema {
    let mut to = base();
    let mut app = to.schemas.shift_remove("app").unwrap();
    app.name = "core".into();
    app.renamed_from = Some("app".into());
    to.schemas.insert("core".into(), app);
    let mut items = to.tables.shift_remove("app.items").unwrap();
    items.schema = "core".into();
    items.name = "things".into();
    items.renamed_from = Some(OldName {
        schema: None,
        name: "items".into(),
    });
    to.tables.insert(items.key(), items);
    let mood = &mut to.enums["public.mood"];
    mood.values[1] = "fine".into();
    mood.value_renames.insert("fine".into(), "ok".into());
    let mut reader = to.roles.shift_remove("reader").unwrap();
    reader.name = "viewer".into();
    reader.renamed_from = Some("reader".into());
    to.roles.insert("viewer".into(), reader);
    let t = &mut to.tables["public.t"];
    let mut b = t.columns.shift_remove("b").unwrap();
    b.name = "bee".into();
    b.renamed_from = Some("b".into());
    t.columns.insert("bee".into(), b);
    t.foreign_keys["t_b_fk"].columns_from = vec!["bee".into()];
    let mut p = t.policies.shift_remove("p").unwrap();
    p.name = "p2".into();
    p.renamed_from = Some("p".into());
    t.policies.insert("p2".into(), p);
    let mut v = to.views.shift_remove("public.v").unwrap();
    v.name = "w".into();
    v.schema = "core".into();
    v.renamed_from = Some(OldName {
        schema: Some("public".into()),
        name: "v".into(),
    });
    to.views.insert("core.w".into(), v);
    to
}

#[test]
fn renames_are_named_as_renames() {
    let plan = plan(&base(), &renamed(), &Renames::new()).unwrap();
    insta::assert_snapshot!(lines(&plan.changes));
    assert!(plan.changes.iter().all(|c| !c.is_drop()));
    let flags: Vec<String> = plan.renames.iter().map(Rename::flag_value).collect();
    assert_eq!(
        flags,
        [
            "schema:app=core",
            "role:reader=viewer",
            "table:core.items=core.things",
            "column:t.b=bee",
            "policy:t.p=p2",
            "view:public.v=core.w",
        ]
    );
    let meta = plan.rename_meta();
    assert_eq!(meta.schemas["app"], "core");
    assert_eq!(meta.tables["\"core\".\"items\""], "\"core\".\"things\"");
    assert_eq!(meta.columns["\"t\".\"b\""], "\"t\".\"bee\"");
}

/// `renamed()` without any hint.
fn renamed_without_hints() -> Schema {
    let mut to = renamed();
    to.schemas["core"].renamed_from = None;
    to.tables["core.things"].renamed_from = None;
    to.enums["public.mood"].value_renames.clear();
    to.roles["viewer"].renamed_from = None;
    to.tables["public.t"].columns["bee"].renamed_from = None;
    to.tables["public.t"].policies["p2"].renamed_from = None;
    to.views["core.w"].renamed_from = None;
    to
}

#[test]
fn ambiguities_are_reported_not_guessed() {
    let err = plan(&base(), &renamed_without_hints(), &Renames::new()).unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn flags_decide_like_hints() {
    let with_hints = plan(&base(), &renamed(), &Renames::new()).unwrap();
    let mut renames = Renames::new();
    for flag in [
        "schema:app=core",
        "role:reader=viewer",
        "table:core.items=core.things",
        "column:t.b=bee",
        "policy:t.p=p2",
        "view:public.v=core.w",
        "table:nowhere=gone",
    ] {
        renames.rename(Rename::parse(flag).unwrap());
    }
    let with_flags = plan(&base(), &renamed_without_hints(), &renames).unwrap();
    // The enum value rename has no flag: without its hint the value is recreated.
    let not_value = |c: &&Change| {
        !matches!(
            c,
            Change::RenameEnumValue { .. }
                | Change::RecreateEnum { .. }
                | Change::AddEnumValue { .. }
        )
    };
    assert_eq!(
        with_flags
            .changes
            .iter()
            .filter(not_value)
            .collect::<Vec<_>>(),
        with_hints
            .changes
            .iter()
            .filter(not_value)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        with_flags
            .unused
            .iter()
            .map(Rename::flag_value)
            .collect::<Vec<_>>(),
        ["table:nowhere=gone"]
    );
}

#[test]
fn a_hint_wins_over_a_flag() {
    let mut renames = Renames::new();
    renames.rename(Rename::parse("column:t.a=bee").unwrap());
    let plan = plan(&base(), &renamed(), &renames).unwrap();
    assert!(plan.changes.contains(&Change::RenameColumn {
        table: crate::TableRef {
            schema: "public".into(),
            name: "t".into()
        },
        from: "b".into(),
        to: "bee".into()
    }));
    assert_eq!(plan.unused.len(), 1);
}

#[test]
fn answered_creations_do_not_come_back() {
    let from = base();
    let mut to = base();
    let mut other = to.tables.shift_remove("public.other").unwrap();
    other.name = "fresh".into();
    to.tables.insert(other.key(), other);
    let Err(DiffError::Ambiguous(candidates)) = plan(&from, &to, &Renames::new()) else {
        panic!("a table appears and one disappears: that is a question");
    };
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].deleted, ["public.other"]);
    let mut renames = Renames::new();
    renames.create(candidates[0].creation());
    let changes = plan(&from, &to, &renames).unwrap().changes;
    assert_eq!(
        changes.iter().map(Change::kind).collect::<Vec<_>>(),
        [ChangeKind::Table, ChangeKind::Table]
    );
    assert!(changes[1].is_drop());
    let renames = {
        let mut r = Renames::new();
        r.create(Creation::parse("table:fresh").unwrap());
        r
    };
    assert!(plan(&from, &to, &renames).is_ok());
}

#[test]
fn questions_come_in_rounds_each_answer_revealing_the_next() {
    let from = base();
    let mut to = renamed_without_hints();
    to.tables["core.things"].columns.shift_remove("id");
    to.tables["core.things"]
        .columns
        .insert("key".into(), Column::new("key", "integer"));
    let mut renames = Renames::new();
    let mut rounds = Vec::new();
    loop {
        match plan(&from, &to, &renames) {
            Ok(_) => break,
            Err(DiffError::Ambiguous(candidates)) => {
                rounds.push(candidates.iter().map(|c| c.question()).collect::<Vec<_>>());
                for c in candidates {
                    renames.rename(c.rename(&c.deleted[0]));
                }
            }
            Err(e) => panic!("{e}"),
        }
        assert!(rounds.len() < 5, "{rounds:?}");
    }
    // Schemas first (every other key names one), then the rest; a renamed table's columns
    // only once the table is decided.
    insta::assert_debug_snapshot!(rounds);
}

#[test]
fn kinds_count_in_summaries() {
    assert_eq!(ChangeKind::Index.noun(2), "indexes");
    assert_eq!(ChangeKind::Policy.noun(1), "policy");
}
