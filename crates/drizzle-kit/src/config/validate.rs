//! Checking each value of a parsed `drizzle.toml`, expanding `${VAR}`s on the way and
//! collecting every problem rather than stopping at the first.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::raw::{RawConfig, RawCredentials, RawLint, RawRoles, StringList, StringOr};
use super::{FileConfig, InterpolateError, Located, interpolate};
use crate::diagnostics::{Problem, Source};
use crate::env::Environment;
use crate::settings::{Credentials, RolesFilter, Ssl};
use crate::suggest;
use crate::values::{CasingMode, Dialect, Extension, PrefixMode, RoleProvider, SslMode};

/// The typed config and every problem found; the config is only meaningful when there
/// are no problems.
pub(super) fn config(
    raw: RawConfig,
    dir: &Path,
    src: &Source,
    env: &Environment,
) -> (FileConfig, Vec<Problem>) {
    let mut v = Validator {
        src,
        env,
        problems: Vec::new(),
    };
    let config = v.config(raw, dir);
    (config, v.problems)
}

struct Validator<'a> {
    src: &'a Source,
    env: &'a Environment,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn config(&mut self, raw: RawConfig, dir: &Path) -> FileConfig {
        let dialect = raw.dialect.and_then(|d| self.dialect(d));
        let schema = raw
            .schema
            .map(|s| self.list("schema", s))
            .unwrap_or_default();
        let schema = self.non_empty_patterns(schema);
        let out = raw.out.and_then(|o| {
            let out = self.text("out", &o)?;
            if out.trim().is_empty() {
                self.error(
                    "`out` is empty",
                    o.span(),
                    "empty path",
                    "`out` defaults to \"drizzle\"",
                );
                return None;
            }
            Some(dir.join(out))
        });
        let casing = raw
            .casing
            .and_then(|c| self.word::<CasingMode>("casing", &c, CasingMode::NAMES));
        let tables_filter = raw.tables_filter.map(|l| {
            self.list("tables_filter", l)
                .into_iter()
                .map(|l| l.value)
                .collect()
        });
        let schema_filter = raw.schema_filter.map(|l| {
            self.list("schema_filter", l)
                .into_iter()
                .map(|l| l.value)
                .collect()
        });
        let extensions_filters = raw.extensions_filters.map(|l| {
            self.list("extensions_filters", l)
                .into_iter()
                .filter_map(|item| {
                    self.parse_word::<Extension>(
                        "extensions_filters",
                        item.value,
                        item.span,
                        Extension::NAMES,
                    )
                })
                .collect()
        });
        let credentials = raw.db_credentials.and_then(|c| self.credentials(c));
        let (migrations_table, migrations_schema, prefix) = match &raw.migrations {
            Some(m) => (
                m.table
                    .as_ref()
                    .and_then(|t| self.identifier("migrations.table", t)),
                m.schema
                    .as_ref()
                    .and_then(|s| self.identifier("migrations.schema", s)),
                m.prefix.as_ref().and_then(|p| {
                    self.word::<PrefixMode>("migrations.prefix", p, PrefixMode::NAMES)
                }),
            ),
            None => (None, None, None),
        };
        let (migrations_lock_timeout, migrations_statement_timeout) = match &raw.migrations {
            Some(m) => (
                m.lock_timeout
                    .as_ref()
                    .and_then(|t| self.duration("migrations.lock_timeout", t)),
                m.statement_timeout
                    .as_ref()
                    .and_then(|t| self.duration("migrations.statement_timeout", t)),
            ),
            None => (None, None),
        };
        let roles = raw
            .entities
            .and_then(|e| e.roles)
            .and_then(|r| self.roles(r));
        let lint = raw.lint.map(|l| self.lint(l));
        FileConfig {
            source: self.src.clone(),
            dir: dir.to_path_buf(),
            dialect,
            schema,
            out,
            breakpoints: raw.breakpoints,
            strict: raw.strict,
            verbose: raw.verbose,
            casing,
            tables_filter,
            schema_filter,
            extensions_filters,
            credentials,
            migrations_table,
            migrations_schema,
            prefix,
            migrations_lock_timeout,
            migrations_statement_timeout,
            roles,
            safe: raw.safe,
            lint,
        }
    }

    /// `[lint]`: every rule name must exist and appear in one list only.
    fn lint(&mut self, raw: RawLint) -> drizzle_lint::LintConfig {
        use drizzle_lint::{Level, Rule};
        let mut config = drizzle_lint::LintConfig::default();
        let mut seen: std::collections::BTreeMap<Rule, &str> = std::collections::BTreeMap::new();
        let lists = [
            ("allow", Level::Off, raw.allow),
            ("warn", Level::Warning, raw.warn),
            ("deny", Level::Error, raw.deny),
        ];
        for (list, level, names) in lists {
            for name in names.unwrap_or_default() {
                let key = format!("lint.{list}");
                let Some(text) = self.text(&key, &name) else {
                    continue;
                };
                let Some(rule) = Rule::from_name(&text) else {
                    self.error(
                        format!("unknown lint rule `{text}` in `{key}`"),
                        name.span(),
                        "unknown rule",
                        &suggest::help_for(&text, &Rule::NAMES),
                    );
                    continue;
                };
                if let Some(first) = seen.insert(rule, list) {
                    self.error(
                        format!("lint rule `{text}` is in both `lint.{first}` and `{key}`"),
                        name.span(),
                        "listed twice",
                        "keep it in one list",
                    );
                    continue;
                }
                config.levels.insert(rule, level);
            }
        }
        if let Some(value) = raw.lock_timeout
            && let Some(text) = self.text("lint.lock_timeout", &value)
        {
            if drizzle_lint::is_valid_lock_timeout(&text) {
                config.lock_timeout = text;
            } else {
                self.error(
                    format!("invalid `lint.lock_timeout` value `{text}`"),
                    value.span(),
                    "not a PostgreSQL duration",
                    "write a whole number with a unit, such as \"5s\", \"500ms\" or \"1min\"",
                );
            }
        }
        config
    }

    /// A PostgreSQL-style duration (`migrate`'s timeouts).
    fn duration(&mut self, key: &str, value: &Spanned<String>) -> Option<std::time::Duration> {
        let text = self.text(key, value)?;
        match crate::duration::parse(&text) {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    format!("invalid `{key}` value `{text}`"),
                    value.span(),
                    "not a duration",
                    &format!("write {}", crate::duration::EXPECTED),
                );
                None
            }
        }
    }

    fn error(&mut self, message: impl Into<String>, span: Range<usize>, label: &str, help: &str) {
        let problem = Problem::new(message).at(self.src, span, label);
        let problem = if help.is_empty() {
            problem
        } else {
            problem.with_help(help)
        };
        self.problems.push(problem);
    }

    /// The value with `${VAR}`s expanded, or `None` after recording why not.
    fn expand(&mut self, key: &str, value: &str, span: Range<usize>) -> Option<String> {
        match interpolate(value, self.env) {
            Ok(v) => Some(v),
            Err(InterpolateError::Unset(name)) => {
                self.error(
                    format!("environment variable `{name}` used by `{key}` is not set"),
                    span,
                    "references an unset variable",
                    &format!(
                        "set `{name}` in the environment or in a `.env` file next to the config"
                    ),
                );
                None
            }
            Err(e @ InterpolateError::Malformed(_)) => {
                self.error(
                    format!("{e} in `{key}`"),
                    span,
                    "malformed reference",
                    "variables are written `${NAME}` with NAME made of letters, digits and `_`",
                );
                None
            }
        }
    }

    fn text(&mut self, key: &str, value: &Spanned<String>) -> Option<String> {
        self.expand(key, value.get_ref(), value.span())
    }

    fn word<T: std::str::FromStr>(
        &mut self,
        key: &str,
        value: &Spanned<String>,
        names: &[&str],
    ) -> Option<T> {
        let text = self.text(key, value)?;
        self.parse_word(key, text, value.span(), names)
    }

    fn parse_word<T: std::str::FromStr>(
        &mut self,
        key: &str,
        text: String,
        span: Range<usize>,
        names: &[&str],
    ) -> Option<T> {
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.error(
                    format!("invalid `{key}` value `{text}`"),
                    span,
                    &format!("expected one of {}", suggest::quoted_list(names)),
                    &suggest::closest(&text, names)
                        .map(|c| format!("did you mean `{c}`?"))
                        .unwrap_or_default(),
                );
                None
            }
        }
    }

    fn dialect(&mut self, value: Spanned<String>) -> Option<Dialect> {
        let text = self.text("dialect", &value)?;
        if let Ok(d) = text.parse() {
            return Some(d);
        }
        let other_tool_dialect =
            ["mysql", "sqlite", "turso", "singlestore", "gel"].contains(&text.as_str());
        let help = if other_tool_dialect {
            "this tool only speaks PostgreSQL: use `dialect = \"postgresql\"`".to_owned()
        } else {
            suggest::help_for(&text, Dialect::NAMES)
        };
        self.error(
            format!("unsupported dialect `{text}`"),
            value.span(),
            "only `postgresql` is supported",
            &help,
        );
        None
    }

    fn list(&mut self, key: &str, value: Spanned<StringList>) -> Vec<Located<String>> {
        let outer = value.span();
        let items: Vec<(String, Range<usize>)> = match value.into_inner() {
            StringList::One(s) => vec![(s, outer)],
            StringList::Many(items) => items
                .into_iter()
                .map(|i| {
                    let span = i.span();
                    (i.into_inner(), span)
                })
                .collect(),
        };
        items
            .into_iter()
            .filter_map(|(text, span)| {
                let value = self.expand(key, &text, span.clone())?;
                Some(Located { value, span })
            })
            .collect()
    }

    fn non_empty_patterns(&mut self, patterns: Vec<Located<String>>) -> Vec<Located<String>> {
        patterns
            .into_iter()
            .filter(|p| {
                let empty = p.value.trim().is_empty();
                if empty {
                    self.error(
                        "empty `schema` path",
                        p.span.clone(),
                        "empty path",
                        "name a file, a directory or a glob such as \"src/db/**/*.rs\"",
                    );
                }
                !empty
            })
            .collect()
    }

    fn identifier(&mut self, key: &str, value: &Spanned<String>) -> Option<String> {
        let text = self.text(key, value)?;
        if text.is_empty() {
            self.error(
                format!("`{key}` is empty"),
                value.span(),
                "empty name",
                "remove the key to use the default",
            );
            return None;
        }
        Some(text)
    }

    fn credentials(&mut self, value: Spanned<RawCredentials>) -> Option<Credentials> {
        let table_span = value.span();
        let c = value.into_inner();
        if let (Some(_), Some(host)) = (&c.url, &c.host) {
            let host_span = host.span();
            self.problems.push(
                Problem::new("`db_credentials` sets both `url` and `host`")
                    .at(self.src, host_span, "`url` is already set")
                    .with_help("use either `url` alone, or `host` + `database` (and optionally port, user, password, ssl)"),
            );
            return None;
        }
        if let Some(url) = c.url {
            let text = self.text("db_credentials.url", &url)?;
            return self.url(text, url.span()).map(Credentials::Url);
        }
        let Some(host) = c.host else {
            self.error(
                "`db_credentials` needs `url` or `host`",
                table_span,
                "no connection given",
                "add `url = \"postgres://user:password@host:5432/db\"` or `host` + `database`",
            );
            return None;
        };
        let host_span = host.span();
        let host = self.text("db_credentials.host", &host);
        let Some(database) = c.database else {
            self.error(
                "`db_credentials` has `host` but no `database`",
                host_span,
                "`database` is missing",
                "add `database = \"<name>\"`",
            );
            return None;
        };
        let database = self.text("db_credentials.database", &database);
        let port = c.port.and_then(|p| self.port(p));
        let user = c.user.and_then(|u| self.text("db_credentials.user", &u));
        let password = c
            .password
            .and_then(|p| self.text("db_credentials.password", &p));
        let ssl = c.ssl.and_then(|s| self.ssl(s));
        Some(Credentials::Params {
            host: host?,
            port,
            user,
            password,
            database: database?,
            ssl,
        })
    }

    fn url(&mut self, text: String, span: Range<usize>) -> Option<String> {
        match url::Url::parse(&text) {
            Ok(u) if matches!(u.scheme(), "postgres" | "postgresql") => Some(text),
            // The message never repeats the URL: it usually holds a password.
            Ok(u) => {
                self.error(
                    format!("`db_credentials.url` has scheme `{}`", u.scheme()),
                    span,
                    "not a PostgreSQL URL",
                    "PostgreSQL URLs start with `postgres://` or `postgresql://`",
                );
                None
            }
            Err(e) => {
                self.error(
                    format!("`db_credentials.url` is not a valid URL ({e})"),
                    span,
                    "invalid URL",
                    "write it as `postgres://user:password@host:5432/db`",
                );
                None
            }
        }
    }

    fn port(&mut self, value: Spanned<StringOr<i64>>) -> Option<u16> {
        let span = value.span();
        let number = match value.into_inner() {
            StringOr::Native(n) => Some(n),
            StringOr::Text(t) => {
                let t = self.expand("db_credentials.port", &t, span.clone())?;
                t.trim().parse::<i64>().ok()
            }
        };
        match number
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| *n > 0)
        {
            Some(p) => Some(p),
            None => {
                self.error(
                    "`db_credentials.port` is not a port number",
                    span,
                    "expected 1..=65535",
                    "PostgreSQL listens on 5432 by default",
                );
                None
            }
        }
    }

    fn ssl(&mut self, value: Spanned<StringOr<bool>>) -> Option<Ssl> {
        let span = value.span();
        match value.into_inner() {
            StringOr::Native(b) => Some(Ssl::Enabled(b)),
            StringOr::Text(t) => {
                let t = self.expand("db_credentials.ssl", &t, span.clone())?;
                self.parse_word::<SslMode>("db_credentials.ssl", t, span, SslMode::NAMES)
                    .map(Ssl::Mode)
            }
        }
    }

    fn roles(&mut self, value: Spanned<RawRoles>) -> Option<RolesFilter> {
        match value.into_inner() {
            RawRoles::Enabled(enabled) => Some(RolesFilter {
                enabled,
                ..RolesFilter::default()
            }),
            RawRoles::Filter(f) => {
                let provider = f.provider.and_then(|p| {
                    self.word::<RoleProvider>("entities.roles.provider", &p, RoleProvider::NAMES)
                });
                let mut names = |key: &str, list: Option<Vec<Spanned<String>>>| -> Vec<String> {
                    list.unwrap_or_default()
                        .iter()
                        .filter_map(|n| self.text(key, n))
                        .collect()
                };
                let include = names("entities.roles.include", f.include);
                let exclude = names("entities.roles.exclude", f.exclude);
                Some(RolesFilter {
                    enabled: true,
                    provider,
                    include,
                    exclude,
                })
            }
        }
    }
}
