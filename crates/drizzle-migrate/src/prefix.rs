//! The part of a migration's file name before the `_`.

use chrono::{DateTime, Utc};
use std::str::FromStr;

/// How migration file names are prefixed (drizzle-kit's `--prefix` / `migrations.prefix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prefix {
    /// `0000`, `0001`, …: the journal index, zero-padded to 4 digits.
    #[default]
    Index,
    /// UTC `YYYYMMDDHHMMSS`.
    Timestamp,
    /// Same as `Timestamp` (Supabase's convention).
    Supabase,
    /// Epoch seconds.
    Unix,
    /// No prefix: `_name.sql` and `meta/_snapshot.json`.
    None,
}

/// An unknown `--prefix` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown migration prefix {0:?}; expected one of index, timestamp, supabase, unix, none")]
pub struct UnknownPrefix(
    /// The value given.
    pub String,
);

impl FromStr for Prefix {
    type Err = UnknownPrefix;

    fn from_str(s: &str) -> Result<Prefix, UnknownPrefix> {
        match s {
            "index" => Ok(Prefix::Index),
            "timestamp" => Ok(Prefix::Timestamp),
            "supabase" => Ok(Prefix::Supabase),
            "unix" => Ok(Prefix::Unix),
            "none" => Ok(Prefix::None),
            other => Err(UnknownPrefix(other.to_owned())),
        }
    }
}

impl Prefix {
    /// The prefix text for the migration with journal index `idx` created at `now`.
    pub fn render(self, idx: u32, now: DateTime<Utc>) -> String {
        match self {
            Prefix::Index => format!("{idx:04}"),
            Prefix::Timestamp | Prefix::Supabase => now.format("%Y%m%d%H%M%S").to_string(),
            Prefix::Unix => now.timestamp().to_string(),
            Prefix::None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn renders_each_mode() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 23, 37, 29).unwrap();
        let rendered: Vec<String> = ["index", "timestamp", "supabase", "unix", "none"]
            .iter()
            .map(|p| p.parse::<Prefix>().unwrap().render(7, now))
            .collect();
        assert_eq!(
            rendered,
            ["0007", "20261120233729", "20261120233729", "1795217849", ""]
        );
        assert_eq!(Prefix::Index.render(12345, now), "12345");
    }

    #[test]
    fn rejects_unknown_modes() {
        assert_eq!(
            "Index".parse::<Prefix>().unwrap_err().to_string(),
            "unknown migration prefix \"Index\"; expected one of index, timestamp, supabase, unix, none"
        );
    }
}
