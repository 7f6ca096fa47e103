//! Integration tests of the differ and renderer together: drizzle-kit's conformance corpus
//! as text and on a real database, a property test over random schema pairs, and data
//! surviving (or cleanly refusing) migrations.

mod cases;
mod data;
mod database;
mod dumps;
mod generate;
mod property;
mod text;
