//! The part of the database push manages: the schemas, tables and roles the filters
//! select, applied to both sides so that what introspection leaves out is never created
//! or dropped.

use drizzle_introspect::{Options, RolesFilter};
use drizzle_schema::{PUBLIC, Schema};
use globset::{Glob, GlobMatcher};

use crate::cli::PushArgs;
use crate::diagnostics::Problem;
use crate::failure::Failure;
use crate::settings::Settings;

/// Introspection options: the flags, else the config.
pub(super) fn options(args: &PushArgs, settings: &Settings) -> Options {
    let pick = |flag: &[String], config: &[String]| {
        if flag.is_empty() {
            config.to_vec()
        } else {
            flag.to_vec()
        }
    };
    Options {
        schema_filter: pick(&args.schema_filter, &settings.schema_filter),
        tables_filter: pick(&args.tables_filter, &settings.tables_filter),
        ..configured(settings)
    }
}

/// Introspection options from the config alone (`check --db` has no filter flags).
pub(in crate::commands) fn configured(settings: &Settings) -> Options {
    let roles = &settings.roles;
    let mut exclude = roles.exclude.clone();
    if let Some(provider) = roles.provider {
        exclude.extend(
            super::super::pull::provider_roles(provider)
                .iter()
                .map(|r| (*r).to_owned()),
        );
    }
    Options {
        schema_filter: settings.schema_filter.clone(),
        tables_filter: settings.tables_filter.clone(),
        extensions_filters: settings
            .extensions_filters
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect(),
        roles: RolesFilter {
            enabled: roles.enabled,
            include: roles.include.clone(),
            exclude,
        },
    }
}

/// A compiled `tables_filter` glob: with a `.` it matches `schema.name`, else the name.
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

/// The same selection introspection makes, for the schema files' side.
pub(in crate::commands) struct Scope {
    schemas: Vec<String>,
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
    roles: RolesFilter,
}

impl Scope {
    /// Compiles the filters of `options`.
    pub(in crate::commands) fn new(options: &Options) -> Result<Scope, Failure> {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        for raw in &options.tables_filter {
            let (negated, pattern) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw.as_str()),
            };
            let matcher = Glob::new(pattern)
                .map_err(|e| {
                    Failure::rejected(
                        "the tables filter",
                        vec![Problem::new(format!("`{raw}` is not a valid glob: {e}"))],
                    )
                })?
                .compile_matcher();
            let compiled = Pattern {
                matcher,
                qualified: pattern.contains('.'),
            };
            if negated {
                exclude.push(compiled);
            } else {
                include.push(compiled);
            }
        }
        Ok(Scope {
            schemas: options.schema_filter.clone(),
            include,
            exclude,
            roles: options.roles.clone(),
        })
    }

    fn schema_kept(&self, schema: &str) -> bool {
        let schema = if schema.is_empty() { PUBLIC } else { schema };
        self.schemas.iter().any(|s| s == schema)
    }

    fn relation_kept(&self, schema: &str, name: &str) -> bool {
        let schema = if schema.is_empty() { PUBLIC } else { schema };
        self.schema_kept(schema)
            && (self.include.is_empty() || self.include.iter().any(|p| p.matches(schema, name)))
            && !self.exclude.iter().any(|p| p.matches(schema, name))
    }

    /// `schema` without what the filters leave out, and one line per object left out.
    pub(in crate::commands) fn apply(&self, schema: Schema) -> (Schema, Vec<String>) {
        let mut left_out = Vec::new();
        let mut out = schema;
        out.tables.retain(|key, t| {
            let kept = self.relation_kept(&t.schema, &t.name);
            if !kept {
                left_out.push(format!("table {key}"));
            }
            kept
        });
        out.views.retain(|key, v| {
            let kept = self.relation_kept(&v.schema, &v.name);
            if !kept {
                left_out.push(format!("view {key}"));
            }
            kept
        });
        out.enums.retain(|key, e| {
            let kept = self.schema_kept(&e.schema);
            if !kept {
                left_out.push(format!("enum {key}"));
            }
            kept
        });
        out.sequences.retain(|key, s| {
            let kept = self.schema_kept(&s.schema);
            if !kept {
                left_out.push(format!("sequence {key}"));
            }
            kept
        });
        out.schemas.retain(|name, _| {
            let kept = self.schema_kept(name);
            if !kept {
                left_out.push(format!("schema {name}"));
            }
            kept
        });
        // Roles are cluster-wide: without `[entities] roles` push neither reads nor writes
        // them, which is not worth a warning per declared role.
        out.roles.retain(|_, r| self.roles.keeps(&r.name));
        (out, left_out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_schema::{Enum, Table};

    #[test]
    fn filters_apply_to_the_schema_files_too() {
        let scope = Scope::new(&Options {
            schema_filter: vec!["public".into(), "app".into()],
            tables_filter: vec!["*".into(), "!tmp_*".into()],
            ..Options::default()
        })
        .unwrap();
        let mut schema = Schema::default();
        for (s, n) in [
            ("public", "users"),
            ("public", "tmp_x"),
            ("other", "t"),
            ("app", "a"),
        ] {
            let t = Table::new(s, n);
            schema.tables.insert(t.key(), t);
        }
        schema.enums.insert(
            "other.mood".into(),
            Enum {
                name: "mood".into(),
                schema: "other".into(),
                values: vec!["a".into()],
                value_renames: Default::default(),
                comment: None,
                renamed_from: None,
            },
        );
        let (kept, left_out) = scope.apply(schema);
        assert_eq!(
            kept.tables.keys().collect::<Vec<_>>(),
            ["public.users", "app.a"]
        );
        assert_eq!(
            left_out,
            ["table public.tmp_x", "table other.t", "enum other.mood"]
        );
    }
}
