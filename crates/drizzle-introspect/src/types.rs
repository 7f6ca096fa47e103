//! Column type spelling: `format_type()` text to drizzle-kit's spelling.

/// drizzle-kit's spelling of a scalar type as PostgreSQL's `format_type()` prints it:
/// `character varying(255)` → `varchar(255)`, `numeric(10,2)` → `numeric(10, 2)`,
/// `timestamp(3) without time zone` → `timestamp(3)`; `with time zone` forms are kept.
pub fn spell_type(formatted: &str) -> String {
    let t = formatted.trim();
    if let Some(rest) = t.strip_prefix("character varying") {
        return format!("varchar{rest}");
    }
    if let Some(rest) = t.strip_prefix("character")
        && (rest.is_empty() || rest.starts_with('('))
    {
        return format!("char{rest}");
    }
    if t == "bpchar" {
        return "char".to_owned();
    }
    if let Some(args) = t.strip_prefix("numeric(").and_then(|r| r.strip_suffix(')')) {
        let parts: Vec<&str> = args.split(',').map(str::trim).collect();
        return format!("numeric({})", parts.join(", "));
    }
    for base in ["timestamp", "time"] {
        if let Some(precision) = t
            .strip_prefix(base)
            .and_then(|rest| rest.strip_suffix(" without time zone"))
            && (precision.is_empty() || precision.starts_with('('))
        {
            return format!("{base}{precision}");
        }
    }
    t.to_owned()
}

/// Splits trailing `[]` (or `[n]`) suffixes off a type: `integer[3][]` → (`integer`, 2).
pub(crate) fn split_array(sql_type: &str) -> (&str, usize) {
    let mut base = sql_type.trim_end();
    let mut dims = 0;
    while base.ends_with(']') {
        match base.rfind('[') {
            Some(open)
                if base[open + 1..base.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                base = base[..open].trim_end();
                dims += 1;
            }
            _ => break,
        }
    }
    (base, dims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_like_drizzle_kit() {
        let cases = [
            ("character varying(255)", "varchar(255)"),
            ("character varying", "varchar"),
            ("character(3)", "char(3)"),
            ("character(1)", "char(1)"),
            ("numeric(10,2)", "numeric(10, 2)"),
            ("numeric", "numeric"),
            ("timestamp(3) without time zone", "timestamp(3)"),
            ("timestamp without time zone", "timestamp"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("timestamp with time zone", "timestamp with time zone"),
            ("time(6) without time zone", "time(6)"),
            ("time with time zone", "time with time zone"),
            ("double precision", "double precision"),
            ("interval day to second(3)", "interval day to second(3)"),
            ("bit varying(16)", "bit varying(16)"),
        ];
        for (formatted, expected) in cases {
            assert_eq!(spell_type(formatted), expected, "{formatted}");
        }
    }

    #[test]
    fn splits_array_suffixes() {
        assert_eq!(split_array("integer[]"), ("integer", 1));
        assert_eq!(split_array("integer[3][]"), ("integer", 2));
        assert_eq!(split_array("text"), ("text", 0));
        assert_eq!(split_array("varchar(20)[]"), ("varchar(20)", 1));
    }
}
