//! Running the statements: everything in one transaction, except what PostgreSQL does not
//! allow there, which runs in its own step and is reported apart.

use drizzle_diff::Change;
use drizzle_sql::{quote_ident, quote_literal};

/// The statements of a push by how they run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Groups {
    /// `ALTER TYPE ... ADD VALUE` whose value or type a later statement uses: PostgreSQL
    /// refuses a value added in the same transaction, so these commit first.
    pub before: Vec<String>,
    /// Everything else, in one transaction.
    pub main: Vec<String>,
    /// `CREATE/DROP INDEX CONCURRENTLY`, which cannot run in a transaction: after the
    /// commit, one by one.
    pub after: Vec<String>,
}

fn concurrent(statement: &str) -> bool {
    let s = statement.trim_start();
    [
        "CREATE INDEX CONCURRENTLY",
        "CREATE UNIQUE INDEX CONCURRENTLY",
        "DROP INDEX CONCURRENTLY",
    ]
    .iter()
    .any(|p| s.starts_with(p))
}

/// Sorts `statements` (rendered from `changes`) into groups, keeping their order.
pub(super) fn group(changes: &[Change], statements: &[String]) -> Groups {
    let mut added: Vec<(String, Vec<String>)> = Vec::new();
    for change in changes {
        if let Change::AddEnumValue { name, value, .. } = change {
            for text in drizzle_sql::render(std::slice::from_ref(change)) {
                // What a statement using the new value or its type would contain; a false
                // positive only commits the value a step earlier.
                added.push((text, vec![quote_ident(name), quote_literal(value)]));
            }
        }
    }
    let is_addition = |s: &String| added.iter().any(|(text, _)| text == s);
    let mut groups = Groups::default();
    for statement in statements {
        if concurrent(statement) {
            groups.after.push(statement.clone());
            continue;
        }
        let used_later = added.iter().any(|(text, marks)| {
            text == statement
                && statements
                    .iter()
                    .filter(|s| !is_addition(s))
                    .any(|s| marks.iter().any(|m| s.contains(m.as_str())))
        });
        if used_later {
            groups.before.push(statement.clone());
        } else {
            groups.main.push(statement.clone());
        }
    }
    groups
}

/// Which step of the run a statement belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// The enum values committed first.
    Before,
    /// The main transaction.
    Main,
    /// After the commit.
    After,
}

/// A statement the server refused, and what had been committed by then.
#[derive(Debug)]
pub(super) struct Refused {
    /// Where it failed.
    pub stage: Stage,
    /// The statement.
    pub statement: String,
    /// The server's message.
    pub message: String,
    /// Statements committed before the failure (none when the main transaction failed
    /// and nothing ran before it).
    pub committed: Vec<String>,
}

/// Runs the groups; on failure, what ran in the failing transaction is rolled back.
pub(super) fn run(client: &mut postgres::Client, groups: &Groups) -> Result<(), Refused> {
    let mut committed = Vec::new();
    for (stage, list) in [(Stage::Before, &groups.before), (Stage::Main, &groups.main)] {
        if list.is_empty() {
            continue;
        }
        let refused = |statement: &str, e: &postgres::Error, committed: &[String]| Refused {
            stage,
            statement: statement.to_owned(),
            message: drizzle_migrate::DatabaseMessage::from_error(e).to_string(),
            committed: committed.to_vec(),
        };
        let mut tx = client
            .transaction()
            .map_err(|e| refused("BEGIN", &e, &committed))?;
        for statement in list {
            tx.batch_execute(statement)
                .map_err(|e| refused(statement, &e, &committed))?;
        }
        tx.commit().map_err(|e| refused("COMMIT", &e, &committed))?;
        committed.extend(list.iter().cloned());
    }
    for statement in &groups.after {
        client.batch_execute(statement).map_err(|e| Refused {
            stage: Stage::After,
            statement: statement.clone(),
            message: drizzle_migrate::DatabaseMessage::from_error(&e).to_string(),
            committed: committed.clone(),
        })?;
        committed.push(statement.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_diff::TableRef;
    use drizzle_schema::{Column, Index, IndexColumn, Literal};

    fn table() -> TableRef {
        TableRef {
            schema: "public".into(),
            name: "t".into(),
        }
    }

    #[test]
    fn used_enum_values_commit_first_and_concurrent_indexes_run_after() {
        let mut column = Column::new("mood", "mood");
        column.type_schema = Some("public".into());
        column.default = Some(Literal::Sql("'glad'".into()));
        let index = Index {
            name: "t_i".into(),
            columns: vec![IndexColumn {
                expression: "id".into(),
                is_expression: false,
                asc: true,
                nulls: None,
                opclass: None,
            }],
            is_unique: false,
            where_clause: None,
            concurrently: true,
            method: "btree".into(),
            with: None,
        };
        let changes = vec![
            Change::AddEnumValue {
                schema: "public".into(),
                name: "mood".into(),
                value: "glad".into(),
                before: None,
            },
            Change::AddEnumValue {
                schema: "public".into(),
                name: "other".into(),
                value: "x".into(),
                before: None,
            },
            Change::AddColumn {
                table: table(),
                column,
            },
            Change::CreateIndex {
                table: table(),
                index,
                new_table: false,
            },
        ];
        let statements = drizzle_sql::render(&changes);
        let groups = group(&changes, &statements);
        insta::assert_debug_snapshot!(groups);
        let count = groups.before.len() + groups.main.len() + groups.after.len();
        assert_eq!(count, statements.len());
    }
}
