//! Finding (or starting) the one PostgreSQL server a test process uses.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::binaries::{cluster_bin_dir, parse_major, searched_dirs, versioned_bin_dirs};
use crate::cluster::Cluster;
use crate::error::{HarnessError, describe_error};

/// The local server URLs tried when `DATABASE_URL` is not set, in order.
const LOCAL_URLS: [&str; 2] = [
    "postgres://postgres@127.0.0.1:5432/postgres",
    "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/postgres",
];

/// How long a probe waits for a server that may not exist.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Where the server came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The `DATABASE_URL` environment variable.
    Environment,
    /// An already running local server.
    Local,
    /// A cluster this process started from the installed binaries.
    Throwaway,
}

/// A PostgreSQL server on which tests may create and drop databases.
#[derive(Debug)]
pub struct Server {
    admin_url: String,
    bin_dir: Option<PathBuf>,
    major_version: u32,
    origin: Origin,
    // Held so the cluster's lifetime is visibly tied to the server; the watcher stops it.
    _cluster: Option<Cluster>,
}

impl Server {
    /// A URL with the right to create databases, pointing at its maintenance database.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The PostgreSQL binaries matching the server, when they are installed on this machine.
    pub fn bin_dir(&self) -> Option<&Path> {
        self.bin_dir.as_deref()
    }

    /// The server's major version (`15` for 15.20).
    pub fn major_version(&self) -> u32 {
        self.major_version
    }

    /// Where the server came from.
    pub fn origin(&self) -> Origin {
        self.origin
    }
}

/// The server for this test process, found or started on first use.
///
/// Panics with instructions when no server can be reached or started.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match find_or_start() {
        Ok(server) => server,
        Err(problems) => panic!("{}", how_to_provide_postgres(&problems)),
    })
}

/// Opens a connection, giving up quickly when nothing listens.
pub(crate) fn connect(url: &str) -> Result<postgres::Client, HarnessError> {
    let connect_error = |message: String| HarnessError::Connect {
        url: url.to_string(),
        message,
    };
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| connect_error(e.to_string()))?;
    config.connect_timeout(PROBE_TIMEOUT);
    config
        .connect(postgres::NoTls)
        .map_err(|e| connect_error(describe_error(&e)))
}

fn find_or_start() -> Result<Server, Vec<String>> {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        // An explicit choice is never second-guessed by falling back to something else.
        return probe(&url, Origin::Environment).map_err(|e| vec![format!("DATABASE_URL: {e}")]);
    }
    let mut problems = Vec::new();
    for url in LOCAL_URLS {
        match probe(url, Origin::Local) {
            Ok(server) => return Ok(server),
            Err(error) => problems.push(error.to_string()),
        }
    }
    match start_throwaway() {
        Ok(server) => Ok(server),
        Err(error) => {
            problems.push(format!("throwaway cluster: {error}"));
            Err(problems)
        }
    }
}

/// Connects to `url` and checks that its role may create databases.
fn probe(url: &str, origin: Origin) -> Result<Server, HarnessError> {
    let mut client = connect(url)?;
    let row = client
        .query_one(
            "SELECT current_setting('server_version'), \
                    (SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user)",
            &[],
        )
        .map_err(|e| HarnessError::Query(describe_error(&e)))?;
    let version: String = row.get(0);
    let can_create: Option<bool> = row.get(1);
    if can_create != Some(true) {
        return Err(HarnessError::Connect {
            url: url.to_string(),
            message: "the role may not create databases (needs CREATEDB or SUPERUSER)".into(),
        });
    }
    let major_version = parse_major(&version).unwrap_or(0);
    let bin_dir = versioned_bin_dirs()
        .into_iter()
        .find(|(major, _)| *major == major_version)
        .map(|(_, dir)| dir);
    Ok(Server {
        admin_url: url.to_string(),
        bin_dir,
        major_version,
        origin,
        _cluster: None,
    })
}

fn start_throwaway() -> Result<Server, HarnessError> {
    let bin_dir = cluster_bin_dir().ok_or_else(|| HarnessError::NoBinaries {
        searched: searched_dirs(),
    })?;
    let cluster = Cluster::start(&bin_dir)?;
    let mut server = probe(&cluster.url(), Origin::Throwaway)?;
    server.bin_dir = Some(cluster.bin_dir().to_path_buf());
    server._cluster = Some(cluster);
    Ok(server)
}

fn how_to_provide_postgres(problems: &[String]) -> String {
    let mut message = String::from(
        "drizzle-testkit: no PostgreSQL server is available for the tests.\n\
         Provide one of:\n  \
         - DATABASE_URL=postgres://user@host:port/db (a role that may CREATE DATABASE)\n  \
         - a local server accepting user `postgres` on 127.0.0.1:5432 or /var/run/postgresql\n  \
         - installed PostgreSQL binaries (initdb, pg_ctl), e.g. `apt-get install postgresql`,\n    \
           so a throwaway cluster can be started\n\
         What was tried:",
    );
    for problem in problems {
        message.push_str("\n  - ");
        message.push_str(problem);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_is_found_once_and_accepts_connections() {
        let first = server();
        let second = server();
        assert!(std::ptr::eq(first, second));
        let mut client = connect(first.admin_url()).expect("admin connection");
        let one: i32 = client.query_one("SELECT 1", &[]).expect("query").get(0);
        assert_eq!(one, 1);
        assert!(
            first.major_version() >= 13,
            "DROP DATABASE ... WITH (FORCE) needs 13+"
        );
    }

    #[test]
    fn how_to_message_lists_every_way_and_every_problem() {
        let message = how_to_provide_postgres(&["a: refused".into(), "b: no binaries".into()]);
        assert!(message.contains("DATABASE_URL=postgres://user@host:port/db"));
        assert!(message.contains("apt-get install postgresql"));
        assert!(message.contains("a: refused") && message.contains("b: no binaries"));
    }

    #[test]
    fn unreachable_url_is_a_connect_error() {
        let error = probe("postgres://postgres@127.0.0.1:1/postgres", Origin::Local).unwrap_err();
        assert!(matches!(error, HarnessError::Connect { .. }), "{error}");
        // The cause must survive, not just "error connecting to server".
        assert!(error.to_string().contains("refused"), "{error}");
    }
}
