//! The crate's one integration test binary: conformance with drizzle-kit's snapshots,
//! the bad-schema diagnostics, and robustness against arbitrary input.

mod bad_schemas;
mod conformance;
mod no_panics;
