//! The catalog queries (one `.sql` file per object kind) and their rows, read in one
//! read-only repeatable-read transaction with one round trip per query.

use postgres::types::{ToSql, Type};
use postgres::{IsolationLevel, Row, Transaction};

use crate::IntrospectError;

const SCHEMAS: &str = include_str!("sql/schemas.sql");
const RELATIONS: &str = include_str!("sql/relations.sql");
const COLUMNS: &str = include_str!("sql/columns.sql");
const CONSTRAINTS: &str = include_str!("sql/constraints.sql");
const INDEXES: &str = include_str!("sql/indexes.sql");
const ENUMS: &str = include_str!("sql/enums.sql");
const SEQUENCES: &str = include_str!("sql/sequences.sql");
const POLICIES: &str = include_str!("sql/policies.sql");
const ROLES: &str = include_str!("sql/roles.sql");
const UNSUPPORTED: &str = include_str!("sql/unsupported.sql");

/// Everything the queries returned.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub schemas: Vec<String>,
    pub relations: Vec<RelationRow>,
    pub columns: Vec<ColumnRow>,
    pub constraints: Vec<ConstraintRow>,
    pub indexes: Vec<IndexRow>,
    pub enums: Vec<EnumRow>,
    pub sequences: Vec<SequenceRow>,
    pub policies: Vec<PolicyRow>,
    pub roles: Vec<RoleRow>,
    pub unsupported: Vec<UnsupportedRow>,
    /// Statements sent to the server, transaction control included.
    pub round_trips: usize,
}

#[derive(Debug)]
pub(crate) struct RelationRow {
    pub oid: i64,
    pub schema: String,
    pub name: String,
    pub kind: String,
    pub rls: bool,
    pub force_rls: bool,
    pub is_partition: bool,
    pub persistence: String,
    pub populated: bool,
    pub options: Vec<String>,
    pub access_method: Option<String>,
    pub tablespace: Option<String>,
    pub comment: Option<String>,
    pub definition: Option<String>,
    pub parents: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct ColumnRow {
    pub rel: i64,
    pub name: String,
    pub formatted: String,
    pub dims: i32,
    pub not_null: bool,
    pub identity: String,
    pub generated: String,
    pub default_expr: Option<String>,
    pub base_kind: String,
    pub base_name: String,
    pub base_schema: String,
    pub is_array: bool,
    pub is_integer: bool,
    pub custom_collation: bool,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub seq: Option<OwnedSequence>,
}

/// The sequence a column owns (identity `i`, or serial / `OWNED BY` `a`).
#[derive(Debug, Clone)]
pub(crate) struct OwnedSequence {
    pub kind: String,
    pub schema: String,
    pub name: String,
    pub start: String,
    pub increment: String,
    pub min: String,
    pub max: String,
    pub cache: String,
    pub cycle: bool,
    pub type_max: String,
}

#[derive(Debug)]
pub(crate) struct ConstraintRow {
    pub rel: i64,
    pub name: String,
    pub kind: String,
    pub columns: Vec<String>,
    pub ref_schema: Option<String>,
    pub ref_table: Option<String>,
    pub ref_columns: Vec<String>,
    pub on_update: String,
    pub on_delete: String,
    pub match_type: String,
    pub delete_set_columns: bool,
    pub deferrable: bool,
    pub deferred: bool,
    pub validated: bool,
    pub no_inherit: bool,
    pub is_local: bool,
    pub nulls_not_distinct: bool,
    pub expression: Option<String>,
    pub definition: Option<String>,
}

#[derive(Debug)]
pub(crate) struct IndexRow {
    pub rel: i64,
    pub name: String,
    pub is_unique: bool,
    pub method: String,
    pub predicate: Option<String>,
    pub options: Vec<String>,
    pub has_include: bool,
    pub nulls_not_distinct: bool,
    pub columns: Vec<String>,
    pub expressions: Vec<String>,
    pub descending: Vec<bool>,
    pub nulls_first: Vec<bool>,
    pub opclasses: Vec<String>,
    pub default_opclass: Vec<bool>,
    pub custom_collation: Vec<bool>,
}

#[derive(Debug)]
pub(crate) struct EnumRow {
    pub schema: String,
    pub name: String,
    pub values: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug)]
pub(crate) struct SequenceRow {
    pub schema: String,
    pub name: String,
    pub start: String,
    pub increment: String,
    pub min: String,
    pub max: String,
    pub cache: String,
    pub cycle: bool,
    pub owner: Option<(String, String, String)>,
}

#[derive(Debug)]
pub(crate) struct PolicyRow {
    pub rel: i64,
    pub name: String,
    pub permissive: bool,
    pub command: String,
    pub roles: Vec<String>,
    pub using_expr: Option<String>,
    pub check_expr: Option<String>,
}

#[derive(Debug)]
pub(crate) struct RoleRow {
    pub name: String,
    pub create_db: bool,
    pub create_role: bool,
    pub inherit: bool,
}

#[derive(Debug)]
pub(crate) struct UnsupportedRow {
    pub kind: String,
    pub schema: String,
    pub name: String,
    pub detail: Option<String>,
}

/// Runs every catalog query in one read-only repeatable-read transaction, so all of them
/// see the same snapshot of the catalog.
pub(crate) fn read(
    client: &mut postgres::Client,
    schemas: &[String],
    roles: bool,
) -> Result<Catalog, IntrospectError> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| IntrospectError::query("BEGIN", &e))?;
    let mut catalog = Catalog {
        round_trips: 1,
        ..Catalog::default()
    };
    let mut run = |name: &'static str, sql: &str| -> Result<Vec<Row>, IntrospectError> {
        catalog.round_trips += 1;
        let params: [(&(dyn ToSql + Sync), Type); 1] = [(&schemas, Type::TEXT_ARRAY)];
        tx_query(&mut tx, name, sql, &params)
    };
    let schema_rows = run("schemas.sql", SCHEMAS)?;
    let relation_rows = run("relations.sql", RELATIONS)?;
    let column_rows = run("columns.sql", COLUMNS)?;
    let constraint_rows = run("constraints.sql", CONSTRAINTS)?;
    let index_rows = run("indexes.sql", INDEXES)?;
    let enum_rows = run("enums.sql", ENUMS)?;
    let sequence_rows = run("sequences.sql", SEQUENCES)?;
    let policy_rows = run("policies.sql", POLICIES)?;
    let unsupported_rows = run("unsupported.sql", UNSUPPORTED)?;
    let role_rows = if roles {
        catalog.round_trips += 1;
        tx.query_typed(ROLES, &[])
            .map_err(|e| IntrospectError::query("roles.sql", &e))?
    } else {
        Vec::new()
    };
    tx.commit()
        .map_err(|e| IntrospectError::query("COMMIT", &e))?;
    catalog.round_trips += 1;

    catalog.schemas = schema_rows.iter().map(|r| r.get("name")).collect();
    catalog.relations = relation_rows.iter().map(relation).collect();
    catalog.columns = column_rows.iter().map(column).collect();
    catalog.constraints = constraint_rows.iter().map(constraint).collect();
    catalog.indexes = index_rows.iter().map(index).collect();
    catalog.enums = enum_rows
        .iter()
        .map(|r| EnumRow {
            schema: r.get("schema"),
            name: r.get("name"),
            values: r.get("values"),
            comment: r.get("comment"),
        })
        .collect();
    catalog.sequences = sequence_rows.iter().map(sequence).collect();
    catalog.policies = policy_rows
        .iter()
        .map(|r| PolicyRow {
            rel: r.get("rel"),
            name: r.get("name"),
            permissive: r.get("permissive"),
            command: r.get("command"),
            roles: r.get("roles"),
            using_expr: r.get("using_expr"),
            check_expr: r.get("check_expr"),
        })
        .collect();
    catalog.roles = role_rows
        .iter()
        .map(|r| RoleRow {
            name: r.get("name"),
            create_db: r.get("create_db"),
            create_role: r.get("create_role"),
            inherit: r.get("inherit"),
        })
        .collect();
    catalog.unsupported = unsupported_rows
        .iter()
        .map(|r| UnsupportedRow {
            kind: r.get("kind"),
            schema: r.get("schema"),
            name: r.get("name"),
            detail: r.get("detail"),
        })
        .collect();
    Ok(catalog)
}

fn tx_query(
    tx: &mut Transaction<'_>,
    name: &'static str,
    sql: &str,
    params: &[(&(dyn ToSql + Sync), Type)],
) -> Result<Vec<Row>, IntrospectError> {
    tx.query_typed(sql, params)
        .map_err(|e| IntrospectError::query(name, &e))
}

fn relation(r: &Row) -> RelationRow {
    RelationRow {
        oid: r.get("oid"),
        schema: r.get("schema"),
        name: r.get("name"),
        kind: r.get("kind"),
        rls: r.get("rls"),
        force_rls: r.get("force_rls"),
        is_partition: r.get("is_partition"),
        persistence: r.get("persistence"),
        populated: r.get("populated"),
        options: r.get("options"),
        access_method: r.get("access_method"),
        tablespace: r.get("tablespace"),
        comment: r.get("comment"),
        definition: r.get("definition"),
        parents: r.get("parents"),
    }
}

fn column(r: &Row) -> ColumnRow {
    let seq_kind: Option<String> = r.get("seq_kind");
    let seq = seq_kind.map(|kind| OwnedSequence {
        kind,
        schema: r.get("seq_schema"),
        name: r.get("seq_name"),
        start: r.get("seq_start"),
        increment: r.get("seq_increment"),
        min: r.get("seq_min"),
        max: r.get("seq_max"),
        cache: r.get("seq_cache"),
        cycle: r.get("seq_cycle"),
        type_max: r.get("seq_type_max"),
    });
    ColumnRow {
        rel: r.get("rel"),
        name: r.get("name"),
        formatted: r.get("formatted"),
        dims: r.get("dims"),
        not_null: r.get("not_null"),
        identity: r.get("identity"),
        generated: r.get("generated"),
        default_expr: r.get("default_expr"),
        base_kind: r.get("base_kind"),
        base_name: r.get("base_name"),
        base_schema: r.get("base_schema"),
        is_array: r.get("is_array"),
        is_integer: r.get("is_integer"),
        custom_collation: r.get("custom_collation"),
        collation: r.get("collation"),
        comment: r.get("comment"),
        seq,
    }
}

fn constraint(r: &Row) -> ConstraintRow {
    ConstraintRow {
        rel: r.get("rel"),
        name: r.get("name"),
        kind: r.get("kind"),
        columns: r.get("columns"),
        ref_schema: r.get("ref_schema"),
        ref_table: r.get("ref_table"),
        ref_columns: r.get("ref_columns"),
        on_update: r.get("on_update"),
        on_delete: r.get("on_delete"),
        match_type: r.get("match_type"),
        delete_set_columns: r.get("delete_set_columns"),
        deferrable: r.get("deferrable"),
        deferred: r.get("deferred"),
        validated: r.get("validated"),
        no_inherit: r.get("no_inherit"),
        is_local: r.get("is_local"),
        nulls_not_distinct: r.get("nulls_not_distinct"),
        expression: r.get("expression"),
        definition: r.get("definition"),
    }
}

fn index(r: &Row) -> IndexRow {
    IndexRow {
        rel: r.get("rel"),
        name: r.get("name"),
        is_unique: r.get("is_unique"),
        method: r.get("method"),
        predicate: r.get("predicate"),
        options: r.get("options"),
        has_include: r.get("has_include"),
        nulls_not_distinct: r.get("nulls_not_distinct"),
        columns: r.get("columns"),
        expressions: r.get("expressions"),
        descending: r.get("descending"),
        nulls_first: r.get("nulls_first"),
        opclasses: r.get("opclasses"),
        default_opclass: r.get("default_opclass"),
        custom_collation: r.get("custom_collation"),
    }
}

fn sequence(r: &Row) -> SequenceRow {
    let owner_schema: Option<String> = r.get("owner_schema");
    SequenceRow {
        schema: r.get("schema"),
        name: r.get("name"),
        start: r.get("start"),
        increment: r.get("increment"),
        min: r.get("min"),
        max: r.get("max"),
        cache: r.get("cache"),
        cycle: r.get("cycle"),
        owner: owner_schema.map(|s| (s, r.get("owner_table"), r.get("owner_column"))),
    }
}
