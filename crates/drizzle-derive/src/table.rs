//! `#[derive(Table)]`: the `drizzle::Table` impl, a hidden struct with one field per
//! column, and compile-time checks that every `references(Other::field)` and every enum
//! default names something that exists.
//!
//! References are checked as field accesses on the referenced table's hidden struct, so
//! a typo reads "no field `idd` on type `OrganizationColumns`" followed by the list of
//! the fields that do exist.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Expr, Fields, GenericArgument, Path, PathArguments, Type};

use crate::attrs;
use crate::names;

/// What the derive generates for a table.
pub struct TableOutput {
    /// The trait impl and the hidden struct of columns.
    pub items: TokenStream,
    /// Checks of names that point at other items; only worth emitting for valid input,
    /// since an invalid attribute already has its own error.
    pub checks: TokenStream,
}

/// Expands a table struct.
pub fn expand(input: &DeriveInput) -> syn::Result<TableOutput> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`Table` can only be derived for a struct with named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new(
            data.fields.span(),
            "`Table` can only be derived for a struct with named fields",
        ));
    };
    let ident = &input.ident;
    let entries = attrs::entries(&input.attrs)?;
    let name = names::item(ident, &entries);
    let schema = names::schema(&entries);

    let mut columns = Vec::new();
    let mut field_idents = Vec::new();
    let mut targets = Vec::new();
    let mut defaults = Vec::new();
    for field in &fields.named {
        let field_entries = attrs::entries(&field.attrs)?;
        let (Some(field_ident), Some(column)) =
            (&field.ident, names::column(field, &field_entries))
        else {
            continue;
        };
        field_idents.push(field_ident);
        columns.push(column);
        for list in attrs::lists(&field_entries, "references") {
            targets.extend(ref_paths(list)?.into_iter().take(1));
        }
        let has_sql_type = attrs::values(&field_entries, "sql_type").next().is_some();
        for value in attrs::values(&field_entries, "default") {
            match enum_default(value) {
                Some(path) => defaults.push(variant_check(path, &field.ty)),
                None if !has_sql_type => defaults.extend(literal_check(value, &field.ty)),
                None => {}
            }
        }
    }
    for list in attrs::lists(&entries, "foreign_key") {
        for inner in attrs::lists(&attrs::nested(list)?, "references") {
            targets.extend(ref_paths(inner)?);
        }
    }

    let columns_ident = format_ident!("{}Columns", names::unraw(ident));
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let items = quote! {
        impl #impl_generics ::drizzle::Table for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            const SCHEMA: &'static str = #schema;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];
        }

        // The block keeps the struct's name out of the user's namespace.
        const _: () = {
            #[doc(hidden)]
            #[allow(dead_code, non_camel_case_types)]
            pub struct #columns_ident {
                #(pub #field_idents: (),)*
            }

            impl #impl_generics ::drizzle::__private::Columns for #ident #ty_generics #where_clause {
                type Fields = #columns_ident;
            }
        };
    };

    let reference_checks = targets
        .iter()
        .filter_map(|path| reference_check(ident, path));
    let checks = if targets.is_empty() && defaults.is_empty() {
        TokenStream::new()
    } else {
        // A closure coerced to a fn pointer is type-checked but never run or const-evaluated.
        quote! {
            const _: fn() = || {
                #(#reference_checks)*
                #(#defaults)*
            };
        }
    };
    Ok(TableOutput { items, checks })
}

/// The field's identifier as an expression can use it: keywords (`Other::type`) raw.
fn field_access(field: &Ident) -> Ident {
    let name = names::unraw(field);
    match syn::parse_str::<Ident>(&name) {
        Ok(mut plain) => {
            plain.set_span(field.span());
            plain
        }
        Err(_) => Ident::new_raw(&name, field.span()),
    }
}

/// The `Other::field` paths of a `references(...)` list, before its options.
fn ref_paths(tokens: &TokenStream) -> syn::Result<Vec<Path>> {
    Ok(attrs::qualified_paths(attrs::nested(tokens)?).collect())
}

/// A `default = MyEnum::Variant` path; other defaults are literals the type checker of
/// `drizzle-syntax` has already judged.
fn enum_default(value: &Expr) -> Option<&Path> {
    match value {
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() >= 2 => Some(&p.path),
        _ => None,
    }
}

/// `let _: MyEnum = MyEnum::Variant;`: the variant must exist and belong to the column's
/// enum (the column type without its `Option`).
fn variant_check(path: &Path, ty: &Type) -> TokenStream {
    match non_null(ty) {
        inner @ Type::Path(_) => quote_spanned! {path.span()=> let _: #inner = #path; },
        _ => quote_spanned! {path.span()=> let _ = #path; },
    }
}

/// A literal default on a column whose type is a `PgEnum` fails to compile. Only the
/// compiler knows which types are enums, since the derive sees one item.
fn literal_check(value: &Expr, ty: &Type) -> Option<TokenStream> {
    let inner @ Type::Path(_) = non_null(ty) else {
        return None;
    };
    Some(quote_spanned! {value.span()=>
        {
            // Only one of the two probes is picked, which leaves the other import unused.
            #[allow(unused_imports)]
            use ::drizzle::__private::{AnyProbe as _, EnumProbe as _};
            (&::drizzle::__private::Probe::<#inner>::new()).literal_default();
        }
    })
}

/// `T` for `Option<T>`, else the type itself.
fn non_null(ty: &Type) -> &Type {
    if let Type::Path(p) = ty
        && let Some(last) = p.path.segments.last()
        && last.ident == "Option"
        && let PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(GenericArgument::Type(inner)) = args.args.first()
    {
        return inner;
    }
    ty
}

/// `|columns: <Other as Columns>::Fields| columns.field`, spanned on the user's path so
/// that a misspelt struct or field is reported where it was written.
fn reference_check(table: &Ident, path: &Path) -> Option<TokenStream> {
    let mut owner = path.clone();
    let field = owner.segments.pop()?.into_value().ident;
    owner.segments.pop_punct();
    for segment in owner.segments.iter_mut() {
        if segment.ident == "Self" {
            // `Self` means nothing outside the struct's impl, so name the struct itself.
            let span = segment.ident.span();
            segment.ident = table.clone();
            segment.ident.set_span(span);
        }
    }
    let field = field_access(&field);
    Some(quote_spanned! {path.span()=>
        let _ = |columns: <#owner as ::drizzle::__private::Columns>::Fields| columns.#field;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn expand_str(input: DeriveInput) -> (String, String) {
        let out = expand(&input).unwrap();
        (out.items.to_string(), out.checks.to_string())
    }

    #[test]
    fn emits_names_columns_and_hidden_constants() {
        let (items, checks) = expand_str(parse_quote! {
            #[drizzle(name = "contacts", schema = "crm")]
            pub struct Contact {
                #[drizzle(primary_key)]
                pub id: i32,
                #[drizzle(name = "type")]
                pub kind: String,
                pub r#ref: i32,
            }
        });
        assert!(
            items.contains(r#"const NAME : & 'static str = "contacts""#),
            "{items}"
        );
        assert!(
            items.contains(r#"const SCHEMA : & 'static str = "crm""#),
            "{items}"
        );
        assert!(items.contains(r#"& ["id" , "type" , "ref"]"#), "{items}");
        assert!(
            items.contains(
                "pub struct ContactColumns { pub id : () , pub kind : () , pub r#ref : () , }"
            ),
            "{items}"
        );
        assert!(
            items.contains("Columns for Contact { type Fields = ContactColumns ; }"),
            "{items}"
        );
        assert!(checks.is_empty());
    }

    #[test]
    fn checks_references_foreign_keys_and_enum_defaults() {
        let (_, checks) = expand_str(parse_quote! {
            #[drizzle(foreign_key(columns(a, b), references(Other::x, Other::y)))]
            struct Child {
                #[drizzle(references(Parent::id, on_delete = cascade))]
                parent_id: i32,
                #[drizzle(references(Self::id))]
                manager_id: Option<i32>,
                #[drizzle(references(Kind::type))]
                kind_name: Option<String>,
                #[drizzle(default = Status::Open)]
                status: Status,
                #[drizzle(default = Kind::A)]
                kind: Option<Kind>,
                #[drizzle(default = 3)]
                a: i32,
                b: i32,
            }
        });
        for expected in [
            "< Parent as :: drizzle :: __private :: Columns > :: Fields | columns . id",
            "< Child as :: drizzle :: __private :: Columns > :: Fields | columns . id",
            "< Other as :: drizzle :: __private :: Columns > :: Fields | columns . x",
            "< Other as :: drizzle :: __private :: Columns > :: Fields | columns . y",
            "columns . r#type",
            "let _ : Status = Status :: Open",
        ] {
            assert!(checks.contains(expected), "{expected} missing in {checks}");
        }
        assert!(checks.contains("let _ : Kind = Kind :: A"), "{checks}");
        assert!(checks.contains("Probe :: < i32 > :: new ()"), "{checks}");
        assert!(!checks.contains("cascade"));
    }

    #[test]
    fn rejects_tuple_structs() {
        let input: DeriveInput = parse_quote!(
            struct T(i32);
        );
        let err = expand(&input).err().unwrap();
        assert!(err.to_string().contains("named fields"));
    }
}
