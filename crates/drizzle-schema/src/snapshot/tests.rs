use super::*;
use crate::{Column, Enum, Literal, Table, View};

/// A minimal valid snapshot with one public table `users(id)`, edited by `patch`.
fn snapshot_text(patch: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(
        r#"{
  "id": "00000000-0000-0000-0000-000000000001",
  "prevId": "00000000-0000-0000-0000-000000000000",
  "version": "7",
  "dialect": "postgresql",
  "tables": {
    "public.users": {
      "name": "users", "schema": "",
      "columns": { "id": { "name": "id", "type": "integer", "primaryKey": true, "notNull": true } },
      "indexes": {}, "foreignKeys": {}, "compositePrimaryKeys": {}
    }
  },
  "enums": {}, "schemas": {},
  "_meta": { "columns": {}, "schemas": {}, "tables": {} }
}"#,
    )
    .unwrap();
    patch(&mut value);
    value.to_string()
}

fn error(patch: impl FnOnce(&mut serde_json::Value)) -> String {
    Snapshot::from_json(&snapshot_text(patch))
        .expect_err("the snapshot should be rejected")
        .to_string()
}

#[test]
fn zod_defaults_are_filled() {
    let s = Snapshot::from_json(&snapshot_text(|_| {})).unwrap();
    let users = &s.schema.tables["public.users"];
    assert_eq!(users.schema, "public");
    assert!(!users.rls_enabled);
    assert!(users.unique_constraints.is_empty() && users.policies.is_empty());
    assert!(s.schema.views.is_empty() && s.schema.roles.is_empty());
}

#[test]
fn error_messages() {
    let cases = [
        error(|v| v["tables"]["public.users"]["columns"]["id"]["notNull"] = "yes".into()),
        error(|v| {
            v["tables"]["public.users"]["columns"]["id"]
                .as_object_mut()
                .unwrap()
                .remove("type");
        }),
        error(|v| v["tables"]["public.users"]["columns"]["id"]["isPrimary"] = true.into()),
        error(
            |v| v["tables"]["public.users"]["indexes"] = serde_json::json!({"i": {"name": "i", "columns": [{"expression": 1}], "isUnique": false}}),
        ),
        error(|v| {
            v["enums"] = serde_json::json!({"public.e": {"name": "e", "schema": "public", "values": ["a", 2]}})
        }),
        error(|v| {
            v["tables"]["public.users"]["policies"] =
                serde_json::json!({"p": {"name": "p", "as": "MAYBE"}})
        }),
        error(|v| v["version"] = "6".into()),
        error(|v| v["version"] = "5".into()),
        error(|v| v["version"] = "8".into()),
        error(|v| v["version"] = "seven".into()),
        error(|v| v["dialect"] = "mysql".into()),
        error(|v| {
            v.as_object_mut().unwrap().remove("_meta");
        }),
        error(|v| v["comments"] = serde_json::json!({"tables": {"public.ghost": "boo"}})),
        Snapshot::from_json("{\n  \"id\": \"x\",\n  \"tables\": {,\n}")
            .unwrap_err()
            .to_string(),
        Snapshot::from_json("[]").unwrap_err().to_string(),
    ];
    insta::assert_snapshot!(cases.join("\n"));
}

#[test]
fn old_versions_have_their_own_variant() {
    let err = Snapshot::from_json(&snapshot_text(|v| v["version"] = "6".into())).unwrap_err();
    assert_eq!(
        err,
        SnapshotError::Outdated {
            version: "6".into()
        }
    );
    let err = Snapshot::from_json(&snapshot_text(|v| v["version"] = "8".into())).unwrap_err();
    assert!(matches!(err, SnapshotError::UnsupportedVersion { .. }));
}

#[test]
fn comments_are_written_after_meta_and_read_back() {
    let mut s = Snapshot::empty();
    let mut users = Table::new("public", "users");
    let mut email = Column::new("email", "text");
    email.comment = Some("Login, \"unique\".".into());
    users.columns.insert("email".into(), email);
    users
        .columns
        .insert("id".into(), Column::new("id", "integer"));
    users.comment = Some("People who sign in".into());
    s.schema.tables.insert(users.key(), users);
    let mut view = View {
        name: "v".into(),
        schema: "app".into(),
        columns: Default::default(),
        definition: Some("select 1".into()),
        materialized: true,
        with: None,
        is_existing: false,
        with_no_data: None,
        using: None,
        tablespace: None,
        comment: Some("cached".into()),
        renamed_from: None,
    };
    view.with = Some([("fillfactor".to_owned(), Literal::Number("70".into()))].into());
    s.schema.views.insert("app.v".into(), view);
    s.schema.enums.insert(
        "public.mood".into(),
        Enum {
            name: "mood".into(),
            schema: "public".into(),
            values: vec!["ok".into()],
            value_renames: Default::default(),
            comment: Some("how it feels".into()),
            renamed_from: None,
        },
    );
    let text = s.to_json();
    insta::assert_snapshot!(text);
    assert_eq!(Snapshot::from_json(&text).unwrap(), s);
}

#[test]
fn no_comments_key_without_comments() {
    let mut s = Snapshot::empty();
    s.schema
        .tables
        .insert("public.t".into(), Table::new("public", "t"));
    assert!(!s.to_json().contains("\"comments\""));
}

#[test]
fn rename_hints_are_never_written() {
    let mut s = Snapshot::empty();
    let mut t = Table::new("public", "t");
    t.renamed_from = Some(crate::OldName {
        schema: None,
        name: "old_t".into(),
    });
    let mut c = Column::new("c", "text");
    c.renamed_from = Some("old_c".into());
    t.columns.insert("c".into(), c);
    s.schema.tables.insert(t.key(), t);
    assert!(!s.to_json().contains("old_"));
}

#[test]
fn point_and_line_defaults_round_trip_and_render_valid_sql() {
    let text = snapshot_text(|v| {
        v["tables"]["public.users"]["columns"]["id"]["default"] = serde_json::json!([1, 2]);
    });
    let s = Snapshot::from_json(&text).unwrap();
    let default = s.schema.tables["public.users"].columns["id"]
        .default
        .clone()
        .unwrap();
    assert_eq!(default.to_sql(), "'(1,2)'");
    assert_eq!(
        Literal::Json(serde_json::json!({"a": 1, "b": 2, "c": 3})).to_sql(),
        "'{1,2,3}'"
    );
    assert!(
        s.to_json()
            .contains("\"default\": [\n            1,\n            2\n          ]")
    );
}

#[test]
fn meta_keys_follow_drizzle_order_empty_and_filled() {
    let empty = Snapshot::empty().to_json();
    assert!(empty.contains(
        "\"_meta\": {\n    \"columns\": {},\n    \"schemas\": {},\n    \"tables\": {}\n  }"
    ));
    let mut s = Snapshot::empty();
    s.meta.columns.insert(
        "\"public\".\"t\".\"a\"".into(),
        "\"public\".\"t\".\"b\"".into(),
    );
    let text = s.to_json();
    let at = |key: &str| text.rfind(&format!("\"{key}\": {{")).unwrap();
    assert!(
        at("schemas") < at("tables") && at("tables") < at("columns"),
        "{text}"
    );
    assert_eq!(Snapshot::from_json(&text).unwrap().meta, s.meta);
}
