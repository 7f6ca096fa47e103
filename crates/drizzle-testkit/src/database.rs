//! One freshly created database per test, dropped when the test is done with it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::dump;
use crate::error::{HarnessError, describe_error};
use crate::server::{connect, server};

/// A database created for one test; dropped (with `FORCE`) when this value is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
    admin_url: String,
}

/// Creates a new, empty database with a unique name on the test server.
///
/// Panics when the database cannot be created: the test cannot run without it.
pub fn fresh_database() -> TestDatabase {
    let admin_url = server().admin_url();
    TestDatabase::create(admin_url).unwrap_or_else(|error| panic!("drizzle-testkit: {error}"))
}

impl TestDatabase {
    fn create(admin_url: &str) -> Result<TestDatabase, HarnessError> {
        let name = unique_name();
        let url = with_database(admin_url, &name)?;
        let mut admin = connect(admin_url)?;
        admin
            .batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))
            .map_err(|e| {
                HarnessError::Query(format!("CREATE DATABASE {name}: {}", describe_error(&e)))
            })?;
        Ok(TestDatabase {
            name,
            url,
            admin_url: admin_url.to_string(),
        })
    }

    /// A URL connecting to this database with the admin role.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name (`drizzle_test_<pid>_<counter>_<random>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A new connection to this database.
    pub fn client(&self) -> postgres::Client {
        connect(&self.url).unwrap_or_else(|error| panic!("drizzle-testkit: {error}"))
    }

    /// Runs a whole script in one simple-query round trip (implicitly one transaction).
    pub fn execute_script(&self, sql: &str) -> Result<(), String> {
        self.client()
            .batch_execute(sql)
            .map_err(|e| describe_error(&e))
    }

    /// Runs each statement on its own in autocommit mode, like `psql` without `ON_ERROR_STOP`,
    /// and returns the failures as (index, error) so a broken statement does not hide the rest.
    pub fn execute_statements<S: AsRef<str>>(&self, statements: &[S]) -> Vec<(usize, String)> {
        let mut client = self.client();
        statements
            .iter()
            .enumerate()
            .filter_map(|(index, statement)| {
                client
                    .batch_execute(statement.as_ref())
                    .err()
                    .map(|e| (index, describe_error(&e)))
            })
            .collect()
    }

    /// `pg_dump --schema-only --no-owner --no-privileges` of this database, normalized by
    /// [`crate::normalize_dump`] so dumps of equal schemas compare equal.
    pub fn pg_dump_schema(&self) -> String {
        dump::dump_schema(&self.url).unwrap_or_else(|error| panic!("drizzle-testkit: {error}"))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let statement = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&self.name)
        );
        let result = connect(&self.admin_url).and_then(|mut admin| {
            admin
                .batch_execute(&statement)
                .map_err(|e| HarnessError::Query(describe_error(&e)))
        });
        // Panicking in drop would abort a test that is already unwinding; a leftover
        // database is only worth a warning.
        if let Err(error) = result {
            eprintln!(
                "drizzle-testkit: could not drop database {}: {error}",
                self.name
            );
        }
    }
}

/// `drizzle_test_<pid>_<counter>_<random>`: unique within the process by the counter and across
/// concurrent or repeated runs by the pid and the random part.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random: u32 = rand::random();
    format!("drizzle_test_{}_{counter}_{random:08x}", std::process::id())
}

/// Replaces the database (the URL path) of `url`, keeping host, credentials and parameters.
pub(crate) fn with_database(url: &str, database: &str) -> Result<String, HarnessError> {
    let mut parsed = url::Url::parse(url).map_err(|e| HarnessError::BadUrl {
        url: url.to_string(),
        message: e.to_string(),
    })?;
    parsed.set_path(&format!("/{database}"));
    Ok(parsed.to_string())
}

pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_exists(name: &str) -> bool {
        let mut admin = connect(server().admin_url()).expect("admin connection");
        admin
            .query_one(
                "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)",
                &[&name],
            )
            .expect("catalog query")
            .get(0)
    }

    #[test]
    fn fresh_databases_are_distinct_and_dropped_afterwards() {
        let first = fresh_database();
        let second = fresh_database();
        assert_ne!(first.name(), second.name());
        assert!(
            first
                .name()
                .starts_with(&format!("drizzle_test_{}_", std::process::id()))
        );
        assert!(database_exists(first.name()) && database_exists(second.name()));

        first
            .execute_script("CREATE TABLE only_here (id integer)")
            .expect("create table");
        let mut other = second.client();
        let seen: bool = other
            .query_one("SELECT to_regclass('only_here') IS NOT NULL", &[])
            .expect("query")
            .get(0);
        assert!(!seen, "a table created in one database leaked into another");

        let (first_name, second_name) = (first.name().to_string(), second.name().to_string());
        // An open connection must not keep the database alive (WITH (FORCE)).
        drop(first);
        drop(second);
        assert!(!database_exists(&first_name) && !database_exists(&second_name));
        drop(other);
    }

    #[test]
    fn execute_statements_reports_failures_and_continues() {
        let database = fresh_database();
        let failures = database.execute_statements(&[
            "CREATE TABLE a (id integer)",
            "CREATE TABLE a (id integer)",
            "CREATE TABLE b (id integer)",
        ]);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].0, 1);
        assert!(
            failures[0].1.contains("already exists"),
            "{}",
            failures[0].1
        );
        assert!(database.execute_script("SELECT * FROM b").is_ok());
    }

    #[test]
    fn script_errors_are_described() {
        let database = fresh_database();
        let error = database
            .execute_script("SELECT * FROM missing")
            .unwrap_err();
        assert!(
            error.contains("relation \"missing\" does not exist"),
            "{error}"
        );
        assert!(error.contains("42P01"), "{error}");
    }

    #[test]
    fn database_url_keeps_host_and_parameters() {
        assert_eq!(
            with_database("postgres://u:p@h:5433/postgres?sslmode=disable", "x").unwrap(),
            "postgres://u:p@h:5433/x?sslmode=disable"
        );
        assert_eq!(
            with_database(
                "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/postgres",
                "x"
            )
            .unwrap(),
            "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/x"
        );
    }
}
