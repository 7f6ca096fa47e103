//! `#[derive(View)]`, `#[derive(Sequence)]`, `#[derive(Role)]` and `#[derive(PgSchema)]`:
//! items whose only generated facts are their names.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::attrs;
use crate::names;

/// Implements `drizzle::View`.
pub fn view(input: &DeriveInput) -> syn::Result<TokenStream> {
    let entries = attrs::entries(&input.attrs)?;
    let name = names::item(&input.ident, &entries);
    let schema = names::schema(&entries);
    let materialized = attrs::flag(&entries, "materialized");
    Ok(implement(
        input,
        quote!(View),
        quote! {
            const NAME: &'static str = #name;
            const SCHEMA: &'static str = #schema;
            const MATERIALIZED: bool = #materialized;
        },
    ))
}

/// Implements `drizzle::Sequence`.
pub fn sequence(input: &DeriveInput) -> syn::Result<TokenStream> {
    let entries = attrs::entries(&input.attrs)?;
    let name = names::item(&input.ident, &entries);
    let schema = names::schema(&entries);
    Ok(implement(
        input,
        quote!(Sequence),
        quote! {
            const NAME: &'static str = #name;
            const SCHEMA: &'static str = #schema;
        },
    ))
}

/// Implements `drizzle::Role`.
pub fn role(input: &DeriveInput) -> syn::Result<TokenStream> {
    let entries = attrs::entries(&input.attrs)?;
    let name = names::item(&input.ident, &entries);
    Ok(implement(
        input,
        quote!(Role),
        quote!(const NAME: &'static str = #name;),
    ))
}

/// Implements `drizzle::PgSchema`.
pub fn pg_schema(input: &DeriveInput) -> syn::Result<TokenStream> {
    let entries = attrs::entries(&input.attrs)?;
    let name = names::item(&input.ident, &entries);
    Ok(implement(
        input,
        quote!(PgSchema),
        quote!(const NAME: &'static str = #name;),
    ))
}

fn implement(input: &DeriveInput, trait_name: TokenStream, body: TokenStream) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::drizzle::#trait_name for #ident #ty_generics #where_clause {
            #body
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn views_know_their_schema_and_kind() {
        let input: DeriveInput = parse_quote! {
            #[drizzle(schema = "reporting", materialized, definition = "select 1")]
            struct OpenOrders;
        };
        let out = view(&input).unwrap().to_string();
        assert!(out.contains(":: drizzle :: View for OpenOrders"));
        assert!(out.contains(r#"NAME : & 'static str = "open_orders""#));
        assert!(out.contains(r#"SCHEMA : & 'static str = "reporting""#));
        assert!(out.contains("MATERIALIZED : bool = true"));
    }

    #[test]
    fn sequences_roles_and_schemas_are_named() {
        let seq: DeriveInput = parse_quote!(
            #[drizzle(start = 1000)]
            struct OrderNoSeq;
        );
        let role: DeriveInput = parse_quote!(
            #[drizzle(name = "app_reader", create_db)]
            struct R;
        );
        let schema: DeriveInput = parse_quote!(
            #[drizzle(renamed_from = "payments")]
            struct Billing;
        );
        let seq = sequence(&seq).unwrap().to_string();
        assert!(
            seq.contains(r#"NAME : & 'static str = "order_no_seq""#),
            "{seq}"
        );
        assert!(seq.contains(r#"SCHEMA : & 'static str = "public""#));
        let role = super::role(&role).unwrap().to_string();
        assert!(role.contains(r#":: drizzle :: Role for R"#));
        assert!(role.contains(r#"NAME : & 'static str = "app_reader""#));
        let schema = pg_schema(&schema).unwrap().to_string();
        assert!(schema.contains(r#"NAME : & 'static str = "billing""#));
    }
}
