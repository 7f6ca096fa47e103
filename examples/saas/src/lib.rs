//! Example application: the schema of a multi-tenant SaaS product, declared once in Rust.
//!
//! `drizzle-kit generate` (run in this directory) reads `src/schema.rs` and writes the
//! migrations; the same file compiles here, so the application gets the SQL names and
//! compile-time checks of every foreign key target.

pub mod schema;
