//! `${VAR}` references inside string values of `drizzle.toml`.

use crate::env::Environment;

/// Why a value could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterpolateError {
    /// The value names a variable that is not set.
    #[error("environment variable `{0}` is not set")]
    Unset(String),
    /// `${` without a closing `}` or with a name that is not a variable name.
    #[error("`${{{0}` is not a variable reference")]
    Malformed(String),
}

/// Replaces every `${NAME}` with the variable's value; a `$` not followed by `{` is kept,
/// so passwords containing `$` need no escaping.
pub fn interpolate(text: &str, env: &Environment) -> Result<String, InterpolateError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(InterpolateError::Malformed(after.to_owned()));
        };
        let name = &after[..end];
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(InterpolateError::Malformed(format!("{name}}}")));
        }
        let value = env
            .get(name)
            .ok_or_else(|| InterpolateError::Unset(name.to_owned()))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment::from_pairs([("HOST", "db"), ("PORT", "5433")])
    }

    #[test]
    fn expands_every_reference() {
        assert_eq!(
            interpolate("postgres://${HOST}:${PORT}/app", &env()).unwrap(),
            "postgres://db:5433/app"
        );
        assert_eq!(interpolate("pa$$word", &env()).unwrap(), "pa$$word");
    }

    #[test]
    fn names_the_unset_variable() {
        assert_eq!(
            interpolate("${NOPE}", &env()),
            Err(InterpolateError::Unset("NOPE".into()))
        );
    }

    #[test]
    fn rejects_malformed_references() {
        assert!(matches!(
            interpolate("${HOST", &env()),
            Err(InterpolateError::Malformed(_))
        ));
        assert!(matches!(
            interpolate("${1X}", &env()),
            Err(InterpolateError::Malformed(_))
        ));
    }
}
