//! What drizzle-orm's migrator does with a migration file's text.

use sha2::{Digest, Sha256};

/// The separator drizzle-kit writes between statements.
pub const BREAKPOINT: &str = "--> statement-breakpoint";

/// The hash recorded in `__drizzle_migrations.hash`: sha256 of the whole file, lowercase hex.
pub fn checksum(file_bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(file_bytes))
}

/// The chunks drizzle-orm executes one by one: the text split on [`BREAKPOINT`], each
/// chunk keeping its surrounding whitespace (as JavaScript's `split` does).
pub fn split_statements(sql: &str) -> Vec<&str> {
    sql.split(BREAKPOINT).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_sha256_hex() {
        assert_eq!(
            checksum(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn split_keeps_surrounding_text() {
        let sql = "CREATE TABLE \"t\" (\n\t\"id\" integer\n);\n--> statement-breakpoint\nCREATE INDEX \"i\" ON \"t\" (\"id\");--> statement-breakpoint\nSELECT 1;";
        assert_eq!(
            split_statements(sql),
            vec![
                "CREATE TABLE \"t\" (\n\t\"id\" integer\n);\n",
                "\nCREATE INDEX \"i\" ON \"t\" (\"id\");",
                "\nSELECT 1;"
            ]
        );
        assert_eq!(split_statements(""), vec![""]);
    }
}
