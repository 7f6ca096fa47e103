//! The risk report `push` shows before it changes anything: for every step that deletes
//! data, rewrites it, or fails on rows that do not fit, the rows concerned, counted on the
//! real data. Every count is one probe; all probes run in one round trip, each guarded so
//! that one failing probe reports its error instead of hiding the others.

use std::collections::HashMap;
use std::fmt::Write as _;

use drizzle_diff::{Change, TableRef};
use drizzle_schema::{Column, PUBLIC, Schema, qualified_key};
use drizzle_sql::{quote_ident, quote_literal};

/// How bad a step is when its count is not zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Data disappears or changes.
    Loss,
    /// The push fails (and rolls back) on the rows counted.
    Failure,
    /// Rows are rewritten without losing anything known.
    Rewrite,
}

/// One assessed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    /// What the step does (`Change::describe`).
    pub step: String,
    /// Its severity when it concerns rows.
    pub severity: Severity,
    /// What the counts mean, or why they are unknown.
    pub message: String,
    /// Whether the step needs the user's consent: it concerns rows, or its count is unknown.
    pub blocking: bool,
}

/// Every assessed step of a push, in statement order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The steps.
    pub risks: Vec<Risk>,
}

impl Report {
    /// Whether some step needs consent.
    pub fn is_risky(&self) -> bool {
        self.risks.iter().any(|r| r.blocking)
    }

    /// The report for stderr: one line per step, `!` data lost, `✗` the push would fail,
    /// `~` rows rewritten, `·` nothing concerned.
    pub fn render(&self) -> String {
        let mut out = String::from("Risks, counted on the data before any change:\n");
        for r in &self.risks {
            let mark = match (r.blocking, r.severity) {
                (false, Severity::Rewrite) if !r.message.starts_with("no ") => '~',
                (false, _) => '·',
                (true, Severity::Loss) => '!',
                (true, Severity::Failure) => '✗',
                (true, Severity::Rewrite) => '~',
            };
            let _ = writeln!(out, "  {mark} {}: {}", r.step, r.message);
        }
        out
    }
}

/// What a step's counts are about.
#[derive(Debug, Clone, Copy)]
enum Kind {
    DropTable,
    DropColumn,
    DropMaterializedView,
    NullsInNotNull,
    RequiredColumnOnRows,
    Duplicates,
    KeyViolations,
    CastFailures,
    RemovedEnumValues,
    CheckViolations,
    Orphans,
}

/// A step waiting for its probes (indexes into [`Probes::queries`]).
struct Pending {
    step: String,
    kind: Kind,
    probes: Vec<usize>,
}

/// The probes of one report: `SELECT`s returning one `int8`, plus the functions some need.
#[derive(Default)]
struct Probes {
    queries: Vec<String>,
    functions: Vec<String>,
    rows: HashMap<String, usize>,
}

impl Probes {
    fn add(&mut self, query: String) -> usize {
        self.queries.push(query);
        self.queries.len() - 1
    }

    /// The row count of `table` (a quoted name), shared by every step that needs it.
    fn rows(&mut self, table: &str) -> usize {
        if let Some(&id) = self.rows.get(table) {
            return id;
        }
        let id = self.add(format!("SELECT count(*) FROM {table}"));
        self.rows.insert(table.to_owned(), id);
        id
    }

    /// The script: guarded probes in a transaction that is rolled back, so nothing is left
    /// behind (the functions are temporary and die with it).
    fn script(&self) -> String {
        let mut sql = String::from(
            "BEGIN;\nSET LOCAL check_function_bodies = off;\n\
             CREATE FUNCTION pg_temp.__drizzle_probe(q text) RETURNS text LANGUAGE plpgsql AS $probe$ \
             DECLARE n int8; BEGIN EXECUTE q INTO n; RETURN n::text; \
             EXCEPTION WHEN others THEN RETURN 'error: ' || SQLERRM; END $probe$;\n",
        );
        for f in &self.functions {
            sql.push_str(f);
            sql.push('\n');
        }
        let rows: Vec<String> = self
            .queries
            .iter()
            .enumerate()
            .map(|(i, q)| format!("({i}, {})", quote_literal(q)))
            .collect();
        let _ = write!(
            sql,
            "SELECT p.id::text, pg_temp.__drizzle_probe(p.q) FROM (VALUES {}) AS p(id, q) ORDER BY p.id;\nROLLBACK;",
            rows.join(", ")
        );
        sql
    }
}

/// Names as they are before the push runs: steps name tables and columns by their new
/// names, the probes run before any rename.
struct Before<'a> {
    database: &'a Schema,
    changes: &'a [Change],
}

/// A table as it exists now, and how probes name it.
struct Source {
    /// Quoted name of the table today.
    quoted: String,
    /// `AS "new"` when the table is renamed, so qualified expressions written for the new
    /// name still resolve.
    alias: String,
    key: String,
}

impl Before<'_> {
    fn table(&self, table: &TableRef) -> Option<Source> {
        let mut schema = if table.schema.is_empty() {
            PUBLIC.to_owned()
        } else {
            table.schema.clone()
        };
        let mut name = table.name.clone();
        for change in self.changes.iter().rev() {
            match change {
                Change::RenameTable {
                    schema: s,
                    from,
                    to,
                } if *s == schema && *to == name => name = from.clone(),
                Change::MoveTable {
                    name: n,
                    from_schema,
                    to_schema,
                } if *to_schema == schema && *n == name => schema = from_schema.clone(),
                Change::RenameSchema { from, to } if *to == schema => schema = from.clone(),
                _ => {}
            }
        }
        let key = qualified_key(&schema, &name);
        self.database.tables.get(&key)?;
        let alias = if name == table.name {
            String::new()
        } else {
            format!(" AS {}", quote_ident(&table.name))
        };
        Some(Source {
            quoted: format!("{}.{}", quote_ident(&schema), quote_ident(&name)),
            alias,
            key,
        })
    }

    /// The column's name today, if it exists yet.
    fn column(&self, source: &Source, table: &TableRef, column: &str) -> Option<String> {
        let mut name = column.to_owned();
        for change in self.changes.iter().rev() {
            if let Change::RenameColumn { table: t, from, to } = change
                && t.key() == table.key()
                && *to == name
            {
                name = from.clone();
            }
        }
        self.database.tables[&source.key]
            .columns
            .contains_key(&name)
            .then_some(name)
    }

    /// An expression for the column's value in each existing row: the column, or for a
    /// column the push adds, its default (or NULL).
    fn value(&self, source: &Source, table: &TableRef, column: &str, files: &Schema) -> String {
        if let Some(name) = self.column(source, table, column) {
            return quote_ident(&name);
        }
        let declared = files
            .tables
            .get(&table.key())
            .and_then(|t| t.columns.get(column));
        match declared {
            Some(c) => match &c.default {
                Some(d) => format!("({})::{}", d.to_sql(), type_sql(c)),
                None => format!("NULL::{}", type_sql(c)),
            },
            None => "NULL".to_owned(),
        }
    }
}

/// A column type as a cast target: enums qualified, serials as their integer types.
pub(super) fn type_sql(c: &Column) -> String {
    if let Some(schema) = &c.type_schema {
        let split = c.sql_type.find('[').unwrap_or(c.sql_type.len());
        let (base, arrays) = c.sql_type.split_at(split);
        let schema = if schema.is_empty() { PUBLIC } else { schema };
        return format!("{}.{}{arrays}", quote_ident(schema), quote_ident(base));
    }
    match c.sql_type.as_str() {
        "smallserial" => "smallint".to_owned(),
        "serial" => "integer".to_owned(),
        "bigserial" => "bigint".to_owned(),
        other => other.to_owned(),
    }
}

/// The probes and steps for `changes`, which turn `database` into `files`.
fn plan(database: &Schema, files: &Schema, changes: &[Change]) -> (Probes, Vec<Pending>) {
    let before = Before { database, changes };
    let mut probes = Probes::default();
    let mut pending = Vec::new();
    let mut push = |step: &Change, kind: Kind, ids: Vec<usize>| {
        pending.push(Pending {
            step: step.describe(),
            kind,
            probes: ids,
        });
    };
    for change in changes {
        match change {
            Change::DropTable { table, .. } => {
                if let Some(src) = before.table(table) {
                    let id = probes.rows(&src.quoted);
                    push(change, Kind::DropTable, vec![id]);
                }
            }
            Change::DropView {
                schema,
                name,
                materialized: true,
            } => {
                let view = format!("{}.{}", quote_ident(schema), quote_ident(name));
                let id = probes.rows(&view);
                push(change, Kind::DropMaterializedView, vec![id]);
            }
            Change::DropColumn { table, column } => {
                if let Some(src) = before.table(table)
                    && let Some(name) = before.column(&src, table, column)
                {
                    let id = probes.add(format!(
                        "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
                        src.quoted,
                        quote_ident(&name)
                    ));
                    push(change, Kind::DropColumn, vec![id]);
                }
            }
            Change::SetNotNull { table, column } => {
                if let Some(src) = before.table(table)
                    && let Some(name) = before.column(&src, table, column)
                {
                    let id = probes.add(format!(
                        "SELECT count(*) FROM {} WHERE {} IS NULL",
                        src.quoted,
                        quote_ident(&name)
                    ));
                    push(change, Kind::NullsInNotNull, vec![id]);
                }
            }
            Change::AddColumn { .. } if change.data_risk().is_some() => {
                if let Change::AddColumn { table, .. } = change
                    && let Some(src) = before.table(table)
                {
                    let id = probes.rows(&src.quoted);
                    push(change, Kind::RequiredColumnOnRows, vec![id]);
                }
            }
            Change::AddUnique { table, unique } => {
                if let Some(src) = before.table(table) {
                    let values: Vec<String> = unique
                        .columns
                        .iter()
                        .map(|c| before.value(&src, table, c, files))
                        .collect();
                    let id = probes.add(duplicates(&src, &values, None, unique.nulls_not_distinct));
                    push(change, Kind::Duplicates, vec![id]);
                }
            }
            Change::CreateIndex {
                table,
                index,
                new_table: false,
            } if index.is_unique => {
                if let Some(src) = before.table(table) {
                    let values: Vec<String> = index
                        .columns
                        .iter()
                        .map(|c| {
                            if c.is_expression {
                                format!("({})", c.expression)
                            } else {
                                before.value(&src, table, &c.expression, files)
                            }
                        })
                        .collect();
                    let id = probes.add(duplicates(
                        &src,
                        &values,
                        index.where_clause.as_deref(),
                        false,
                    ));
                    push(change, Kind::Duplicates, vec![id]);
                }
            }
            Change::AddPrimaryKey {
                table,
                primary_key: pk,
            } => {
                if let Some(src) = before.table(table) {
                    let id = probes.add(key_violations(&before, &src, table, &pk.columns, files));
                    push(change, Kind::KeyViolations, vec![id]);
                }
            }
            Change::AddColumnPrimaryKey { table, columns } => {
                if let Some(src) = before.table(table) {
                    let id = probes.add(key_violations(&before, &src, table, columns, files));
                    push(change, Kind::KeyViolations, vec![id]);
                }
            }
            Change::AlterColumnType { table, from, to } => {
                if let Some(src) = before.table(table)
                    && let Some(name) = before.column(&src, table, &to.name)
                    && let Some((target, using)) = set_data_type(change)
                {
                    let column = quote_ident(&to.name);
                    let rows = format!(
                        "(SELECT {} AS {column} FROM {}) AS src",
                        quote_ident(&name),
                        src.quoted
                    );
                    let expression = using.unwrap_or_else(|| column.clone());
                    let k = probes.functions.len();
                    probes
                        .functions
                        .push(cast_function(k, &rows, &column, &expression, &target));
                    let failing = probes.add(format!("SELECT pg_temp.__drizzle_cast_{k}()"));
                    let changed = probes.add(format!(
                        "SELECT count(*) FROM {rows} WHERE ({expression})::{target}::{} IS DISTINCT FROM {column}",
                        type_sql(from)
                    ));
                    let total = probes.rows(&src.quoted);
                    push(change, Kind::CastFailures, vec![failing, changed, total]);
                }
            }
            Change::RecreateEnum { enum_, columns } => {
                // A value renamed by the same push is still under its old name in the rows.
                let mut allowed: Vec<String> = enum_.values.clone();
                for c in changes {
                    if let Change::RenameEnumValue {
                        schema,
                        name,
                        from,
                        to,
                    } = c
                        && *schema == enum_.schema
                        && *name == enum_.name
                        && allowed.contains(to)
                    {
                        allowed.push(from.clone());
                    }
                }
                let list: Vec<String> = allowed.iter().map(|v| quote_literal(v)).collect();
                let list = format!("ARRAY[{}]::text[]", list.join(", "));
                let mut ids = Vec::new();
                for column in columns.iter().filter(|c| c.restore) {
                    let Some(src) = before.table(&column.table) else {
                        continue;
                    };
                    let Some(name) = before.column(&src, &column.table, &column.column) else {
                        continue;
                    };
                    let quoted = quote_ident(&name);
                    let test = if column.array.is_empty() {
                        format!("{quoted}::text <> ALL({list})")
                    } else {
                        format!(
                            "EXISTS (SELECT 1 FROM unnest({quoted}) AS u(v) WHERE v::text <> ALL({list}))"
                        )
                    };
                    ids.push(probes.add(format!(
                        "SELECT count(*) FROM {} WHERE {quoted} IS NOT NULL AND {test}",
                        src.quoted
                    )));
                }
                if !ids.is_empty() {
                    push(change, Kind::RemovedEnumValues, ids);
                }
            }
            Change::AddCheck { table, check } => {
                if let Some(src) = before.table(table) {
                    let id = probes.add(format!(
                        "SELECT count(*) FROM {}{} WHERE ({}) IS FALSE",
                        src.quoted, src.alias, check.value
                    ));
                    push(change, Kind::CheckViolations, vec![id]);
                }
            }
            Change::AddForeignKey {
                table,
                foreign_key: fk,
                new_table: false,
            } => {
                if let Some(src) = before.table(table) {
                    let id = probes.add(orphans(&before, &src, table, fk, files));
                    push(change, Kind::Orphans, vec![id]);
                }
            }
            _ => {}
        }
    }
    (probes, pending)
}

/// Rows beyond the first of each value (`values` evaluated per row); NULLs are distinct
/// unless `nulls_not_distinct`.
fn duplicates(src: &Source, values: &[String], filter: Option<&str>, nulls_equal: bool) -> String {
    let select: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{v} AS c{i}"))
        .collect();
    let names: Vec<String> = (0..values.len()).map(|i| format!("c{i}")).collect();
    let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
    let not_null = if nulls_equal {
        String::new()
    } else {
        let tests: Vec<String> = names.iter().map(|n| format!("{n} IS NOT NULL")).collect();
        format!(" WHERE {}", tests.join(" AND "))
    };
    format!(
        "SELECT coalesce(sum(n - 1), 0)::int8 FROM (SELECT count(*) AS n FROM (SELECT {} FROM {}{}{filter}) AS s{not_null} GROUP BY {} HAVING count(*) > 1) AS d",
        select.join(", "),
        src.quoted,
        src.alias,
        names.join(", ")
    )
}

/// Duplicates plus rows with a NULL in a key column.
fn key_violations(
    before: &Before,
    src: &Source,
    table: &TableRef,
    columns: &[String],
    files: &Schema,
) -> String {
    let values: Vec<String> = columns
        .iter()
        .map(|c| before.value(src, table, c, files))
        .collect();
    let nulls: Vec<String> = values.iter().map(|v| format!("{v} IS NULL")).collect();
    format!(
        "SELECT ({}) + (SELECT count(*) FROM {} WHERE {})",
        duplicates(src, &values, None, false),
        src.quoted,
        nulls.join(" OR ")
    )
}

/// Rows whose key columns are all set but match no row of the referenced table.
fn orphans(
    before: &Before,
    src: &Source,
    table: &TableRef,
    fk: &drizzle_schema::ForeignKey,
    files: &Schema,
) -> String {
    let values: Vec<String> = fk
        .columns_from
        .iter()
        .map(|c| match before.column(src, table, c) {
            Some(name) => format!("src.{}", quote_ident(&name)),
            None => before.value(src, table, c, files),
        })
        .collect();
    let set: Vec<String> = values.iter().map(|v| format!("{v} IS NOT NULL")).collect();
    let target = TableRef {
        schema: fk.schema_to.clone().unwrap_or_else(|| PUBLIC.to_owned()),
        name: fk.table_to.clone(),
    };
    let matched = match before.table(&target) {
        Some(to) => {
            let pairs: Option<Vec<String>> = fk
                .columns_to
                .iter()
                .zip(&values)
                .map(|(c, v)| {
                    before
                        .column(&to, &target, c)
                        .map(|name| format!("ref.{} = {v}", quote_ident(&name)))
                })
                .collect();
            match pairs {
                Some(pairs) => format!(
                    " AND NOT EXISTS (SELECT 1 FROM {} AS ref WHERE {})",
                    to.quoted,
                    pairs.join(" AND ")
                ),
                None => String::new(),
            }
        }
        // The referenced table is created by the push: it starts empty.
        None => String::new(),
    };
    format!(
        "SELECT count(*) FROM {} AS src WHERE {}{matched}",
        src.quoted,
        set.join(" AND ")
    )
}

/// The target type and `USING` expression of a type change, as the renderer writes them.
fn set_data_type(change: &Change) -> Option<(String, Option<String>)> {
    drizzle_sql::render(std::slice::from_ref(change))
        .iter()
        .find_map(|s| {
            let (_, rest) = s.split_once(" SET DATA TYPE ")?;
            let rest = rest.trim_end().trim_end_matches(';');
            Some(match rest.split_once(" USING ") {
                Some((target, using)) => (target.to_owned(), Some(using.to_owned())),
                None => (rest.to_owned(), None),
            })
        })
}

/// `pg_temp.__drizzle_cast_<k>()`: how many rows of `rows` do not convert to `target` the
/// way `ALTER ... SET DATA TYPE` converts them (assignment to a `target` variable). All
/// rows at once first; only if that fails, row by row, each in its own subtransaction.
fn cast_function(k: usize, rows: &str, column: &str, expression: &str, target: &str) -> String {
    let one = format!("SELECT {expression} FROM (SELECT $1 AS {column}) AS s");
    format!(
        "CREATE FUNCTION pg_temp.__drizzle_cast_{k}() RETURNS int8 LANGUAGE plpgsql AS $cast$ \
         DECLARE x {target}; r record; n int8 := 0; \
         BEGIN \
           BEGIN FOR r IN SELECT {expression} AS v FROM {rows} LOOP x := r.v; END LOOP; RETURN 0; \
           EXCEPTION WHEN others THEN NULL; END; \
           FOR r IN SELECT {column} AS v FROM {rows} LOOP \
             BEGIN EXECUTE {} INTO x USING r.v; EXCEPTION WHEN others THEN n := n + 1; END; \
           END LOOP; \
           RETURN n; \
         END $cast$;",
        quote_literal(&one)
    )
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the counts of a step say.
fn explain(kind: Kind, counts: &[i64]) -> (Severity, String, bool) {
    let n = counts[0];
    let fails = "the push would fail";
    match kind {
        Kind::DropTable => (Severity::Loss, deletes(n, "row", "rows"), n > 0),
        Kind::DropMaterializedView => (
            Severity::Rewrite,
            format!("{} (computed, can be refreshed)", deletes(n, "row", "rows")),
            false,
        ),
        Kind::DropColumn => (
            Severity::Loss,
            deletes(n, "non-NULL value", "non-NULL values"),
            n > 0,
        ),
        Kind::NullsInNotNull => (
            Severity::Failure,
            if n == 0 {
                "no row holds NULL".to_owned()
            } else {
                format!("{} NULL; {fails}", plural(n, "row holds", "rows hold"))
            },
            n > 0,
        ),
        Kind::RequiredColumnOnRows => (
            Severity::Failure,
            if n == 0 {
                "no existing row needs a value".to_owned()
            } else {
                format!(
                    "{} would get no value for a NOT NULL column without a default; {fails}",
                    plural(n, "existing row", "existing rows")
                )
            },
            n > 0,
        ),
        Kind::Duplicates => (
            Severity::Failure,
            if n == 0 {
                "no duplicates in the existing rows".to_owned()
            } else {
                format!(
                    "{} another; {fails}",
                    plural(n, "row duplicates", "rows duplicate")
                )
            },
            n > 0,
        ),
        Kind::KeyViolations => (
            Severity::Failure,
            if n == 0 {
                "no duplicate or NULL key in the existing rows".to_owned()
            } else {
                format!(
                    "{} another or a NULL key; {fails}",
                    plural(n, "row duplicates", "rows duplicate")
                )
            },
            n > 0,
        ),
        Kind::CastFailures => {
            let (changed, total) = (counts[1], counts[2]);
            if n > 0 {
                (
                    Severity::Failure,
                    format!(
                        "{n} of {} do not convert; {fails}",
                        plural(total, "row", "rows")
                    ),
                    true,
                )
            } else if changed > 0 {
                (
                    Severity::Loss,
                    format!(
                        "{} of {} change in the conversion (rounded, truncated or reformatted)",
                        changed,
                        plural(total, "value", "values")
                    ),
                    true,
                )
            } else if total > 0 {
                (
                    Severity::Rewrite,
                    format!(
                        "rewrites {}, every value converts unchanged",
                        plural(total, "row", "rows")
                    ),
                    false,
                )
            } else {
                (Severity::Rewrite, "no rows to convert".to_owned(), false)
            }
        }
        Kind::RemovedEnumValues => {
            let n: i64 = counts.iter().sum();
            (
                Severity::Failure,
                if n == 0 {
                    "no row holds a removed value".to_owned()
                } else {
                    format!(
                        "{} a removed value; {fails}",
                        plural(n, "row holds", "rows hold")
                    )
                },
                n > 0,
            )
        }
        Kind::CheckViolations => (
            Severity::Failure,
            if n == 0 {
                "every existing row passes the check".to_owned()
            } else {
                format!("{} the check; {fails}", plural(n, "row fails", "rows fail"))
            },
            n > 0,
        ),
        Kind::Orphans => (
            Severity::Failure,
            if n == 0 {
                "every existing row references a row".to_owned()
            } else {
                format!(
                    "{} nothing; {fails}",
                    plural(n, "row references", "rows reference")
                )
            },
            n > 0,
        ),
    }
}

fn deletes(n: i64, one: &str, many: &str) -> String {
    if n == 0 {
        format!("no {many} to delete")
    } else {
        format!("deletes {}", plural(n, one, many))
    }
}

/// Counts, on the database `client` is connected to, what each of `changes` (which turn
/// `database` into `files`) risks. The client must not be inside a transaction.
pub fn assess(
    client: &mut postgres::Client,
    database: &Schema,
    files: &Schema,
    changes: &[Change],
) -> Result<Report, postgres::Error> {
    let (probes, pending) = plan(database, files, changes);
    if pending.is_empty() {
        return Ok(Report::default());
    }
    let messages = client.simple_query(&probes.script());
    let messages = match messages {
        Ok(m) => m,
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK");
            return Err(e);
        }
    };
    let mut results: Vec<Result<i64, String>> =
        vec![Err("no result".to_owned()); probes.queries.len()];
    for message in messages {
        if let postgres::SimpleQueryMessage::Row(row) = message
            && let Some(id) = row.get(0).and_then(|v| v.parse::<usize>().ok())
            && id < results.len()
        {
            let value = row.get(1).unwrap_or("error: no value");
            results[id] = match value.parse::<i64>() {
                Ok(n) => Ok(n),
                Err(_) => Err(value.trim_start_matches("error: ").to_owned()),
            };
        }
    }
    Ok(Report {
        risks: pending.into_iter().map(|p| assessed(p, &results)).collect(),
    })
}

fn assessed(p: Pending, results: &[Result<i64, String>]) -> Risk {
    let counts: Result<Vec<i64>, String> = p.probes.iter().map(|&i| results[i].clone()).collect();
    let counts = match (p.kind, counts) {
        (_, Ok(c)) => Ok(c),
        // The changed-values probe casts explicitly and may fail where the assignment does
        // not; the failing count decides then.
        (Kind::CastFailures, Err(_))
            if results[p.probes[0]].is_ok() && results[p.probes[2]].is_ok() =>
        {
            Ok(vec![
                results[p.probes[0]].clone().unwrap_or_default(),
                0,
                results[p.probes[2]].clone().unwrap_or_default(),
            ])
        }
        (_, Err(e)) => Err(e),
    };
    match counts {
        Ok(counts) => {
            let (severity, message, blocking) = explain(p.kind, &counts);
            Risk {
                step: p.step,
                severity,
                message,
                blocking,
            }
        }
        Err(error) => Risk {
            step: p.step,
            severity: Severity::Failure,
            message: format!("cannot count the rows concerned ({error})"),
            blocking: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::Table;

    fn database() -> Schema {
        let mut t = Table::new("public", "users");
        for c in ["id", "email", "legacy"] {
            t.columns.insert(c.into(), Column::new(c, "text"));
        }
        let mut s = Schema::default();
        s.tables.insert(t.key(), t);
        s
    }

    fn users() -> TableRef {
        TableRef {
            schema: "public".into(),
            name: "accounts".into(),
        }
    }

    #[test]
    fn probes_name_tables_and_columns_as_they_are_before_the_push() {
        let changes = vec![
            Change::RenameTable {
                schema: "public".into(),
                from: "users".into(),
                to: "accounts".into(),
            },
            Change::RenameColumn {
                table: users(),
                from: "email".into(),
                to: "mail".into(),
            },
            Change::SetNotNull {
                table: users(),
                column: "mail".into(),
            },
            Change::DropColumn {
                table: users(),
                column: "legacy".into(),
            },
            Change::AddUnique {
                table: users(),
                unique: drizzle_schema::UniqueConstraint {
                    name: "u".into(),
                    columns: vec!["mail".into(), "fresh".into()],
                    nulls_not_distinct: true,
                },
            },
        ];
        let (probes, pending) = plan(&database(), &Schema::default(), &changes);
        assert_eq!(pending.len(), 3);
        insta::assert_snapshot!(probes.queries.join("\n"));
    }

    #[test]
    fn counts_become_messages() {
        let report = Report {
            risks: vec![
                {
                    let (severity, message, blocking) = explain(Kind::DropTable, &[2]);
                    Risk {
                        step: "drop table \"public.t\"".into(),
                        severity,
                        message,
                        blocking,
                    }
                },
                {
                    let (severity, message, blocking) = explain(Kind::CastFailures, &[0, 0, 3]);
                    Risk {
                        step: "change type".into(),
                        severity,
                        message,
                        blocking,
                    }
                },
                {
                    let (severity, message, blocking) = explain(Kind::NullsInNotNull, &[0]);
                    Risk {
                        step: "make \"public.t.a\" NOT NULL".into(),
                        severity,
                        message,
                        blocking,
                    }
                },
            ],
        };
        assert!(report.is_risky());
        insta::assert_snapshot!(report.render());
    }
}
