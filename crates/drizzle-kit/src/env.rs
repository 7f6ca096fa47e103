//! The environment variables settings may read: the process environment, completed by
//! `.env` files (which never override a variable that is already set).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Problem;

/// A read-only view of the variables; built once so `${VAR}` lookups are reproducible
/// and tests never touch the real process environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    /// Only the given variables (tests).
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Environment {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The process environment plus `.env` from each directory in `dirs`, earlier
    /// directories winning over later ones.
    pub fn load(dirs: &[PathBuf]) -> Result<Self, Problem> {
        let mut vars: BTreeMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let mut seen: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            let file = dir.join(".env");
            let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
            if !file.is_file() || seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical);
            for (key, value) in read_dotenv(&file)? {
                vars.entry(key).or_insert(value);
            }
        }
        Ok(Environment { vars })
    }

    /// The variable's value, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }
}

fn read_dotenv(file: &Path) -> Result<Vec<(String, String)>, Problem> {
    let bad = |e: dotenvy::Error| {
        Problem::new(format!("cannot read {}: {e}", file.display()))
            .with_help("`.env` lines look like `NAME=value`")
    };
    let mut out = Vec::new();
    for item in dotenvy::from_path_iter(file).map_err(bad)? {
        out.push(item.map_err(bad)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_completes_but_never_overrides() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "DRIZZLE_KIT_TEST_ONLY_X=from-file\nPATH=nope\n",
        )
        .unwrap();
        let env = Environment::load(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(env.get("DRIZZLE_KIT_TEST_ONLY_X"), Some("from-file"));
        assert_ne!(env.get("PATH"), Some("nope"));
    }

    #[test]
    fn broken_dotenv_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "NOT A LINE\n").unwrap();
        let err = Environment::load(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(err.message.contains(".env"), "{}", err.message);
    }
}
