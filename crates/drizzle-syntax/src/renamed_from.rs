//! `renamed_from` values: the old name, optionally schema-qualified.

use drizzle_schema::OldName;

/// Splits `"old_schema.old_name"` / `"old_name"`; anything else is a (message, help) pair.
pub(crate) fn qualified_old_name(value: &str) -> Result<OldName, (String, String)> {
    let parts: Vec<&str> = value.split('.').collect();
    let bad = || {
        (
            format!("invalid `renamed_from = \"{value}\"`"),
            "give the old name, optionally schema-qualified: `\"old_name\"` or `\"old_schema.old_name\"`"
                .to_string(),
        )
    };
    match parts.as_slice() {
        [name] if !name.is_empty() => Ok(OldName {
            schema: None,
            name: name.to_string(),
        }),
        [schema, name] if !schema.is_empty() && !name.is_empty() => Ok(OldName {
            schema: Some(schema.to_string()),
            name: name.to_string(),
        }),
        _ => Err(bad()),
    }
}

/// Checks an old name that cannot be schema-qualified (columns, roles, policies, schemas).
pub(crate) fn unqualified_old_name(value: &str, what: &str) -> Result<String, (String, String)> {
    if value.is_empty() || value.contains('.') {
        return Err((
            format!("invalid `renamed_from = \"{value}\"` on {what}"),
            format!("give the old name of {what} alone, without a schema or dots"),
        ));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names() {
        assert_eq!(
            qualified_old_name("a.b").unwrap().schema.as_deref(),
            Some("a")
        );
        assert!(qualified_old_name("a.b.c").is_err());
        assert!(qualified_old_name(".b").is_err());
        assert!(unqualified_old_name("x.y", "a column").is_err());
        assert_eq!(unqualified_old_name("x", "a column").unwrap(), "x");
    }
}
