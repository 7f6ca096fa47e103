//! The crate's one integration test binary: the migrations folder on disk, and the runner
//! against a real PostgreSQL (one fresh database per test).

mod folder;
mod runner;
mod support;
