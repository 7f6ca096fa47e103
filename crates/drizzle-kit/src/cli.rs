//! The command line, declared with clap's derive; the only module that knows about flags.

use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use drizzle_diff::{Creation, Rename, Renames};

use crate::settings::Overrides;
use crate::values::{CasingMode, Dialect, PrefixMode, UnknownWord};

/// drizzle-kit for Rust: PostgreSQL migrations from `#[derive(Table)]` structs.
#[derive(Debug, Parser)]
#[command(
    name = "drizzle-kit",
    version,
    term_width = 100,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a SQL migration for the changes between the schema files and the last snapshot
    Generate(GenerateArgs),
    /// Print the SQL (or snapshot JSON) that creates the whole current schema
    Export(ExportArgs),
    /// Check the migrations folder, the schema against the last snapshot, and lint the migrations
    Check(CheckArgs),
    /// Read a live database and write it as a Rust schema file, plus a baseline migration
    Pull(PullArgs),
    /// Apply the schema files to a live database in one transaction, after a risk report
    Push(PushArgs),
    /// Apply the pending migrations of the migrations folder, verified and under a lock
    Migrate(MigrateArgs),
}

/// Flags every command takes: the config file and the keys it could hold.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Config file [default: ./drizzle.toml when it exists]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// SQL dialect
    #[arg(long, value_name = "DIALECT", value_parser = words::<Dialect>(Dialect::NAMES))]
    pub dialect: Option<Dialect>,
    /// Schema file, directory or glob; repeat for several [overrides the config's `schema`]
    #[arg(long, value_name = "PATH")]
    pub schema: Vec<String>,
    /// Column names for fields without `name = "..."`
    #[arg(long, value_name = "CASING", value_parser = words::<CasingMode>(CasingMode::NAMES))]
    pub casing: Option<CasingMode>,
    /// Database URL [default: config `db_credentials`, else $DATABASE_URL]
    #[arg(long, value_name = "URL", value_parser = postgres_url)]
    pub url: Option<String>,
}

/// `drizzle-kit generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Config and schema location.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Migrations folder [default: config `out`, else "drizzle"]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Migration name (the part after the prefix) [default: a random name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Migration file prefix [default: config `migrations.prefix`, else index]
    #[arg(long, value_name = "PREFIX", value_parser = words::<PrefixMode>(PrefixMode::NAMES))]
    pub prefix: Option<PrefixMode>,
    /// Separate statements with `--> statement-breakpoint` [default: config, else true]
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true"
    )]
    pub breakpoints: Option<bool>,
    /// Write an empty migration to fill in by hand, even when nothing changed
    #[arg(long)]
    pub custom: bool,
    /// Decide a rename without `renamed_from`: KIND:OLD=NEW, e.g. column:users.name=full_name
    /// (repeatable)
    #[arg(long, value_name = "KIND:OLD=NEW", value_parser = Rename::parse)]
    pub rename: Vec<Rename>,
    /// Decide that a new object is created, not renamed: KIND:NAME, e.g. table:accounts
    /// (repeatable)
    #[arg(long, value_name = "KIND:NAME", value_parser = Creation::parse)]
    pub create: Vec<Creation>,
    /// Write the safe form: lock_timeout first, constraints NOT VALID then validated, indexes
    /// built CONCURRENTLY in a second, no-transaction migration [default: config `safe`]
    #[arg(long)]
    pub safe: bool,
    /// Print what was written (and the lint findings) as one JSON document on stdout
    #[arg(long)]
    pub json: bool,
}

/// `drizzle-kit pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// Config, credentials and casing.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Migrations folder, where the baseline goes [default: config `out`, else "drizzle"]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Rust file to write [default: <out>/schema.rs]
    #[arg(long, value_name = "PATH")]
    pub schema_out: Option<PathBuf>,
    /// Mark the baseline migration as applied in the tracking table, so `migrate` skips it
    #[arg(long)]
    pub baseline: bool,
    /// Baseline migration name (the part after the prefix) [default: a random name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Migration file prefix [default: config `migrations.prefix`, else index]
    #[arg(long, value_name = "PREFIX", value_parser = words::<PrefixMode>(PrefixMode::NAMES))]
    pub prefix: Option<PrefixMode>,
    /// Separate statements with `--> statement-breakpoint` [default: config, else true]
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true"
    )]
    pub breakpoints: Option<bool>,
    /// Table name glob, `!glob` to exclude; repeatable [default: config `tables_filter`]
    #[arg(long, value_name = "GLOB")]
    pub tables_filter: Vec<String>,
    /// Schema to read; repeatable [default: config `schema_filter`, else public]
    #[arg(long, value_name = "SCHEMA")]
    pub schema_filter: Vec<String>,
    /// Print timings and every object that could not be written exactly
    #[arg(long)]
    pub verbose: bool,
    /// Print what was read and written as one JSON document on stdout
    #[arg(long)]
    pub json: bool,
}

/// `drizzle-kit push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// Config, schema location, credentials and casing.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Table name glob, `!glob` to exclude; repeatable [default: config `tables_filter`]
    #[arg(long, value_name = "GLOB")]
    pub tables_filter: Vec<String>,
    /// Schema to compare; repeatable [default: config `schema_filter`, else public]
    #[arg(long, value_name = "SCHEMA")]
    pub schema_filter: Vec<String>,
    /// Print every statement and the timings [default: config `verbose`]
    #[arg(long)]
    pub verbose: bool,
    /// Ask for confirmation even when nothing is at risk [default: config `strict`]
    #[arg(long)]
    pub strict: bool,
    /// Accept every reported risk without asking
    #[arg(long)]
    pub force: bool,
    /// Print the SQL on stdout and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome (or error) as one JSON document on stdout; never asks, so a push
    /// needing consent without --force is rejected
    #[arg(long)]
    pub json: bool,
    /// Decide a rename without `renamed_from`: KIND:OLD=NEW, e.g. column:users.name=full_name
    /// (repeatable)
    #[arg(long, value_name = "KIND:OLD=NEW", value_parser = Rename::parse)]
    pub rename: Vec<Rename>,
    /// Decide that a new object is created, not renamed: KIND:NAME, e.g. table:accounts
    /// (repeatable)
    #[arg(long, value_name = "KIND:NAME", value_parser = Creation::parse)]
    pub create: Vec<Creation>,
}

impl PushArgs {
    /// The rename decisions given as flags.
    pub fn renames(&self) -> Renames {
        Renames {
            renames: self.rename.clone(),
            creations: self.create.clone(),
        }
    }
}

/// `drizzle-kit migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Config and credentials.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Migrations folder [default: config `out`, else "drizzle"]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How long to wait for another runner's migration lock, e.g. 30s or 2min
    /// [default: until it is released]
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub lock_timeout: Option<std::time::Duration>,
    /// Run all pending migrations in one transaction: all or nothing
    #[arg(long)]
    pub single_transaction: bool,
    /// Apply pending migrations older than the newest applied one (a branch merged late)
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Treat applied migrations whose file was edited as applied (emergencies only)
    #[arg(long)]
    pub ignore_checksums: bool,
    /// List what would run, after verifying the folder against the database, and change
    /// nothing
    #[arg(long, conflicts_with = "status")]
    pub dry_run: bool,
    /// Show every migration as applied, pending or changed, and applied ones without a
    /// file; change nothing
    #[arg(long)]
    pub status: bool,
    /// Print the report (or status, or error) as one JSON document on stdout
    #[arg(long)]
    pub json: bool,
}

/// `drizzle-kit check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Config and schema location.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Migrations folder [default: config `out`, else "drizzle"]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also check a database: pending, edited, out-of-order and missing migrations, and objects changed by hand [URL default: --url, config `db_credentials`, else $DATABASE_URL; --url alone implies --db]
    #[arg(long, value_name = "URL", num_args = 0..=1, value_parser = postgres_url)]
    pub db: Option<Option<String>>,
    /// Print the findings as one JSON document on stdout
    #[arg(long)]
    pub json: bool,
}

impl CheckArgs {
    /// Whether the database half runs (`--db`, with or without a URL, or `--url`).
    pub fn database(&self) -> bool {
        self.db.is_some() || self.config.url.is_some()
    }
}

impl GenerateArgs {
    /// The rename decisions given as flags.
    pub fn renames(&self) -> Renames {
        Renames {
            renames: self.rename.clone(),
            creations: self.create.clone(),
        }
    }
}

/// `drizzle-kit export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Config and schema location.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print SQL statements (the default)
    #[arg(long, conflicts_with = "json")]
    pub sql: bool,
    /// Print the snapshot JSON instead of SQL
    #[arg(long)]
    pub json: bool,
}

/// Parses one of `names`, listing them in `--help` and in the error for anything else.
fn words<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: FromStr<Err = UnknownWord> + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(names).try_map(|s| s.parse::<T>())
}

/// Accepts `postgres://` and `postgresql://` URLs; the error never repeats the URL, which
/// usually holds a password.
fn postgres_url(text: &str) -> Result<String, String> {
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "postgres" | "postgresql") => Ok(text.to_owned()),
        Ok(u) => Err(format!(
            "scheme `{}` is not PostgreSQL; use postgres://user:password@host:5432/db",
            u.scheme()
        )),
        Err(e) => Err(format!(
            "not a URL ({e}); use postgres://user:password@host:5432/db"
        )),
    }
}

impl ConfigArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            dialect: self.dialect,
            schema: self.schema.clone(),
            casing: self.casing,
            url: self.url.clone(),
            ..Overrides::default()
        }
    }
}

impl Command {
    /// The flags that take part in settings resolution.
    pub fn overrides(&self) -> Overrides {
        match self {
            Command::Generate(g) => Overrides {
                out: g.out.clone(),
                prefix: g.prefix,
                breakpoints: g.breakpoints,
                safe: g.safe.then_some(true),
                ..g.config.overrides()
            },
            Command::Export(e) => e.config.overrides(),
            Command::Check(c) => Overrides {
                out: c.out.clone(),
                url: c.db.clone().flatten().or_else(|| c.config.url.clone()),
                ..c.config.overrides()
            },
            Command::Push(p) => p.config.overrides(),
            Command::Migrate(m) => Overrides {
                out: m.out.clone(),
                ..m.config.overrides()
            },
            Command::Pull(p) => Overrides {
                out: p.out.clone(),
                prefix: p.prefix,
                breakpoints: p.breakpoints,
                ..p.config.overrides()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn breakpoints_takes_an_optional_value() {
        let parse = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Generate(g) => g.breakpoints,
            _ => unreachable!("parsed generate"),
        };
        assert_eq!(parse(&["drizzle-kit", "generate"]), None);
        assert_eq!(
            parse(&["drizzle-kit", "generate", "--breakpoints"]),
            Some(true)
        );
        assert_eq!(
            parse(&["drizzle-kit", "generate", "--breakpoints=false"]),
            Some(false)
        );
    }

    #[test]
    fn flags_become_overrides() {
        let cli = Cli::try_parse_from([
            "drizzle-kit",
            "generate",
            "--schema",
            "a.rs",
            "--schema",
            "b.rs",
            "--prefix",
            "unix",
            "--casing",
            "camelCase",
        ])
        .unwrap();
        let o = cli.command.overrides();
        assert_eq!(o.schema, ["a.rs", "b.rs"]);
        assert_eq!(o.prefix, Some(PrefixMode::Unix));
        assert_eq!(o.casing, Some(CasingMode::CamelCase));
    }

    #[test]
    fn url_must_be_postgres_and_is_not_echoed() {
        let err = Cli::try_parse_from(["drizzle-kit", "export", "--url", "mysql://u:secret@h/db"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        let cli =
            Cli::try_parse_from(["drizzle-kit", "export", "--url", "postgres://h/db"]).unwrap();
        assert_eq!(
            cli.command.overrides().url.as_deref(),
            Some("postgres://h/db")
        );
    }

    #[test]
    fn rename_flags_are_parsed() {
        let cli = Cli::try_parse_from([
            "drizzle-kit",
            "generate",
            "--rename",
            "column:users.name=full_name",
            "--create",
            "table:accounts",
        ])
        .unwrap();
        let Command::Generate(g) = cli.command else {
            unreachable!("parsed generate")
        };
        let renames = g.renames();
        assert_eq!(renames.renames.len(), 1);
        assert_eq!(renames.creations.len(), 1);
        let err = Cli::try_parse_from(["drizzle-kit", "generate", "--rename", "colum:a.b=c"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
    }

    #[test]
    fn bad_words_are_usage_errors() {
        let err = Cli::try_parse_from(["drizzle-kit", "generate", "--prefix", "idx"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }
}
