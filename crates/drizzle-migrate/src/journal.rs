//! `meta/_journal.json`: the ordered list of migrations.

use crate::FolderError;
use drizzle_schema::json::Json;
use serde::Deserialize;
use std::path::Path;

/// The journal's `version` and every entry's `version` (the snapshot version).
pub const JOURNAL_VERSION: &str = "7";

/// The journal's dialect.
pub const JOURNAL_DIALECT: &str = "postgresql";

/// The journal: which migrations exist, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Journal {
    /// Journal format version (`"7"`).
    pub version: String,
    /// `"postgresql"`.
    pub dialect: String,
    /// Migrations in the order they apply.
    pub entries: Vec<JournalEntry>,
}

/// One migration of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JournalEntry {
    /// Position, one more than the previous entry's.
    pub idx: u32,
    /// Snapshot version (`"7"`).
    pub version: String,
    /// Creation time in epoch milliseconds; the migrator records it as `created_at`.
    pub when: u64,
    /// File name without `.sql`.
    pub tag: String,
    /// Whether statements are separated by breakpoints.
    pub breakpoints: bool,
}

impl Journal {
    /// The journal of a folder without migrations.
    pub fn empty() -> Journal {
        Journal {
            version: JOURNAL_VERSION.to_owned(),
            dialect: JOURNAL_DIALECT.to_owned(),
            entries: Vec::new(),
        }
    }

    /// Parses journal text; `path` is only used in error messages.
    pub fn from_json(text: &str, path: &Path) -> Result<Journal, FolderError> {
        let journal: Journal = serde_json::from_str(text).map_err(|e| FolderError::Journal {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        if journal.dialect != JOURNAL_DIALECT {
            return Err(FolderError::Journal {
                path: path.to_owned(),
                line: 0,
                column: 0,
                message: format!(
                    "dialect is {:?}; only \"postgresql\" folders are supported",
                    journal.dialect
                ),
            });
        }
        Ok(journal)
    }

    /// The file text as drizzle-kit writes it (2-space indent, no trailing newline).
    pub fn to_json(&self) -> String {
        let mut root = Json::object();
        root.push("version", Json::str(&self.version));
        root.push("dialect", Json::str(&self.dialect));
        let entries = self
            .entries
            .iter()
            .map(|e| {
                let mut o = Json::object();
                o.push("idx", Json::Number(e.idx.to_string()));
                o.push("version", Json::str(&e.version));
                o.push("when", Json::Number(e.when.to_string()));
                o.push("tag", Json::str(&e.tag));
                o.push("breakpoints", Json::Bool(e.breakpoints));
                o
            })
            .collect();
        root.push("entries", Json::Array(entries));
        root.to_pretty()
    }

    /// The `idx` of the next entry: last `idx` + 1, or 0.
    pub fn next_idx(&self) -> u32 {
        self.entries.last().map_or(0, |e| e.idx + 1)
    }
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_drizzle_kit_layout() {
        let mut journal = Journal::empty();
        assert_eq!(
            journal.to_json(),
            "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": []\n}"
        );
        journal.entries.push(JournalEntry {
            idx: 0,
            version: "7".into(),
            when: 1795217789767,
            tag: "0000_icy_big_bertha".into(),
            breakpoints: true,
        });
        insta::assert_snapshot!(journal.to_json());
        assert_eq!(journal.next_idx(), 1);
    }

    #[test]
    fn reads_compact_journal_of_a_fresh_folder() {
        let j = Journal::from_json(
            r#"{"version":"7","dialect":"postgresql","entries":[]}"#,
            Path::new("meta/_journal.json"),
        )
        .unwrap();
        assert_eq!(j, Journal::empty());
    }

    #[test]
    fn malformed_journals_name_path_and_position() {
        let path = Path::new("drizzle/meta/_journal.json");
        let messages = [
            "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [\n    { \"idx\": \"zero\" }\n  ]\n}",
            "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [\n",
            "{\"version\":\"5\",\"dialect\":\"mysql\",\"entries\":[]}",
        ]
        .map(|text| Journal::from_json(text, path).unwrap_err().to_string());
        insta::assert_snapshot!(messages.join("\n"));
    }
}
