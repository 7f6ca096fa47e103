//! What one item needs to know about the others: aliases, enums and tables by Rust name.
//! The CLI fills it from every scanned file; the derive sees one item and leaves it empty.

use crate::Casing;
use crate::meta::{self, Node};
use heck::{ToLowerCamelCase, ToSnakeCase};
use std::collections::HashMap;
use syn::{Data, DeriveInput, Fields, Type};

/// An enum as other items see it.
#[derive(Debug, Clone)]
pub(crate) struct EnumInfo {
    /// SQL type name.
    pub name: String,
    /// Schema.
    pub schema: String,
    /// Rust variant → value.
    pub variants: Vec<(String, String)>,
}

/// A table as references see it.
#[derive(Debug, Clone)]
pub(crate) struct TableInfo {
    /// Table name.
    pub name: String,
    /// Schema.
    pub schema: String,
    /// Rust field → column name.
    pub fields: Vec<(String, String)>,
}

/// Cross-item knowledge.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ctx {
    /// `type` aliases by name.
    pub aliases: HashMap<String, Type>,
    /// Enums by Rust name.
    pub enums: HashMap<String, EnumInfo>,
    /// Tables by Rust name.
    pub tables: HashMap<String, TableInfo>,
    /// Whether this is the whole run (cross-item checks on) or one derive.
    pub full: bool,
    /// Column name casing.
    pub casing: Casing,
}

impl Ctx {
    /// An empty whole-run context (tests).
    #[cfg(test)]
    pub fn default_full() -> Self {
        Ctx {
            full: true,
            ..Ctx::default()
        }
    }
}

/// The Rust name without `r#`.
pub(crate) fn ident_name(ident: &syn::Ident) -> String {
    use syn::ext::IdentExt;
    ident.unraw().to_string()
}

/// The default SQL name of an item: snake_case of its Rust name.
pub(crate) fn default_item_name(ident: &syn::Ident) -> String {
    ident_name(ident).to_snake_case()
}

/// A column's name: the explicit `name`, else the field name under the configured casing.
pub(crate) fn column_name(field: &str, explicit: Option<String>, casing: Casing) -> String {
    explicit.unwrap_or_else(|| match casing {
        Casing::None => field.to_string(),
        Casing::SnakeCase => field.to_snake_case(),
        Casing::CamelCase => field.to_lower_camel_case(),
    })
}

/// The first `key = "string"` among nodes, ignoring anything malformed.
pub(crate) fn lenient_string(nodes: &[Node], key: &str) -> Option<String> {
    nodes
        .iter()
        .find(|n| n.path.len() == 1 && n.name() == key)
        .and_then(|n| meta::string(n).ok())
}

fn lenient_nodes(attrs: &[syn::Attribute]) -> Vec<Node> {
    meta::drizzle_nodes(attrs, &mut Vec::new())
}

/// [`lenient_string`] over `attrs`, skipping the parse when no `#[drizzle(...)]` list has
/// `key` among its top-level tokens (a node named `key` must start with that identifier);
/// most fields carry other keys only, and this pass runs over every field of every table.
fn lenient_attr_string(attrs: &[syn::Attribute], key: &str) -> Option<String> {
    let raw = format!("r#{key}");
    let mentioned = attrs.iter().filter(|a| meta::is_drizzle(a)).any(|a| {
        let syn::Meta::List(list) = &a.meta else {
            return false;
        };
        list.tokens
            .clone()
            .into_iter()
            .any(|t| matches!(&t, proc_macro2::TokenTree::Ident(i) if i == key || *i == raw))
    });
    if mentioned {
        lenient_string(&lenient_nodes(attrs), key)
    } else {
        None
    }
}

/// A table's names, read leniently (the full pass reports the errors).
pub(crate) fn table_info(input: &DeriveInput, casing: Casing) -> TableInfo {
    let nodes = lenient_nodes(&input.attrs);
    let mut fields = Vec::new();
    if let Data::Struct(s) = &input.data
        && let Fields::Named(named) = &s.fields
    {
        for f in &named.named {
            let Some(ident) = &f.ident else { continue };
            let rust = ident_name(ident);
            let explicit = lenient_attr_string(&f.attrs, "name");
            let col = column_name(&rust, explicit, casing);
            fields.push((rust, col));
        }
    }
    TableInfo {
        name: lenient_string(&nodes, "name").unwrap_or_else(|| default_item_name(&input.ident)),
        schema: lenient_string(&nodes, "schema").unwrap_or_else(|| "public".into()),
        fields,
    }
}

/// An enum's names and values, read leniently.
pub(crate) fn enum_info(input: &DeriveInput) -> EnumInfo {
    let nodes = lenient_nodes(&input.attrs);
    let mut variants = Vec::new();
    if let Data::Enum(e) = &input.data {
        for v in &e.variants {
            let value = lenient_attr_string(&v.attrs, "value")
                .unwrap_or_else(|| ident_name(&v.ident).to_snake_case());
            variants.push((ident_name(&v.ident), value));
        }
    }
    EnumInfo {
        name: lenient_string(&nodes, "name").unwrap_or_else(|| default_item_name(&input.ident)),
        schema: lenient_string(&nodes, "schema").unwrap_or_else(|| "public".into()),
        variants,
    }
}

/// Doc comments as a comment: lines joined with `\n`, one leading space stripped.
pub(crate) fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            let v = s.value();
            lines.push(v.strip_prefix(' ').unwrap_or(&v).to_string());
        }
    }
    if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n"))
    }
}
