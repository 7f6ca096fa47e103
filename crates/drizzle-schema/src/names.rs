//! Default object names, following drizzle-kit's conventions so that databases it
//! created match ours. PostgreSQL truncates identifiers to 63 bytes; drizzle-kit 0.31
//! never does, and neither do we, so names compare equal across the two tools.

/// Composite primary key: `<table>_<col>_<col>_pk`.
pub fn primary_key(table: &str, columns: &[&str]) -> String {
    format!("{table}_{}_pk", columns.join("_"))
}

/// Unique constraint: `<table>_<col>_<col>_unique`.
pub fn unique(table: &str, columns: &[&str]) -> String {
    format!("{table}_{}_unique", columns.join("_"))
}

/// Index: `<table>_<col>_<col>_index`.
pub fn index(table: &str, columns: &[&str]) -> String {
    format!("{table}_{}_index", columns.join("_"))
}

/// Foreign key: `<table>_<cols>_<reftable>_<refcols>_fk`.
pub fn foreign_key(table: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> String {
    format!(
        "{table}_{}_{ref_table}_{}_fk",
        columns.join("_"),
        ref_columns.join("_")
    )
}

/// Identity sequence: `<table>_<column>_seq`.
pub fn identity_sequence(table: &str, column: &str) -> String {
    format!("{table}_{column}_seq")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_drizzle_kit() {
        assert_eq!(primary_key("t", &["a", "b"]), "t_a_b_pk");
        assert_eq!(unique("users", &["email"]), "users_email_unique");
        assert_eq!(index("parent", &["b", "a"]), "parent_b_a_index");
        assert_eq!(
            foreign_key("posts", &["author_id"], "users", &["id"]),
            "posts_author_id_users_id_fk"
        );
        assert_eq!(identity_sequence("t", "id"), "t_id_seq");
    }
}
