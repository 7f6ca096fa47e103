//! Derive macros for the drizzle schema language; validation is `drizzle-syntax`'s.
