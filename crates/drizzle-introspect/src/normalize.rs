//! Spelling differences that carry no meaning, removed before two models are compared:
//! `timestamp (3)` vs `timestamp(3)`, `numeric(10)` vs `numeric(10, 0)`, `char` vs `char(1)`,
//! sized arrays, type aliases, and the optional keys drizzle-kit fills with defaults.

use drizzle_schema::{Column, Schema};

use crate::types::{spell_type, split_array};

/// A copy of `schema` in the one spelling introspection produces, so that a schema from
/// source or a snapshot compares equal to the database it was migrated into. Expressions are
/// left alone: pass both sides through [`crate::canonicalize_schema`] for those.
pub fn comparable(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    for table in out.tables.values_mut() {
        let table_schema = table.schema.clone();
        for column in table.columns.values_mut() {
            column_comparable(column, &table_schema);
        }
        // PostgreSQL makes primary key columns NOT NULL whatever the declaration said.
        let key_columns: Vec<String> = table
            .composite_primary_keys
            .values()
            .flat_map(|pk| pk.columns.iter().cloned())
            .collect();
        for name in key_columns {
            if let Some(column) = table.columns.get_mut(&name) {
                column.not_null = true;
            }
        }
        // drizzle-kit enables row-level security on any table that has policies.
        if !table.policies.is_empty() {
            table.rls_enabled = true;
        }
        for index in table.indexes.values_mut() {
            // CONCURRENTLY is how an index is built, not what it is.
            index.concurrently = false;
            index.with.get_or_insert_with(Default::default);
            for key in &mut index.columns {
                if key.nulls.is_none() {
                    key.nulls = Some(if key.asc { "last" } else { "first" }.to_owned());
                }
            }
        }
        for fk in table.foreign_keys.values_mut() {
            if fk.schema_to.as_deref() == Some(drizzle_schema::PUBLIC) {
                fk.schema_to = None;
            }
            for action in [&mut fk.on_update, &mut fk.on_delete] {
                if action.is_none() {
                    *action = Some("no action".to_owned());
                }
            }
        }
        for policy in table.policies.values_mut() {
            policy.as_.get_or_insert_with(|| "PERMISSIVE".to_owned());
            policy.for_.get_or_insert_with(|| "ALL".to_owned());
            let to = policy.to.get_or_insert_with(|| vec!["public".to_owned()]);
            to.sort();
        }
    }
    for view in out.views.values_mut() {
        if view.materialized {
            // Populated, heap and the default tablespace are what an unspecified option means.
            view.with_no_data.get_or_insert(false);
            if view.using.as_deref() == Some("heap") {
                view.using = None;
            }
            if view.tablespace.as_deref() == Some("pg_default") {
                view.tablespace = None;
            }
        }
        let view_schema = view.schema.clone();
        for column in view.columns.values_mut() {
            column_comparable(column, &view_schema);
        }
    }
    for role in out.roles.values_mut() {
        role.create_db.get_or_insert(false);
        role.create_role.get_or_insert(false);
        role.inherit.get_or_insert(true);
    }
    out
}

fn column_comparable(column: &mut Column, table_schema: &str) {
    if column.type_schema.is_none() {
        column.sql_type = comparable_type(&column.sql_type);
    } else {
        let (base, dims) = split_array(&column.sql_type);
        column.sql_type = format!("{base}{}", "[]".repeat(dims));
    }
    if let Some(identity) = &mut column.identity
        && identity.schema.is_empty()
    {
        let schema = if table_schema.is_empty() {
            drizzle_schema::PUBLIC
        } else {
            table_schema
        };
        identity.schema = schema.to_owned();
    }
}

/// The canonical spelling of a (non-enum) column type.
pub fn comparable_type(sql_type: &str) -> String {
    let (base, dims) = split_array(sql_type);
    let base = base.replace(" (", "(");
    let lower = base.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "int" | "int4" => "integer".to_owned(),
        "int2" => "smallint".to_owned(),
        "int8" => "bigint".to_owned(),
        "float4" => "real".to_owned(),
        "float8" => "double precision".to_owned(),
        "bool" => "boolean".to_owned(),
        "char" | "character" | "bpchar" => "char(1)".to_owned(),
        "timestamptz" => "timestamp with time zone".to_owned(),
        "timetz" => "time with time zone".to_owned(),
        "decimal" => "numeric".to_owned(),
        _ => {
            let spelled = spell_type(&lower);
            let spelled = match spelled.strip_prefix("decimal") {
                Some(rest) => format!("numeric{rest}"),
                None => spelled,
            };
            let spelled = match spelled
                .strip_prefix("varchar(")
                .or_else(|| spelled.strip_prefix("char("))
            {
                Some(_) => spelled.replace(' ', ""),
                None => spelled,
            };
            match spelled
                .strip_prefix("numeric(")
                .and_then(|r| r.strip_suffix(')'))
            {
                Some(args) if !args.contains(',') => format!("numeric({}, 0)", args.trim()),
                Some(args) => {
                    let parts: Vec<&str> = args.split(',').map(str::trim).collect();
                    format!("numeric({})", parts.join(", "))
                }
                None => spelled,
            }
        }
    };
    // Keep the user's case for types we do not know (a quoted custom type may need it).
    let base = if alias == lower { base } else { alias };
    format!("{base}{}", "[]".repeat(dims))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_collapse() {
        let cases = [
            ("timestamp (3)", "timestamp(3)"),
            ("timestamp(3)", "timestamp(3)"),
            ("numeric(10)", "numeric(10, 0)"),
            ("numeric(10,2)", "numeric(10, 2)"),
            ("decimal(10, 2)", "numeric(10, 2)"),
            ("char", "char(1)"),
            ("char(3)", "char(3)"),
            ("integer[3]", "integer[]"),
            ("text[][]", "text[][]"),
            ("int4", "integer"),
            ("timestamptz", "timestamp with time zone"),
            ("character varying(20)", "varchar(20)"),
            ("varchar", "varchar"),
            ("geometry(point)", "geometry(point)"),
            ("time(3) with time zone", "time(3) with time zone"),
        ];
        for (input, expected) in cases {
            assert_eq!(comparable_type(input), expected, "{input}");
        }
    }
}
