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
}
