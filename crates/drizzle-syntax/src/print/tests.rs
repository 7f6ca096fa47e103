use super::*;
use crate::{ParseOptions, SourceFile, parse_sources};
use drizzle_schema::{Column, Enum, ForeignKey, Literal, SchemaDef, Table};

fn parse(text: &str) -> Schema {
    let file = SourceFile {
        path: "schema.rs".into(),
        text: text.to_owned(),
    };
    parse_sources(&[file], &ParseOptions::default()).unwrap_or_else(|d| {
        panic!(
            "{}\n{text}",
            d.iter()
                .map(|d| d.render_plain(text))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// Same-named objects across kinds and schemas, keywords and reserved type names.
fn clashing() -> Schema {
    let mut s = Schema::default();
    s.schemas.insert(
        "app".into(),
        SchemaDef {
            name: "app".into(),
            renamed_from: None,
        },
    );
    s.enums.insert(
        "public.status".into(),
        Enum {
            name: "status".into(),
            schema: "public".into(),
            values: vec!["active".into(), "it's".into(), "Self".into()],
            value_renames: IndexMap::new(),
            comment: Some("Lifecycle.".into()),
            renamed_from: None,
        },
    );
    for (schema, name) in [
        ("public", "users"),
        ("app", "users"),
        ("public", "status"),
        ("public", "string"),
    ] {
        let mut t = Table::new(schema, name);
        let mut id = Column::new("id", "serial");
        id.not_null = true;
        id.primary_key = true;
        t.columns.insert("id".into(), id);
        let mut kind = Column::new("type", "status");
        kind.type_schema = Some("public".into());
        kind.default = Some(Literal::Sql("'it''s'".into()));
        kind.comment = Some("What it is.".into());
        t.columns.insert("type".into(), kind);
        let mut camel = Column::new("createdAt", "timestamp(3)");
        camel.default = Some(Literal::Sql("now()".into()));
        t.columns.insert("createdAt".into(), camel);
        s.tables.insert(t.key(), t);
    }
    let fk = ForeignKey {
        name: "users_id_fk".into(),
        table_from: "users".into(),
        columns_from: vec!["id".into()],
        table_to: "users".into(),
        schema_to: Some("app".into()),
        columns_to: vec!["id".into()],
        on_update: Some("no action".into()),
        on_delete: Some("cascade".into()),
    };
    s.tables["public.users"]
        .foreign_keys
        .insert(fk.name.clone(), fk);
    s
}

#[test]
fn clashing_names_get_distinct_rust_names() {
    let schema = clashing();
    let printed = print_schema(&schema, &PrintOptions::default());
    assert!(printed.losses.is_empty(), "{:?}", printed.losses);
    insta::assert_snapshot!(printed.source);
    assert_eq!(parse(&printed.source), schema);
}

#[test]
fn header_lines_become_a_module_comment() {
    let options = PrintOptions {
        header: vec!["Pulled from `app`.".into()],
        ..PrintOptions::default()
    };
    let printed = print_schema(&Schema::default(), &options);
    assert_eq!(printed.source, "//! Pulled from `app`.\n");
}

#[test]
fn casing_decides_when_a_name_is_needed() {
    let mut t = Table::new("public", "t");
    t.columns
        .insert("createdAt".into(), Column::new("createdAt", "integer"));
    let mut s = Schema::default();
    s.tables.insert(t.key(), t);
    let camel = PrintOptions {
        casing: Casing::CamelCase,
        ..PrintOptions::default()
    };
    let source = print_schema(&s, &camel).source;
    assert!(source.contains("pub created_at: Option<i32>"), "{source}");
    assert!(!source.contains("name ="), "{source}");
    let plain = print_schema(&s, &PrintOptions::default()).source;
    assert!(plain.contains("name = \"createdAt\""), "{plain}");
}

#[test]
fn what_the_language_cannot_say_is_listed() {
    let mut t = Table::new("public", "t");
    let mut c = Column::new("c", "integer");
    c.default = Some(Literal::Json(serde_json::json!([1, 2])));
    t.columns.insert("c".into(), c);
    let fk = ForeignKey {
        name: "t_c_gone_id_fk".into(),
        table_from: "t".into(),
        columns_from: vec!["c".into()],
        table_to: "gone".into(),
        schema_to: None,
        columns_to: vec!["id".into()],
        on_update: Some("no action".into()),
        on_delete: Some("no action".into()),
    };
    t.foreign_keys.insert(fk.name.clone(), fk);
    let mut s = Schema::default();
    s.tables.insert(t.key(), t);
    let printed = print_schema(&s, &PrintOptions::default());
    let objects: Vec<&str> = printed.losses.iter().map(|l| l.object.as_str()).collect();
    assert_eq!(objects, ["public.t.c", "public.t.t_c_gone_id_fk"]);
    insta::assert_snapshot!(
        printed
            .losses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}
