//! The `#[drizzle(...)]` schema language: Rust source files to the `Schema` model.
