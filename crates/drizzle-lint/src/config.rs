//! Which rules run and at which level (`[lint]` in drizzle.toml).

use std::collections::BTreeMap;

use crate::rules::{Level, Rule};

/// The `lock_timeout` the safe form sets when config names none.
pub const DEFAULT_LOCK_TIMEOUT: &str = "5s";

/// Rule levels and the safe form's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintConfig {
    /// Levels that differ from each rule's default.
    pub levels: BTreeMap<Rule, Level>,
    /// The value the safe form gives `lock_timeout` (a PostgreSQL duration such as `5s`).
    pub lock_timeout: String,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            levels: BTreeMap::new(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT.to_owned(),
        }
    }
}

impl LintConfig {
    /// The level `rule` reports at.
    pub fn level(&self, rule: Rule) -> Level {
        self.levels
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_level())
    }
}

/// Whether `value` is a duration PostgreSQL accepts for `lock_timeout`: a whole number
/// with an optional unit (`500ms`, `5s`, `1min`); a bare number is milliseconds.
pub fn is_valid_lock_timeout(value: &str) -> bool {
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && ["", "us", "ms", "s", "min", "h", "d"].contains(&value[digits..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_default_per_rule() {
        let mut config = LintConfig::default();
        assert_eq!(config.level(Rule::DropColumn), Level::Warning);
        assert_eq!(config.level(Rule::ConcurrentlyInTransaction), Level::Error);
        config.levels.insert(Rule::DropColumn, Level::Off);
        assert_eq!(config.level(Rule::DropColumn), Level::Off);
    }

    #[test]
    fn lock_timeouts() {
        for ok in ["5s", "500ms", "1min", "2000", "3 s"] {
            assert!(is_valid_lock_timeout(ok), "{ok}");
        }
        for bad in ["", "s", "5 seconds", "-1s", "1.5s"] {
            assert!(!is_valid_lock_timeout(bad), "{bad}");
        }
    }
}
