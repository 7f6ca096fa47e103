//! "Did you mean" hints for misspelled keys, words and flags.

/// The candidate closest to `given`, if it is close enough to be a plausible typo.
pub fn closest<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lowered = given.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| {
            // Case and `-`/`_` slips (`tablesFilter`, `tables-filter`) are the most common typos
            // when translating a drizzle.config.ts, so they rank as exact matches.
            let folded_given = lowered.replace(['-', '_'], "");
            let folded_c = c.to_ascii_lowercase().replace(['-', '_'], "");
            let score = if folded_given == folded_c {
                1.0
            } else {
                strsim::jaro_winkler(&lowered, &c.to_ascii_lowercase())
            };
            (score, *c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `` `a`, `b`, `c` `` for messages.
pub fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A help line: "did you mean `x`?" when a close candidate exists, else the full list.
pub fn help_for(given: &str, candidates: &[&str]) -> String {
    match closest(given, candidates) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("expected one of {}", quoted_list(candidates)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_slips() {
        let keys = ["dialect", "schema", "out", "tables_filter"];
        assert_eq!(closest("dialet", &keys), Some("dialect"));
        assert_eq!(closest("tablesFilter", &keys), Some("tables_filter"));
        assert_eq!(closest("zzz", &keys), None);
    }

    #[test]
    fn help_falls_back_to_the_list() {
        assert_eq!(help_for("xyz", &["a", "b"]), "expected one of `a`, `b`");
        assert_eq!(
            help_for("indx", &["index", "none"]),
            "did you mean `index`?"
        );
    }
}
