//! The `Schema` model every stage of the pipeline shares, and its snapshot JSON.
//!
//! The model mirrors drizzle-kit's version "7" snapshot closely on purpose: a folder
//! written by drizzle-kit must be continued by us and vice versa, so everything the
//! snapshot can say has a place here, including the optional keys whose presence
//! drizzle-kit distinguishes. Things the snapshot cannot say (comments, rename hints)
//! live beside it and are documented where they are declared.

pub mod json;
pub mod model;
pub mod names;
pub mod snapshot;

pub use model::*;
