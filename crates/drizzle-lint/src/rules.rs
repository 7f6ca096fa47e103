//! The rules: stable names, a one-line rationale and a one-line fix each.

use std::fmt;

use serde::Serialize;

/// A lint rule. Its name (`Rule::name`) is what config and reports use; it never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Rule {
    /// `ADD COLUMN ... NOT NULL` without a default on an existing table.
    AddRequiredColumn,
    /// `SET NOT NULL` on an existing table.
    SetNotNull,
    /// `CREATE INDEX` on an existing table without `CONCURRENTLY`.
    IndexNotConcurrent,
    /// `CREATE/DROP INDEX CONCURRENTLY` in a migration that runs in a transaction.
    ConcurrentlyInTransaction,
    /// A foreign key added to an existing table without `NOT VALID`.
    ForeignKeyNotValid,
    /// A check constraint added to an existing table without `NOT VALID`.
    CheckNotValid,
    /// A unique or primary key constraint that builds its index under an exclusive lock.
    UniqueWithoutIndex,
    /// A column type change that rewrites the table.
    TypeChangeRewrite,
    /// A new column whose value is computed per row (volatile default, serial, identity, stored generated).
    VolatileDefault,
    /// `DROP COLUMN`.
    DropColumn,
    /// `DROP TABLE`.
    DropTable,
    /// `RENAME COLUMN`.
    RenameColumn,
    /// `RENAME TO` / `SET SCHEMA` of a table.
    RenameTable,
    /// An enum recreated without some of its values.
    EnumValueRemoval,
    /// A value added with `ALTER TYPE ... ADD VALUE` used in the same transaction.
    EnumValueUsedInTransaction,
    /// A migration that locks existing tables without setting `lock_timeout` first.
    MissingLockTimeout,
}

/// How a rule's findings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported; does not fail `check`.
    Warning,
    /// Reported; fails `check`.
    Error,
}

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: [Rule; 16] = [
        Rule::AddRequiredColumn,
        Rule::SetNotNull,
        Rule::IndexNotConcurrent,
        Rule::ConcurrentlyInTransaction,
        Rule::ForeignKeyNotValid,
        Rule::CheckNotValid,
        Rule::UniqueWithoutIndex,
        Rule::TypeChangeRewrite,
        Rule::VolatileDefault,
        Rule::DropColumn,
        Rule::DropTable,
        Rule::RenameColumn,
        Rule::RenameTable,
        Rule::EnumValueRemoval,
        Rule::EnumValueUsedInTransaction,
        Rule::MissingLockTimeout,
    ];

    /// Every rule name, for config validation and did-you-mean.
    pub const NAMES: [&'static str; 16] = [
        "add-required-column",
        "set-not-null",
        "index-not-concurrent",
        "concurrently-in-transaction",
        "foreign-key-not-valid",
        "check-not-valid",
        "unique-without-index",
        "type-change-rewrite",
        "volatile-default",
        "drop-column",
        "drop-table",
        "rename-column",
        "rename-table",
        "enum-value-removal",
        "enum-value-used-in-transaction",
        "missing-lock-timeout",
    ];

    /// The stable name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The rule called `name`.
    pub fn from_name(name: &str) -> Option<Rule> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    /// The level when config says nothing.
    pub fn default_level(self) -> Level {
        match self {
            // These fail at deploy time, not merely slowly.
            Rule::ConcurrentlyInTransaction | Rule::EnumValueUsedInTransaction => Level::Error,
            _ => Level::Warning,
        }
    }

    /// Why the rule exists, in one line.
    pub fn rationale(self) -> &'static str {
        match self {
            Rule::AddRequiredColumn => {
                "existing rows have no value for the column, so the statement fails on any non-empty table"
            }
            Rule::SetNotNull => {
                "PostgreSQL scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes"
            }
            Rule::IndexNotConcurrent => {
                "building the index holds a SHARE lock that blocks every write to the table until it is done"
            }
            Rule::ConcurrentlyInTransaction => {
                "CONCURRENTLY cannot run inside a transaction block, so the migration fails"
            }
            Rule::ForeignKeyNotValid => {
                "validating every existing row holds locks that block writes to both tables for the whole scan"
            }
            Rule::CheckNotValid => {
                "validating every existing row happens under an ACCESS EXCLUSIVE lock"
            }
            Rule::UniqueWithoutIndex => {
                "the constraint builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes"
            }
            Rule::TypeChangeRewrite => {
                "the table and its indexes are rewritten under an ACCESS EXCLUSIVE lock"
            }
            Rule::VolatileDefault => {
                "every existing row gets its own value, so the table is rewritten under an ACCESS EXCLUSIVE lock"
            }
            Rule::DropColumn => {
                "the column's data is lost, and running code that still reads it starts failing"
            }
            Rule::DropTable => {
                "the table's data is lost, and running code that still uses it starts failing"
            }
            Rule::RenameColumn => {
                "code deployed before the migration still uses the old name and fails until it is replaced"
            }
            Rule::RenameTable => {
                "code deployed before the migration still uses the old name and fails until it is replaced"
            }
            Rule::EnumValueRemoval => {
                "the enum is dropped and recreated: rows holding a removed value make the migration fail, and every column using it is rewritten"
            }
            Rule::EnumValueUsedInTransaction => {
                "a value added by ALTER TYPE ... ADD VALUE cannot be used before the transaction commits"
            }
            Rule::MissingLockTimeout => {
                "a statement waiting for a lock queues every later query on the table behind it, for as long as it waits"
            }
        }
    }

    /// How to fix it, in one line.
    pub fn fix(self) -> &'static str {
        match self {
            Rule::AddRequiredColumn => {
                "add the column nullable or with a default, backfill it, then set NOT NULL in a later migration"
            }
            Rule::SetNotNull => {
                "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL (no scan) and drop the check; `generate --safe` writes this"
            }
            Rule::IndexNotConcurrent => {
                "use CREATE INDEX CONCURRENTLY in a migration starting with `-- drizzle:no-transaction`; `generate --safe` writes this"
            }
            Rule::ConcurrentlyInTransaction => {
                "make `-- drizzle:no-transaction` the file's first line and keep other statements in another migration"
            }
            Rule::ForeignKeyNotValid => {
                "add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction; `generate --safe` writes this"
            }
            Rule::CheckNotValid => {
                "add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction; `generate --safe` writes this"
            }
            Rule::UniqueWithoutIndex => {
                "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX"
            }
            Rule::TypeChangeRewrite => {
                "add a new column, backfill it in batches, and switch reads and writes over before dropping the old one"
            }
            Rule::VolatileDefault => {
                "add the column without the default, set the default, then backfill existing rows in batches"
            }
            Rule::DropColumn => {
                "deploy code that no longer uses the column first; drop it in a later release"
            }
            Rule::DropTable => {
                "deploy code that no longer uses the table first; back it up or drop it in a later release"
            }
            Rule::RenameColumn => {
                "add the new column, write both, backfill, switch reads, then drop the old column"
            }
            Rule::RenameTable => {
                "create a view with the old name during the transition, or deploy code using the new name first"
            }
            Rule::EnumValueRemoval => {
                "update rows holding the removed values first, and run it when a rewrite of those tables is acceptable"
            }
            Rule::EnumValueUsedInTransaction => {
                "add the value in an earlier migration, or make this one `-- drizzle:no-transaction`"
            }
            Rule::MissingLockTimeout => {
                "start the migration with SET lock_timeout = '5s' and retry when it times out; `generate --safe` writes this"
            }
        }
    }
}

impl From<Rule> for &'static str {
    fn from(rule: Rule) -> &'static str {
        rule.name()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Off => "off",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
        }
        let mut names = Rule::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        assert_eq!(Rule::from_name("drop-tables"), None);
    }
}
