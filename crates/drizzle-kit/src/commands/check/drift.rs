//! Schema drift: the schema files against the last snapshot, as a list of changes and a
//! unified diff of the SQL that creates each.

use drizzle_diff::{DiffError, Renames};
use drizzle_schema::Schema;
use similar::TextDiff;

use super::finding::{Code, Finding};

/// The drift finding, or `None` when `current` is what `last` describes.
///
/// `last_name` names the snapshot in the message; `code` tells schema drift (files vs
/// snapshot) from database drift (database vs snapshot, `check --db`).
pub fn drift(last: &Schema, current: &Schema, last_name: &str, code: Code) -> Option<Finding> {
    let details = match drizzle_diff::plan(last, current, &Renames::new()) {
        Ok(plan) if plan.changes.is_empty() => return None,
        Ok(plan) => plan.changes.iter().map(|c| c.describe()).collect(),
        Err(DiffError::Ambiguous(candidates)) => candidates.iter().map(|c| c.question()).collect(),
        Err(e) => vec![e.to_string()],
    };
    let (message, fix) = match code {
        Code::DbDrift => (
            format!(
                "the database differs from {last_name}: objects were changed outside migrations"
            ),
            "put the change in the schema files and generate a migration, or undo it in the database",
        ),
        _ => (
            format!("the schema files differ from {last_name}"),
            "run `drizzle-kit generate` to write a migration for the change",
        ),
    };
    let mut finding = Finding::error(code, message, fix).with_details(details);
    let old = full_sql(last);
    let new = full_sql(current);
    finding.diff = Some(
        TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(3)
            .header(
                last_name,
                if code == Code::DbDrift {
                    "database"
                } else {
                    "schema files"
                },
            )
            .to_string(),
    );
    Some(finding)
}

/// The SQL that creates `schema` from nothing, one statement per line group.
fn full_sql(schema: &Schema) -> String {
    // Declaration order is not part of the schema: sorted, only real changes show.
    let mut schema = schema.clone();
    schema.schemas.sort_keys();
    schema.enums.sort_keys();
    schema.sequences.sort_keys();
    schema.roles.sort_keys();
    schema.policies.sort_keys();
    schema.views.sort_keys();
    schema.tables.sort_keys();
    match drizzle_diff::diff(&Schema::default(), &schema, &Renames::new()) {
        Ok(changes) => {
            let mut text = drizzle_sql::render(&changes).join("\n");
            text.push('\n');
            text
        }
        Err(e) => format!("-- cannot render: {e}\n"),
    }
}

/// `diff` with `+`/`-`/`@@` lines colored for a terminal.
pub fn colored(diff: &str) -> String {
    diff.lines()
        .map(|line| {
            let color = if line.starts_with("+++") || line.starts_with("---") {
                "\x1b[1m"
            } else if line.starts_with('+') {
                "\x1b[32m"
            } else if line.starts_with('-') {
                "\x1b[31m"
            } else if line.starts_with("@@") {
                "\x1b[36m"
            } else {
                return format!("{line}\n");
            };
            format!("{color}{line}\x1b[0m\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::{Column, Table};

    fn schema(columns: &[&str]) -> Schema {
        let mut table = Table::new("public", "users");
        for c in columns {
            table
                .columns
                .insert((*c).to_owned(), Column::new(*c, "integer"));
        }
        let mut s = Schema::default();
        s.tables.insert("public.users".to_owned(), table);
        s
    }

    #[test]
    fn no_drift_is_none() {
        let s = schema(&["id"]);
        assert!(drift(&s, &s, "meta/0000_snapshot.json", Code::SchemaDrift).is_none());
    }

    #[test]
    fn drift_lists_changes_and_diffs_the_sql() {
        let f = drift(
            &schema(&["id"]),
            &schema(&["id", "age"]),
            "meta/0000_snapshot.json",
            Code::SchemaDrift,
        )
        .unwrap();
        assert_eq!(f.details.len(), 1);
        let diff = f.diff.unwrap();
        assert!(diff.contains("+\t\"age\" integer"), "{diff}");
        assert!(colored(&diff).contains("\x1b[32m+"));
    }
}
