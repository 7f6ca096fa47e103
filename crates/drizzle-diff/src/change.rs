//! The unit of a migration: one `Change` per statement kind, owning what it renders from.

use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Identity, Index, Literal, Policy, PrimaryKey, Role,
    Sequence, SequenceOptions, Table, UniqueConstraint, View, qualified_key,
};
use indexmap::IndexMap;

/// A table named by schema and name (`public` for the default schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// Schema name (`public` by default).
    pub schema: String,
    /// Table name.
    pub name: String,
}

impl TableRef {
    /// The reference to `table`.
    pub fn of(table: &Table) -> Self {
        TableRef {
            schema: table.schema.clone(),
            name: table.name.clone(),
        }
    }

    /// The model key (`"schema.name"`).
    pub fn key(&self) -> String {
        qualified_key(&self.schema, &self.name)
    }
}

/// What a `COMMENT ON` statement is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentTarget {
    /// `COMMENT ON TABLE`.
    Table(TableRef),
    /// `COMMENT ON COLUMN`.
    Column {
        /// The column's table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    View {
        /// Schema name.
        schema: String,
        /// View name.
        name: String,
        /// Materialized view.
        materialized: bool,
    },
    /// `COMMENT ON TYPE` (enums).
    Enum {
        /// Schema name.
        schema: String,
        /// Type name.
        name: String,
    },
}

/// A column that uses an enum being recreated (see [`Change::RecreateEnum`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EnumColumn {
    /// The column's table.
    pub table: TableRef,
    /// Column name.
    pub column: String,
    /// The array suffix of its type (`""`, `"[]"`, `"[][]"`).
    pub array: String,
    /// It has a default now, which names the type and must go first.
    pub has_default: bool,
    /// It uses the enum afterwards too (else it stays `text` for a later type change).
    pub restore: bool,
    /// The default to set once it is back, when restored.
    pub default: Option<Literal>,
}

/// One schema change; most variants render to one statement.
///
/// `new_table` flags exist because drizzle-kit orders statements about tables created in
/// the same migration apart from statements about existing tables (see `drizzle-sql`'s
/// `order` module, the single place where statement order is decided).
// A migration holds tens of changes, not millions: owning plain values keeps matching on
// them simple for the renderer and the CLI, and boxing would save nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `CREATE SCHEMA`.
    CreateSchema {
        /// Schema name.
        name: String,
    },
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum(Enum),
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValue {
        /// Enum schema.
        schema: String,
        /// Enum name.
        name: String,
        /// The new value.
        value: String,
        /// The existing value it goes before; `None` appends.
        before: Option<String>,
    },
    /// `CREATE SEQUENCE`.
    CreateSequence(Sequence),
    /// `CREATE ROLE`.
    CreateRole(Role),
    /// `CREATE TABLE` with its columns, composite primary key, uniques and checks inline;
    /// foreign keys, indexes and policies of the table are separate changes.
    CreateTable(Table),
    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY`.
    EnableRls {
        /// The table.
        table: TableRef,
        /// The table is created by the same migration.
        new_table: bool,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY` on an existing table.
    AddPrimaryKey {
        /// The table.
        table: TableRef,
        /// The key.
        primary_key: PrimaryKey,
    },
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn {
        /// The table.
        table: TableRef,
        /// The column.
        column: Column,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`.
    AddForeignKey {
        /// The referencing table.
        table: TableRef,
        /// The key.
        foreign_key: ForeignKey,
        /// The referencing table is created by the same migration (and the key goes in
        /// drizzle-kit's slot for those); false also when the key must wait for a key added
        /// to an existing table.
        new_table: bool,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// The indexed table.
        table: TableRef,
        /// The index.
        index: Index,
        /// The table is created by the same migration.
        new_table: bool,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE` on an existing table.
    AddUnique {
        /// The table.
        table: TableRef,
        /// The constraint.
        unique: UniqueConstraint,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT ... CHECK` on an existing table.
    AddCheck {
        /// The table.
        table: TableRef,
        /// The constraint.
        check: CheckConstraint,
    },
    /// `CREATE [MATERIALIZED] VIEW`.
    CreateView(View),
    /// `CREATE POLICY` on a table of this schema.
    CreatePolicy {
        /// The table.
        table: TableRef,
        /// The policy.
        policy: Policy,
    },
    /// `CREATE POLICY` linked to a table outside this schema (`policy.on` names it).
    CreateLinkedPolicy(Policy),
    /// `COMMENT ON ... IS ...`; `None` removes the comment.
    SetComment {
        /// What is commented.
        target: CommentTarget,
        /// The comment text.
        comment: Option<String>,
    },
    /// `DROP SCHEMA`.
    DropSchema {
        /// Schema name.
        name: String,
    },
    /// `DROP TYPE` of an enum.
    DropEnum {
        /// Enum schema.
        schema: String,
        /// Enum name.
        name: String,
    },
    /// `DROP SEQUENCE`.
    DropSequence {
        /// Sequence schema.
        schema: String,
        /// Sequence name.
        name: String,
    },
    /// `DROP ROLE`.
    DropRole {
        /// Role name.
        name: String,
    },
    /// `DROP TABLE ... CASCADE`, preceded by a `DROP POLICY` per policy as drizzle-kit does.
    DropTable {
        /// The table.
        table: TableRef,
        /// Names of the table's policies.
        policies: Vec<String>,
    },
    /// `ALTER TABLE ... DROP COLUMN`.
    DropColumn {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT` of a composite primary key.
    DropPrimaryKey {
        /// The table.
        table: TableRef,
        /// Constraint name.
        name: String,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT` of a foreign key.
    DropForeignKey {
        /// The referencing table.
        table: TableRef,
        /// Constraint name.
        name: String,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The indexed table.
        table: TableRef,
        /// Index name.
        name: String,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT` of a unique constraint.
    DropUnique {
        /// The table.
        table: TableRef,
        /// Constraint name.
        name: String,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT` of a check constraint.
    DropCheck {
        /// The table.
        table: TableRef,
        /// Constraint name.
        name: String,
    },
    /// `DROP [MATERIALIZED] VIEW`.
    DropView {
        /// View schema.
        schema: String,
        /// View name.
        name: String,
        /// Materialized view.
        materialized: bool,
    },
    /// `DROP POLICY` on a table of this schema.
    DropPolicy {
        /// The table.
        table: TableRef,
        /// Policy name.
        name: String,
    },
    /// `DROP POLICY` of a policy linked to an outside table.
    DropLinkedPolicy {
        /// The policy name.
        name: String,
        /// The target table as `"schema"."table"`.
        on: String,
    },
    /// `ALTER SCHEMA ... RENAME TO` (every object in it follows).
    RenameSchema {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER TYPE ... SET SCHEMA` of an enum.
    MoveEnum {
        /// Enum name (before any rename).
        name: String,
        /// Current schema.
        from_schema: String,
        /// New schema.
        to_schema: String,
    },
    /// `ALTER TYPE ... RENAME TO` of an enum.
    RenameEnum {
        /// Schema (after any move).
        schema: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER TYPE ... RENAME VALUE`.
    RenameEnumValue {
        /// Enum schema.
        schema: String,
        /// Enum name.
        name: String,
        /// Old value.
        from: String,
        /// New value.
        to: String,
    },
    /// Values removed or reordered: every column using the type goes through `text`, the
    /// type is dropped and created with the new values, and the columns come back.
    RecreateEnum {
        /// The enum as it must end up.
        enum_: Enum,
        /// Every column using the type when the statement runs.
        columns: Vec<EnumColumn>,
    },
    /// `ALTER SEQUENCE ... SET SCHEMA`.
    MoveSequence {
        /// Sequence name (before any rename).
        name: String,
        /// Current schema.
        from_schema: String,
        /// New schema.
        to_schema: String,
    },
    /// `ALTER SEQUENCE ... RENAME TO` (standalone, identity and serial sequences).
    RenameSequence {
        /// Schema (after any move).
        schema: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
        /// A serial column's sequence renamed after its table or column (it moves with the
        /// table, so it is renamed after the table is).
        owned: bool,
    },
    /// `ALTER SEQUENCE ...` with new options.
    AlterSequence {
        /// Sequence schema.
        schema: String,
        /// Sequence name.
        name: String,
        /// Options before.
        from: SequenceOptions,
        /// Options after.
        to: SequenceOptions,
    },
    /// `ALTER ROLE ... RENAME TO`.
    RenameRole {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER ROLE ... WITH ...`.
    AlterRole(Role),
    /// `ALTER TABLE ... SET SCHEMA` (its owned sequences and indexes follow).
    MoveTable {
        /// Table name (before any rename).
        name: String,
        /// Current schema.
        from_schema: String,
        /// New schema.
        to_schema: String,
    },
    /// `ALTER TABLE ... RENAME TO`.
    RenameTable {
        /// Schema (after any move).
        schema: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER TABLE ... DISABLE ROW LEVEL SECURITY`.
    DisableRls {
        /// The table.
        table: TableRef,
    },
    /// `ALTER TABLE ... RENAME COLUMN`.
    RenameColumn {
        /// The table (new name).
        table: TableRef,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER TABLE ... RENAME CONSTRAINT` (primary key, unique, check or foreign key whose
    /// definition is unchanged): no revalidation, no lock beyond the catalog update.
    RenameConstraint {
        /// The table.
        table: TableRef,
        /// Old name.
        from: String,
        /// New name.
        to: String,
        /// What kind of constraint (for summaries).
        kind: ChangeKind,
    },
    /// `ALTER INDEX ... RENAME TO` of an index whose definition is unchanged.
    RenameIndex {
        /// The indexed table.
        table: TableRef,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER TABLE ... ALTER COLUMN ... SET DATA TYPE`, with the column's default carried
    /// over (the renderer decides whether a `USING` cast is needed).
    AlterColumnType {
        /// The table.
        table: TableRef,
        /// The column before (its name is already the new one).
        from: Column,
        /// The column after.
        to: Column,
    },
    /// `ALTER COLUMN ... SET DEFAULT`.
    SetDefault {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
        /// The default.
        default: Literal,
    },
    /// `ALTER COLUMN ... DROP DEFAULT`.
    DropDefault {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN ... SET NOT NULL`.
    SetNotNull {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN ... DROP NOT NULL`.
    DropNotNull {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`.
    AddIdentity {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
        /// The identity.
        identity: Identity,
    },
    /// Identity changes: kind, options and sequence name.
    AlterIdentity {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
        /// Identity before.
        from: Identity,
        /// Identity after.
        to: Identity,
    },
    /// `ALTER COLUMN ... DROP IDENTITY`.
    DropIdentity {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN ... DROP EXPRESSION`: a generated column becomes a plain one, keeping
    /// its values.
    DropGenerated {
        /// The table.
        table: TableRef,
        /// Column name.
        column: String,
    },
    /// A column becomes generated or changes its expression: PostgreSQL 15 can only drop
    /// and re-add it (its values are computed, so nothing is lost).
    RecreateColumn {
        /// The table.
        table: TableRef,
        /// The column as it must end up.
        column: Column,
    },
    /// `ALTER TABLE ... ADD PRIMARY KEY (...)` from column-level `primary_key`.
    AddColumnPrimaryKey {
        /// The table.
        table: TableRef,
        /// The key's columns.
        columns: Vec<String>,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT "<table>_pkey"`: the name PostgreSQL gives a
    /// column-level primary key.
    DropColumnPrimaryKey {
        /// The table.
        table: TableRef,
    },
    /// `ALTER POLICY ... RENAME TO` on a table of this schema.
    RenamePolicy {
        /// The table.
        table: TableRef,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER POLICY ... TO ... USING ... WITH CHECK ...`.
    AlterPolicy {
        /// The table.
        table: TableRef,
        /// The policy as it must end up.
        policy: Policy,
    },
    /// `ALTER POLICY ... RENAME TO` of a policy linked to an outside table.
    RenameLinkedPolicy {
        /// The target table as `"schema"."table"`.
        on: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER POLICY` of a policy linked to an outside table.
    AlterLinkedPolicy(Policy),
    /// `ALTER [MATERIALIZED] VIEW ... SET SCHEMA`.
    MoveView {
        /// View name (before any rename).
        name: String,
        /// Current schema.
        from_schema: String,
        /// New schema.
        to_schema: String,
        /// Materialized view.
        materialized: bool,
    },
    /// `ALTER [MATERIALIZED] VIEW ... RENAME TO`.
    RenameView {
        /// Schema (after any move).
        schema: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
        /// Materialized view.
        materialized: bool,
    },
    /// `ALTER [MATERIALIZED] VIEW ... SET (...)`.
    SetViewOptions {
        /// View schema.
        schema: String,
        /// View name.
        name: String,
        /// Materialized view.
        materialized: bool,
        /// Options (drizzle's camelCase keys) and values.
        options: IndexMap<String, Literal>,
    },
    /// `ALTER [MATERIALIZED] VIEW ... RESET (...)`.
    ResetViewOptions {
        /// View schema.
        schema: String,
        /// View name.
        name: String,
        /// Materialized view.
        materialized: bool,
        /// Option keys (drizzle's camelCase).
        options: Vec<String>,
    },
    /// `ALTER MATERIALIZED VIEW ... SET TABLESPACE`.
    SetViewTablespace {
        /// View schema.
        schema: String,
        /// View name.
        name: String,
        /// The tablespace (`pg_default` when the option was removed).
        tablespace: String,
    },
    /// `ALTER MATERIALIZED VIEW ... SET ACCESS METHOD`.
    SetViewAccessMethod {
        /// View schema.
        schema: String,
        /// View name.
        name: String,
        /// The access method (`heap` when the option was removed).
        method: String,
    },
}

/// The kind of object a change is about, for summaries like "2 tables, 1 index".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// PostgreSQL schemas.
    Schema,
    /// Enum types.
    Enum,
    /// Enum values.
    EnumValue,
    /// Sequences.
    Sequence,
    /// Roles.
    Role,
    /// Tables.
    Table,
    /// Row-level security switches.
    RowLevelSecurity,
    /// Primary keys.
    PrimaryKey,
    /// Columns.
    Column,
    /// Foreign keys.
    ForeignKey,
    /// Indexes.
    Index,
    /// Unique constraints.
    Unique,
    /// Check constraints.
    Check,
    /// Views and materialized views.
    View,
    /// Policies.
    Policy,
    /// Comments.
    Comment,
}

impl ChangeKind {
    /// The noun for `count` objects of this kind ("1 index", "2 indexes").
    pub fn noun(self, count: usize) -> &'static str {
        let (one, many) = match self {
            ChangeKind::Schema => ("schema", "schemas"),
            ChangeKind::Enum => ("enum", "enums"),
            ChangeKind::EnumValue => ("enum value", "enum values"),
            ChangeKind::Sequence => ("sequence", "sequences"),
            ChangeKind::Role => ("role", "roles"),
            ChangeKind::Table => ("table", "tables"),
            ChangeKind::RowLevelSecurity => {
                ("row level security switch", "row level security switches")
            }
            ChangeKind::PrimaryKey => ("primary key", "primary keys"),
            ChangeKind::Column => ("column", "columns"),
            ChangeKind::ForeignKey => ("foreign key", "foreign keys"),
            ChangeKind::Index => ("index", "indexes"),
            ChangeKind::Unique => ("unique constraint", "unique constraints"),
            ChangeKind::Check => ("check constraint", "check constraints"),
            ChangeKind::View => ("view", "views"),
            ChangeKind::Policy => ("policy", "policies"),
            ChangeKind::Comment => ("comment", "comments"),
        };
        if count == 1 { one } else { many }
    }
}

impl Change {
    /// The kind of object this change is about.
    pub fn kind(&self) -> ChangeKind {
        use Change::*;
        match self {
            CreateSchema { .. } | DropSchema { .. } | RenameSchema { .. } => ChangeKind::Schema,
            CreateEnum(_)
            | DropEnum { .. }
            | MoveEnum { .. }
            | RenameEnum { .. }
            | RecreateEnum { .. } => ChangeKind::Enum,
            AddEnumValue { .. } | RenameEnumValue { .. } => ChangeKind::EnumValue,
            CreateSequence(_)
            | DropSequence { .. }
            | MoveSequence { .. }
            | RenameSequence { .. }
            | AlterSequence { .. } => ChangeKind::Sequence,
            CreateRole(_) | DropRole { .. } | RenameRole { .. } | AlterRole(_) => ChangeKind::Role,
            CreateTable(_) | DropTable { .. } | MoveTable { .. } | RenameTable { .. } => {
                ChangeKind::Table
            }
            EnableRls { .. } | DisableRls { .. } => ChangeKind::RowLevelSecurity,
            AddPrimaryKey { .. }
            | DropPrimaryKey { .. }
            | AddColumnPrimaryKey { .. }
            | DropColumnPrimaryKey { .. } => ChangeKind::PrimaryKey,
            AddColumn { .. }
            | DropColumn { .. }
            | RenameColumn { .. }
            | AlterColumnType { .. }
            | SetDefault { .. }
            | DropDefault { .. }
            | SetNotNull { .. }
            | DropNotNull { .. }
            | AddIdentity { .. }
            | AlterIdentity { .. }
            | DropIdentity { .. }
            | DropGenerated { .. }
            | RecreateColumn { .. } => ChangeKind::Column,
            AddForeignKey { .. } | DropForeignKey { .. } => ChangeKind::ForeignKey,
            CreateIndex { .. } | DropIndex { .. } | RenameIndex { .. } => ChangeKind::Index,
            AddUnique { .. } | DropUnique { .. } => ChangeKind::Unique,
            AddCheck { .. } | DropCheck { .. } => ChangeKind::Check,
            RenameConstraint { kind, .. } => *kind,
            CreateView(_)
            | DropView { .. }
            | MoveView { .. }
            | RenameView { .. }
            | SetViewOptions { .. }
            | ResetViewOptions { .. }
            | SetViewTablespace { .. }
            | SetViewAccessMethod { .. } => ChangeKind::View,
            CreatePolicy { .. }
            | CreateLinkedPolicy(_)
            | DropPolicy { .. }
            | DropLinkedPolicy { .. }
            | RenamePolicy { .. }
            | AlterPolicy { .. }
            | RenameLinkedPolicy { .. }
            | AlterLinkedPolicy(_) => ChangeKind::Policy,
            SetComment { .. } => ChangeKind::Comment,
        }
    }

    /// Whether the change removes an object (and whatever data it held).
    pub fn is_drop(&self) -> bool {
        matches!(
            self,
            Change::DropSchema { .. }
                | Change::DropEnum { .. }
                | Change::DropSequence { .. }
                | Change::DropRole { .. }
                | Change::DropTable { .. }
                | Change::DropColumn { .. }
                | Change::DropPrimaryKey { .. }
                | Change::DropColumnPrimaryKey { .. }
                | Change::DropForeignKey { .. }
                | Change::DropIndex { .. }
                | Change::DropUnique { .. }
                | Change::DropCheck { .. }
                | Change::DropView { .. }
                | Change::DropPolicy { .. }
                | Change::DropLinkedPolicy { .. }
        )
    }

    /// Whether the change renames or moves an object (keeping it and its data).
    pub fn is_rename(&self) -> bool {
        matches!(
            self,
            Change::RenameSchema { .. }
                | Change::MoveEnum { .. }
                | Change::RenameEnum { .. }
                | Change::RenameEnumValue { .. }
                | Change::MoveSequence { .. }
                | Change::RenameSequence { .. }
                | Change::RenameRole { .. }
                | Change::MoveTable { .. }
                | Change::RenameTable { .. }
                | Change::RenameColumn { .. }
                | Change::RenameConstraint { .. }
                | Change::RenameIndex { .. }
                | Change::RenamePolicy { .. }
                | Change::RenameLinkedPolicy { .. }
                | Change::MoveView { .. }
                | Change::RenameView { .. }
        )
    }

    /// What the change risks on a database that holds rows, if anything: data lost, or the
    /// migration failing on rows that do not fit (it then rolls back as a whole).
    pub fn data_risk(&self) -> Option<&'static str> {
        match self {
            Change::DropTable { .. } => Some("deletes the table and its rows"),
            Change::DropColumn { .. } => Some("deletes the column and its values"),
            Change::AlterColumnType { .. } => {
                Some("rewrites the column; fails if a value does not convert")
            }
            Change::RecreateEnum { .. } => Some(
                "recreates the type and rewrites its columns; fails if a row holds a removed value",
            ),
            Change::SetNotNull { .. } => Some("fails if a row holds NULL"),
            Change::AddColumn { column, .. }
                if column.not_null
                    && column.default.is_none()
                    && column.identity.is_none()
                    && column.generated.is_none()
                    && !column.sql_type.contains("serial") =>
            {
                Some("fails if the table has rows (NOT NULL without a default)")
            }
            Change::AddUnique { .. } => Some("fails if existing rows hold duplicates"),
            Change::AddPrimaryKey { .. } | Change::AddColumnPrimaryKey { .. } => {
                Some("fails if existing rows hold duplicates or NULLs")
            }
            Change::CreateIndex {
                index,
                new_table: false,
                ..
            } if index.is_unique => Some("fails if existing rows hold duplicates"),
            Change::AddCheck { .. } => Some("fails if an existing row violates the check"),
            Change::AddForeignKey {
                new_table: false, ..
            } => Some("fails if an existing row references nothing"),
            _ => None,
        }
    }

    /// One short line saying what the change does.
    pub fn describe(&self) -> String {
        match self {
            Change::CreateSchema { name } => format!("create schema \"{name}\""),
            Change::CreateEnum(e) => {
                format!("create enum \"{}\"", qualified_key(&e.schema, &e.name))
            }
            Change::AddEnumValue {
                schema,
                name,
                value,
                before,
            } => match before {
                Some(before) => format!(
                    "add value '{value}' to enum \"{}\" before '{before}'",
                    qualified_key(schema, name)
                ),
                None => format!(
                    "add value '{value}' to enum \"{}\"",
                    qualified_key(schema, name)
                ),
            },
            Change::CreateSequence(s) => {
                format!("create sequence \"{}\"", qualified_key(&s.schema, &s.name))
            }
            Change::CreateRole(r) => format!("create role \"{}\"", r.name),
            Change::CreateTable(t) => format!("create table \"{}\"", t.key()),
            Change::EnableRls { table, .. } => {
                format!("enable row level security on \"{}\"", table.key())
            }
            Change::AddPrimaryKey { table, primary_key } => format!(
                "add primary key \"{}\" to \"{}\"",
                primary_key.name,
                table.key()
            ),
            Change::AddColumn { table, column } => {
                format!("add column \"{}\" to \"{}\"", column.name, table.key())
            }
            Change::AddForeignKey {
                table, foreign_key, ..
            } => format!(
                "add foreign key \"{}\" to \"{}\"",
                foreign_key.name,
                table.key()
            ),
            Change::CreateIndex { table, index, .. } => {
                format!("create index \"{}\" on \"{}\"", index.name, table.key())
            }
            Change::AddUnique { table, unique } => format!(
                "add unique constraint \"{}\" to \"{}\"",
                unique.name,
                table.key()
            ),
            Change::AddCheck { table, check } => format!(
                "add check constraint \"{}\" to \"{}\"",
                check.name,
                table.key()
            ),
            Change::CreateView(v) => format!(
                "create {}view \"{}\"",
                if v.materialized { "materialized " } else { "" },
                qualified_key(&v.schema, &v.name)
            ),
            Change::CreatePolicy { table, policy } => {
                format!("create policy \"{}\" on \"{}\"", policy.name, table.key())
            }
            Change::CreateLinkedPolicy(p) => format!(
                "create policy \"{}\" on {}",
                p.name,
                p.on.as_deref().unwrap_or("?")
            ),
            Change::SetComment { target, comment } => {
                let what = match target {
                    CommentTarget::Table(t) => format!("table \"{}\"", t.key()),
                    CommentTarget::Column { table, column } => {
                        format!("column \"{}.{column}\"", table.key())
                    }
                    CommentTarget::View {
                        schema,
                        name,
                        materialized,
                    } => format!(
                        "{}view \"{}\"",
                        if *materialized { "materialized " } else { "" },
                        qualified_key(schema, name)
                    ),
                    CommentTarget::Enum { schema, name } => {
                        format!("enum \"{}\"", qualified_key(schema, name))
                    }
                };
                match comment {
                    Some(_) => format!("comment on {what}"),
                    None => format!("remove comment on {what}"),
                }
            }
            Change::DropSchema { name } => format!("drop schema \"{name}\""),
            Change::DropEnum { schema, name } => {
                format!("drop enum \"{}\"", qualified_key(schema, name))
            }
            Change::DropSequence { schema, name } => {
                format!("drop sequence \"{}\"", qualified_key(schema, name))
            }
            Change::DropRole { name } => format!("drop role \"{name}\""),
            Change::DropTable { table, .. } => format!("drop table \"{}\"", table.key()),
            Change::DropColumn { table, column } => {
                format!("drop column \"{column}\" from \"{}\"", table.key())
            }
            Change::DropPrimaryKey { table, name } => {
                format!("drop primary key \"{name}\" from \"{}\"", table.key())
            }
            Change::DropForeignKey { table, name } => {
                format!("drop foreign key \"{name}\" from \"{}\"", table.key())
            }
            Change::DropIndex { table, name } => {
                format!("drop index \"{name}\" on \"{}\"", table.key())
            }
            Change::DropUnique { table, name } => {
                format!("drop unique constraint \"{name}\" from \"{}\"", table.key())
            }
            Change::DropCheck { table, name } => {
                format!("drop check constraint \"{name}\" from \"{}\"", table.key())
            }
            Change::DropView {
                schema,
                name,
                materialized,
            } => format!(
                "drop {}view \"{}\"",
                if *materialized { "materialized " } else { "" },
                qualified_key(schema, name)
            ),
            Change::DropPolicy { table, name } => {
                format!("drop policy \"{name}\" on \"{}\"", table.key())
            }
            Change::DropLinkedPolicy { name, on } => format!("drop policy \"{name}\" on {on}"),
            Change::RenameSchema { from, to } => format!("rename schema \"{from}\" to \"{to}\""),
            Change::MoveEnum {
                name,
                from_schema,
                to_schema,
            } => format!(
                "move enum \"{}\" to schema \"{to_schema}\"",
                qualified_key(from_schema, name)
            ),
            Change::RenameEnum { schema, from, to } => format!(
                "rename enum \"{}\" to \"{to}\"",
                qualified_key(schema, from)
            ),
            Change::RenameEnumValue {
                schema,
                name,
                from,
                to,
            } => format!(
                "rename value '{from}' of enum \"{}\" to '{to}'",
                qualified_key(schema, name)
            ),
            Change::RecreateEnum { enum_, columns } => format!(
                "recreate enum \"{}\" with values ({}), converting {} column{}",
                qualified_key(&enum_.schema, &enum_.name),
                enum_.values.join(", "),
                columns.len(),
                if columns.len() == 1 { "" } else { "s" }
            ),
            Change::MoveSequence {
                name,
                from_schema,
                to_schema,
            } => format!(
                "move sequence \"{}\" to schema \"{to_schema}\"",
                qualified_key(from_schema, name)
            ),
            Change::RenameSequence {
                schema, from, to, ..
            } => format!(
                "rename sequence \"{}\" to \"{to}\"",
                qualified_key(schema, from)
            ),
            Change::AlterSequence { schema, name, .. } => {
                format!("alter sequence \"{}\"", qualified_key(schema, name))
            }
            Change::RenameRole { from, to } => format!("rename role \"{from}\" to \"{to}\""),
            Change::AlterRole(r) => format!("alter role \"{}\"", r.name),
            Change::MoveTable {
                name,
                from_schema,
                to_schema,
            } => format!(
                "move table \"{}\" to schema \"{to_schema}\"",
                qualified_key(from_schema, name)
            ),
            Change::RenameTable { schema, from, to } => format!(
                "rename table \"{}\" to \"{to}\"",
                qualified_key(schema, from)
            ),
            Change::DisableRls { table } => {
                format!("disable row level security on \"{}\"", table.key())
            }
            Change::RenameColumn { table, from, to } => format!(
                "rename column \"{from}\" of \"{}\" to \"{to}\"",
                table.key()
            ),
            Change::RenameConstraint {
                table, from, to, ..
            } => format!(
                "rename constraint \"{from}\" of \"{}\" to \"{to}\"",
                table.key()
            ),
            Change::RenameIndex { table, from, to } => {
                format!("rename index \"{from}\" on \"{}\" to \"{to}\"", table.key())
            }
            Change::AlterColumnType { table, from, to } => format!(
                "change type of \"{}.{}\" from {} to {}",
                table.key(),
                to.name,
                from.sql_type,
                to.sql_type
            ),
            Change::SetDefault {
                table,
                column,
                default,
            } => format!(
                "set default of \"{}.{column}\" to {}",
                table.key(),
                default.to_sql()
            ),
            Change::DropDefault { table, column } => {
                format!("drop default of \"{}.{column}\"", table.key())
            }
            Change::SetNotNull { table, column } => {
                format!("make \"{}.{column}\" NOT NULL", table.key())
            }
            Change::DropNotNull { table, column } => {
                format!("make \"{}.{column}\" nullable", table.key())
            }
            Change::AddIdentity { table, column, .. } => {
                format!("make \"{}.{column}\" an identity column", table.key())
            }
            Change::AlterIdentity { table, column, .. } => {
                format!("alter identity of \"{}.{column}\"", table.key())
            }
            Change::DropIdentity { table, column } => {
                format!("drop identity of \"{}.{column}\"", table.key())
            }
            Change::DropGenerated { table, column } => format!(
                "make \"{}.{column}\" a plain (not generated) column",
                table.key()
            ),
            Change::RecreateColumn { table, column } => format!(
                "re-add generated column \"{}.{}\"",
                table.key(),
                column.name
            ),
            Change::AddColumnPrimaryKey { table, columns } => format!(
                "add primary key ({}) to \"{}\"",
                columns.join(", "),
                table.key()
            ),
            Change::DropColumnPrimaryKey { table } => format!(
                "drop primary key \"{}_pkey\" from \"{}\"",
                table.name,
                table.key()
            ),
            Change::RenamePolicy { table, from, to } => format!(
                "rename policy \"{from}\" on \"{}\" to \"{to}\"",
                table.key()
            ),
            Change::AlterPolicy { table, policy } => {
                format!("alter policy \"{}\" on \"{}\"", policy.name, table.key())
            }
            Change::RenameLinkedPolicy { on, from, to } => {
                format!("rename policy \"{from}\" on {on} to \"{to}\"")
            }
            Change::AlterLinkedPolicy(p) => format!(
                "alter policy \"{}\" on {}",
                p.name,
                p.on.as_deref().unwrap_or("?")
            ),
            Change::MoveView {
                name,
                from_schema,
                to_schema,
                materialized,
            } => format!(
                "move {}view \"{}\" to schema \"{to_schema}\"",
                if *materialized { "materialized " } else { "" },
                qualified_key(from_schema, name)
            ),
            Change::RenameView {
                schema,
                from,
                to,
                materialized,
            } => format!(
                "rename {}view \"{}\" to \"{to}\"",
                if *materialized { "materialized " } else { "" },
                qualified_key(schema, from)
            ),
            Change::SetViewOptions {
                schema,
                name,
                options,
                ..
            } => format!(
                "set options ({}) of view \"{}\"",
                options.keys().cloned().collect::<Vec<_>>().join(", "),
                qualified_key(schema, name)
            ),
            Change::ResetViewOptions {
                schema,
                name,
                options,
                ..
            } => format!(
                "reset options ({}) of view \"{}\"",
                options.join(", "),
                qualified_key(schema, name)
            ),
            Change::SetViewTablespace {
                schema,
                name,
                tablespace,
            } => format!(
                "move materialized view \"{}\" to tablespace {tablespace}",
                qualified_key(schema, name)
            ),
            Change::SetViewAccessMethod {
                schema,
                name,
                method,
            } => format!(
                "set access method of materialized view \"{}\" to {method}",
                qualified_key(schema, name)
            ),
        }
    }
}
