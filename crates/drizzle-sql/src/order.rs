//! Statement order: the single function that decides which change runs before which.
//!
//! [`phase`] maps each change to its slot; [`crate::render`] sorts stably by it, so the
//! differ's order within a slot is kept. The slots follow drizzle-kit 0.31's fixed emission
//! order (reference §3.4) wherever that order is correct, so most migrations come out
//! statement for statement as drizzle-kit writes them. Departures, each because
//! drizzle-kit's order fails on some schema:
//!
//! - roles are dropped after every policy statement (a policy dropped later in the same
//!   migration may still name the role);
//! - foreign keys are dropped before unique and primary keys (a key referenced by a foreign
//!   key cannot be dropped while the foreign key exists);
//! - a composite primary key is added after new columns (it may cover one of them);
//! - foreign keys added to existing tables come after unique constraints, primary keys and
//!   indexes (they may reference one added by the same migration);
//! - renames of owned sequences, constraints and indexes (ours; drizzle-kit drops and
//!   re-creates them) come right after the table and column renames that prompted them;
//! - views are dropped, and enums recreated, before tables are created (a new table may
//!   use a value the recreated enum gains);
//! - row-level security is switched after table renames (drizzle-kit names the table by
//!   its new name before renaming it).
//!
//! Why the rest is safe: foreign keys come after every table and column exists, so cycles
//! and self-references need no special handling; views are dropped before anything they
//! read changes and created after; policies come after the roles they name; comments after
//! the objects they describe; enums, sequences and schemas are dropped last, after every
//! column that used them has changed or gone.

use drizzle_diff::Change;

/// A slot in the statement order; earlier slots run first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// `CREATE SCHEMA`.
    CreateSchema,
    /// `ALTER SCHEMA ... RENAME TO`.
    RenameSchema,
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum,
    /// `ALTER TYPE ... SET SCHEMA`.
    MoveEnum,
    /// `ALTER TYPE ... RENAME TO`.
    RenameEnum,
    /// `ALTER TYPE ... RENAME VALUE` (before values are added: one may take a freed name).
    RenameEnumValue,
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValue,
    /// `DROP [MATERIALIZED] VIEW` (views re-created later included), before anything they
    /// read changes.
    DropView,
    /// Enum recreation (values removed or reordered), before tables that may use a new
    /// value are created, and before existing ones are renamed.
    RecreateEnum,
    /// `CREATE SEQUENCE`.
    CreateSequence,
    /// `ALTER SEQUENCE ... SET SCHEMA`.
    MoveSequence,
    /// `ALTER SEQUENCE ... RENAME TO` of standalone sequences.
    RenameSequence,
    /// `ALTER SEQUENCE` options.
    AlterSequence,
    /// `ALTER ROLE ... RENAME TO`.
    RenameRole,
    /// `CREATE ROLE`.
    CreateRole,
    /// `ALTER ROLE ... WITH`.
    AlterRole,
    /// `CREATE TABLE`, each followed by the `ENABLE ROW LEVEL SECURITY` of that table.
    CreateTable,
    /// `ALTER VIEW ... RENAME TO`.
    RenameView,
    /// `ALTER VIEW ... SET SCHEMA`.
    MoveView,
    /// `ALTER VIEW` options, tablespace and access method.
    AlterView,
    /// `DROP TABLE`.
    DropTable,
    /// `ALTER TABLE ... SET SCHEMA`.
    MoveTable,
    /// `ALTER TABLE ... RENAME TO`.
    RenameTable,
    /// `ALTER TABLE ... RENAME COLUMN`.
    RenameColumn,
    /// Serial sequences renamed after their table or column.
    RenameOwnedSequence,
    /// Constraints renamed after their table or columns.
    RenameConstraint,
    /// Indexes renamed after their table or columns.
    RenameIndex,
    /// `ENABLE ROW LEVEL SECURITY` on existing tables (after they got their new names).
    EnableRls,
    /// `DISABLE ROW LEVEL SECURITY`.
    DisableRls,
    /// Foreign keys dropped from existing tables.
    DropForeignKey,
    /// Unique constraints dropped from existing tables.
    DropUnique,
    /// Check constraints dropped from existing tables.
    DropCheck,
    /// `DROP INDEX`.
    DropIndex,
    /// Composite primary keys dropped from existing tables.
    DropPrimaryKey,
    /// Column alterations, per table in the differ's order: column-level primary key
    /// dropped, then per column type, default, NOT NULL, identity, generated, then the
    /// column-level primary key added.
    AlterColumn,
    /// `ADD COLUMN`.
    AddColumn,
    /// Composite primary key added to an existing table.
    AddPrimaryKey,
    /// Foreign keys of created tables.
    AddForeignKeyNewTable,
    /// Indexes of created tables.
    CreateIndexNewTable,
    /// Indexes added to existing tables.
    CreateIndex,
    /// `DROP COLUMN`.
    DropColumn,
    /// Unique constraints added to existing tables.
    AddUnique,
    /// Check constraints added to existing tables.
    AddCheck,
    /// Foreign keys added to existing tables (or waiting for a key added to one).
    AddForeignKey,
    /// `CREATE [MATERIALIZED] VIEW`.
    CreateView,
    /// `ALTER POLICY ... RENAME TO`.
    RenamePolicy,
    /// `DROP POLICY` on tables of the schema.
    DropPolicy,
    /// `CREATE POLICY` on tables of the schema.
    CreatePolicy,
    /// `ALTER POLICY` on tables of the schema.
    AlterPolicy,
    /// `ALTER POLICY ... RENAME TO` of linked policies.
    RenameLinkedPolicy,
    /// `DROP POLICY` of policies linked to outside tables.
    DropLinkedPolicy,
    /// `CREATE POLICY` linked to outside tables.
    CreateLinkedPolicy,
    /// `ALTER POLICY` of linked policies.
    AlterLinkedPolicy,
    /// `DROP ROLE` (after the policies that name it are gone).
    DropRole,
    /// `COMMENT ON`.
    SetComment,
    /// `DROP TYPE` (after every column using it is gone).
    DropEnum,
    /// `DROP SEQUENCE`.
    DropSequence,
    /// `DROP SCHEMA` (after everything in it is gone).
    DropSchema,
}

/// The slot of `change` in the statement order.
pub fn phase(change: &Change) -> Phase {
    use Change::*;
    match change {
        CreateSchema { .. } => Phase::CreateSchema,
        RenameSchema { .. } => Phase::RenameSchema,
        CreateEnum(_) => Phase::CreateEnum,
        MoveEnum { .. } => Phase::MoveEnum,
        RenameEnum { .. } => Phase::RenameEnum,
        RenameEnumValue { .. } => Phase::RenameEnumValue,
        AddEnumValue { .. } => Phase::AddEnumValue,
        CreateSequence(_) => Phase::CreateSequence,
        MoveSequence { .. } => Phase::MoveSequence,
        RenameSequence { owned: false, .. } => Phase::RenameSequence,
        RenameSequence { owned: true, .. } => Phase::RenameOwnedSequence,
        AlterSequence { .. } => Phase::AlterSequence,
        RenameRole { .. } => Phase::RenameRole,
        CreateRole(_) => Phase::CreateRole,
        AlterRole(_) => Phase::AlterRole,
        CreateTable(_) => Phase::CreateTable,
        EnableRls {
            new_table: true, ..
        } => Phase::CreateTable,
        EnableRls {
            new_table: false, ..
        } => Phase::EnableRls,
        DisableRls { .. } => Phase::DisableRls,
        DropView { .. } => Phase::DropView,
        RenameView { .. } => Phase::RenameView,
        MoveView { .. } => Phase::MoveView,
        SetViewOptions { .. }
        | ResetViewOptions { .. }
        | SetViewTablespace { .. }
        | SetViewAccessMethod { .. } => Phase::AlterView,
        DropTable { .. } => Phase::DropTable,
        MoveTable { .. } => Phase::MoveTable,
        RenameTable { .. } => Phase::RenameTable,
        RenameColumn { .. } => Phase::RenameColumn,
        RenameConstraint { .. } => Phase::RenameConstraint,
        RenameIndex { .. } => Phase::RenameIndex,
        DropForeignKey { .. } => Phase::DropForeignKey,
        DropUnique { .. } => Phase::DropUnique,
        DropCheck { .. } => Phase::DropCheck,
        RecreateEnum { .. } => Phase::RecreateEnum,
        DropIndex { .. } => Phase::DropIndex,
        DropPrimaryKey { .. } => Phase::DropPrimaryKey,
        DropColumnPrimaryKey { .. }
        | AlterColumnType { .. }
        | SetDefault { .. }
        | DropDefault { .. }
        | SetNotNull { .. }
        | DropNotNull { .. }
        | AddIdentity { .. }
        | AlterIdentity { .. }
        | DropIdentity { .. }
        | DropGenerated { .. }
        | RecreateColumn { .. }
        | AddColumnPrimaryKey { .. } => Phase::AlterColumn,
        AddColumn { .. } => Phase::AddColumn,
        AddPrimaryKey { .. } => Phase::AddPrimaryKey,
        AddForeignKey {
            new_table: true, ..
        } => Phase::AddForeignKeyNewTable,
        AddForeignKey {
            new_table: false, ..
        } => Phase::AddForeignKey,
        CreateIndex {
            new_table: true, ..
        } => Phase::CreateIndexNewTable,
        CreateIndex {
            new_table: false, ..
        } => Phase::CreateIndex,
        DropColumn { .. } => Phase::DropColumn,
        AddUnique { .. } => Phase::AddUnique,
        AddCheck { .. } => Phase::AddCheck,
        CreateView(_) => Phase::CreateView,
        RenamePolicy { .. } => Phase::RenamePolicy,
        DropPolicy { .. } => Phase::DropPolicy,
        CreatePolicy { .. } => Phase::CreatePolicy,
        AlterPolicy { .. } => Phase::AlterPolicy,
        RenameLinkedPolicy { .. } => Phase::RenameLinkedPolicy,
        DropLinkedPolicy { .. } => Phase::DropLinkedPolicy,
        CreateLinkedPolicy(_) => Phase::CreateLinkedPolicy,
        AlterLinkedPolicy(_) => Phase::AlterLinkedPolicy,
        DropRole { .. } => Phase::DropRole,
        SetComment { .. } => Phase::SetComment,
        DropEnum { .. } => Phase::DropEnum,
        DropSequence { .. } => Phase::DropSequence,
        DropSchema { .. } => Phase::DropSchema,
    }
}

/// `changes` in statement order (stable: ties keep their given order).
pub fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut out: Vec<&Change> = changes.iter().collect();
    out.sort_by_key(|c| phase(c));
    out
}
