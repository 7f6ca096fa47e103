//! Exclusive use of cluster-wide roles: one holder at a time across threads, test binaries
//! and developers sharing a server, with the roles removed before and after.

use std::cell::Cell;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::error::{HarnessError, describe_error};
use crate::role_cleanup::drop_roles;
use crate::server::{connect, server};

/// The advisory lock key. The two-int4 form (stored with `objsubid = 2`) can never meet the
/// bigint keys drizzle-migrate takes (`objsubid = 1`); the halves spell "drzl" and "role".
const LOCK_KEY: (u32, u32) = (0x6472_7a6c, 0x726f_6c65);

/// How long to wait for another holder before failing with its name: long enough for a slow
/// suite elsewhere, short enough that a stuck holder fails CI instead of hanging it.
const LOCK_WAIT: Duration = Duration::from_secs(900);

/// Threads of one process queue here, so only one session per process waits on the server.
static IN_PROCESS: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread holds a guard: a second one would wait for itself forever.
    static HOLDING: Cell<bool> = const { Cell::new(false) };
}

/// Exclusive use of some cluster-wide roles, from [`exclusive_roles`].
///
/// While it lives, no other guard (in any thread or process using this server) exists, and
/// the named roles did not exist when it was taken. Dropping it (also while unwinding from a
/// panic) drops the roles again, wherever they own objects or hold privileges, then lets the
/// next holder in.
pub struct RolesGuard {
    names: Vec<String>,
    admin_url: String,
    // Declared before `_turn` so the server lock is released before the in-process one.
    admin: postgres::Client,
    _turn: MutexGuard<'static, ()>,
}

/// Waits for exclusive use of the cluster-wide roles, then drops any leftover of `names`
/// (from a run that was killed or failed) so the caller can create them.
///
/// Every test that creates, alters or renames a role takes one guard naming all the roles
/// it may create, before creating any. Guards do not nest: a thread holding one panics when
/// it asks for another. Panics when the lock cannot be taken or a leftover cannot be removed.
pub fn exclusive_roles<I, S>(names: I) -> RolesGuard
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let names: Vec<String> = names
        .into_iter()
        .map(|name| name.as_ref().to_owned())
        .collect();
    RolesGuard::acquire(server().admin_url(), names)
        .unwrap_or_else(|error| panic!("drizzle-testkit: {error}"))
}

impl RolesGuard {
    fn acquire(admin_url: &str, mut names: Vec<String>) -> Result<RolesGuard, HarnessError> {
        names.sort();
        names.dedup();
        if HOLDING.get() {
            panic!(
                "drizzle-testkit: this thread already holds a RolesGuard; guards do not nest, \
                 take one guard naming every role instead (asked for {names:?})"
            );
        }
        let turn = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
        let mut admin = connect(admin_url)?;
        check_names(&mut admin, &names)?;
        identify(&mut admin)?;
        take_lock(&mut admin)?;
        HOLDING.set(true);
        let mut guard = RolesGuard {
            names,
            admin_url: admin_url.to_owned(),
            admin,
            _turn: turn,
        };
        // On failure the guard is dropped here, which retries the cleanup and unlocks.
        guard.remove_roles()?;
        Ok(guard)
    }

    /// The roles this guard covers, sorted and without duplicates.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Drops the roles now and keeps the lock, for a test that creates them more than once.
    ///
    /// Panics when a role cannot be removed.
    pub fn reset(&mut self) {
        self.remove_roles()
            .unwrap_or_else(|error| panic!("drizzle-testkit: {error}"));
    }

    fn remove_roles(&mut self) -> Result<(), HarnessError> {
        drop_roles(&mut self.admin, &self.admin_url, &self.names)
    }
}

impl std::fmt::Debug for RolesGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RolesGuard")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl Drop for RolesGuard {
    fn drop(&mut self) {
        // Panicking in drop would abort a test that is already unwinding; the next guard
        // removes whatever is left, so a warning is enough.
        if let Err(error) = self.remove_roles() {
            eprintln!(
                "drizzle-testkit: could not drop roles {:?}: {error}",
                self.names
            );
        }
        // Closing the connection would release the lock too, but only once the server notices.
        let _ = self.admin.batch_execute(&format!(
            "SELECT pg_advisory_unlock({}, {})",
            LOCK_KEY.0 as i32, LOCK_KEY.1 as i32
        ));
        HOLDING.set(false);
    }
}

/// Refuses names whose removal would break the server or the harness itself.
fn check_names(admin: &mut postgres::Client, names: &[String]) -> Result<(), HarnessError> {
    let row = admin
        .query_one("SELECT current_user::text, session_user::text", &[])
        .map_err(|e| HarnessError::Query(describe_error(&e)))?;
    let (current, session): (String, String) = (row.get(0), row.get(1));
    let forbidden = names.iter().find(|name| {
        name.is_empty() || name.starts_with("pg_") || **name == current || **name == session
    });
    match forbidden {
        Some(name) => Err(HarnessError::Query(format!(
            "refusing to manage role {name:?}: it is reserved or the harness's own role"
        ))),
        None => Ok(()),
    }
}

/// Names the session after this process and test, so a waiting run can say who it waits for.
fn identify(admin: &mut postgres::Client) -> Result<(), HarnessError> {
    let thread = std::thread::current();
    let name = format!(
        "drizzle-testkit roles pid {} {}",
        std::process::id(),
        thread.name().unwrap_or("")
    );
    admin
        .query(
            "SELECT set_config('application_name', $1, false), \
                    set_config('statement_timeout', '0', false)",
            &[&name],
        )
        .map_err(|e| HarnessError::Query(describe_error(&e)))?;
    Ok(())
}

fn take_lock(admin: &mut postgres::Client) -> Result<(), HarnessError> {
    let query = |e: postgres::Error| HarnessError::Query(describe_error(&e));
    let (high, low) = (LOCK_KEY.0 as i32, LOCK_KEY.1 as i32);
    let got: bool = admin
        .query_one("SELECT pg_try_advisory_lock($1, $2)", &[&high, &low])
        .map_err(query)?
        .get(0);
    if got {
        return Ok(());
    }
    eprintln!(
        "drizzle-testkit: waiting for the cluster-wide roles, in use by {}",
        holder(admin)
    );
    // lock_timeout bounds advisory lock waits too, and the server wakes us when it is free.
    admin
        .query(
            "SELECT set_config('lock_timeout', $1, false)",
            &[&format!("{}s", LOCK_WAIT.as_secs())],
        )
        .map_err(query)?;
    if let Err(error) = admin.query_one("SELECT pg_advisory_lock($1, $2)", &[&high, &low]) {
        if error.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
            return Err(HarnessError::Query(format!(
                "the cluster-wide roles are still in use after {} s by {}",
                LOCK_WAIT.as_secs(),
                holder(admin)
            )));
        }
        return Err(query(error));
    }
    admin.batch_execute("SET lock_timeout = 0").map_err(query)?;
    Ok(())
}

/// Who holds the lock, for messages (`pid 123 (drizzle-testkit roles pid 456 some::test)`).
fn holder(admin: &mut postgres::Client) -> String {
    let row = admin.query_opt(
        "SELECT l.pid, coalesce(a.application_name, '') \
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 \
           AND l.classid = $1 AND l.objid = $2 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         LIMIT 1",
        &[&LOCK_KEY.0, &LOCK_KEY.1],
    );
    match row {
        Ok(Some(row)) => format!(
            "server session pid {} ({})",
            row.get::<_, i32>(0),
            row.get::<_, String>(1)
        ),
        Ok(None) => "a session that just finished".to_owned(),
        Err(error) => format!("an unknown session ({})", describe_error(&error)),
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;
    use crate::database::{fresh_database, quote_ident};
    use crate::role_cleanup::server_is_local;

    fn admin() -> postgres::Client {
        connect(server().admin_url()).expect("admin connection")
    }

    fn role_exists(name: &str) -> bool {
        admin()
            .query_one(
                "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)",
                &[&name],
            )
            .expect("catalog query")
            .get(0)
    }

    fn database_exists(name: &str) -> bool {
        admin()
            .query_one(
                "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)",
                &[&name],
            )
            .expect("catalog query")
            .get(0)
    }

    /// Whether some session other than the caller's holds the roles lock.
    fn lock_is_taken() -> bool {
        let mut other = admin();
        let got: bool = other
            .query_one(
                "SELECT pg_try_advisory_lock($1, $2)",
                &[&(LOCK_KEY.0 as i32), &(LOCK_KEY.1 as i32)],
            )
            .expect("try lock")
            .get(0);
        !got
    }

    fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    }

    /// A pid that ran a moment ago and is gone now.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        pid
    }

    #[test]
    fn leftovers_are_removed_from_every_database_before_the_guard_is_given() {
        const ROLE: &str = "drizzle_testkit_leftover";
        let live = fresh_database();
        let stale = format!("drizzle_test_{}_0_0badf00d", dead_pid());
        // A run that is killed while it uses the role: set up under the guard, then let go
        // of the turn without the cleanup.
        let mut killed = exclusive_roles([ROLE]);
        let mut admin = admin();
        // One by one: CREATE DATABASE refuses the implicit transaction of a multi-statement query.
        for statement in [
            format!("CREATE ROLE {ROLE}"),
            format!("CREATE DATABASE {stale} OWNER {ROLE}"),
            format!(
                "GRANT CONNECT ON DATABASE {} TO {ROLE}",
                quote_ident(live.name())
            ),
        ] {
            admin.batch_execute(&statement).expect(&statement);
        }
        live.execute_script(&format!(
            "CREATE TABLE owned (id integer); ALTER TABLE owned OWNER TO {ROLE}; \
             CREATE TABLE shared (id integer); GRANT SELECT ON shared TO {ROLE}; \
             ALTER TABLE shared ENABLE ROW LEVEL SECURITY; \
             CREATE POLICY readers ON shared TO {ROLE}, public USING (true); \
             ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {ROLE}"
        ))
        .expect("objects in a live database");
        let stale_url = crate::database::with_database(server().admin_url(), &stale).unwrap();
        connect(&stale_url)
            .expect("stale database")
            .batch_execute(&format!(
                "CREATE TABLE owned (id integer); ALTER TABLE owned OWNER TO {ROLE}"
            ))
            .expect("objects in a stale database");
        killed.names.clear();
        drop(killed);
        assert!(role_exists(ROLE));

        let guard = exclusive_roles([ROLE]);
        assert_eq!(guard.names(), [ROLE]);
        assert!(!role_exists(ROLE));
        if server_is_local(server().admin_url()) {
            assert!(!database_exists(&stale), "the killed run's database stays");
        } else {
            admin
                .batch_execute(&format!("DROP DATABASE {stale} WITH (FORCE)"))
                .expect("drop the stale database by hand");
        }
        // A live test's database is cleaned, never dropped, and keeps its objects.
        let mut client = live.client();
        let owners: Vec<String> = client
            .query(
                "SELECT tableowner::text FROM pg_tables WHERE tablename IN ('owned', 'shared')",
                &[],
            )
            .expect("tables")
            .iter()
            .map(|row| row.get(0))
            .collect();
        let current: String = client
            .query_one("SELECT current_user::text", &[])
            .unwrap()
            .get(0);
        assert_eq!(owners, [current.clone(), current]);
        let policy_roles: Vec<String> = client
            .query_one(
                "SELECT roles::text[]::text FROM pg_policies WHERE policyname = 'readers'",
                &[],
            )
            .map(|row| vec![row.get(0)])
            .expect("the policy keeps its other role");
        assert_eq!(policy_roles, ["{public}"]);
        drop(guard);
    }

    #[test]
    fn roles_are_dropped_when_the_holder_panics() {
        const ROLE: &str = "drizzle_testkit_panicking";
        let database = fresh_database();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let _roles = exclusive_roles([ROLE]);
            database
                .execute_script(&format!(
                    "CREATE ROLE {ROLE}; CREATE TABLE t (id integer); ALTER TABLE t OWNER TO {ROLE}"
                ))
                .expect("role and table");
            panic!("the test fails while it holds the roles");
        }));
        assert!(outcome.is_err());
        // Under a guard naming nothing, so another run of this test cannot be mid-way.
        let _turn = exclusive_roles(Vec::<String>::new());
        assert!(!role_exists(ROLE));
    }

    #[test]
    fn reset_drops_the_roles_and_keeps_the_turn() {
        const ROLE: &str = "drizzle_testkit_reset";
        let mut guard = exclusive_roles([ROLE, ROLE]);
        assert_eq!(guard.names(), [ROLE]);
        admin()
            .batch_execute(&format!("CREATE ROLE {ROLE}"))
            .expect("create role");
        guard.reset();
        assert!(!role_exists(ROLE));
        assert!(lock_is_taken());
        admin()
            .batch_execute(&format!("CREATE ROLE {ROLE}"))
            .expect("the name is free again");
        drop(guard);
        let _turn = exclusive_roles(Vec::<String>::new());
        assert!(!role_exists(ROLE));
    }

    #[test]
    fn holders_take_turns_across_threads() {
        static INSIDE: AtomicBool = AtomicBool::new(false);
        let workers: Vec<_> = (0..3)
            .map(|_| {
                std::thread::spawn(|| {
                    for _ in 0..3 {
                        let _roles = exclusive_roles(["drizzle_testkit_turns"]);
                        assert!(!INSIDE.swap(true, Ordering::SeqCst), "two holders at once");
                        assert!(lock_is_taken(), "other sessions see the lock");
                        std::thread::sleep(Duration::from_millis(20));
                        INSIDE.store(false, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("worker");
        }
    }

    #[test]
    fn a_holder_in_another_process_is_named_and_waited_for() {
        // A bare session stands for another process: it knows nothing of this one's mutex.
        let mut other = admin();
        other
            .batch_execute("SET application_name = 'drizzle-testkit other holder'")
            .unwrap();
        other
            .query_one(
                "SELECT pg_advisory_lock($1, $2)",
                &[&(LOCK_KEY.0 as i32), &(LOCK_KEY.1 as i32)],
            )
            .expect("lock");
        assert!(holder(&mut admin()).contains("(drizzle-testkit other holder)"));
        let waiter = std::thread::spawn(|| {
            let _roles = exclusive_roles(["drizzle_testkit_waiter"]);
            std::time::Instant::now()
        });
        std::thread::sleep(Duration::from_millis(300));
        let released = std::time::Instant::now();
        other
            .query_one(
                "SELECT pg_advisory_unlock($1, $2)",
                &[&(LOCK_KEY.0 as i32), &(LOCK_KEY.1 as i32)],
            )
            .expect("unlock");
        let acquired = waiter.join().expect("waiter");
        assert!(
            acquired >= released,
            "the waiter went in before the holder left"
        );
    }

    #[test]
    fn guards_do_not_nest_on_one_thread() {
        let _outer = exclusive_roles(["drizzle_testkit_outer"]);
        let inner = catch_unwind(|| exclusive_roles(["drizzle_testkit_inner"])).unwrap_err();
        assert!(
            panic_text(&*inner).contains("guards do not nest"),
            "{}",
            panic_text(&*inner)
        );
    }

    #[test]
    fn reserved_and_own_roles_are_refused() {
        let current: String = admin()
            .query_one("SELECT current_user::text", &[])
            .unwrap()
            .get(0);
        for name in ["pg_monitor", current.as_str(), ""] {
            let refused = catch_unwind(|| exclusive_roles([name])).unwrap_err();
            assert!(
                panic_text(&*refused).contains("refusing to manage role"),
                "{name}: {}",
                panic_text(&*refused)
            );
        }
        assert!(role_exists(&current));
    }
}
