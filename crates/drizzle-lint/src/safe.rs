//! The safe form of a generated migration: the same changes, written so that no
//! statement holds a lock that blocks the application for longer than `lock_timeout`.
//!
//! - every file starts with `SET lock_timeout`, so a statement stuck behind a long
//!   transaction fails fast instead of queueing all traffic behind it;
//! - indexes on existing tables are built `CONCURRENTLY`, which cannot run in a
//!   transaction, so they move to a second migration marked `-- drizzle:no-transaction`
//!   that runs after the first;
//! - foreign keys and checks on existing tables are added `NOT VALID` (instant) and
//!   validated in that second migration, where the scan holds only a weak lock;
//! - `SET NOT NULL` on an existing table becomes a `CHECK (c IS NOT NULL) NOT VALID`,
//!   validated later, after which `SET NOT NULL` skips its scan (PostgreSQL 12+).
//!
//! Splitting keeps the first migration atomic; only the statements that must run outside
//! a transaction (and are safe to retry) run without one.

use std::collections::BTreeSet;

use drizzle_sql::{join_statements, quote_ident, quote_literal};
use serde::Serialize;
use sqlparser::tokenizer::Token;

use crate::NO_TRANSACTION_MARKER;
use crate::ops::{Action, ConstraintKind, Name, Op};
use crate::parse::recognize;
use crate::quick::{Quick, quick};
use crate::tokens::tokens;

/// An index the safe form builds in the no-transaction migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedIndex {
    /// Schema of the table.
    pub schema: String,
    /// Table.
    pub table: String,
    /// Index name.
    pub index: String,
}

/// A column whose `SET NOT NULL` the safe form defers to the no-transaction migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeferredNotNull {
    /// Schema of the table.
    pub schema: String,
    /// Table.
    pub table: String,
    /// Column.
    pub column: String,
}

/// A migration's statements rearranged into their safe form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeForm {
    /// Statements of the migration that runs in a transaction (before `lock_timeout`).
    pub transactional: Vec<String>,
    /// Statements of the migration that runs after it, outside a transaction.
    pub concurrent: Vec<String>,
    /// Indexes built in the second migration (absent from the schema after the first).
    pub moved_indexes: Vec<MovedIndex>,
    /// Columns that become NOT NULL only in the second migration.
    pub deferred_not_null: Vec<DeferredNotNull>,
    /// One line per statement that was rewritten, for the user.
    pub rewrites: Vec<String>,
    lock_timeout: String,
}

/// One migration file of a safe form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeFile {
    /// The file's text.
    pub sql: String,
    /// Whether it starts with `-- drizzle:no-transaction`.
    pub no_transaction: bool,
    /// Whether statements are separated by breakpoints (always, when `no_transaction`:
    /// each statement must run on its own).
    pub breakpoints: bool,
}

/// The safe form of `statements` (as `drizzle-sql` renders them), with `lock_timeout`
/// (a PostgreSQL duration such as `5s`).
pub fn safe_form(statements: &[String], lock_timeout: &str) -> SafeForm {
    safe_form_scanning(statements, lock_timeout, true)
}

/// [`safe_form`], with the prefix scan standing in for the parser where it can (`quick`):
/// a new table, and an index or foreign key on one, stay as written either way.
pub(crate) fn safe_form_scanning(
    statements: &[String],
    lock_timeout: &str,
    quick_scan: bool,
) -> SafeForm {
    let mut form = SafeForm {
        transactional: Vec::new(),
        concurrent: Vec::new(),
        moved_indexes: Vec::new(),
        deferred_not_null: Vec::new(),
        rewrites: Vec::new(),
        lock_timeout: lock_timeout.to_owned(),
    };
    let mut new_tables: BTreeSet<Name> = BTreeSet::new();
    for statement in statements {
        match quick(statement).filter(|_| quick_scan) {
            Some(Quick::CreateTable(table)) => {
                new_tables.insert(table);
                form.transactional.push(statement.clone());
                continue;
            }
            Some(Quick::CreateIndex(table) | Quick::ForeignKey(table))
                if new_tables.contains(&table) =>
            {
                form.transactional.push(statement.clone());
                continue;
            }
            _ => {}
        }
        match recognize(statement) {
            Op::CreateTable { table, .. } => {
                new_tables.insert(table);
                form.transactional.push(statement.clone());
            }
            Op::CreateIndex {
                concurrently: true, ..
            } => form.concurrent.push(statement.clone()),
            Op::CreateIndex {
                table,
                name: Some(index),
                concurrently: false,
            } if !new_tables.contains(&table) => match with_concurrently(statement) {
                Some(rewritten) => {
                    form.rewrites.push(format!(
                        "index \"{index}\" on \"{}\" is built CONCURRENTLY in a separate migration",
                        table.shown()
                    ));
                    form.concurrent.push(rewritten);
                    form.moved_indexes.push(MovedIndex {
                        schema: table.schema,
                        table: table.name,
                        index,
                    });
                }
                None => form.transactional.push(statement.clone()),
            },
            Op::AlterTable { table, actions } if !new_tables.contains(&table) => {
                form.alter_existing(statement, &table, &actions);
            }
            _ => form.transactional.push(statement.clone()),
        }
    }
    form
}

impl SafeForm {
    fn alter_existing(&mut self, statement: &str, table: &Name, actions: &[Action]) {
        let t = table.sql();
        match actions {
            [Action::AddConstraint(c)]
                if !c.not_valid
                    && matches!(c.kind, ConstraintKind::ForeignKey | ConstraintKind::Check) =>
            {
                let (Some(name), Some(not_valid)) = (&c.name, with_not_valid(statement)) else {
                    self.transactional.push(statement.to_owned());
                    return;
                };
                self.rewrites.push(format!(
                    "constraint \"{name}\" on \"{}\" is added NOT VALID and validated in a separate migration",
                    table.shown()
                ));
                self.transactional.push(not_valid);
                self.concurrent.push(format!(
                    "ALTER TABLE {t} VALIDATE CONSTRAINT {};",
                    quote_ident(name)
                ));
            }
            [Action::SetNotNull(column)] => {
                let check = quote_ident(&format!("{}_{column}_not_null", table.name));
                let c = quote_ident(column);
                self.rewrites.push(format!(
                    "column \"{column}\" of \"{}\" is proven NOT NULL by a validated check before SET NOT NULL",
                    table.shown()
                ));
                self.transactional.push(format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID;"
                ));
                self.concurrent
                    .push(format!("ALTER TABLE {t} VALIDATE CONSTRAINT {check};"));
                self.concurrent
                    .push(format!("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;"));
                self.concurrent
                    .push(format!("ALTER TABLE {t} DROP CONSTRAINT {check};"));
                self.deferred_not_null.push(DeferredNotNull {
                    schema: table.schema.clone(),
                    table: table.name.clone(),
                    column: column.clone(),
                });
            }
            _ => self.transactional.push(statement.to_owned()),
        }
    }

    /// `SET lock_timeout = '<value>';`.
    pub fn lock_timeout_statement(&self) -> String {
        format!("SET lock_timeout = {};", quote_literal(&self.lock_timeout))
    }

    /// Whether the safe form needs a second, no-transaction migration.
    pub fn is_split(&self) -> bool {
        !self.concurrent.is_empty() && !self.transactional.is_empty()
    }

    /// The migration files, in the order they apply: the transactional one (when it has
    /// statements), then the no-transaction one (when it has statements).
    pub fn files(&self, breakpoints: bool) -> Vec<SafeFile> {
        let mut files = Vec::new();
        let lock = self.lock_timeout_statement();
        if !self.transactional.is_empty() {
            let mut all = vec![lock.clone()];
            all.extend(self.transactional.iter().cloned());
            files.push(SafeFile {
                sql: join_statements(&all, breakpoints),
                no_transaction: false,
                breakpoints,
            });
        }
        if !self.concurrent.is_empty() {
            let mut all = vec![lock];
            all.extend(self.concurrent.iter().cloned());
            files.push(SafeFile {
                sql: format!("{NO_TRANSACTION_MARKER}\n{}", join_statements(&all, true)),
                no_transaction: true,
                breakpoints: true,
            });
        }
        files
    }
}

/// `CREATE [UNIQUE] INDEX` → `CREATE [UNIQUE] INDEX CONCURRENTLY`, the rest untouched.
fn with_concurrently(statement: &str) -> Option<String> {
    let toks = tokens(statement)?;
    let index = toks.iter().take(3).find(|t| t.is("INDEX"))?;
    Some(format!(
        "{} CONCURRENTLY{}",
        &statement[..index.end],
        &statement[index.end..]
    ))
}

/// `... ;` → `... NOT VALID;`, keeping what follows the semicolon.
fn with_not_valid(statement: &str) -> Option<String> {
    let toks = tokens(statement)?;
    let end = toks.iter().rev().find(|t| t.token != Token::SemiColon)?.end;
    Some(format!(
        "{} NOT VALID{}",
        &statement[..end],
        &statement[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn existing_tables_get_the_safe_form_and_new_tables_do_not() {
        let form = safe_form(
            &statements(&[
                "CREATE TABLE \"tags\" (\n\t\"id\" integer PRIMARY KEY NOT NULL\n);\n",
                "ALTER TABLE \"posts\" ADD COLUMN \"tag_id\" integer;",
                "ALTER TABLE \"posts\" ALTER COLUMN \"title\" SET NOT NULL;",
                "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_tag_id_tags_id_fk\" FOREIGN KEY (\"tag_id\") REFERENCES \"public\".\"tags\"(\"id\") ON DELETE no action ON UPDATE no action;",
                "ALTER TABLE \"posts\" ADD CONSTRAINT \"title_len\" CHECK (length(\"posts\".\"title\") > 0);",
                "CREATE INDEX \"tags_id_index\" ON \"tags\" USING btree (\"id\");",
                "CREATE UNIQUE INDEX \"posts_tag_idx\" ON \"app\".\"posts\" USING btree (\"tag_id\");",
            ]),
            "5s",
        );
        let files = form.files(true);
        assert_eq!(files.len(), 2);
        assert!(!files[0].no_transaction && files[1].no_transaction);
        insta::assert_snapshot!(format!(
            "{}\n\n=== second migration ===\n{}",
            files[0].sql, files[1].sql
        ));
        assert_eq!(
            form.moved_indexes,
            [MovedIndex {
                schema: "app".into(),
                table: "posts".into(),
                index: "posts_tag_idx".into()
            }]
        );
        assert_eq!(form.deferred_not_null.len(), 1);
        assert_eq!(form.rewrites.len(), 4);
    }

    #[test]
    fn a_migration_of_only_new_tables_is_one_file() {
        let form = safe_form(
            &statements(&[
                "CREATE TABLE \"a\" (\n\t\"id\" integer\n);\n",
                "CREATE INDEX \"a_id_index\" ON \"a\" USING btree (\"id\");",
            ]),
            "2s",
        );
        let files = form.files(false);
        assert_eq!(files.len(), 1);
        assert!(
            files[0]
                .sql
                .starts_with("SET lock_timeout = '2s';\nCREATE TABLE")
        );
        assert!(!form.is_split());
    }

    #[test]
    fn only_concurrent_statements_make_one_no_transaction_file() {
        let form = safe_form(
            &statements(&["CREATE INDEX \"i\" ON \"t\" USING btree (\"a\");"]),
            "5s",
        );
        let files = form.files(false);
        assert_eq!(
            files,
            [SafeFile {
                sql: "-- drizzle:no-transaction\nSET lock_timeout = '5s';--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"i\" ON \"t\" USING btree (\"a\");".into(),
                no_transaction: true,
                breakpoints: true,
            }]
        );
    }
}
