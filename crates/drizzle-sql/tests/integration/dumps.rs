//! Applying migrations to throwaway databases and comparing what they hold.

use drizzle_diff::Renames;
use drizzle_schema::Schema;
use drizzle_testkit::{TestDatabase, fresh_database};

/// A dump made comparable across migration paths: PostgreSQL cannot reorder columns, so a
/// column re-added by a migration sits last where a fresh database has it in place; the
/// column lines of each `CREATE TABLE` are sorted, and so are the dump's statements (column
/// comments follow column order). Storage options keep the order they were set in, which
/// means nothing: they are sorted too.
pub fn comparable(dump: &str) -> String {
    let mut blocks: Vec<String> = dump.split("\n\n").map(comparable_block).collect();
    blocks.sort();
    blocks.join("\n\n")
}

fn comparable_block(dump: &str) -> String {
    let dump: Vec<String> = dump.lines().map(sorted_options).collect();
    let dump = dump.join("\n");
    let mut out: Vec<String> = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    for line in dump.lines() {
        match &mut columns {
            Some(cols) if line.starts_with(')') => {
                cols.sort();
                let n = cols.len();
                for (i, c) in cols.iter().enumerate() {
                    out.push(if i + 1 < n {
                        format!("{c},")
                    } else {
                        c.clone()
                    });
                }
                out.push(line.to_owned());
                columns = None;
            }
            Some(cols) => cols.push(line.trim_end_matches(',').to_owned()),
            None => {
                out.push(line.to_owned());
                if line.starts_with("CREATE TABLE ") && line.ends_with('(') {
                    columns = Some(Vec::new());
                }
            }
        }
    }
    out.join("\n")
}

fn sorted_options(line: &str) -> String {
    let Some(rest) = line.strip_prefix("WITH (") else {
        return line.to_owned();
    };
    let Some(end) = rest.find(')') else {
        return line.to_owned();
    };
    let mut options: Vec<&str> = rest[..end].split(", ").collect();
    options.sort();
    format!("WITH ({}{}", options.join(", "), &rest[end..])
}

/// A fresh database with `scripts` applied in order, each as one transaction.
pub fn database_with(scripts: &[&str]) -> Result<TestDatabase, String> {
    let db = fresh_database();
    for (i, script) in scripts.iter().enumerate() {
        if script.trim().is_empty() {
            continue;
        }
        // CREATE INDEX CONCURRENTLY refuses transactions: the migrator runs such a file
        // statement by statement, and so do we.
        if script.contains(" CONCURRENTLY ") {
            let statements: Vec<&str> = script.split("--> statement-breakpoint").collect();
            if let Some((n, e)) = db.execute_statements(&statements).into_iter().next() {
                return Err(format!("script {i}, statement {n}: {e}\n{}", statements[n]));
            }
        } else {
            db.execute_script(script)
                .map_err(|e| format!("script {i}: {e}\n{script}"))?;
        }
    }
    Ok(db)
}

/// The SQL that creates `schema` from nothing.
pub fn creation(schema: &Schema) -> String {
    let changes = drizzle_diff::diff(&Schema::default(), schema, &Renames::new())
        .expect("an initial migration needs no decisions");
    drizzle_sql::join_statements(&drizzle_sql::render(&changes), true)
}

/// The dump of a database built by `scripts`, or why it could not be built.
pub fn dump_of(scripts: &[&str]) -> Result<String, String> {
    database_with(scripts).map(|db| comparable(&db.pg_dump_schema()))
}
