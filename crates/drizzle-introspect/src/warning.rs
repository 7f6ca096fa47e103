//! Warnings about database objects the model cannot represent.

use std::fmt;

/// Kinds of objects (or properties of objects) that introspection met but cannot represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A table that is a partition of another (skipped).
    Partition,
    /// A partitioned table (kept as a plain table; its partitioning is lost).
    PartitionedTable,
    /// A table inheriting from others (kept; inheritance and inherited constraints are lost).
    Inheritance,
    /// A foreign table (skipped).
    ForeignTable,
    /// An unlogged table (kept as a logged one).
    Unlogged,
    /// A domain type (columns keep its name as their type).
    Domain,
    /// A composite type.
    CompositeType,
    /// A range or multirange type.
    RangeType,
    /// A trigger.
    Trigger,
    /// A rewrite rule.
    Rule,
    /// A function, procedure or aggregate.
    Function,
    /// An extension (its objects are skipped).
    Extension,
    /// An extended statistics object.
    Statistics,
    /// An exclusion constraint (skipped).
    ExclusionConstraint,
    /// A deferrable constraint (kept, not deferrable).
    Deferrable,
    /// A `NOT VALID` constraint (kept as valid).
    NotValid,
    /// A `NO INHERIT` check (kept as inheritable).
    NoInherit,
    /// A foreign key with `MATCH FULL` or `ON DELETE SET NULL (columns)` (kept without them).
    ForeignKeyOption,
    /// A column or index key with a non-default collation (kept without it).
    Collation,
    /// An index with `INCLUDE` columns (kept without them).
    IndexInclude,
    /// A unique index with `NULLS NOT DISTINCT` (kept as a plain unique index).
    IndexNullsNotDistinct,
    /// `FORCE ROW LEVEL SECURITY` (kept as plain RLS).
    ForceRowLevelSecurity,
    /// An index on a materialized view (skipped).
    MaterializedViewIndex,
    /// A sequence `OWNED BY` a column that is not a serial (kept standalone, ownership lost).
    SequenceOwnedBy,
}

impl WarningKind {
    /// The words a message uses for this kind.
    pub fn describe(self) -> &'static str {
        match self {
            WarningKind::Partition => "partition",
            WarningKind::PartitionedTable => "partitioned table",
            WarningKind::Inheritance => "table inheritance",
            WarningKind::ForeignTable => "foreign table",
            WarningKind::Unlogged => "unlogged table",
            WarningKind::Domain => "domain",
            WarningKind::CompositeType => "composite type",
            WarningKind::RangeType => "range type",
            WarningKind::Trigger => "trigger",
            WarningKind::Rule => "rule",
            WarningKind::Function => "function",
            WarningKind::Extension => "extension",
            WarningKind::Statistics => "statistics object",
            WarningKind::ExclusionConstraint => "exclusion constraint",
            WarningKind::Deferrable => "deferrable constraint",
            WarningKind::NotValid => "NOT VALID constraint",
            WarningKind::NoInherit => "NO INHERIT constraint",
            WarningKind::ForeignKeyOption => "foreign key option",
            WarningKind::Collation => "collation",
            WarningKind::IndexInclude => "index INCLUDE columns",
            WarningKind::IndexNullsNotDistinct => "index NULLS NOT DISTINCT",
            WarningKind::ForceRowLevelSecurity => "FORCE ROW LEVEL SECURITY",
            WarningKind::SequenceOwnedBy => "sequence ownership",
            WarningKind::MaterializedViewIndex => "materialized view index",
        }
    }
}

/// One object introspection could not represent faithfully, and what was done instead.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// What kind of object or property it is.
    pub kind: WarningKind,
    /// The object, qualified: `schema.table`, `schema.table.column`, `schema.name(args)`.
    pub object: String,
    /// What the model keeps of it (or that it is skipped).
    pub message: String,
}

impl Warning {
    pub(crate) fn new(
        kind: WarningKind,
        object: impl Into<String>,
        message: impl Into<String>,
    ) -> Warning {
        Warning {
            kind,
            object: object.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.kind.describe(),
            self.object,
            self.message
        )
    }
}
