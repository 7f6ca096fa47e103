//! Rendering changes as PostgreSQL statements, in an order PostgreSQL accepts.
