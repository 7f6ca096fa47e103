//! The canonicalization script: scratch objects created in guarded PL/pgSQL blocks inside
//! one transaction that is rolled back, and one query reading every canonical form back.

use std::fmt::Write as _;

use drizzle_schema::{Column, Schema, Table};

use super::Slot;
use crate::sql_text::{dollar_quote, quote_ident, strip_qualifier};

/// Scratch-object prefix; temporary objects live in this session's `pg_temp` only.
const PREFIX: &str = "__drizzle_canon";

/// The SQL type to declare a scratch column with.
fn declared_type(column: &Column) -> String {
    let (base, dims) = crate::types::split_array(&column.sql_type);
    let base = match (&column.type_schema, base) {
        (Some(schema), name) => format!("{}.{}", quote_ident(schema), quote_ident(name)),
        (None, "serial") => "integer".to_owned(),
        (None, "bigserial") => "bigint".to_owned(),
        (None, "smallserial") => "smallint".to_owned(),
        (None, other) => other.to_owned(),
    };
    format!("{base}{}", "[]".repeat(dims))
}

/// Whether `sql` may reference column `name`: a case-insensitive whole-word occurrence,
/// quoted or not. A superset of the real references, so an expression never loses a column
/// it needs; a name holding a double quote (escaped when quoted) is always assumed used.
fn may_reference(sql: &str, name: &str) -> bool {
    if name.contains('"') || name.is_empty() {
        return true;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let (hay, needle) = (sql.as_bytes(), name.as_bytes());
    (0..hay.len().saturating_sub(needle.len() - 1)).any(|i| {
        hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
            && (i == 0 || !word(hay[i - 1]))
            && hay.get(i + needle.len()).is_none_or(|&b| !word(b))
    })
}

/// What the final read-back query fetches for one slot.
enum Read {
    /// `pg_attrdef` of column `column` of scratch table `table` (defaults and generated).
    Attrdef { table: String, column: String },
    /// `conbin` of constraint `name` of scratch table `table`.
    Check { table: String, name: String },
    /// Key `position` (1-based) of scratch index `index`.
    IndexKey { index: String, position: usize },
    /// Predicate of scratch index `index`.
    IndexWhere { index: String },
    /// `polqual` (or `polwithcheck` when `with_check`) of policy `name` on `table`.
    Policy {
        table: String,
        name: String,
        with_check: bool,
    },
    /// Definition of scratch view `view`.
    View { view: String },
}

/// The script under construction: scratch objects created in guarded blocks (an error is
/// recorded against the slots it affects instead of aborting), then one read-back query.
#[derive(Default)]
pub(super) struct Script {
    body: String,
    /// Each result id's side (index into the schemas canonicalized) and target.
    pub(super) slots: Vec<(usize, Slot)>,
    reads: Vec<(usize, Read)>,
    /// The side whose objects are being added.
    pub(super) side: usize,
    /// Scratch tables created so far (their names must be unique across sides).
    tables: usize,
    /// Whether the side being added was introspected from this server: then only its
    /// defaults need the server (introspection turned them into snapshot literals).
    pub(super) introspected: bool,
}

/// `BEGIN <statement>; EXCEPTION ... END;`: records `ids` as failed with the error message.
fn guard(statement: &str, ids: &[usize]) -> String {
    format!(
        "BEGIN {statement}; EXCEPTION WHEN others THEN {} END; ",
        record_failure(ids)
    )
}

fn record_failure(ids: &[usize]) -> String {
    let ids: Vec<String> = ids.iter().map(usize::to_string).collect();
    format!(
        "INSERT INTO {PREFIX} SELECT i, NULL, SQLERRM FROM unnest(ARRAY[{}]::int8[]) AS i;",
        ids.join(",")
    )
}

fn execute(sql: &str) -> String {
    format!("EXECUTE {}", dollar_quote(sql))
}

impl Script {
    fn slot(&mut self, slot: Slot, read: Read) -> usize {
        self.slots.push((self.side, slot));
        let id = self.slots.len() - 1;
        self.reads.push((id, read));
        id
    }

    fn do_block(&mut self, statements: &str) {
        let _ = writeln!(
            self.body,
            "DO {};",
            dollar_quote(&format!("BEGIN {statements} END"))
        );
    }

    /// A scratch view per view definition, each guarded on its own, in one block.
    pub(super) fn views(&mut self, schema: &Schema, other: Option<&Schema>) {
        let mut block = String::new();
        for (key, view) in &schema.views {
            let same = other
                .and_then(|o| o.views.get(key))
                .is_some_and(|o| o.definition == view.definition);
            if let (Some(definition), false) = (&view.definition, same) {
                let name = format!("{PREFIX}_v{}", self.slots.len());
                let id = self.slot(
                    Slot::View { view: key.clone() },
                    Read::View { view: name.clone() },
                );
                let create = format!("CREATE TEMP VIEW {name} AS {definition}");
                block.push_str(&guard(&execute(&create), &[id]));
            }
        }
        if !block.is_empty() {
            self.do_block(&block);
        }
    }

    /// Scratch table `__drizzle_canon_t<t>` with the table's columns, then its expressions:
    /// defaults, generated columns and checks in one `ALTER TABLE` (one by one only if that
    /// fails, to find the culprit), then each index and policy.
    pub(super) fn table(&mut self, table: &Table, other: Option<&Table>) {
        let key = table.key();
        let name = format!("{PREFIX}_t{}", self.tables);
        self.tables += 1;
        let other_column = |name: &str| other.and_then(|o| o.columns.get(name));
        let strip = |sql: &str| strip_qualifier(sql, &table.schema, &table.name);

        let mut subcommands: Vec<(usize, String)> = Vec::new();
        // Expressions and defaulted columns the scratch table is for: it gets only the
        // columns they can reference, since creating wide scratch tables dominates the cost.
        let mut texts: Vec<String> = Vec::new();
        let mut defaulted: Vec<&str> = Vec::new();
        for column in table.columns.values() {
            let quoted = quote_ident(&column.name);
            let attrdef = Read::Attrdef {
                table: name.clone(),
                column: column.name.clone(),
            };
            let counterpart = other_column(&column.name);
            if let Some(generated) = &column.generated {
                if self.introspected || counterpart.is_some_and(|o| o.generated == column.generated)
                {
                    continue;
                }
                let id = self.slot(
                    Slot::Generated {
                        table: key.clone(),
                        column: column.name.clone(),
                    },
                    attrdef,
                );
                let expression = strip(&generated.expression);
                texts.push(expression.clone());
                let sub = format!(
                    "ADD COLUMN {quoted} {} GENERATED ALWAYS AS ({expression}) STORED",
                    declared_type(column)
                );
                subcommands.push((id, sub));
            } else if let Some(default) = &column.default {
                if counterpart.is_some_and(|o| o.default == column.default) {
                    continue;
                }
                let id = self.slot(
                    Slot::Default {
                        table: key.clone(),
                        column: column.name.clone(),
                    },
                    attrdef,
                );
                defaulted.push(&column.name);
                let default = default.to_sql();
                subcommands.push((id, format!("ALTER COLUMN {quoted} SET DEFAULT {default}")));
                texts.push(default);
            }
        }
        for (k, check) in table.check_constraints.values().enumerate() {
            if self.introspected
                || other.and_then(|o| o.check_constraints.get(&check.name)) == Some(check)
            {
                continue;
            }
            let constraint = format!("c{k}");
            let id = self.slot(
                Slot::Check {
                    table: key.clone(),
                    name: check.name.clone(),
                },
                Read::Check {
                    table: name.clone(),
                    name: constraint.clone(),
                },
            );
            let value = strip(&check.value);
            let sub = format!("ADD CONSTRAINT {constraint} CHECK ({value}) NOT VALID");
            texts.push(value);
            subcommands.push((id, sub));
        }

        let mut statements: Vec<(Vec<usize>, String)> = Vec::new();
        for (k, index) in table.indexes.values().enumerate() {
            if self.introspected
                || (!index.columns.iter().any(|c| c.is_expression) && index.where_clause.is_none())
            {
                continue;
            }
            let same = other
                .and_then(|o| o.indexes.get(&index.name))
                .is_some_and(|o| {
                    o.columns
                        .iter()
                        .map(|c| &c.expression)
                        .eq(index.columns.iter().map(|c| &c.expression))
                        && o.where_clause == index.where_clause
                });
            if same {
                continue;
            }
            let index_name = format!("{name}_i{k}");
            let mut ids = Vec::new();
            for (position, column) in index.columns.iter().enumerate() {
                if column.is_expression {
                    ids.push(self.slot(
                        Slot::IndexKey {
                            table: key.clone(),
                            index: index.name.clone(),
                            key: position,
                        },
                        Read::IndexKey {
                            index: index_name.clone(),
                            position: position + 1,
                        },
                    ));
                }
            }
            if index.where_clause.is_some() {
                ids.push(self.slot(
                    Slot::IndexWhere {
                        table: key.clone(),
                        index: index.name.clone(),
                    },
                    Read::IndexWhere {
                        index: index_name.clone(),
                    },
                ));
            }
            let keys = index
                .columns
                .iter()
                .map(|c| {
                    let column = if c.is_expression {
                        format!("({})", strip(&c.expression))
                    } else {
                        quote_ident(&c.expression)
                    };
                    match &c.opclass {
                        Some(opclass) => format!("{column} {opclass}"),
                        None => column,
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            let predicate = index
                .where_clause
                .as_deref()
                .map(|w| format!(" WHERE {}", strip(w)))
                .unwrap_or_default();
            let create = format!(
                "CREATE INDEX {index_name} ON pg_temp.{name} USING {} ({keys}){predicate}",
                index.method
            );
            texts.push(create.clone());
            statements.push((ids, create));
        }
        for (k, policy) in table.policies.values().enumerate() {
            let same = other
                .and_then(|o| o.policies.get(&policy.name))
                .is_some_and(|o| o.using == policy.using && o.with_check == policy.with_check);
            if self.introspected || same || (policy.using.is_none() && policy.with_check.is_none())
            {
                continue;
            }
            let policy_name = format!("p{k}");
            let command = policy.for_.as_deref().unwrap_or("ALL");
            let mut create = format!("CREATE POLICY {policy_name} ON pg_temp.{name} FOR {command}");
            let mut ids = Vec::new();
            if let Some(using) = &policy.using {
                let _ = write!(create, " USING ({})", strip(using));
                ids.push(self.slot(
                    Slot::PolicyUsing {
                        table: key.clone(),
                        name: policy.name.clone(),
                    },
                    Read::Policy {
                        table: name.clone(),
                        name: policy_name.clone(),
                        with_check: false,
                    },
                ));
            }
            if let Some(check) = &policy.with_check {
                let _ = write!(create, " WITH CHECK ({})", strip(check));
                ids.push(self.slot(
                    Slot::PolicyCheck {
                        table: key.clone(),
                        name: policy.name.clone(),
                    },
                    Read::Policy {
                        table: name.clone(),
                        name: policy_name.clone(),
                        with_check: true,
                    },
                ));
            }
            texts.push(create.clone());
            statements.push((ids, create));
        }
        if subcommands.is_empty() && statements.is_empty() {
            return;
        }

        let plain: Vec<String> = table
            .columns
            .values()
            .filter(|c| c.generated.is_none())
            .filter(|c| {
                defaulted.contains(&c.name.as_str())
                    || texts.iter().any(|t| may_reference(t, &c.name))
            })
            .map(|c| format!("{} {}", quote_ident(&c.name), declared_type(c)))
            .collect();
        // Column types decide how literals are cast, so every expression needs the table;
        // if it cannot be created (a type missing on this server), all of them fail alike.
        let mut block = format!(
            "BEGIN {}; ",
            execute(&format!("CREATE TEMP TABLE {name} ({})", plain.join(", ")))
        );
        if !subcommands.is_empty() {
            let all = subcommands
                .iter()
                .map(|(_, sub)| sub.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let one_by_one: String = subcommands
                .iter()
                .map(|(id, sub)| {
                    guard(
                        &execute(&format!("ALTER TABLE pg_temp.{name} {sub}")),
                        &[*id],
                    )
                })
                .collect();
            let _ = write!(
                block,
                "BEGIN {}; EXCEPTION WHEN others THEN {one_by_one} END; ",
                execute(&format!("ALTER TABLE pg_temp.{name} {all}"))
            );
        }
        for (ids, statement) in &statements {
            block.push_str(&guard(&execute(statement), ids));
        }
        let mut every: Vec<usize> = subcommands.iter().map(|(id, _)| *id).collect();
        every.extend(statements.iter().flat_map(|(ids, _)| ids.iter().copied()));
        let _ = write!(
            block,
            "EXCEPTION WHEN others THEN {} END;",
            record_failure(&every)
        );
        self.do_block(&block);
    }

    /// The whole script: setup, the blocks, the result rows, and the rollback.
    pub(super) fn finish(&self) -> String {
        let mut sql = format!(
            "BEGIN;\nCREATE TEMP TABLE {PREFIX} (id int8, result text, error text);\n{}\
             SELECT -1::int8, current_user::text, session_user::text\n\
             UNION ALL SELECT id, result, error FROM {PREFIX}",
            self.body
        );
        if !self.reads.is_empty() {
            let rows: Vec<String> = self
                .reads
                .iter()
                .map(|(id, read)| {
                    let (kind, rel, object, position) = match read {
                        Read::Attrdef { table, column } => ("d", table, column.as_str(), 0),
                        Read::Check { table, name } => ("c", table, name.as_str(), 0),
                        Read::IndexKey { index, position } => ("k", index, "", *position),
                        Read::IndexWhere { index } => ("w", index, "", 0),
                        Read::Policy {
                            table,
                            name,
                            with_check,
                        } => (if *with_check { "x" } else { "u" }, table, name.as_str(), 0),
                        Read::View { view } => ("v", view, "", 0),
                    };
                    format!(
                        "({id}, '{kind}', '{rel}', {}, {position})",
                        dollar_quote(object)
                    )
                })
                .collect();
            let _ = write!(
                sql,
                "\nUNION ALL SELECT m.id, CASE m.kind \
                 WHEN 'd' THEN (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d \
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
                   WHERE d.adrelid = m.rel AND a.attname = m.object) \
                 WHEN 'c' THEN (SELECT pg_catalog.pg_get_expr(c.conbin, c.conrelid, true) FROM pg_catalog.pg_constraint c \
                   WHERE c.conrelid = m.rel AND c.conname = m.object) \
                 WHEN 'k' THEN pg_catalog.pg_get_indexdef(m.rel, m.position, true) \
                 WHEN 'w' THEN (SELECT pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) FROM pg_catalog.pg_index i \
                   WHERE i.indexrelid = m.rel) \
                 WHEN 'u' THEN (SELECT pg_catalog.pg_get_expr(p.polqual, p.polrelid, true) FROM pg_catalog.pg_policy p \
                   WHERE p.polrelid = m.rel AND p.polname = m.object) \
                 WHEN 'x' THEN (SELECT pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid, true) FROM pg_catalog.pg_policy p \
                   WHERE p.polrelid = m.rel AND p.polname = m.object) \
                 WHEN 'v' THEN pg_catalog.pg_get_viewdef(m.rel, true) END, NULL \
                 FROM (SELECT v.id::int8 AS id, v.kind, pg_catalog.to_regclass('pg_temp.' || v.rel)::oid AS rel, \
                   v.object, v.position FROM (VALUES {}) AS v(id, kind, rel, object, position)) m \
                 WHERE NOT EXISTS (SELECT 1 FROM {PREFIX} e WHERE e.id = m.id)",
                rows.join(", ")
            );
        }
        sql.push_str(";\nROLLBACK;");
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::CheckConstraint;

    #[test]
    fn references_are_whole_words_in_any_case() {
        assert!(may_reference("amount >= 0", "amount"));
        assert!(may_reference("\"Amount\" >= 0", "amount"));
        assert!(may_reference("AMOUNT >= 0", "amount"));
        assert!(may_reference("(x + amount)", "amount"));
        assert!(!may_reference("amounts >= 0", "amount"));
        assert!(!may_reference("total_amount >= 0", "amount"));
        assert!(!may_reference("", "amount"));
        assert!(may_reference("anything", "we\"ird"));
    }

    fn priced() -> Table {
        let mut t = Table::new("public", "t");
        for name in ["id", "amount", "note"] {
            t.columns.insert(name.into(), Column::new(name, "integer"));
        }
        t.check_constraints.insert(
            "t_amount".into(),
            CheckConstraint {
                name: "t_amount".into(),
                value: "\"t\".\"amount\" >= 0".into(),
            },
        );
        t
    }

    #[test]
    fn scratch_tables_hold_only_referenced_columns() {
        let mut script = Script::default();
        script.table(&priced(), None);
        let sql = script.finish();
        assert!(
            sql.contains("CREATE TEMP TABLE __drizzle_canon_t0 (\"amount\" integer)"),
            "{sql}"
        );
        assert!(sql.contains("CHECK (\"amount\" >= 0)"), "{sql}");
    }

    #[test]
    fn introspected_sides_keep_their_checks() {
        let mut script = Script {
            introspected: true,
            ..Script::default()
        };
        script.table(&priced(), None);
        assert!(script.slots.is_empty());
        assert!(
            !script
                .finish()
                .contains("CREATE TEMP TABLE __drizzle_canon_t")
        );
    }
}
