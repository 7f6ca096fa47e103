//! A real PostgreSQL for tests, found or started the same way on every machine.
//!
//! The server is chosen once per test process: `DATABASE_URL` (an admin URL) when set, else a
//! local server on 127.0.0.1:5432 or /var/run/postgresql, else a throwaway cluster started from
//! the installed binaries. Every test then gets its own database from [`fresh_database`]; roles,
//! which are cluster-wide, are taken one test at a time with [`exclusive_roles`].

mod binaries;
mod cluster;
mod database;
mod dump;
mod error;
pub mod fixtures;
mod migration_roles;
mod role_cleanup;
mod roles_guard;
mod server;

pub use database::{TestDatabase, fresh_database};
pub use dump::{normalize_dump, pg_dump_path};
pub use error::{HarnessError, describe_error};
pub use migration_roles::roles_in_migrations;
pub use roles_guard::{RolesGuard, exclusive_roles};
pub use server::{Origin, Server, server};
