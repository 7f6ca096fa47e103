//! The CLI reads `src/schema.rs` without compiling it; the derives compile it. Both
//! must accept it and agree on every name.

use drizzle::{PgEnum, Table, View};
use drizzle_schema::Schema;
use saas_example::schema::*;

fn cli_schema() -> Schema {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema.rs");
    let text = std::fs::read_to_string(&path).expect("read src/schema.rs");
    let file = drizzle_syntax::SourceFile { path, text };
    match drizzle_syntax::parse_sources(&[file], &Default::default()) {
        Ok(schema) => schema,
        Err(diagnostics) => panic!("the CLI rejects the example: {diagnostics:#?}"),
    }
}

fn table_matches<T: Table>(schema: &Schema) {
    let key = format!("{}.{}", T::SCHEMA, T::NAME);
    let table = schema
        .tables
        .get(&key)
        .unwrap_or_else(|| panic!("the CLI has no table {key}"));
    let columns: Vec<&str> = table.columns.keys().map(String::as_str).collect();
    assert_eq!(columns, T::COLUMNS, "columns of {key}");
}

fn enum_matches<E: PgEnum>(schema: &Schema) {
    let key = format!("{}.{}", E::SCHEMA, E::NAME);
    let found = schema
        .enums
        .get(&key)
        .unwrap_or_else(|| panic!("the CLI has no enum {key}"));
    assert_eq!(found.values, E::VALUES, "values of {key}");
}

#[test]
fn cli_and_derives_agree_on_every_name() {
    let schema = cli_schema();
    table_matches::<Organization>(&schema);
    table_matches::<User>(&schema);
    table_matches::<Session>(&schema);
    table_matches::<Member>(&schema);
    table_matches::<Contact>(&schema);
    table_matches::<Product>(&schema);
    table_matches::<Order>(&schema);
    table_matches::<OrderItem>(&schema);
    table_matches::<Invoice>(&schema);
    assert_eq!(schema.tables.len(), 9);
    enum_matches::<MemberRole>(&schema);
    enum_matches::<ContactKind>(&schema);
    enum_matches::<OrderStatus>(&schema);
    enum_matches::<InvoiceStatus>(&schema);
    assert_eq!(schema.enums.len(), 4);
    let view = format!("{}.{}", OpenOrder::SCHEMA, OpenOrder::NAME);
    assert!(
        schema.views.contains_key(&view),
        "the CLI has no view {view}"
    );
}

#[test]
fn the_example_uses_the_features_it_shows_off() {
    let schema = cli_schema();
    assert!(schema.schemas.contains_key("billing"));
    assert!(schema.sequences.contains_key("billing.invoice_number_seq"));
    assert!(schema.roles.contains_key("app_user"));
    let contacts = &schema.tables["public.contacts"];
    assert!(contacts.rls_enabled);
    assert_eq!(
        contacts.policies["contacts_tenant_isolation"].to.as_deref(),
        Some(&["app_user".to_string()][..])
    );
    assert_eq!(
        contacts.comment.as_deref(),
        Some("People and companies an organization does business with.")
    );
    let fk = &contacts.foreign_keys["contacts_organization_id_organizations_id_fk"];
    assert_eq!(fk.on_delete.as_deref(), Some("cascade"));
    let members = &schema.tables["public.members"];
    assert_eq!(
        members.composite_primary_keys["members_organization_id_user_id_pk"].columns,
        ["organization_id", "user_id"]
    );
    let orders = &schema.tables["public.orders"];
    assert!(orders.columns["number"].identity.is_some());
    assert_eq!(
        orders.indexes["orders_open_placed_idx"]
            .where_clause
            .as_deref(),
        Some("status = 'open'")
    );
    let price = &schema.tables["public.products"].columns["price"];
    assert_eq!(price.sql_type, "numeric(12, 2)");
}
