//! Session settings the runner changes on a connection it may have borrowed, and puts back.

use crate::MigrateError;
use postgres::Client;
use std::time::Duration;

/// The settings found on the connection before the run.
pub(crate) struct Session {
    lock_timeout: String,
    statement_timeout: String,
    check_interval: Option<String>,
}

impl Session {
    /// Remembers the settings, then makes the server notice a vanished client within a
    /// second (PostgreSQL 14+): a runner killed mid-statement must not keep its
    /// transaction and the migration lock until the statement ends.
    pub(crate) fn start(client: &mut Client) -> Result<Session, MigrateError> {
        let row = client
            .query_one(
                "SELECT current_setting('lock_timeout'), current_setting('statement_timeout'), \
                        current_setting('client_connection_check_interval', true)",
                &[],
            )
            .map_err(MigrateError::db("cannot read the session settings"))?;
        let session = Session {
            lock_timeout: row.get(0),
            statement_timeout: row.get(1),
            check_interval: row.get(2),
        };
        if session.check_interval.is_some() {
            // Refused on platforms without the needed poll() support: then the run
            // simply goes without it.
            let _ = set(client, "client_connection_check_interval", "1s");
        }
        Ok(session)
    }

    /// `lock_timeout` / `statement_timeout` for the migrations: the configured values, or
    /// the connection's own.
    pub(crate) fn for_migrations(
        &self,
        client: &mut Client,
        lock_timeout: Option<Duration>,
        statement_timeout: Option<Duration>,
    ) -> Result<(), MigrateError> {
        let lock = lock_timeout.map_or_else(|| self.lock_timeout.clone(), millis);
        let statement = statement_timeout.map_or_else(|| self.statement_timeout.clone(), millis);
        set(client, "lock_timeout", &lock)?;
        set(client, "statement_timeout", &statement)
    }

    /// Puts everything back (best effort: the connection may be gone).
    pub(crate) fn restore(self, client: &mut Client) {
        let _ = set(client, "lock_timeout", &self.lock_timeout);
        let _ = set(client, "statement_timeout", &self.statement_timeout);
        if let Some(interval) = &self.check_interval {
            let _ = set(client, "client_connection_check_interval", interval);
        }
    }
}

fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

fn set(client: &mut Client, name: &str, value: &str) -> Result<(), MigrateError> {
    client
        .query("SELECT set_config($1, $2, false)", &[&name, &value])
        .map_err(MigrateError::db(format!("cannot set {name}")))?;
    Ok(())
}
