//! What to introspect: schema, table, extension and role filters.

use globset::{Glob, GlobMatcher};

use crate::IntrospectError;

/// Introspection settings, mirroring drizzle-kit's config keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Schemas to read (`schemaFilter`); default `["public"]`.
    pub schema_filter: Vec<String>,
    /// Globs on table and view names (`tablesFilter`); `!pattern` excludes. A name is kept when
    /// it matches some positive pattern (or there is none) and no negative one. A pattern with
    /// a `.` is matched against `schema.name`, others against the bare name.
    pub tables_filter: Vec<String>,
    /// Extensions whose well-known tables are left out even when not owned by the extension
    /// (`extensionsFilters`, e.g. `postgis`).
    pub extensions_filters: Vec<String>,
    /// Whether and which roles to read.
    pub roles: RolesFilter,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            schema_filter: vec![drizzle_schema::PUBLIC.to_owned()],
            tables_filter: Vec::new(),
            extensions_filters: Vec::new(),
            roles: RolesFilter::default(),
        }
    }
}

/// drizzle-kit's `entities.roles`: roles are cluster-wide, so they are read only on request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolesFilter {
    /// Read roles at all.
    pub enabled: bool,
    /// When non-empty, only these roles.
    pub include: Vec<String>,
    /// Roles to leave out.
    pub exclude: Vec<String>,
}

impl RolesFilter {
    /// Whether a role of this name is read.
    pub fn keeps(&self, name: &str) -> bool {
        self.enabled
            && (self.include.is_empty() || self.include.iter().any(|r| r == name))
            && !self.exclude.iter().any(|r| r == name)
    }
}

/// Tables that extensions create as plain tables (so ownership does not exclude them).
fn extension_tables(extension: &str) -> &'static [&'static str] {
    match extension {
        "postgis" => &["geography_columns", "geometry_columns", "spatial_ref_sys"],
        _ => &[],
    }
}

/// Compiled `tables_filter` plus the extension tables.
#[derive(Debug)]
pub(crate) struct TableFilter {
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
}

#[derive(Debug)]
struct Pattern {
    matcher: GlobMatcher,
    qualified: bool,
}

impl Pattern {
    fn matches(&self, schema: &str, name: &str) -> bool {
        if self.qualified {
            self.matcher.is_match(format!("{schema}.{name}"))
        } else {
            self.matcher.is_match(name)
        }
    }
}

impl TableFilter {
    /// Compiles the options' filters.
    pub(crate) fn new(options: &Options) -> Result<TableFilter, IntrospectError> {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        for raw in &options.tables_filter {
            let (negated, pattern) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw.as_str()),
            };
            let compiled = compile(raw, pattern)?;
            if negated {
                exclude.push(compiled);
            } else {
                include.push(compiled);
            }
        }
        for extension in &options.extensions_filters {
            for table in extension_tables(extension) {
                exclude.push(compile(table, table)?);
            }
        }
        Ok(TableFilter { include, exclude })
    }

    /// Whether the relation `schema.name` is introspected.
    pub(crate) fn keeps(&self, schema: &str, name: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|p| p.matches(schema, name)))
            && !self.exclude.iter().any(|p| p.matches(schema, name))
    }
}

fn compile(raw: &str, pattern: &str) -> Result<Pattern, IntrospectError> {
    let glob = Glob::new(pattern).map_err(|e| IntrospectError::BadFilter {
        pattern: raw.to_owned(),
        message: e.to_string(),
    })?;
    Ok(Pattern {
        matcher: glob.compile_matcher(),
        qualified: pattern.contains('.'),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(patterns: &[&str]) -> TableFilter {
        TableFilter::new(&Options {
            tables_filter: patterns.iter().map(|p| p.to_string()).collect(),
            ..Options::default()
        })
        .unwrap()
    }

    #[test]
    fn negation_really_excludes() {
        // drizzle-kit keeps `posts` here because `!users_tmp` "matches" it; we do not.
        let f = filter(&["users*", "!users_tmp"]);
        assert!(f.keeps("public", "users"));
        assert!(f.keeps("public", "users_archive"));
        assert!(!f.keeps("public", "users_tmp"));
        assert!(!f.keeps("public", "posts"));
    }

    #[test]
    fn only_negations_keep_everything_else() {
        let f = filter(&["!tmp_*"]);
        assert!(f.keeps("public", "users"));
        assert!(!f.keeps("public", "tmp_x"));
    }

    #[test]
    fn qualified_patterns_match_schema_and_name() {
        let f = filter(&["app.*"]);
        assert!(f.keeps("app", "users"));
        assert!(!f.keeps("public", "users"));
    }

    #[test]
    fn postgis_tables_are_left_out() {
        let f = TableFilter::new(&Options {
            extensions_filters: vec!["postgis".into()],
            ..Options::default()
        })
        .unwrap();
        assert!(!f.keeps("public", "spatial_ref_sys"));
        assert!(f.keeps("public", "users"));
    }

    #[test]
    fn bad_globs_are_errors() {
        let err = TableFilter::new(&Options {
            tables_filter: vec!["[oops".into()],
            ..Options::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("[oops"), "{err}");
    }

    #[test]
    fn roles_filter() {
        let mut roles = RolesFilter::default();
        assert!(!roles.keeps("admin"));
        roles.enabled = true;
        roles.exclude = vec!["postgres".into()];
        assert!(roles.keeps("admin"));
        assert!(!roles.keeps("postgres"));
        roles.include = vec!["reader".into()];
        assert!(!roles.keeps("admin"));
        assert!(roles.keeps("reader"));
    }
}
