//! Live PostgreSQL → the `Schema` model that the Rust parser and drizzle-kit snapshots produce.
//!
//! [`introspect`] reads the catalog with one query per object kind (the `.sql` files in
//! `src/sql`), all inside one read-only repeatable-read transaction, so the number of round
//! trips is the same for ten tables or ten thousand. Types, defaults, serials, identities,
//! constraint names and options are spelled the way drizzle-kit spells them in its snapshot.
//! Objects the model has no place for are reported as [`Warning`]s that name them.
//!
//! Expressions (checks, defaults, generated columns, index keys and predicates, policies,
//! view definitions) cannot be compared reliably as text; [`canonicalize_schema`] asks the
//! server to print both sides the same way, and [`comparable`] removes spelling differences
//! of types and optional keys.

mod assemble;
mod canonical;
mod catalog;
mod defaults;
mod error;
mod normalize;
mod objects;
mod options;
mod pg_names;
mod sql_text;
mod types;
mod warning;

pub use canonical::{
    CanonicalFailure, Canonicalized, canonicalize_pair, canonicalize_schema,
    canonicalize_with_database,
};
pub use error::IntrospectError;
pub use normalize::{comparable, comparable_type};
pub use options::{Options, RolesFilter};
pub use types::spell_type;
pub use warning::{Warning, WarningKind};

use drizzle_schema::Schema;

/// The result of reading a database.
#[derive(Debug, Clone)]
pub struct Introspection {
    /// What the database holds, in the model.
    pub schema: Schema,
    /// Objects that were skipped or kept only in part, sorted.
    pub warnings: Vec<Warning>,
    /// Statements sent to the server (transaction control included); independent of the
    /// number of objects.
    pub round_trips: usize,
}

/// Reads the schemas selected by `options` from the database `client` is connected to.
///
/// The client must not be inside a transaction: introspection opens its own.
pub fn introspect(
    client: &mut postgres::Client,
    options: &Options,
) -> Result<Introspection, IntrospectError> {
    let filter = options::TableFilter::new(options)?;
    let catalog = catalog::read(client, &options.schema_filter, options.roles.enabled)?;
    let mut schema = Schema::default();
    let mut warnings = Vec::new();
    let serials = assemble::relations(&catalog, &filter, &mut schema, &mut warnings);
    objects::schema_objects(&catalog, options, &serials, &mut schema, &mut warnings);
    objects::unsupported(&catalog, &mut warnings);
    warnings.sort();
    warnings.dedup();
    Ok(Introspection {
        schema,
        warnings,
        round_trips: catalog.round_trips,
    })
}
