//! Derive macros for the drizzle schema language.
//!
//! Every derive first runs `drizzle-syntax`'s checks, the same ones the CLI runs on the
//! same source, so the compiler and `drizzle-kit` reject the same mistakes with the same
//! words. Only then does it emit the small trait impls of the `drizzle` crate.

mod attrs;
mod embed;
mod named_items;
mod names;
mod pg_enum;
mod table;

use drizzle_syntax::DeriveKind;
use proc_macro::TokenStream;
use syn::DeriveInput;

/// Declares a table: `#[derive(Table)]` on a struct with named fields.
#[proc_macro_derive(Table, attributes(drizzle))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    derive(DeriveKind::Table, input)
}

/// Declares an enum type: `#[derive(PgEnum)]` on an enum of unit variants.
#[proc_macro_derive(PgEnum, attributes(drizzle))]
pub fn derive_pg_enum(input: TokenStream) -> TokenStream {
    derive(DeriveKind::PgEnum, input)
}

/// Declares a view or materialized view.
#[proc_macro_derive(View, attributes(drizzle))]
pub fn derive_view(input: TokenStream) -> TokenStream {
    derive(DeriveKind::View, input)
}

/// Declares a standalone sequence, on a unit struct.
#[proc_macro_derive(Sequence, attributes(drizzle))]
pub fn derive_sequence(input: TokenStream) -> TokenStream {
    derive(DeriveKind::Sequence, input)
}

/// Declares a database role, on a unit struct.
#[proc_macro_derive(Role, attributes(drizzle))]
pub fn derive_role(input: TokenStream) -> TokenStream {
    derive(DeriveKind::Role, input)
}

/// Declares a PostgreSQL schema (namespace), on a unit struct.
#[proc_macro_derive(PgSchema, attributes(drizzle))]
pub fn derive_pg_schema(input: TokenStream) -> TokenStream {
    derive(DeriveKind::PgSchema, input)
}

/// Embeds a migrations folder (relative to the crate's `Cargo.toml`; `"drizzle"` when
/// omitted) into the binary as a `drizzle::EmbeddedMigrations`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    embed::expand(input.into()).into()
}

fn derive(kind: DeriveKind, input: TokenStream) -> TokenStream {
    let input = match syn::parse::<DeriveInput>(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error().into(),
    };
    expand(kind, &input).into()
}

/// The validation errors, if any, followed by whatever could be generated.
fn expand(kind: DeriveKind, input: &DeriveInput) -> proc_macro2::TokenStream {
    let errors = drizzle_syntax::validate_derive(kind, input);
    let valid = errors.is_empty();
    let mut out = errors
        .into_iter()
        .reduce(|mut all, next| {
            all.combine(next);
            all
        })
        .map(|err| err.to_compile_error())
        .unwrap_or_default();
    let generated = match kind {
        DeriveKind::Table => table::expand(input).map(|table| {
            // With invalid attributes the user already has errors to fix; checks of other
            // items' names would only add noise about a half-read attribute.
            if valid {
                let mut items = table.items;
                items.extend(table.checks);
                items
            } else {
                table.items
            }
        }),
        DeriveKind::PgEnum => pg_enum::expand(input),
        DeriveKind::View => named_items::view(input),
        DeriveKind::Sequence => named_items::sequence(input),
        DeriveKind::Role => named_items::role(input),
        DeriveKind::PgSchema => named_items::pg_schema(input),
    };
    match generated {
        Ok(tokens) => out.extend(tokens),
        // An input `drizzle-syntax` accepted must be readable here too; if it is not,
        // say so rather than silently generate nothing.
        Err(err) if valid => out.extend(err.to_compile_error()),
        Err(_) => {}
    }
    out
}
