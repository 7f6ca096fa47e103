//! `diff` over hand-built schemas: what is created, and what is refused.

use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Index, IndexColumn, Literal, OldName, Policy,
    PrimaryKey, Role, Schema, SchemaDef, Sequence, SequenceOptions, Table, UniqueConstraint, View,
};
use indexmap::IndexMap;

use crate::{Change, ChangeKind, DiffError, diff};

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

fn problems(from: &Schema, to: &Schema) -> Vec<String> {
    match diff(from, to) {
        Err(DiffError::NotAdditive(items)) => items,
        Ok(changes) => panic!("expected a refusal, got {changes:#?}"),
    }
}

#[test]
fn an_unchanged_schema_needs_nothing() {
    assert_eq!(diff(&base(), &base()), Ok(Vec::new()));
}

#[test]
fn everything_is_created_from_nothing() {
    let changes = diff(&Schema::default(), &base()).unwrap();
    let lines: Vec<String> = changes
        .iter()
        .map(|c| format!("{:?}: {}", c.kind(), c.describe()))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
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
    t.indexes["t_a_idx"].is_unique = true;
    t.foreign_keys.clear();
    t.unique_constraints["t_a_unique"].nulls_not_distinct = true;
    t.check_constraints["a_pos"].value = "a > 1".into();
    t.policies.clear();
    t.comment = None;
    t.composite_primary_keys.insert(
        "t_id_a_pk".into(),
        PrimaryKey {
            name: "t_id_a_pk".into(),
            columns: vec!["id".into(), "a".into()],
        },
    );
    to.views["public.v"].definition = Some("select 2".into());
    insta::assert_snapshot!(DiffError::NotAdditive(problems(&from, &to)).to_string());
}

#[test]
fn renames_are_named_as_renames() {
    let from = base();
    let mut to = base();
    let mut items = to.tables.shift_remove("app.items").unwrap();
    items.name = "things".into();
    items.renamed_from = Some(OldName {
        schema: None,
        name: "items".into(),
    });
    to.tables.insert(items.key(), items);
    let t = &mut to.tables["public.t"];
    let mut b = t.columns.shift_remove("b").unwrap();
    b.name = "bee".into();
    b.renamed_from = Some("b".into());
    t.columns.insert("bee".into(), b);
    let mut p = t.policies.shift_remove("p").unwrap();
    p.name = "p2".into();
    p.renamed_from = Some("p".into());
    t.policies.insert("p2".into(), p);
    let mood = &mut to.enums["public.mood"];
    mood.values[1] = "fine".into();
    mood.value_renames.insert("fine".into(), "ok".into());
    let mut role = to.roles.shift_remove("reader").unwrap();
    role.name = "viewer".into();
    role.renamed_from = Some("reader".into());
    to.roles.insert("viewer".into(), role);
    let mut app = to.schemas.shift_remove("app").unwrap();
    app.name = "core".into();
    app.renamed_from = Some("app".into());
    to.schemas.insert("core".into(), app);
    insta::assert_snapshot!(problems(&from, &to).join("\n"));
}

#[test]
fn enum_values_inserted_in_the_middle_go_before_the_next_old_value() {
    let from = base();
    let mut to = base();
    to.enums["public.mood"].values = ["awful", "sad", "meh", "sadder", "ok", "happy", "great"]
        .map(String::from)
        .to_vec();
    let added: Vec<(String, Option<String>)> = diff(&from, &to)
        .unwrap()
        .into_iter()
        .map(|c| match c {
            Change::AddEnumValue { value, before, .. } => (value, before),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let expected = [
        ("awful", Some("sad")),
        ("meh", Some("ok")),
        ("sadder", Some("ok")),
        ("great", None),
    ]
    .map(|(v, b)| (v.to_owned(), b.map(str::to_owned)));
    assert_eq!(added, expected);
}

#[test]
fn comments_may_be_added_but_not_changed() {
    let from = base();
    let mut to = base();
    to.tables["public.t"].columns["a"].comment = Some("the a".into());
    to.views["public.v"].comment = Some("the view".into());
    let kinds: Vec<ChangeKind> = diff(&from, &to).unwrap().iter().map(Change::kind).collect();
    assert_eq!(kinds, [ChangeKind::Comment, ChangeKind::Comment]);

    to.tables["public.t"].comment = Some("another".into());
    assert_eq!(
        problems(&from, &to),
        ["table \"public.t\": changed comment (was \"a table\")"]
    );
}

#[test]
fn a_second_primary_key_is_refused() {
    let from = base();
    let mut to = base();
    to.tables["public.t"].composite_primary_keys.insert(
        "t_a_b_pk".into(),
        PrimaryKey {
            name: "t_a_b_pk".into(),
            columns: vec!["a".into(), "b".into()],
        },
    );
    assert_eq!(
        problems(&from, &to),
        ["table \"public.t\": primary key \"t_a_b_pk\" added to a table that already has one"]
    );
}

#[test]
fn schemas_used_but_not_declared_are_created_once() {
    let mut to = Schema::default();
    to.tables.insert("x.a".into(), table("x", "a", &["id"]));
    to.tables.insert("x.b".into(), table("x", "b", &["id"]));
    let changes = diff(&Schema::default(), &to).unwrap();
    assert_eq!(changes[0], Change::CreateSchema { name: "x".into() });
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.kind() == ChangeKind::Schema)
            .count(),
        1
    );
}

#[test]
fn existing_views_are_never_created_or_dropped() {
    let mut with_existing = Schema::default();
    let mut v = view("legacy");
    v.is_existing = true;
    with_existing.views.insert("public.legacy".into(), v);
    assert_eq!(diff(&Schema::default(), &with_existing), Ok(Vec::new()));
    assert_eq!(diff(&with_existing, &Schema::default()), Ok(Vec::new()));
}

#[test]
fn kinds_have_singular_and_plural_nouns() {
    assert_eq!(ChangeKind::Index.noun(1), "index");
    assert_eq!(ChangeKind::Index.noun(2), "indexes");
    assert_eq!(ChangeKind::Policy.noun(0), "policies");
}

#[test]
fn drops_are_changes_only_when_allowed() {
    let from = base();
    let mut to = base();
    to.tables.shift_remove("public.other");
    to.tables["public.t"].columns.shift_remove("a");
    to.tables["public.t"].indexes.clear();
    assert_eq!(problems(&from, &to).len(), 3);
    let options = crate::DiffOptions { allow_drops: true };
    let changes = crate::diff_with(&from, &to, options).unwrap();
    assert!(changes.iter().all(Change::is_drop));
    let lines: Vec<String> = changes.iter().map(Change::describe).collect();
    assert_eq!(
        lines,
        [
            "drop column \"a\" from \"public.t\"",
            "drop index \"t_a_idx\" on \"public.t\"",
            "drop table \"public.other\"",
        ]
    );
}

#[test]
fn renames_stay_refused_when_drops_are_allowed() {
    let from = base();
    let mut to = base();
    let mut v = to.views.shift_remove("public.v").unwrap();
    v.name = "w".into();
    v.renamed_from = Some(OldName {
        schema: None,
        name: "v".into(),
    });
    to.views.insert("public.w".into(), v);
    let options = crate::DiffOptions { allow_drops: true };
    assert_eq!(
        crate::diff_with(&from, &to, options),
        Err(DiffError::NotAdditive(vec![
            "view \"public.v\" renamed to \"public.w\"".into()
        ]))
    );
}

#[test]
fn foreign_keys_to_a_dropped_table_go_with_it() {
    let from = base();
    let mut to = base();
    to.tables.shift_remove("public.other");
    to.tables["public.t"].foreign_keys.clear();
    let options = crate::DiffOptions { allow_drops: true };
    let changes = crate::diff_with(&from, &to, options).unwrap();
    let lines: Vec<String> = changes.iter().map(Change::describe).collect();
    assert_eq!(lines, ["drop table \"public.other\""]);
}
