//! Reads the few `#[drizzle(...)]` keys the generated code needs (names, schemas,
//! references, enum values). Checking the attributes is `drizzle-syntax`'s job and
//! happens first; this module only reads input that is already known to be valid,
//! so it skips every key it does not need.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, Path, PathSegment, Token};

/// One entry of a `#[drizzle(...)]` list. Keys may be Rust keywords (`where = "..."`),
/// which `syn::Meta` refuses, hence this small reader of our own.
#[derive(Debug, Clone)]
pub enum Entry {
    /// `key` or `Type::field`.
    Path(Path),
    /// `key = value`.
    Value(Path, Box<Expr>),
    /// `key(...)`, its contents unread.
    List(Path, TokenStream),
}

impl Entry {
    fn key(&self) -> &Path {
        match self {
            Entry::Path(path) | Entry::Value(path, _) | Entry::List(path, _) => path,
        }
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut path = Path {
            leading_colon: input.parse()?,
            segments: Punctuated::new(),
        };
        loop {
            path.segments
                .push_value(PathSegment::from(Ident::parse_any(input)?));
            if !input.peek(Token![::]) {
                break;
            }
            path.segments.push_punct(input.parse()?);
        }
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Ok(Entry::Value(path, input.parse()?))
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            Ok(Entry::List(path, content.parse()?))
        } else {
            Ok(Entry::Path(path))
        }
    }
}

/// The entries of one attribute or nested list.
pub type Entries = Vec<Entry>;

/// Every entry of every `#[drizzle(...)]` attribute in `attrs`, in source order.
pub fn entries(attrs: &[Attribute]) -> syn::Result<Entries> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("drizzle")) {
        let list = attr.parse_args_with(Punctuated::<Entry, Token![,]>::parse_terminated)?;
        out.extend(list);
    }
    Ok(out)
}

/// The entries nested in a `key(...)` list.
pub fn nested(tokens: &TokenStream) -> syn::Result<Entries> {
    let list = Punctuated::<Entry, Token![,]>::parse_terminated.parse2(tokens.clone())?;
    Ok(list.into_iter().collect())
}

/// The string value of the first `key = "..."` entry, if present (a repeated key is
/// rejected by validation; the CLI reads the first one too).
pub fn string(entries: &Entries, key: &str) -> Option<String> {
    values(entries, key).next().and_then(|value| match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    })
}

/// Whether a bare `key` flag is present.
pub fn flag(entries: &Entries, key: &str) -> bool {
    entries
        .iter()
        .any(|entry| matches!(entry, Entry::Path(p) if p.is_ident(key)))
}

/// The token lists of every `key(...)` entry.
pub fn lists<'a>(entries: &'a Entries, key: &'a str) -> impl Iterator<Item = &'a TokenStream> {
    entries.iter().filter_map(move |entry| match entry {
        Entry::List(path, tokens) if path.is_ident(key) => Some(tokens),
        _ => None,
    })
}

/// The value expressions of every `key = value` entry.
pub fn values<'a>(entries: &'a Entries, key: &'a str) -> impl Iterator<Item = &'a Expr> {
    entries
        .iter()
        .filter(move |entry| entry.key().is_ident(key))
        .filter_map(|entry| match entry {
            Entry::Value(_, value) => Some(&**value),
            _ => None,
        })
}

/// The paths with at least two segments (`Other::field`) among the entries.
pub fn qualified_paths(entries: Entries) -> impl Iterator<Item = Path> {
    entries.into_iter().filter_map(|entry| match entry {
        Entry::Path(path) if path.segments.len() >= 2 => Some(path),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn reads_names_flags_and_lists() {
        let attrs: Vec<Attribute> = vec![
            parse_quote!(#[drizzle(name = "contacts", rls)]),
            parse_quote!(#[doc = "ignored"]),
            parse_quote!(#[drizzle(index(name = "i", on(sql("lower(x)")), where = "x > 0"))]),
            parse_quote!(#[drizzle(references(a::B::c, on_delete = cascade))]),
            parse_quote!(#[drizzle(policy(to = ["a", "b"], command = select))]),
        ];
        let e = entries(&attrs).unwrap();
        assert_eq!(string(&e, "name").as_deref(), Some("contacts"));
        assert!(flag(&e, "rls"));
        assert!(!flag(&e, "name"));
        let index = nested(lists(&e, "index").next().unwrap()).unwrap();
        assert_eq!(string(&index, "where").as_deref(), Some("x > 0"));
        assert_eq!(lists(&e, "policy").count(), 1);
        let refs = nested(lists(&e, "references").next().unwrap()).unwrap();
        let paths: Vec<_> = qualified_paths(refs).collect();
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].segments.len(), 3);
    }

    #[test]
    fn string_reads_the_first_value() {
        let attrs: Vec<Attribute> = vec![parse_quote!(#[drizzle(name = "a", name = 3)])];
        let e = entries(&attrs).unwrap();
        assert_eq!(string(&e, "name").as_deref(), Some("a"));
        assert_eq!(values(&e, "name").count(), 2);
        assert!(e.iter().all(|entry| entry.key().is_ident("name")));
    }
}
