//! Removing roles from a whole cluster: what they own or may do in every database, then the
//! roles themselves. Test databases of killed runs are dropped instead of cleaned.

use std::path::Path;

use crate::database::{quote_ident, with_database};
use crate::error::{HarnessError, describe_error};
use crate::server::connect;

/// What a test database is called: `drizzle_test_<pid>_<counter>_<random>`.
const TEST_DATABASE_PREFIX: &str = "drizzle_test_";

/// A database in which some of the roles own objects, hold privileges or appear in policies.
#[derive(Debug)]
struct UsingDatabase {
    name: String,
    allows_connections: bool,
    has_sessions: bool,
}

/// Drops the roles of `names` that exist, after reassigning what they own to the admin role
/// and revoking what they were granted, in every database that records a dependency on them.
pub(crate) fn drop_roles(
    admin: &mut postgres::Client,
    admin_url: &str,
    names: &[String],
) -> Result<(), HarnessError> {
    let query = |e: postgres::Error| HarnessError::Query(describe_error(&e));
    let existing: Vec<String> = admin
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1",
            &[&names],
        )
        .map_err(query)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let list = existing
        .iter()
        .map(|name| quote_ident(name))
        .collect::<Vec<_>>()
        .join(", ");
    // REASSIGN keeps objects in databases that are not ours; DROP OWNED then only revokes
    // privileges, default privileges and policy memberships.
    let release = format!("REASSIGN OWNED BY {list} TO CURRENT_USER; DROP OWNED BY {list}");
    let local = server_is_local(admin_url);
    for database in databases_using(admin, &existing)? {
        if local && is_abandoned(&database) && drop_database(admin, &database.name).is_ok() {
            continue;
        }
        release_in(admin_url, &database, &release)?;
    }
    // Here too for the shared objects (databases the roles own, privileges on them).
    admin.batch_execute(&release).map_err(|e| {
        HarnessError::Query(format!("releasing roles {list}: {}", describe_error(&e)))
    })?;
    admin
        .batch_execute(&format!("DROP ROLE IF EXISTS {list}"))
        .map_err(|e| HarnessError::Query(format!("DROP ROLE {list}: {}", describe_error(&e))))
}

/// The databases (other than the admin connection's) holding dependencies on `roles`.
fn databases_using(
    admin: &mut postgres::Client,
    roles: &[String],
) -> Result<Vec<UsingDatabase>, HarnessError> {
    let rows = admin
        .query(
            "SELECT d.datname::text, d.datallowconn, \
                    EXISTS (SELECT FROM pg_stat_activity a WHERE a.datid = d.oid) \
             FROM pg_database d \
             WHERE d.datname <> current_database() AND d.oid IN ( \
                 SELECT s.dbid FROM pg_shdepend s JOIN pg_roles r ON r.oid = s.refobjid \
                 WHERE s.refclassid = 'pg_authid'::regclass AND r.rolname = ANY($1)) \
             ORDER BY 1",
            &[&roles],
        )
        .map_err(|e| HarnessError::Query(describe_error(&e)))?;
    Ok(rows
        .iter()
        .map(|row| UsingDatabase {
            name: row.get(0),
            allows_connections: row.get(1),
            has_sessions: row.get(2),
        })
        .collect())
}

/// Whether `database` is a test database whose process is gone from this machine and which
/// nobody is connected to. Live tests' databases are never touched: their pid still runs.
fn is_abandoned(database: &UsingDatabase) -> bool {
    !database.has_sessions
        && test_database_pid(&database.name).is_some_and(|pid| !process_is_running(pid))
}

/// The pid in a test database's name.
fn test_database_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEST_DATABASE_PREFIX)?;
    let mut parts = rest.split('_');
    let pid = parts.next()?.parse().ok()?;
    // counter and random part, so that a user's `drizzle_test_1_data` is not mistaken for one.
    let counter = parts.next()?;
    let random = parts.next()?;
    let well_formed = parts.next().is_none()
        && counter.bytes().all(|b| b.is_ascii_digit())
        && random.len() == 8
        && random.bytes().all(|b| b.is_ascii_hexdigit());
    well_formed.then_some(pid)
}

/// Whether a process with this pid runs here; without `/proc` every pid is assumed to run.
fn process_is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Whether the server runs on this machine, so the pids in database names are ours to check.
pub(crate) fn server_is_local(url: &str) -> bool {
    let Ok(config) = url.parse::<postgres::Config>() else {
        return false;
    };
    config.get_hosts().iter().all(|host| match host {
        postgres::config::Host::Unix(_) => true,
        postgres::config::Host::Tcp(name) => {
            matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]")
        }
    })
}

/// Drops a database nobody uses; without `FORCE`, so a session that appears meanwhile wins.
fn drop_database(admin: &mut postgres::Client, name: &str) -> Result<(), HarnessError> {
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
        .map_err(|e| HarnessError::Query(describe_error(&e)))
}

/// Runs `release` in `database`; one that was dropped meanwhile needs nothing.
fn release_in(
    admin_url: &str,
    database: &UsingDatabase,
    release: &str,
) -> Result<(), HarnessError> {
    if !database.allows_connections {
        return Err(HarnessError::Query(format!(
            "database {} holds objects or privileges of the roles but refuses connections",
            database.name
        )));
    }
    let mut client = match connect(&with_database(admin_url, &database.name)?) {
        Ok(client) => client,
        Err(_) if !database_exists(admin_url, &database.name)? => return Ok(()),
        Err(error) => return Err(error),
    };
    client.batch_execute(release).map_err(|e| {
        HarnessError::Query(format!(
            "releasing roles in database {}: {}",
            database.name,
            describe_error(&e)
        ))
    })
}

fn database_exists(admin_url: &str, name: &str) -> Result<bool, HarnessError> {
    connect(admin_url)?
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)",
            &[&name],
        )
        .map(|row| row.get(0))
        .map_err(|e| HarnessError::Query(describe_error(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_database_names_give_their_pid() {
        assert_eq!(
            test_database_pid("drizzle_test_4242_17_0badf00d"),
            Some(4242)
        );
        assert_eq!(test_database_pid("drizzle_test_4242_data"), None);
        assert_eq!(test_database_pid("drizzle_test_4242_1_0badf00d_x"), None);
        assert_eq!(test_database_pid("drizzle_test_x_1_0badf00d"), None);
        assert_eq!(test_database_pid("app_4242_1_0badf00d"), None);
    }

    #[test]
    fn only_this_machines_servers_are_local() {
        assert!(server_is_local(
            "postgres://postgres@127.0.0.1:5432/postgres"
        ));
        assert!(server_is_local("postgres://postgres@localhost/postgres"));
        assert!(server_is_local(
            "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/postgres"
        ));
        assert!(!server_is_local(
            "postgres://postgres@db.example.com/postgres"
        ));
        assert!(!server_is_local(
            "postgres://postgres@10.0.0.5:5432/postgres"
        ));
    }

    #[test]
    fn this_process_runs_and_a_reaped_child_does_not() {
        assert!(process_is_running(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        if Path::new("/proc/self").exists() {
            assert!(!process_is_running(pid));
        }
    }
}
