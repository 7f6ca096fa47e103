//! The introspected model in the form the schema language declares it: representation
//! choices that mean the same thing in the database are spelled the way the parser spells
//! them, so the written Rust, its snapshot and the baseline agree exactly.

use drizzle_schema::Schema;

/// `schema` with the parser's spelling of equivalent values.
pub(crate) fn as_declared(mut schema: Schema) -> Schema {
    for view in schema.views.values_mut() {
        // A populated materialized view is what leaving `with_no_data` out means.
        if view.with_no_data == Some(false) || !view.materialized {
            view.with_no_data = None;
        }
    }
    for table in schema.tables.values_mut() {
        for fk in table.foreign_keys.values_mut() {
            if fk.schema_to.as_deref() == Some(drizzle_schema::PUBLIC) {
                fk.schema_to = None;
            }
        }
        for policy in table.policies.values_mut() {
            // Roles are a set; the parser keeps them sorted.
            if let Some(to) = &mut policy.to {
                to.sort();
            }
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::View;

    #[test]
    fn populated_materialized_views_leave_with_no_data_out() {
        let mut schema = Schema::default();
        let view = View {
            name: "v".into(),
            schema: "public".into(),
            columns: Default::default(),
            definition: Some("select 1".into()),
            materialized: true,
            with: None,
            is_existing: false,
            with_no_data: Some(false),
            using: None,
            tablespace: None,
            comment: None,
            renamed_from: None,
        };
        schema.views.insert("public.v".into(), view);
        let out = as_declared(schema);
        assert_eq!(out.views["public.v"].with_no_data, None);
    }
}
