//! The advisory lock that serializes runners on one database: concurrent replicas or CI
//! jobs apply each migration exactly once, and a killed runner's lock dies with its session.

use crate::{Event, MigrateError, Observer, TrackingTable};
use postgres::Client;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::{Duration, Instant};

/// The session holding the migration lock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LockHolder {
    /// Backend pid (`pg_terminate_backend` takes it).
    pub pid: i32,
    /// Its `application_name`.
    pub application_name: String,
    /// Its client address (`None` over a Unix socket).
    pub client_addr: Option<String>,
    /// Seconds since its current transaction or query began.
    pub busy_seconds: Option<f64>,
    /// Its current (or last) query.
    pub query: String,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {}", self.pid)?;
        if !self.application_name.is_empty() {
            write!(f, " ({})", self.application_name)?;
        }
        if let Some(addr) = &self.client_addr {
            write!(f, " from {addr}")?;
        }
        if let Some(secs) = self.busy_seconds {
            write!(f, ", busy for {secs:.0} s")?;
        }
        Ok(())
    }
}

/// The lock key: one per tracking table, so two projects sharing a database with
/// different tables do not wait for each other.
pub fn lock_key(table: &TrackingTable) -> i64 {
    let digest = Sha256::digest(format!("drizzle-migrate {}", table.qualified()));
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Takes the session-level lock, waiting at most `timeout` (`None`: forever).
pub(crate) fn acquire(
    client: &mut Client,
    key: i64,
    timeout: Option<Duration>,
    observer: &mut dyn Observer,
) -> Result<(), MigrateError> {
    let start = Instant::now();
    let got: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
        .map_err(MigrateError::db("cannot take the migration lock"))?
        .get(0);
    if !got {
        let holder = holder(client, key)?;
        observer.event(&Event::WaitingForLock {
            holder: holder.as_ref(),
            timeout,
        });
        // lock_timeout bounds advisory lock waits too, and the server wakes us the moment
        // the lock is free (no polling); statement_timeout must not cut the wait short.
        let millis = timeout.map_or(0, |t| t.as_millis().max(1));
        client
            .query(
                "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', '0', false)",
                &[&format!("{millis}ms")],
            )
            .map_err(MigrateError::db("cannot set lock_timeout"))?;
        if let Err(e) = client.query_one("SELECT pg_advisory_lock($1)", &[&key]) {
            if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
                return Err(MigrateError::LockTimeout {
                    waited_ms: u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
                    holder: holder.map(Box::new),
                });
            }
            return Err(MigrateError::db("cannot take the migration lock")(e));
        }
    }
    observer.event(&Event::LockAcquired {
        waited: start.elapsed(),
    });
    Ok(())
}

/// Releases the lock; a broken connection has released it already.
pub(crate) fn release(client: &mut Client, key: i64) {
    let _ = client.query_one("SELECT pg_advisory_unlock($1)", &[&key]);
}

/// Who holds the lock now, if anyone can be seen.
pub(crate) fn holder(client: &mut Client, key: i64) -> Result<Option<LockHolder>, MigrateError> {
    // A bigint advisory key is stored as classid = high half, objid = low half, objsubid = 1.
    let high = (key >> 32) as u32;
    let low = key as u32;
    let row = client
        .query_opt(
            "SELECT l.pid, coalesce(a.application_name, ''), a.client_addr::text, \
                    extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::float8, \
                    coalesce(a.query, '') \
             FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
               AND l.classid = $1 AND l.objid = $2 \
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             LIMIT 1",
            &[&high, &low],
        )
        .map_err(MigrateError::db("cannot find who holds the migration lock"))?;
    Ok(row.map(|r| LockHolder {
        pid: r.get(0),
        application_name: r.get(1),
        client_addr: r.get(2),
        busy_seconds: r.get(3),
        query: r.get(4),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_per_table_and_are_stable() {
        let default = lock_key(&TrackingTable::default());
        assert_eq!(default, lock_key(&TrackingTable::default()));
        assert_ne!(default, lock_key(&TrackingTable::new("drizzle", "other")));
    }

    #[test]
    fn holder_is_described_for_the_waiting_message() {
        let holder = LockHolder {
            pid: 4242,
            application_name: "drizzle-migrate".into(),
            client_addr: Some("10.0.0.7/32".into()),
            busy_seconds: Some(12.4),
            query: "SELECT pg_sleep(60)".into(),
        };
        assert_eq!(
            holder.to_string(),
            "pid 4242 (drizzle-migrate) from 10.0.0.7/32, busy for 12 s"
        );
    }
}
