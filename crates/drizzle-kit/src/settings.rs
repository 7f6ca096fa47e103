//! One resolved `Settings` value per run: flags > environment > `drizzle.toml` > defaults.
//!
//! Commands never look at the config file or the flags themselves; everything they may
//! depend on is decided here, before any of them runs.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::config::{self, DEFAULT_FILE, FileConfig};
use crate::diagnostics::Source;
use crate::env::Environment;
use crate::failure::Failure;
use crate::values::{CasingMode, Dialect, Extension, PrefixMode, RoleProvider, SslMode};

/// How to reach the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A `postgres://` URL.
    Url(String),
    /// Separate connection parameters.
    Params {
        /// Server host name or address.
        host: String,
        /// Server port (5432 when absent).
        port: Option<u16>,
        /// User name.
        user: Option<String>,
        /// Password.
        password: Option<String>,
        /// Database name.
        database: String,
        /// TLS setting.
        ssl: Option<Ssl>,
    },
}

/// `ssl = true | false | "<mode>"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ssl {
    /// `true` / `false`.
    Enabled(bool),
    /// A libpq-style mode.
    Mode(SslMode),
}

/// Which database roles `push`, `pull` and `check --db` manage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolesFilter {
    /// Roles are cluster-wide, so they are left alone unless asked for.
    pub enabled: bool,
    /// Provider whose reserved roles are skipped.
    pub provider: Option<RoleProvider>,
    /// Only these roles, when non-empty.
    pub include: Vec<String>,
    /// Never these roles.
    pub exclude: Vec<String>,
}

/// Where a schema pattern came from, so a pattern matching nothing can be pointed at.
#[derive(Debug, Clone)]
pub enum Origin {
    /// `--schema`.
    Flag,
    /// The config file, at this span.
    Config {
        /// The config file.
        source: Source,
        /// The pattern's span.
        span: Range<usize>,
    },
}

/// A schema path or glob and the directory it is relative to.
#[derive(Debug, Clone)]
pub struct SchemaPattern {
    /// As written.
    pub pattern: String,
    /// The config file's directory, or the working directory for flags.
    pub base: PathBuf,
    /// Where it was written.
    pub origin: Origin,
}

/// Everything a command may depend on, fully resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file that was read, if any.
    pub config_path: Option<PathBuf>,
    /// SQL dialect.
    pub dialect: Dialect,
    /// Schema files to read.
    pub schema: Vec<SchemaPattern>,
    /// Migrations folder.
    pub out: PathBuf,
    /// Whether statements are separated by `--> statement-breakpoint`.
    pub breakpoints: bool,
    /// Ask before every statement (push).
    pub strict: bool,
    /// Print every statement.
    pub verbose: bool,
    /// Column-name casing for fields without an explicit name.
    pub casing: Option<CasingMode>,
    /// Table name globs for push/pull.
    pub tables_filter: Vec<String>,
    /// Schemas for push/pull.
    pub schema_filter: Vec<String>,
    /// Extensions whose tables are ignored.
    pub extensions_filters: Vec<Extension>,
    /// Database connection, if any.
    pub credentials: Option<Credentials>,
    /// Migrations tracking table.
    pub migrations_table: String,
    /// Schema of the tracking table.
    pub migrations_schema: String,
    /// PostgreSQL `lock_timeout` while `migrate` runs (`[migrations] lock_timeout`).
    pub migrations_lock_timeout: Option<std::time::Duration>,
    /// PostgreSQL `statement_timeout` while `migrate` runs (`[migrations] statement_timeout`).
    pub migrations_statement_timeout: Option<std::time::Duration>,
    /// Migration file prefix.
    pub prefix: PrefixMode,
    /// Role management.
    pub roles: RolesFilter,
    /// Write the safe form of migrations (`safe = true`, `generate --safe`).
    pub safe: bool,
    /// Lint rule levels and the safe form's `lock_timeout` (`[lint]`).
    pub lint: drizzle_lint::LintConfig,
}

/// Values given as flags; `None` means "not on the command line".
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--dialect`.
    pub dialect: Option<Dialect>,
    /// `--schema`, repeatable.
    pub schema: Vec<String>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--casing`.
    pub casing: Option<CasingMode>,
    /// `--prefix`.
    pub prefix: Option<PrefixMode>,
    /// `--breakpoints[=bool]`.
    pub breakpoints: Option<bool>,
    /// `--url`.
    pub url: Option<String>,
    /// `--safe`.
    pub safe: Option<bool>,
}

/// The variable read when no URL is given by flag or config.
pub const DATABASE_URL: &str = "DATABASE_URL";

impl Settings {
    /// Resolves the settings for a run started in `cwd`, reading the config file (the one
    /// named by `--config`, else `./drizzle.toml` when present) and `.env` files.
    pub fn resolve(flags: &Overrides, cwd: &Path) -> Result<Settings, Failure> {
        let config_path = match &flags.config {
            Some(p) => Some(cwd.join(p)),
            None => Some(cwd.join(DEFAULT_FILE)).filter(|p| p.is_file()),
        };
        let mut env_dirs = Vec::new();
        if let Some(dir) = config_path.as_deref().and_then(Path::parent) {
            env_dirs.push(dir.to_path_buf());
        }
        env_dirs.push(cwd.to_path_buf());
        let env = Environment::load(&env_dirs).map_err(|p| Failure::rejected(".env", vec![p]))?;
        let file = match &config_path {
            Some(path) => {
                let display = match &flags.config {
                    Some(given) => given.display().to_string(),
                    None => DEFAULT_FILE.to_owned(),
                };
                Some(
                    config::load(path, &display, &env)
                        .map_err(|p| Failure::rejected(display, p))?,
                )
            }
            None => None,
        };
        Ok(Self::merge(flags, file, config_path, &env, cwd))
    }

    /// The migrations folder as shown to the user: relative when it is below `cwd`.
    pub fn out_shown(&self, cwd: &Path) -> PathBuf {
        self.out
            .strip_prefix(cwd)
            .unwrap_or(&self.out)
            .to_path_buf()
    }

    /// Layers flags over the environment over the file over defaults.
    pub fn merge(
        flags: &Overrides,
        file: Option<FileConfig>,
        config_path: Option<PathBuf>,
        env: &Environment,
        cwd: &Path,
    ) -> Settings {
        let file_schema = file.as_ref().map(|f| {
            f.schema
                .iter()
                .map(|p| SchemaPattern {
                    pattern: p.value.clone(),
                    base: f.dir.clone(),
                    origin: Origin::Config {
                        source: f.source.clone(),
                        span: p.span.clone(),
                    },
                })
                .collect::<Vec<_>>()
        });
        let schema = if flags.schema.is_empty() {
            file_schema.unwrap_or_default()
        } else {
            flags
                .schema
                .iter()
                .map(|p| SchemaPattern {
                    pattern: p.clone(),
                    base: cwd.to_path_buf(),
                    origin: Origin::Flag,
                })
                .collect()
        };
        let f = file.as_ref();
        let credentials = match &flags.url {
            Some(url) => Some(Credentials::Url(url.clone())),
            None => f.and_then(|f| f.credentials.clone()).or_else(|| {
                env.get(DATABASE_URL)
                    .map(|u| Credentials::Url(u.to_owned()))
            }),
        };
        Settings {
            config_path,
            dialect: flags
                .dialect
                .or(f.and_then(|f| f.dialect))
                .unwrap_or(Dialect::Postgresql),
            schema,
            out: match &flags.out {
                Some(out) => cwd.join(out),
                None => f
                    .and_then(|f| f.out.clone())
                    .unwrap_or_else(|| f.map_or(cwd, |f| f.dir.as_path()).join("drizzle")),
            },
            breakpoints: flags
                .breakpoints
                .or(f.and_then(|f| f.breakpoints))
                .unwrap_or(true),
            strict: f.and_then(|f| f.strict).unwrap_or(false),
            verbose: f.and_then(|f| f.verbose).unwrap_or(false),
            casing: flags.casing.or(f.and_then(|f| f.casing)),
            tables_filter: f.and_then(|f| f.tables_filter.clone()).unwrap_or_default(),
            schema_filter: f
                .and_then(|f| f.schema_filter.clone())
                .unwrap_or_else(|| vec![drizzle_schema::PUBLIC.to_owned()]),
            extensions_filters: f
                .and_then(|f| f.extensions_filters.clone())
                .unwrap_or_default(),
            credentials,
            migrations_table: f
                .and_then(|f| f.migrations_table.clone())
                .unwrap_or_else(|| "__drizzle_migrations".to_owned()),
            migrations_schema: f
                .and_then(|f| f.migrations_schema.clone())
                .unwrap_or_else(|| "drizzle".to_owned()),
            migrations_lock_timeout: f.and_then(|f| f.migrations_lock_timeout),
            migrations_statement_timeout: f.and_then(|f| f.migrations_statement_timeout),
            prefix: flags
                .prefix
                .or(f.and_then(|f| f.prefix))
                .unwrap_or(PrefixMode::Index),
            roles: f.and_then(|f| f.roles.clone()).unwrap_or_default(),
            safe: flags.safe.or(f.and_then(|f| f.safe)).unwrap_or(false),
            lint: f.and_then(|f| f.lint.clone()).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, dir: &Path) -> FileConfig {
        config::parse("drizzle.toml", text, dir, &Environment::default()).unwrap()
    }

    #[test]
    fn defaults_without_file_or_flags() {
        let cwd = Path::new("/work");
        let s = Settings::merge(
            &Overrides::default(),
            None,
            None,
            &Environment::default(),
            cwd,
        );
        assert_eq!(s.out, Path::new("/work/drizzle"));
        assert!(s.breakpoints);
        assert_eq!(s.prefix, PrefixMode::Index);
        assert_eq!(s.schema_filter, ["public"]);
        assert_eq!(s.migrations_table, "__drizzle_migrations");
        assert!(s.credentials.is_none());
    }

    #[test]
    fn flags_override_the_file_and_paths_follow_their_origin() {
        let dir = Path::new("/proj/db");
        let f = file(
            "schema = \"schema.rs\"\nout = \"migrations\"\nbreakpoints = false\n[migrations]\nprefix = \"unix\"\n",
            dir,
        );
        let flags = Overrides {
            prefix: Some(PrefixMode::Timestamp),
            breakpoints: Some(true),
            ..Overrides::default()
        };
        let s = Settings::merge(
            &flags,
            Some(f.clone()),
            None,
            &Environment::default(),
            Path::new("/cwd"),
        );
        assert_eq!(s.prefix, PrefixMode::Timestamp);
        assert!(s.breakpoints);
        assert_eq!(s.out, Path::new("/proj/db/migrations"));
        assert_eq!(s.schema[0].base, Path::new("/proj/db"));

        let flags = Overrides {
            schema: vec!["other.rs".into()],
            out: Some("o".into()),
            ..Overrides::default()
        };
        let s = Settings::merge(
            &flags,
            Some(f),
            None,
            &Environment::default(),
            Path::new("/cwd"),
        );
        assert_eq!(s.schema.len(), 1);
        assert_eq!(s.schema[0].base, Path::new("/cwd"));
        assert_eq!(s.out, Path::new("/cwd/o"));
    }

    #[test]
    fn database_url_is_the_last_resort() {
        let env = Environment::from_pairs([(DATABASE_URL, "postgres://env/db")]);
        let cwd = Path::new("/w");
        let s = Settings::merge(&Overrides::default(), None, None, &env, cwd);
        assert_eq!(
            s.credentials,
            Some(Credentials::Url("postgres://env/db".into()))
        );

        let f = file("[db_credentials]\nurl = \"postgres://file/db\"\n", cwd);
        let s = Settings::merge(&Overrides::default(), Some(f), None, &env, cwd);
        assert_eq!(
            s.credentials,
            Some(Credentials::Url("postgres://file/db".into()))
        );

        let flags = Overrides {
            url: Some("postgres://flag/db".into()),
            ..Overrides::default()
        };
        let s = Settings::merge(&flags, None, None, &env, cwd);
        assert_eq!(
            s.credentials,
            Some(Credentials::Url("postgres://flag/db".into()))
        );
    }
}
