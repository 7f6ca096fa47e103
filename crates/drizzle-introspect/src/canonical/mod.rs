//! Server-canonical expressions: check, default, generated, index, policy and view text
//! cannot be compared as written (casts, parentheses, qualification and spacing vary), so
//! PostgreSQL parses each one on a scratch object inside a rolled-back transaction and
//! prints it back with the same deparser introspection reads. One round trip for the
//! whole schema, whatever its size.

use drizzle_schema::{Literal, Schema};

use crate::IntrospectError;
use crate::assemble::strip_outer_parens;

/// An expression PostgreSQL could not canonicalize; its original text is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalFailure {
    /// `schema.table.column` (default, generated), `schema.table.name` (check, index,
    /// policy) or `schema.view`.
    pub object: String,
    /// The server's error message.
    pub message: String,
}

/// The schema with every expression replaced by the server's canonical text, for comparison.
#[derive(Debug, Clone)]
pub struct Canonicalized {
    /// Defaults become `Literal::Sql` of the deparsed expression; check values, generated
    /// expressions, index keys and predicates, policy expressions and view definitions are
    /// deparsed; policy roles `current_user`/`current_role`/`session_user` are resolved.
    pub schema: Schema,
    /// Expressions that could not be canonicalized (e.g. a type that does not exist yet).
    pub failures: Vec<CanonicalFailure>,
}

mod script;

use script::Script;

/// What one result row of the script refers to.
enum Slot {
    Default {
        table: String,
        column: String,
    },
    Generated {
        table: String,
        column: String,
    },
    Check {
        table: String,
        name: String,
    },
    IndexKey {
        table: String,
        index: String,
        key: usize,
    },
    IndexWhere {
        table: String,
        index: String,
    },
    PolicyUsing {
        table: String,
        name: String,
    },
    PolicyCheck {
        table: String,
        name: String,
    },
    View {
        view: String,
    },
}

/// Canonicalizes every expression of `schema` on the server `client` is connected to. The
/// client must not be inside a transaction: the work runs in its own and is rolled back.
pub fn canonicalize_schema(
    client: &mut postgres::Client,
    schema: &Schema,
) -> Result<Canonicalized, IntrospectError> {
    let mut results = run(client, &[(schema, None, false)])?;
    Ok(results.remove(0))
}

/// Canonicalizes two schemas for comparing them, in one round trip. Expressions whose text
/// is already equal on both sides (same object, same text) are left as they are, which is
/// most of them when the database was migrated from the same source, and spares the
/// server the scratch DDL that dominates the cost.
pub fn canonicalize_pair(
    client: &mut postgres::Client,
    left: &Schema,
    right: &Schema,
) -> Result<(Canonicalized, Canonicalized), IntrospectError> {
    let mut results = run(
        client,
        &[(left, Some(right), false), (right, Some(left), false)],
    )?;
    let right = results.remove(1);
    Ok((results.remove(0), right))
}

/// [`canonicalize_pair`] for a `database` model introspected from the server `client` is
/// connected to: its checks, generated columns, index expressions and policies are already
/// the server's own printout, so only `files` gets scratch objects for them, which halves
/// the scratch DDL of a typical comparison. Defaults and view definitions are still
/// canonicalized on both sides: introspection rewrites them into snapshot form.
pub fn canonicalize_with_database(
    client: &mut postgres::Client,
    database: &Schema,
    files: &Schema,
) -> Result<(Canonicalized, Canonicalized), IntrospectError> {
    let mut results = run(
        client,
        &[
            (database, Some(files), true),
            (files, Some(database), false),
        ],
    )?;
    let files = results.remove(1);
    Ok((results.remove(0), files))
}

/// One script for all sides; each side's expressions skip those equal to its counterpart's,
/// and a side marked as introspected skips the expressions the server printed itself.
fn run(
    client: &mut postgres::Client,
    sides: &[(&Schema, Option<&Schema>, bool)],
) -> Result<Vec<Canonicalized>, IntrospectError> {
    let mut script = Script::default();
    for (side, (schema, other, introspected)) in sides.iter().enumerate() {
        script.side = side;
        script.introspected = *introspected;
        for table in schema.tables.values() {
            let counterpart = other.and_then(|o| o.tables.get(&table.key()));
            script.table(table, counterpart);
        }
        script.views(schema, *other);
    }
    let full = script.finish();
    let messages = match client.simple_query(&full) {
        Ok(messages) => messages,
        Err(error) => {
            // The script's own statements cannot fail (each risky one is guarded), so this
            // is a connection or server problem; leave no transaction open behind us.
            let _ = client.batch_execute("ROLLBACK");
            return Err(IntrospectError::query("canonicalize", &error));
        }
    };

    let mut outs: Vec<Canonicalized> = sides
        .iter()
        .map(|(schema, _, _)| Canonicalized {
            schema: (*schema).clone(),
            failures: Vec::new(),
        })
        .collect();
    let (mut current_user, mut session_user) = (String::new(), String::new());
    for message in messages {
        let postgres::SimpleQueryMessage::Row(row) = message else {
            continue;
        };
        let id: i64 = row
            .get(0)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| IntrospectError::Canonicalize("result row without an id".into()))?;
        let result = row.get(1).map(str::to_owned);
        let error = row.get(2).map(str::to_owned);
        if id == -1 {
            current_user = result.unwrap_or_default();
            session_user = error.unwrap_or_default();
            continue;
        }
        let (side, slot) = usize::try_from(id)
            .ok()
            .and_then(|id| script.slots.get(id))
            .ok_or_else(|| IntrospectError::Canonicalize(format!("unknown result id {id}")))?;
        let out = &mut outs[*side];
        match (result, error) {
            (Some(text), _) => apply(&mut out.schema, slot, text),
            (None, message) => out.failures.push(CanonicalFailure {
                object: describe(slot),
                message: message
                    .unwrap_or_else(|| "the server returned no canonical form".to_owned()),
            }),
        }
    }
    for out in &mut outs {
        resolve_roles(&mut out.schema, &current_user, &session_user);
        out.failures.sort_by(|a, b| a.object.cmp(&b.object));
    }
    Ok(outs)
}

/// Policy roles the server resolves when the policy is created.
fn resolve_roles(schema: &mut Schema, current_user: &str, session_user: &str) {
    for table in schema.tables.values_mut() {
        for policy in table.policies.values_mut() {
            if let Some(to) = &mut policy.to {
                for role in to.iter_mut() {
                    match role.as_str() {
                        "current_user" | "current_role" => *role = current_user.to_owned(),
                        "session_user" => *role = session_user.to_owned(),
                        _ => {}
                    }
                }
                to.sort();
                to.dedup();
            }
        }
    }
}

fn apply(schema: &mut Schema, slot: &Slot, text: String) {
    match slot {
        Slot::Default { table, column } => {
            if let Some(c) = schema.tables[table].columns.get_mut(column) {
                c.default = Some(Literal::Sql(text));
            }
        }
        Slot::Generated { table, column } => {
            if let Some(g) = schema.tables[table]
                .columns
                .get_mut(column)
                .and_then(|c| c.generated.as_mut())
            {
                g.expression = text;
            }
        }
        Slot::Check { table, name } => {
            if let Some(c) = schema.tables[table].check_constraints.get_mut(name) {
                c.value = strip_outer_parens(&text).to_owned();
            }
        }
        Slot::IndexKey { table, index, key } => {
            if let Some(i) = schema.tables[table].indexes.get_mut(index) {
                i.columns[*key].expression = text;
            }
        }
        Slot::IndexWhere { table, index } => {
            if let Some(i) = schema.tables[table].indexes.get_mut(index) {
                i.where_clause = Some(text);
            }
        }
        Slot::PolicyUsing { table, name } => {
            if let Some(p) = schema.tables[table].policies.get_mut(name) {
                p.using = Some(text);
            }
        }
        Slot::PolicyCheck { table, name } => {
            if let Some(p) = schema.tables[table].policies.get_mut(name) {
                p.with_check = Some(text);
            }
        }
        Slot::View { view } => {
            if let Some(v) = schema.views.get_mut(view) {
                let t = text.trim();
                v.definition = Some(t.strip_suffix(';').unwrap_or(t).trim_end().to_owned());
            }
        }
    }
}

fn describe(slot: &Slot) -> String {
    match slot {
        Slot::Default { table, column } => format!("{table}.{column} default"),
        Slot::Generated { table, column } => format!("{table}.{column} generated"),
        Slot::Check { table, name } => format!("{table}.{name} check"),
        Slot::IndexKey { table, index, key } => format!("{table}.{index} key {}", key + 1),
        Slot::IndexWhere { table, index } => format!("{table}.{index} where"),
        Slot::PolicyUsing { table, name } => format!("{table}.{name} using"),
        Slot::PolicyCheck { table, name } => format!("{table}.{name} with check"),
        Slot::View { view } => format!("{view} definition"),
    }
}
