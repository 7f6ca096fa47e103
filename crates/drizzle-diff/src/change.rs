//! The unit of a migration: one `Change` per statement kind, owning what it renders from.

use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Index, Policy, PrimaryKey, Role, Sequence, Table,
    UniqueConstraint, View, qualified_key,
};

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

/// One schema change; each variant renders to one statement.
///
/// `new_table` flags exist because drizzle-kit orders statements about tables created in
/// the same migration apart from statements about existing tables (see `drizzle-sql`'s
/// `order` module, the single place where statement order is decided).
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
        /// The referencing table is created by the same migration.
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
        match self {
            Change::CreateSchema { .. } => ChangeKind::Schema,
            Change::CreateEnum(_) => ChangeKind::Enum,
            Change::AddEnumValue { .. } => ChangeKind::EnumValue,
            Change::CreateSequence(_) => ChangeKind::Sequence,
            Change::CreateRole(_) => ChangeKind::Role,
            Change::CreateTable(_) => ChangeKind::Table,
            Change::EnableRls { .. } => ChangeKind::RowLevelSecurity,
            Change::AddPrimaryKey { .. } => ChangeKind::PrimaryKey,
            Change::AddColumn { .. } => ChangeKind::Column,
            Change::AddForeignKey { .. } => ChangeKind::ForeignKey,
            Change::CreateIndex { .. } => ChangeKind::Index,
            Change::AddUnique { .. } => ChangeKind::Unique,
            Change::AddCheck { .. } => ChangeKind::Check,
            Change::CreateView(_) => ChangeKind::View,
            Change::CreatePolicy { .. } | Change::CreateLinkedPolicy(_) => ChangeKind::Policy,
            Change::SetComment { .. } => ChangeKind::Comment,
            Change::DropSchema { .. } => ChangeKind::Schema,
            Change::DropEnum { .. } => ChangeKind::Enum,
            Change::DropSequence { .. } => ChangeKind::Sequence,
            Change::DropRole { .. } => ChangeKind::Role,
            Change::DropTable { .. } => ChangeKind::Table,
            Change::DropColumn { .. } => ChangeKind::Column,
            Change::DropPrimaryKey { .. } => ChangeKind::PrimaryKey,
            Change::DropForeignKey { .. } => ChangeKind::ForeignKey,
            Change::DropIndex { .. } => ChangeKind::Index,
            Change::DropUnique { .. } => ChangeKind::Unique,
            Change::DropCheck { .. } => ChangeKind::Check,
            Change::DropView { .. } => ChangeKind::View,
            Change::DropPolicy { .. } | Change::DropLinkedPolicy { .. } => ChangeKind::Policy,
        }
    }

    /// Whether the change removes something (and may lose data).
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
                | Change::DropForeignKey { .. }
                | Change::DropIndex { .. }
                | Change::DropUnique { .. }
                | Change::DropCheck { .. }
                | Change::DropView { .. }
                | Change::DropPolicy { .. }
                | Change::DropLinkedPolicy { .. }
        )
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
        }
    }
}
