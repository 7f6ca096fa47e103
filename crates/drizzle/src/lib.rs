//! What applications depend on: the schema derives and the traits they implement.
//!
//! A schema is plain Rust: each table is a struct whose fields are its columns, and
//! `#[drizzle(...)]` attributes say what the types alone cannot. The `drizzle-kit` CLI
//! reads the same source files to generate migrations; the derives check at compile time
//! what the CLI checks (with the same messages) and give the application the SQL names.
//!
//! ```
//! use drizzle::{PgEnum, Table};
//!
//! #[derive(PgEnum, Debug, PartialEq)]
//! pub enum Plan {
//!     Free,
//!     #[drizzle(value = "pro-monthly")]
//!     Pro,
//! }
//!
//! #[derive(Table)]
//! #[drizzle(name = "accounts")]
//! pub struct Account {
//!     #[drizzle(primary_key)]
//!     pub id: i64,
//!     #[drizzle(varchar(255), unique)]
//!     pub email: String,
//!     #[drizzle(default = Plan::Free)]
//!     pub plan: Plan,
//! }
//!
//! #[derive(Table)]
//! pub struct Invoice {
//!     #[drizzle(primary_key)]
//!     pub id: i64,
//!     // A typo here (`Acount::id`, `Account::idd`) fails to compile.
//!     #[drizzle(references(Account::id, on_delete = cascade))]
//!     pub account_id: i64,
//! }
//!
//! assert_eq!(Account::NAME, "accounts");
//! assert_eq!(Invoice::NAME, "invoice");
//! assert_eq!(Account::COLUMNS, &["id", "email", "plan"]);
//! assert_eq!(Plan::Pro.as_str(), "pro-monthly");
//! assert_eq!(Plan::from_value("free"), Some(Plan::Free));
//! ```
//!
//! With the default `migrate` feature, the application can also apply its migrations
//! itself: [`migrate`] reads a folder at run time, and [`embed_migrations!`] compiles the
//! folder into the binary so a deployed program migrates its database on start:
//!
//! ```no_run
//! static MIGRATIONS: drizzle::EmbeddedMigrations = drizzle::embed_migrations!("tests/migrations");
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let url = std::env::var("DATABASE_URL")?;
//! let mut client = drizzle::postgres::Client::connect(&url, drizzle::postgres::NoTls)?;
//! let report = drizzle::migrate(&mut client, &MIGRATIONS)?;
//! eprintln!("applied {} migrations", report.applied.len());
//! # Ok(())
//! # }
//! ```

// The derives name this crate by its absolute path, which must also resolve inside it.
extern crate self as drizzle;

pub use drizzle_derive::{PgEnum, PgSchema, Role, Sequence, Table, View};

#[cfg(feature = "migrate")]
mod migrations;

#[cfg(feature = "migrate")]
pub use drizzle_derive::embed_migrations;
#[cfg(feature = "migrate")]
pub use drizzle_migrate::{
    EmbeddedMigration, EmbeddedMigrations, Event, MigrateError, MigrateOptions, MigrateReport,
    Migration, MigrationSource, MigrationState, MigrationStatus, MigrationsFolder, Observer,
    Silent, Status, TrackingTable,
};
#[cfg(feature = "migrate")]
pub use migrations::{Migrations, migrate, migrate_with, migration_status};
/// The PostgreSQL client [`migrate`] takes, re-exported so its version always matches.
#[cfg(feature = "migrate")]
pub use postgres;

/// A table declared with `#[derive(Table)]`.
pub trait Table {
    /// The table's SQL name.
    const NAME: &'static str;
    /// The PostgreSQL schema the table lives in (`public` unless declared otherwise).
    const SCHEMA: &'static str;
    /// The SQL column names, in field order.
    const COLUMNS: &'static [&'static str];
}

/// An enum type declared with `#[derive(PgEnum)]`.
pub trait PgEnum: Sized + 'static {
    /// The enum type's SQL name.
    const NAME: &'static str;
    /// The PostgreSQL schema the type lives in.
    const SCHEMA: &'static str;
    /// The SQL values, in variant order (which is the type's sort order).
    const VALUES: &'static [&'static str];
    /// The SQL value of this variant.
    fn as_str(&self) -> &'static str;
    /// The variant whose SQL value is `value`, if any.
    fn from_value(value: &str) -> Option<Self>;
}

/// A view or materialized view declared with `#[derive(View)]`.
pub trait View {
    /// The view's SQL name.
    const NAME: &'static str;
    /// The PostgreSQL schema the view lives in.
    const SCHEMA: &'static str;
    /// Whether it is a materialized view.
    const MATERIALIZED: bool;
}

/// A standalone sequence declared with `#[derive(Sequence)]`.
pub trait Sequence {
    /// The sequence's SQL name.
    const NAME: &'static str;
    /// The PostgreSQL schema the sequence lives in.
    const SCHEMA: &'static str;
}

/// A database role declared with `#[derive(Role)]`.
pub trait Role {
    /// The role's name.
    const NAME: &'static str;
}

/// A PostgreSQL schema (namespace) declared with `#[derive(PgSchema)]`.
pub trait PgSchema {
    /// The schema's name.
    const NAME: &'static str;
}

/// Support for the code the derives generate; not a public API.
#[doc(hidden)]
pub mod __private {
    use core::marker::PhantomData;

    /// Links a table to the hidden struct its derive generates, whose fields are the
    /// table's fields: `references(Other::field)` compiles to a field access on it.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a table: `references(...)` names a field of a `#[derive(Table)]` struct",
        label = "not a table"
    )]
    pub trait Columns {
        /// The hidden struct.
        type Fields;
    }

    /// Implemented by no type: the bound that turns a literal default on an enum column
    /// into a compile error with the schema language's wording.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is an enum column: its default must be a variant such as `{Self}::Variant`, not a literal",
        label = "not a variant of `{Self}`"
    )]
    pub trait LiteralDefaultFits {}

    /// Asks at compile time whether a column type is a `PgEnum`, by method resolution:
    /// [`EnumProbe`] applies to `Probe<T>` when `T: PgEnum`, [`AnyProbe`] (one autoref
    /// further) otherwise.
    pub struct Probe<T>(PhantomData<T>);

    impl<T> Probe<T> {
        /// A probe for `T`.
        pub const fn new() -> Self {
            Probe(PhantomData)
        }
    }

    impl<T> Default for Probe<T> {
        fn default() -> Self {
            Self::new()
        }
    }

    /// The enum case of [`Probe`].
    pub trait EnumProbe<T> {
        /// Fails to compile: enum columns take `default = Enum::Variant`.
        fn literal_default(&self)
        where
            T: LiteralDefaultFits,
        {
        }
    }

    impl<T: crate::PgEnum> EnumProbe<T> for Probe<T> {}

    /// The non-enum case of [`Probe`].
    pub trait AnyProbe {
        /// Accepts the literal; `drizzle-syntax` has already checked it against the type.
        fn literal_default(&self) {}
    }

    impl<T> AnyProbe for &Probe<T> {}
}
