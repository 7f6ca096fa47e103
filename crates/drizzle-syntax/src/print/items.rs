//! The other items: enums, sequences, roles, schemas and views.

use super::column::{Owner, field};
use super::idents::{Namespace, ident, variant_name};
use super::literal;
use super::table::with_items;
use super::{Ctx, docs, old_name};
use drizzle_schema::{Enum, Literal, Role, SchemaDef, Sequence, View};
use heck::{ToLowerCamelCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// `name = "..."` when the Rust name's default differs, and `schema = "..."` off `public`.
fn name_and_schema(ctx: &Ctx, rust: &str, name: &str, schema: Option<&str>) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if ctx.default_item_name(rust) != name {
        let n = literal::string(name);
        out.push(quote!(name = #n));
    }
    if let Some(s) = schema.filter(|s| *s != drizzle_schema::PUBLIC) {
        let s = literal::string(s);
        out.push(quote!(schema = #s));
    }
    out
}

fn attr(items: &[TokenStream]) -> TokenStream {
    if items.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[drizzle(#(#items),*)])
    }
}

/// Variant names for an enum's values, in value order.
pub(crate) fn variants(e: &Enum) -> BTreeMap<String, String> {
    let mut ns = Namespace::default();
    e.values
        .iter()
        .map(|v| (v.clone(), ns.claim(&[variant_name(v)])))
        .collect()
}

/// A `#[derive(PgEnum)]` enum.
pub(crate) fn pg_enum(
    e: &Enum,
    rust: &str,
    variants: &BTreeMap<String, String>,
    ctx: &mut Ctx,
) -> TokenStream {
    let object = format!("{}.{}", e.schema, e.name);
    let mut head = name_and_schema(ctx, rust, &e.name, Some(&e.schema));
    if let Some(old) = &e.renamed_from {
        let old = literal::string(&old_name(old));
        head.push(quote!(renamed_from = #old));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for value in &e.values {
        if !seen.insert(value) {
            ctx.lose(&object, &format!("its value `{value}` appears twice"));
            continue;
        }
        let variant = &variants[value];
        let mut keys = Vec::new();
        if variant.to_snake_case() != *value {
            let v = literal::string(value);
            keys.push(quote!(value = #v));
        }
        if let Some(old) = e.value_renames.get(value) {
            let old = literal::string(old);
            keys.push(quote!(renamed_from = #old));
        }
        let attr = attr(&keys);
        let v = ident(variant);
        out.push(quote!(#attr #v));
    }
    for value in e.value_renames.keys().filter(|v| !e.values.contains(v)) {
        ctx.lose(
            &object,
            &format!("it records a rename of `{value}`, which is not one of its values"),
        );
    }
    let doc = docs(e.comment.as_deref());
    let head = attr(&head);
    let rust = ident(rust);
    ctx.uses.derives.insert("PgEnum");
    quote! {
        #doc
        #[derive(PgEnum)]
        #head
        pub enum #rust { #(#out),* }
    }
}

/// A `#[derive(Sequence)]` unit struct.
pub(crate) fn sequence(s: &Sequence, rust: &str, ctx: &mut Ctx) -> TokenStream {
    let object = format!("{}.{}", s.schema, s.name);
    let mut head = name_and_schema(ctx, rust, &s.name, Some(&s.schema));
    let o = &s.options;
    let increment = o.increment.clone().unwrap_or_else(|| "1".into());
    let negative = increment.starts_with('-');
    let (min_default, max_default) = if negative {
        ("-9223372036854775808", "-1")
    } else {
        ("1", "9223372036854775807")
    };
    let min = o.min_value.clone().unwrap_or_else(|| min_default.into());
    let max = o.max_value.clone().unwrap_or_else(|| max_default.into());
    let start_default = if negative { max.clone() } else { min.clone() };
    if [
        &o.increment,
        &o.min_value,
        &o.max_value,
        &o.start_with,
        &o.cache,
    ]
    .iter()
    .any(|v| v.is_none())
        || o.cycle.is_none()
    {
        ctx.lose(
            &object,
            "its options are incomplete; the parser fills in the defaults",
        );
    }
    let start = o
        .start_with
        .clone()
        .unwrap_or_else(|| start_default.clone());
    let cache = o.cache.clone().unwrap_or_else(|| "1".into());
    for (key, value, default) in [
        (quote!(start), &start, start_default.as_str()),
        (quote!(increment), &increment, "1"),
        (quote!(min_value), &min, min_default),
        (quote!(max_value), &max, max_default),
        (quote!(cache), &cache, "1"),
    ] {
        if value == default {
            continue;
        }
        match literal::integer(value) {
            Some(v) => head.push(quote!(#key = #v)),
            None => ctx.lose(
                &object,
                &format!("its option `{key}` = {value} is not an integer"),
            ),
        }
    }
    if o.cycle == Some(true) {
        head.push(quote!(cycle));
    }
    if let Some(old) = &s.renamed_from {
        let old = literal::string(&old_name(old));
        head.push(quote!(renamed_from = #old));
    }
    let head = attr(&head);
    let rust = ident(rust);
    ctx.uses.derives.insert("Sequence");
    quote! {
        #[derive(Sequence)]
        #head
        pub struct #rust;
    }
}

/// A `#[derive(Role)]` unit struct.
pub(crate) fn role(r: &Role, rust: &str, ctx: &mut Ctx) -> TokenStream {
    let mut head = name_and_schema(ctx, rust, &r.name, None);
    if r.create_db.is_none() || r.create_role.is_none() || r.inherit.is_none() {
        ctx.lose(
            &r.name,
            "its options are incomplete; the parser fills in the defaults",
        );
    }
    if r.create_db == Some(true) {
        head.push(quote!(create_db));
    }
    if r.create_role == Some(true) {
        head.push(quote!(create_role));
    }
    if r.inherit == Some(false) {
        head.push(quote!(inherit = false));
    }
    if let Some(old) = &r.renamed_from {
        let old = literal::string(old);
        head.push(quote!(renamed_from = #old));
    }
    let head = attr(&head);
    let rust = ident(rust);
    ctx.uses.derives.insert("Role");
    quote! {
        #[derive(Role)]
        #head
        pub struct #rust;
    }
}

/// A `#[derive(PgSchema)]` unit struct.
pub(crate) fn pg_schema(s: &SchemaDef, rust: &str, ctx: &mut Ctx) -> TokenStream {
    let mut head = name_and_schema(ctx, rust, &s.name, None);
    if let Some(old) = &s.renamed_from {
        let old = literal::string(old);
        head.push(quote!(renamed_from = #old));
    }
    let head = attr(&head);
    let rust = ident(rust);
    ctx.uses.derives.insert("PgSchema");
    quote! {
        #[derive(PgSchema)]
        #head
        pub struct #rust;
    }
}

/// `with(...)` option kinds the parser accepts, by snake_case key: number, bool or string.
const VIEW_WITH: &[(&str, char)] = &[
    ("check_option", 's'),
    ("security_barrier", 'b'),
    ("security_invoker", 'b'),
];

const MATVIEW_WITH: &[&str] = &[
    "fillfactor",
    "toast_tuple_target",
    "parallel_workers",
    "autovacuum_enabled",
    "vacuum_index_cleanup",
    "vacuum_truncate",
    "autovacuum_vacuum_threshold",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_vacuum_cost_delay",
    "autovacuum_vacuum_cost_limit",
    "autovacuum_freeze_min_age",
    "autovacuum_freeze_max_age",
    "autovacuum_freeze_table_age",
    "autovacuum_multixact_freeze_min_age",
    "autovacuum_multixact_freeze_max_age",
    "autovacuum_multixact_freeze_table_age",
    "log_autovacuum_min_duration",
    "user_catalog_table",
];

/// The kind of value a materialized view option takes.
fn matview_kind(key: &str) -> char {
    match key {
        "autovacuum_enabled" | "vacuum_truncate" | "user_catalog_table" => 'b',
        "vacuum_index_cleanup" => 's',
        _ => 'n',
    }
}

/// A view's `with(...)`, keyed in snake_case; errors name what the language cannot hold.
fn view_with(v: &View) -> Result<Vec<TokenStream>, String> {
    let Some(with) = &v.with else {
        return Ok(Vec::new());
    };
    let mut snake = indexmap::IndexMap::new();
    for (k, value) in with {
        let s = k.to_snake_case();
        if s.to_lower_camel_case() != *k {
            return Err(format!("option `{k}` is not camelCase"));
        }
        let kind = if v.materialized {
            MATVIEW_WITH.contains(&s.as_str()).then(|| matview_kind(&s))
        } else {
            VIEW_WITH.iter().find(|(o, _)| *o == s).map(|(_, k)| *k)
        };
        let fits = matches!(
            (kind, value),
            (Some('n'), Literal::Number(_))
                | (Some('b'), Literal::Bool(_))
                | (Some('s'), Literal::Sql(_))
        );
        let check_ok = s != "check_option"
            || matches!(value, Literal::Sql(x) if x == "local" || x == "cascaded");
        if !fits || !check_ok {
            return Err(format!(
                "option `{k}` = {value:?} is not a `with(...)` option of this kind of view"
            ));
        }
        snake.insert(s, value.clone());
    }
    let items = with_items(&snake)?;
    Ok(vec![quote!(with(#(#items),*))])
}

/// A `#[derive(View)]` struct: unit when the view's columns are unknown.
pub(crate) fn view(
    v: &View,
    rust: &str,
    fields: &BTreeMap<String, String>,
    ctx: &mut Ctx,
) -> TokenStream {
    let object = format!("{}.{}", v.schema, v.name);
    let mut head = name_and_schema(ctx, rust, &v.name, Some(&v.schema));
    if v.materialized {
        head.push(quote!(materialized));
    }
    if let Some(d) = &v.definition {
        if v.is_existing {
            ctx.lose(&object, "an `existing` view takes no definition");
        } else {
            let d = literal::string(d);
            head.push(quote!(definition = #d));
        }
    } else if !v.is_existing {
        ctx.lose(&object, "it has no definition");
    }
    match view_with(v) {
        Ok(w) => head.extend(w),
        Err(why) => ctx.lose(&object, &why),
    }
    let matview_only = [
        ("with_no_data", v.with_no_data == Some(true)),
        ("using", v.using.is_some()),
        ("tablespace", v.tablespace.is_some()),
    ];
    if v.materialized {
        if v.with_no_data == Some(true) {
            head.push(quote!(with_no_data));
        } else if v.with_no_data == Some(false) {
            ctx.lose(
                &object,
                "`with_no_data = false` is written by leaving the key out",
            );
        }
        if let Some(u) = &v.using {
            let u = literal::string(u);
            head.push(quote!(using = #u));
        }
        if let Some(t) = &v.tablespace {
            let t = literal::string(t);
            head.push(quote!(tablespace = #t));
        }
    } else if matview_only.iter().any(|(_, set)| *set) || v.with_no_data.is_some() {
        ctx.lose(&object, "a plain view has no materialized view options");
    }
    if v.is_existing {
        head.push(quote!(existing));
    }
    if let Some(old) = &v.renamed_from {
        let old = literal::string(&old_name(old));
        head.push(quote!(renamed_from = #old));
    }
    let owner = Owner {
        name: &v.name,
        schema: &v.schema,
        view: true,
        object: object.clone(),
    };
    let columns: Vec<TokenStream> = v
        .columns
        .values()
        .map(|c| field(c, &fields[&c.name], &owner, Vec::new(), ctx))
        .collect();
    let doc = docs(v.comment.as_deref());
    let head = attr(&head);
    let rust = ident(rust);
    ctx.uses.derives.insert("View");
    let body = if columns.is_empty() {
        quote!(;)
    } else {
        quote!({ #(#columns),* })
    };
    quote! {
        #doc
        #[derive(View)]
        #head
        pub struct #rust #body
    }
}
