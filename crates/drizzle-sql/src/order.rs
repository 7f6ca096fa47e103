//! Statement order: the single function that decides which change runs before which.
//!
//! [`phase`] maps each change to its slot in drizzle-kit 0.31's fixed emission order
//! (reference §3.4); [`crate::render`] sorts stably by it, so the differ's order within a
//! slot is kept. The slots for changes the differ cannot produce yet are listed here so
//! they can be added in place:
//!
//! ```text
//! CreateSchema, [rename schema], CreateEnum, [move/rename enum], AddEnumValue,
//! CreateSequence, [move/rename/alter sequence], [rename role], CreateRole,
//! [alter role], CreateTable (each followed by its EnableRls), EnableRls, [disable rls],
//! DropView, [rename/alter views], DropTable, [set schema/rename table], [rename column],
//! DropUnique, DropCheck, DropForeignKey, [enum value removal], DropIndex, DropPrimaryKey,
//! [column alterations], AddPrimaryKey, AddColumn, AddForeignKey (new tables),
//! CreateIndex (new tables), AddForeignKey, CreateIndex, DropColumn, [altered composite pk],
//! AddUnique, AddCheck, CreateView, [rename policy], DropPolicy, CreatePolicy,
//! [alter policy], [rename linked policy], DropLinkedPolicy, CreateLinkedPolicy,
//! [alter linked policy], DropRole, SetComment, DropEnum, DropSequence, DropSchema
//! ```
//!
//! One deliberate departure: drizzle-kit drops roles before creating tables, which fails
//! while a policy that is dropped later in the same migration still names the role; we drop
//! roles after every policy statement.
//!
//! Foreign keys come after every table and column exists, so cycles and self-references
//! need no special handling; views come after the tables they read; policies after the
//! roles they name; comments after the objects they describe.

use drizzle_diff::Change;

/// A slot in the statement order; earlier slots run first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// `CREATE SCHEMA`.
    CreateSchema,
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum,
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValue,
    /// `CREATE SEQUENCE`.
    CreateSequence,
    /// `CREATE ROLE`.
    CreateRole,
    /// `CREATE TABLE`, each followed by the `ENABLE ROW LEVEL SECURITY` of that table.
    CreateTable,
    /// `ENABLE ROW LEVEL SECURITY` on existing tables.
    EnableRls,
    /// `DROP [MATERIALIZED] VIEW`.
    DropView,
    /// `DROP TABLE`.
    DropTable,
    /// Unique constraints dropped from existing tables.
    DropUnique,
    /// Check constraints dropped from existing tables.
    DropCheck,
    /// Foreign keys dropped from existing tables.
    DropForeignKey,
    /// `DROP INDEX`.
    DropIndex,
    /// Composite primary keys dropped from existing tables.
    DropPrimaryKey,
    /// Composite primary key added to an existing table.
    AddPrimaryKey,
    /// `ADD COLUMN`.
    AddColumn,
    /// Foreign keys of created tables.
    AddForeignKeyNewTable,
    /// Indexes of created tables.
    CreateIndexNewTable,
    /// Foreign keys added to existing tables.
    AddForeignKey,
    /// Indexes added to existing tables.
    CreateIndex,
    /// `DROP COLUMN`.
    DropColumn,
    /// Unique constraints added to existing tables.
    AddUnique,
    /// Check constraints added to existing tables.
    AddCheck,
    /// `CREATE [MATERIALIZED] VIEW`.
    CreateView,
    /// `DROP POLICY` on tables of the schema.
    DropPolicy,
    /// `CREATE POLICY` on tables of the schema.
    CreatePolicy,
    /// `DROP POLICY` of policies linked to outside tables.
    DropLinkedPolicy,
    /// `CREATE POLICY` linked to outside tables.
    CreateLinkedPolicy,
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
    match change {
        Change::CreateSchema { .. } => Phase::CreateSchema,
        Change::CreateEnum(_) => Phase::CreateEnum,
        Change::AddEnumValue { .. } => Phase::AddEnumValue,
        Change::CreateSequence(_) => Phase::CreateSequence,
        Change::CreateRole(_) => Phase::CreateRole,
        Change::CreateTable(_) => Phase::CreateTable,
        Change::EnableRls {
            new_table: true, ..
        } => Phase::CreateTable,
        Change::EnableRls {
            new_table: false, ..
        } => Phase::EnableRls,
        Change::AddPrimaryKey { .. } => Phase::AddPrimaryKey,
        Change::AddColumn { .. } => Phase::AddColumn,
        Change::AddForeignKey {
            new_table: true, ..
        } => Phase::AddForeignKeyNewTable,
        Change::AddForeignKey {
            new_table: false, ..
        } => Phase::AddForeignKey,
        Change::CreateIndex {
            new_table: true, ..
        } => Phase::CreateIndexNewTable,
        Change::CreateIndex {
            new_table: false, ..
        } => Phase::CreateIndex,
        Change::AddUnique { .. } => Phase::AddUnique,
        Change::AddCheck { .. } => Phase::AddCheck,
        Change::CreateView(_) => Phase::CreateView,
        Change::CreatePolicy { .. } => Phase::CreatePolicy,
        Change::CreateLinkedPolicy(_) => Phase::CreateLinkedPolicy,
        Change::SetComment { .. } => Phase::SetComment,
        Change::DropSchema { .. } => Phase::DropSchema,
        Change::DropEnum { .. } => Phase::DropEnum,
        Change::DropSequence { .. } => Phase::DropSequence,
        Change::DropRole { .. } => Phase::DropRole,
        Change::DropTable { .. } => Phase::DropTable,
        Change::DropColumn { .. } => Phase::DropColumn,
        Change::DropPrimaryKey { .. } => Phase::DropPrimaryKey,
        Change::DropForeignKey { .. } => Phase::DropForeignKey,
        Change::DropIndex { .. } => Phase::DropIndex,
        Change::DropUnique { .. } => Phase::DropUnique,
        Change::DropCheck { .. } => Phase::DropCheck,
        Change::DropView { .. } => Phase::DropView,
        Change::DropPolicy { .. } => Phase::DropPolicy,
        Change::DropLinkedPolicy { .. } => Phase::DropLinkedPolicy,
    }
}

/// `changes` in statement order (stable: ties keep their given order).
pub fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut out: Vec<&Change> = changes.iter().collect();
    out.sort_by_key(|c| phase(c));
    out
}
