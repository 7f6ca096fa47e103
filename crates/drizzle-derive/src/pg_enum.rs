//! `#[derive(PgEnum)]`: the `drizzle::PgEnum` impl mapping variants to SQL values.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::attrs;
use crate::names;

/// Expands an enum whose unit variants are the SQL type's values.
pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`PgEnum` can only be derived for an enum",
        ));
    };
    let ident = &input.ident;
    let entries = attrs::entries(&input.attrs)?;
    let name = names::item(ident, &entries);
    let schema = names::schema(&entries);

    let mut variants = Vec::new();
    let mut values = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                variant,
                "`PgEnum` variants must be unit variants",
            ));
        }
        values.push(names::enum_value(variant, &attrs::entries(&variant.attrs)?));
        variants.push(&variant.ident);
    }

    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::drizzle::PgEnum for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            const SCHEMA: &'static str = #schema;
            const VALUES: &'static [&'static str] = &[#(#values),*];

            fn as_str(&self) -> &'static str {
                match *self {
                    #(Self::#variants => #values,)*
                }
            }

            fn from_value(value: &str) -> ::core::option::Option<Self> {
                match value {
                    #(#values => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn maps_variants_to_values_both_ways() {
        let input: DeriveInput = parse_quote! {
            #[drizzle(name = "contact_type", schema = "crm")]
            enum ContactType { Individual, #[drizzle(value = "Partner Org")] Partner }
        };
        let out = expand(&input).unwrap().to_string();
        assert!(out.contains(r#"const NAME : & 'static str = "contact_type""#));
        assert!(out.contains(r#"const SCHEMA : & 'static str = "crm""#));
        assert!(out.contains(r#"& ["individual" , "Partner Org"]"#), "{out}");
        assert!(out.contains(r#"Self :: Partner => "Partner Org""#), "{out}");
        assert!(out.contains(
            r#""individual" => :: core :: option :: Option :: Some (Self :: Individual)"#
        ));
    }

    #[test]
    fn rejects_data_carrying_variants() {
        let input: DeriveInput = parse_quote!(
            enum E {
                A(i32),
            }
        );
        let err = expand(&input).err().unwrap();
        assert_eq!(err.to_string(), "`PgEnum` variants must be unit variants");
    }
}
