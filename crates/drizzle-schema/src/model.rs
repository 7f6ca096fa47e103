//! The schema model: what a database schema is, independent of where it came from
//! (Rust source, a snapshot file or a live database).
//!
//! Maps are `IndexMap`s keyed the way drizzle-kit keys its snapshot (`"schema.name"` for
//! tables, enums, sequences and views; the bare name for constraints, indexes, roles and
//! schemas). Their order is meaningful: it is the order objects are created in and the
//! order they are written back, so the same input always gives byte-identical output.

use indexmap::IndexMap;

/// The schema every object lives in unless it says otherwise.
pub const PUBLIC: &str = "public";

/// A whole database schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// Non-public PostgreSQL schemas, keyed by name.
    pub schemas: IndexMap<String, SchemaDef>,
    /// Enum types keyed `"schema.name"`.
    pub enums: IndexMap<String, Enum>,
    /// Standalone sequences keyed `"schema.name"`.
    pub sequences: IndexMap<String, Sequence>,
    /// Roles keyed by name (roles marked `existing` are not part of the model).
    pub roles: IndexMap<String, Role>,
    /// Policies linked to tables outside this schema (drizzle-kit's top-level `policies`).
    pub policies: IndexMap<String, Policy>,
    /// Views and materialized views keyed `"schema.name"`.
    pub views: IndexMap<String, View>,
    /// Tables keyed `"schema.name"`.
    pub tables: IndexMap<String, Table>,
}

/// An old name recorded by `renamed_from`, optionally schema-qualified.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OldName {
    /// The old schema, when `renamed_from` named one (`"old_schema.old_name"`).
    pub schema: Option<String>,
    /// The old object name.
    pub name: String,
}

/// A PostgreSQL schema (namespace).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaDef {
    /// Schema name.
    pub name: String,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<String>,
}

/// An enum type.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Type name.
    pub name: String,
    /// Schema (`public` by default).
    pub schema: String,
    /// Values in declaration order.
    pub values: Vec<String>,
    /// Value renames from the source, new value → old value; never written to snapshots.
    pub value_renames: IndexMap<String, String>,
    /// Doc comment, as `COMMENT ON TYPE`.
    pub comment: Option<String>,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<OldName>,
}

/// Sequence options as drizzle-kit stores them: numbers as decimal strings (they may
/// exceed `i64` range in user input and must survive a round trip untouched).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SequenceOptions {
    /// `INCREMENT BY`.
    pub increment: Option<String>,
    /// `MINVALUE`.
    pub min_value: Option<String>,
    /// `MAXVALUE`.
    pub max_value: Option<String>,
    /// `START WITH`.
    pub start_with: Option<String>,
    /// `CACHE`.
    pub cache: Option<String>,
    /// `CYCLE` / `NO CYCLE`.
    pub cycle: Option<bool>,
}

/// A standalone sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    /// Sequence name.
    pub name: String,
    /// Schema (`public` by default).
    pub schema: String,
    /// Its options.
    pub options: SequenceOptions,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<OldName>,
}

/// A role.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// `CREATEDB` (absent means false).
    pub create_db: Option<bool>,
    /// `CREATEROLE` (absent means false).
    pub create_role: Option<bool>,
    /// `INHERIT` (absent means true).
    pub inherit: Option<bool>,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<String>,
}

/// A scalar as the snapshot stores it for defaults and `with` options: drizzle-kit keeps
/// numbers and booleans as JSON literals and everything else as (pre-quoted) SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// SQL text copied verbatim into `DEFAULT` (already quoted when it is a string literal).
    Sql(String),
    /// A JSON number, kept as its source text so it round-trips exactly.
    Number(String),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON array, object or null: drizzle-kit writes `point`/`line` defaults this way (and renders
    /// them as invalid SQL); kept so such snapshots round-trip. Never produced from our sources.
    Json(serde_json::Value),
}

impl Literal {
    /// The SQL text this literal stands for.
    pub fn to_sql(&self) -> String {
        match self {
            Literal::Sql(s) | Literal::Number(s) => s.clone(),
            Literal::Bool(b) => b.to_string(),
            Literal::Json(v) => geometric_literal(v),
        }
    }
}

/// The SQL literal a drizzle-kit `point`/`line` default meant: `[x, y]` and `{x, y}` are
/// points `'(x,y)'`, `[a, b, c]` and `{a, b, c}` lines `'{a,b,c}'`; anything else is
/// quoted as JSON text.
fn geometric_literal(value: &serde_json::Value) -> String {
    let parts: Option<Vec<&serde_json::Value>> = match value {
        serde_json::Value::Array(items) => Some(items.iter().collect()),
        serde_json::Value::Object(map) => ["x", "y"]
            .iter()
            .map(|k| map.get(*k))
            .collect::<Option<Vec<_>>>()
            .filter(|_| map.len() == 2)
            .or_else(|| {
                ["a", "b", "c"]
                    .iter()
                    .map(|k| map.get(*k))
                    .collect::<Option<Vec<_>>>()
                    .filter(|_| map.len() == 3)
            }),
        _ => None,
    };
    match parts {
        Some(p) if p.iter().all(|v| v.is_number()) && (p.len() == 2 || p.len() == 3) => {
            let joined: Vec<String> = p.iter().map(|v| v.to_string()).collect();
            if p.len() == 2 {
                format!("'({})'", joined.join(","))
            } else {
                format!("'{{{}}}'", joined.join(","))
            }
        }
        _ if value.is_null() => "NULL".to_owned(),
        _ => format!("'{}'", value.to_string().replace('\'', "''")),
    }
}

/// Identity column kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// An identity column's sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// Always or by default.
    pub kind: IdentityKind,
    /// Sequence name (`<table>_<column>_seq` by default).
    pub name: String,
    /// Sequence schema (the table's schema).
    pub schema: String,
    /// Sequence options.
    pub options: SequenceOptions,
}

/// A column's `GENERATED ALWAYS AS (...) STORED` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The SQL expression, without the surrounding parentheses.
    pub expression: String,
}

/// Unique settings kept on a column by snapshots older than 0.31 (`isUnique`,
/// `uniqueName`, `nullsNotDistinct`); honoured by CREATE TABLE, never produced by us.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyColumnUnique {
    /// The raw `isUnique` value.
    pub is_unique: Option<serde_json::Value>,
    /// `uniqueName`.
    pub name: Option<String>,
    /// `nullsNotDistinct`.
    pub nulls_not_distinct: Option<bool>,
}

/// A table or view column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name in the database.
    pub name: String,
    /// SQL type as drizzle-kit spells it (`varchar(255)`, `integer[]`, `timestamp with time zone`,
    /// or an enum's bare name with `type_schema` set).
    pub sql_type: String,
    /// Schema of an enum type (`typeSchema`), present only for enum columns.
    pub type_schema: Option<String>,
    /// Column-level `PRIMARY KEY`.
    pub primary_key: bool,
    /// `NOT NULL`.
    pub not_null: bool,
    /// `DEFAULT`.
    pub default: Option<Literal>,
    /// Generated column expression.
    pub generated: Option<Generated>,
    /// Identity.
    pub identity: Option<Identity>,
    /// Unique settings of older snapshots.
    pub legacy_unique: Option<LegacyColumnUnique>,
    /// Doc comment, as `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// Rename hint from the source (old column name); never written to snapshots.
    pub renamed_from: Option<String>,
}

impl Column {
    /// A nullable column of the given type with nothing else set.
    pub fn new(name: impl Into<String>, sql_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            sql_type: sql_type.into(),
            type_schema: None,
            primary_key: false,
            not_null: false,
            default: None,
            generated: None,
            identity: None,
            legacy_unique: None,
            comment: None,
            renamed_from: None,
        }
    }
}

/// One key of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexColumn {
    /// Column name, or SQL expression when `is_expression`.
    pub expression: String,
    /// Whether `expression` is verbatim SQL.
    pub is_expression: bool,
    /// Ascending order.
    pub asc: bool,
    /// `"first"` or `"last"`; absent only in hand-written snapshots.
    pub nulls: Option<String>,
    /// Operator class.
    pub opclass: Option<String>,
}

/// An index.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// Keys in order.
    pub columns: Vec<IndexColumn>,
    /// `UNIQUE`.
    pub is_unique: bool,
    /// Partial index predicate.
    pub where_clause: Option<String>,
    /// `CONCURRENTLY`.
    pub concurrently: bool,
    /// Access method (`btree` by default).
    pub method: String,
    /// Storage parameters (`WITH (k=v)`); `None` when the snapshot omitted the key.
    pub with: Option<IndexMap<String, Literal>>,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing table name.
    pub table_from: String,
    /// Referencing columns.
    pub columns_from: Vec<String>,
    /// Referenced table name.
    pub table_to: String,
    /// Referenced table schema; absent means `public`.
    pub schema_to: Option<String>,
    /// Referenced columns.
    pub columns_to: Vec<String>,
    /// `ON UPDATE` action as drizzle spells it (`no action`, `cascade`, ...).
    pub on_update: Option<String>,
    /// `ON DELETE` action.
    pub on_delete: Option<String>,
}

/// A (composite) primary key constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    /// Constraint name.
    pub name: String,
    /// Columns.
    pub columns: Vec<String>,
}

/// A unique constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueConstraint {
    /// Constraint name.
    pub name: String,
    /// Columns.
    pub columns: Vec<String>,
    /// `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckConstraint {
    /// Constraint name.
    pub name: String,
    /// The boolean SQL expression.
    pub value: String,
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Policy name.
    pub name: String,
    /// `PERMISSIVE` or `RESTRICTIVE` (absent: permissive).
    pub as_: Option<String>,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE` (absent: all).
    pub for_: Option<String>,
    /// Role names (absent: `public`).
    pub to: Option<Vec<String>>,
    /// `USING` expression.
    pub using: Option<String>,
    /// `WITH CHECK` expression.
    pub with_check: Option<String>,
    /// Target table as `"schema"."table"` (top-level linked policies only).
    pub on: Option<String>,
    /// Schema of the target table (top-level linked policies only).
    pub schema: Option<String>,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<String>,
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Schema name; `public` in the model (the snapshot spells it `""`).
    pub schema: String,
    /// Columns in order.
    pub columns: IndexMap<String, Column>,
    /// Indexes keyed by name.
    pub indexes: IndexMap<String, Index>,
    /// Foreign keys keyed by name.
    pub foreign_keys: IndexMap<String, ForeignKey>,
    /// Composite primary keys keyed by name (at most one in practice).
    pub composite_primary_keys: IndexMap<String, PrimaryKey>,
    /// Unique constraints keyed by name.
    pub unique_constraints: IndexMap<String, UniqueConstraint>,
    /// Policies keyed by name.
    pub policies: IndexMap<String, Policy>,
    /// Check constraints keyed by name.
    pub check_constraints: IndexMap<String, CheckConstraint>,
    /// `ENABLE ROW LEVEL SECURITY`.
    pub rls_enabled: bool,
    /// Doc comment, as `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<OldName>,
}

impl Table {
    /// An empty table.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            schema: schema.into(),
            columns: IndexMap::new(),
            indexes: IndexMap::new(),
            foreign_keys: IndexMap::new(),
            composite_primary_keys: IndexMap::new(),
            unique_constraints: IndexMap::new(),
            policies: IndexMap::new(),
            check_constraints: IndexMap::new(),
            rls_enabled: false,
            comment: None,
            renamed_from: None,
        }
    }

    /// The model key of this table (`"schema.name"`).
    pub fn key(&self) -> String {
        qualified_key(&self.schema, &self.name)
    }
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// View name.
    pub name: String,
    /// Schema (`public` by default).
    pub schema: String,
    /// Row type columns (informational; the definition decides).
    pub columns: IndexMap<String, Column>,
    /// The query; absent for `existing` views.
    pub definition: Option<String>,
    /// Materialized view.
    pub materialized: bool,
    /// Options, keyed in drizzle's camelCase (`checkOption`, `securityBarrier`, `fillfactor`, ...).
    pub with: Option<IndexMap<String, Literal>>,
    /// Managed outside migrations: never created or dropped.
    pub is_existing: bool,
    /// `WITH NO DATA` (materialized only).
    pub with_no_data: Option<bool>,
    /// Access method (materialized only).
    pub using: Option<String>,
    /// Tablespace (materialized only).
    pub tablespace: Option<String>,
    /// Doc comment, as `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    pub comment: Option<String>,
    /// Rename hint from the source; never written to snapshots.
    pub renamed_from: Option<OldName>,
}

/// `"schema.name"`, the model key of schema-scoped objects.
pub fn qualified_key(schema: &str, name: &str) -> String {
    let mut key = String::with_capacity(schema.len() + name.len() + 1);
    key.push_str(if schema.is_empty() { PUBLIC } else { schema });
    key.push('.');
    key.push_str(name);
    key
}
