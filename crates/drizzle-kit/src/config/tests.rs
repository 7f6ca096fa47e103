use super::*;
use crate::diagnostics::render;
use crate::settings::Ssl;
use crate::values::{RoleProvider, SslMode};

fn env() -> Environment {
    Environment::from_pairs([("DB_HOST", "localhost"), ("DB_PORT", "5433")])
}

fn ok(text: &str) -> FileConfig {
    match parse("drizzle.toml", text, Path::new("/proj"), &env()) {
        Ok(c) => c,
        Err(problems) => panic!("{}", render(&problems, "drizzle.toml", false)),
    }
}

fn rejected(text: &str) -> String {
    let problems = parse("drizzle.toml", text, Path::new("/proj"), &env()).unwrap_err();
    render(&problems, "drizzle.toml", false)
}

#[test]
fn full_file_is_typed() {
    let c = ok(r#"
dialect = "postgresql"
schema = ["src/db/schema.rs", "src/db/tables/*.rs"]
out = "migrations"
breakpoints = false
casing = "camelCase"
tables_filter = "users*"
extensions_filters = ["postgis"]

[db_credentials]
host = "${DB_HOST}"
port = "${DB_PORT}"
database = "app"
ssl = "require"

[migrations]
prefix = "timestamp"
table = "applied"

[entities]
roles = { provider = "supabase", exclude = ["admin"] }
"#);
    assert_eq!(c.dialect, Some(Dialect::Postgresql));
    assert_eq!(c.schema.len(), 2);
    assert_eq!(c.out, Some(PathBuf::from("/proj/migrations")));
    assert_eq!(c.breakpoints, Some(false));
    assert_eq!(c.casing, Some(CasingMode::CamelCase));
    assert_eq!(c.tables_filter, Some(vec!["users*".to_owned()]));
    assert_eq!(c.extensions_filters, Some(vec![Extension::Postgis]));
    assert_eq!(
        c.credentials,
        Some(Credentials::Params {
            host: "localhost".into(),
            port: Some(5433),
            user: None,
            password: None,
            database: "app".into(),
            ssl: Some(Ssl::Mode(SslMode::Require)),
        })
    );
    assert_eq!(c.prefix, Some(PrefixMode::Timestamp));
    assert_eq!(c.migrations_table.as_deref(), Some("applied"));
    let roles = c.roles.unwrap();
    assert!(roles.enabled);
    assert_eq!(roles.provider, Some(RoleProvider::Supabase));
    assert_eq!(roles.exclude, ["admin"]);
}

#[test]
fn empty_file_is_valid() {
    let c = ok("");
    assert!(c.dialect.is_none() && c.schema.is_empty() && c.credentials.is_none());
}

#[test]
fn roles_accepts_a_boolean() {
    let c = ok("[entities]\nroles = true\n");
    assert!(c.roles.unwrap().enabled);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    insta::assert_snapshot!(rejected(
        "dialect = \"postgresql\"\nschemas = \"schema.rs\"\n"
    ));
}

#[test]
fn unknown_nested_key_suggests_the_nearest() {
    insta::assert_snapshot!(rejected("[migrations]\nprefx = \"index\"\n"));
}

#[test]
fn every_invalid_value_is_reported_at_once() {
    insta::assert_snapshot!(rejected(
        "dialect = \"postgres\"\ncasing = \"camel\"\n[migrations]\nprefix = \"indx\"\n"
    ));
}

#[test]
fn unset_variable_names_variable_and_key() {
    insta::assert_snapshot!(rejected("[db_credentials]\nurl = \"${NOPE_URL}\"\n"));
}

#[test]
fn url_and_host_conflict() {
    insta::assert_snapshot!(rejected(
        "[db_credentials]\nurl = \"postgres://a/b\"\nhost = \"a\"\ndatabase = \"b\"\n"
    ));
}

#[test]
fn wrong_type_is_reported_with_its_span() {
    insta::assert_snapshot!(rejected("breakpoints = \"yes\"\n"));
}

#[test]
fn toml_syntax_errors_point_at_the_line() {
    insta::assert_snapshot!(rejected("dialect = \"postgresql\nout = 1\n"));
}

#[test]
fn url_must_be_postgres() {
    let text = rejected("[db_credentials]\nurl = \"mysql://u:secret@h/db\"\n");
    assert!(text.contains("has scheme `mysql`"), "{text}");
    assert!(
        !text.lines().next().unwrap_or_default().contains("secret"),
        "{text}"
    );
}

#[test]
fn port_must_fit() {
    let text = rejected("[db_credentials]\nhost = \"h\"\ndatabase = \"d\"\nport = 70000\n");
    assert!(text.contains("not a port number"), "{text}");
}

#[test]
fn the_example_documents_every_key_and_parses() {
    let text = include_str!("../../../../drizzle.toml.example");
    let env = Environment::from_pairs([("DATABASE_URL", "postgres://u:p@localhost:5432/app")]);
    let c = parse("drizzle.toml.example", text, Path::new("/proj"), &env)
        .unwrap_or_else(|p| panic!("{}", render(&p, "the example", false)));
    assert_eq!(
        c.credentials,
        Some(Credentials::Url("postgres://u:p@localhost:5432/app".into()))
    );
    assert!(c.roles.is_some() && c.prefix.is_some() && c.extensions_filters.is_some());
    // Every key the file format accepts appears in the example, active or commented out.
    for key in [
        "dialect",
        "schema",
        "out",
        "breakpoints",
        "strict",
        "verbose",
        "casing",
        "tables_filter",
        "schema_filter",
        "extensions_filters",
        "[db_credentials]",
        "url",
        "host",
        "port",
        "user",
        "password",
        "database",
        "ssl",
        "[migrations]",
        "table",
        "prefix",
        "[entities]",
        "roles",
        "provider",
        "include",
        "exclude",
        "safe",
        "[lint]",
        "allow",
        "warn",
        "deny",
        "lock_timeout",
        "statement_timeout",
    ] {
        assert!(
            text.contains(key),
            "drizzle.toml.example does not mention `{key}`"
        );
    }
}

#[test]
fn migrate_timeouts_are_durations() {
    let c = ok("[migrations]\nlock_timeout = \"5s\"\nstatement_timeout = \"${DB_PORT}\"\n");
    assert_eq!(
        c.migrations_lock_timeout,
        Some(std::time::Duration::from_secs(5))
    );
    assert_eq!(
        c.migrations_statement_timeout,
        Some(std::time::Duration::from_millis(5433))
    );
    let text = rejected("[migrations]\nlock_timeout = \"5 seconds\"\nstatment_timeout = \"1s\"\n");
    assert!(text.contains("did you mean `statement_timeout`?"), "{text}");
    let text = rejected("[migrations]\nlock_timeout = \"5 seconds\"\n");
    assert!(
        text.contains("invalid `migrations.lock_timeout` value `5 seconds`"),
        "{text}"
    );
}
