//! The roles a migrations folder creates, read from its snapshots, for [`crate::exclusive_roles`].

use std::collections::BTreeSet;
use std::path::Path;

/// Every role declared by any snapshot (`meta/NNNN_snapshot.json`) of a drizzle migrations
/// folder, sorted: the roles its migrations create or rename to. A folder without snapshots
/// has none.
///
/// Panics when a snapshot cannot be read or is not JSON: the folder is a broken fixture.
pub fn roles_in_migrations(folder: &Path) -> Vec<String> {
    let meta = folder.join("meta");
    let Ok(entries) = std::fs::read_dir(&meta) else {
        return Vec::new();
    };
    let mut roles = BTreeSet::new();
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("drizzle-testkit: {}: {e}", meta.display()))
            .path();
        let is_snapshot = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with("_snapshot.json") && !name.starts_with('_'));
        if !is_snapshot {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("drizzle-testkit: {}: {e}", path.display()));
        let snapshot: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("drizzle-testkit: {}: {e}", path.display()));
        if let Some(declared) = snapshot["roles"].as_object() {
            roles.extend(declared.keys().cloned());
        }
    }
    roles.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str) -> std::path::PathBuf {
        crate::fixtures::root().join("cases").join(name).join("out")
    }

    #[test]
    fn roles_of_every_version_are_found() {
        assert_eq!(
            roles_in_migrations(&case("53_role_alter")),
            ["brand_new", "change_opts", "drop_me"]
        );
        assert_eq!(
            roles_in_migrations(&case("64_rename_policy_role")),
            ["new_role", "old_role"]
        );
    }

    #[test]
    fn folders_without_roles_or_snapshots_have_none() {
        assert!(roles_in_migrations(&case("01_types_integers")).is_empty());
        let empty = tempfile::tempdir().expect("temp dir");
        assert!(roles_in_migrations(empty.path()).is_empty());
    }
}
