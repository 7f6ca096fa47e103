//! The short stderr summary of what a migration does.

use std::collections::BTreeMap;

use drizzle_diff::{Change, ChangeKind};

/// "3 changes: 2 tables, 1 index" (kinds in creation order), one line.
pub fn changes(changes: &[Change]) -> String {
    let mut counts: BTreeMap<ChangeKind, usize> = BTreeMap::new();
    for change in changes {
        *counts.entry(change.kind()).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.noun(*n)))
        .collect();
    let total = changes.len();
    let noun = if total == 1 { "change" } else { "changes" };
    format!("{total} {noun}: {}\n", parts.join(", "))
}

/// The lines under the count that deserve a second look: how many objects are renamed
/// (kept with their data), then one `! ` line per step that removes something or may lose
/// or reject existing rows, with what it risks.
pub fn highlights(changes: &[Change]) -> String {
    let mut out = String::new();
    let renames = changes.iter().filter(|c| c.is_rename()).count();
    if renames > 0 {
        let noun = if renames == 1 { "rename" } else { "renames" };
        out.push_str(&format!(
            "{renames} {noun} (objects kept with their data)\n"
        ));
    }
    for change in changes {
        match (change.data_risk(), change.is_drop()) {
            (Some(risk), _) => out.push_str(&format!("! {}: {risk}\n", change.describe())),
            (None, true) => out.push_str(&format!("! {}\n", change.describe())),
            (None, false) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::Table;

    #[test]
    fn counts_per_kind() {
        let changes = vec![
            Change::CreateTable(Table::new("public", "a")),
            Change::CreateTable(Table::new("public", "b")),
            Change::CreateSchema { name: "x".into() },
        ];
        assert_eq!(super::changes(&changes), "3 changes: 1 schema, 2 tables\n");
    }

    #[test]
    fn highlights_renames_and_destructive_steps() {
        let table = drizzle_diff::TableRef {
            schema: "public".into(),
            name: "t".into(),
        };
        let changes = vec![
            Change::RenameColumn {
                table: table.clone(),
                from: "a".into(),
                to: "b".into(),
            },
            Change::DropColumn {
                table: table.clone(),
                column: "c".into(),
            },
            Change::DropIndex {
                table,
                name: "t_i".into(),
            },
            Change::CreateSchema { name: "x".into() },
        ];
        insta::assert_snapshot!(highlights(&changes));
    }
}
