//! Example application schema.
