//! SQL names of items, columns and enum values, computed the way the CLI computes them.

use heck::ToSnakeCase;
use syn::{Field, Ident, Variant};

use crate::attrs::{self, Entries};

/// The schema every item lives in unless it says otherwise.
pub const PUBLIC: &str = "public";

/// An item's SQL name: its `name = "..."`, else the snake_case of its Rust name.
pub fn item(ident: &Ident, entries: &Entries) -> String {
    attrs::string(entries, "name").unwrap_or_else(|| unraw(ident).to_snake_case())
}

/// An item's PostgreSQL schema: its `schema = "..."`, else `public`.
pub fn schema(entries: &Entries) -> String {
    attrs::string(entries, "schema").unwrap_or_else(|| PUBLIC.to_owned())
}

/// A column's name: its `name = "..."`, else the field name without `r#`.
pub fn column(field: &Field, entries: &Entries) -> Option<String> {
    let ident = field.ident.as_ref()?;
    Some(attrs::string(entries, "name").unwrap_or_else(|| unraw(ident)))
}

/// An enum value: the variant's `value = "..."`, else the snake_case of its name.
pub fn enum_value(variant: &Variant, entries: &Entries) -> String {
    attrs::string(entries, "value").unwrap_or_else(|| unraw(&variant.ident).to_snake_case())
}

/// The identifier's text without a raw `r#` prefix.
pub fn unraw(ident: &Ident) -> String {
    let text = ident.to_string();
    match text.strip_prefix("r#") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{DeriveInput, parse_quote};

    #[test]
    fn defaults_follow_the_schema_language() {
        let input: DeriveInput = parse_quote! {
            struct OrderItem { r#type: i32, #[drizzle(name = "createdAt")] created_at: i32 }
        };
        let e = attrs::entries(&input.attrs).unwrap();
        assert_eq!(item(&input.ident, &e), "order_item");
        assert_eq!(schema(&e), "public");
        let syn::Data::Struct(data) = input.data else {
            unreachable!("the input above is a struct")
        };
        let cols: Vec<_> = data
            .fields
            .iter()
            .map(|f| column(f, &attrs::entries(&f.attrs).unwrap()).unwrap())
            .collect();
        assert_eq!(cols, ["type", "createdAt"]);
    }

    #[test]
    fn enum_values_are_snake_case_unless_named() {
        let plain: Variant = parse_quote!(InProgress);
        let named: Variant = parse_quote!(
            #[drizzle(value = "Partner Org")]
            Partner
        );
        let e = |v: &Variant| attrs::entries(&v.attrs).unwrap();
        assert_eq!(enum_value(&plain, &e(&plain)), "in_progress");
        assert_eq!(enum_value(&named, &e(&named)), "Partner Org");
    }
}
