//! `Schema` → Rust source in the schema language, for `drizzle-kit pull`.
//!
//! The output is built with `quote` and formatted with prettyplease. Items get Rust-case
//! names (`post_tags` → `PostTags`) and `#[drizzle(name = ...)]` only where the default
//! would differ; whatever the language has no key for is written verbatim (`sql_type`,
//! `default_sql`). For every model the parser can produce, parsing the printed source gives
//! the same model back; anything else the model holds is listed in [`Printed::losses`].

mod column;
mod idents;
mod items;
mod literal;
mod table;
mod types;

use crate::Casing;
use drizzle_schema::{OldName, Schema};
use heck::ToSnakeCase;
use idents::{Namespace, field_name, type_name};
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use types::{EnumNames, Uses};

/// How to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// The casing the project's config applies to field names (decides when a column needs
    /// `name = "..."`).
    pub casing: Casing,
    /// Lines of the file's leading `//!` comment.
    pub header: Vec<String>,
}

/// Something of the model the printed source does not say (and the parser will not give back).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loss {
    /// The object, qualified (`schema.table.column`).
    pub object: String,
    /// What is not printed and why.
    pub message: String,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.object, self.message)
    }
}

/// A printed schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The Rust source, formatted.
    pub source: String,
    /// What the source cannot express, sorted.
    pub losses: Vec<Loss>,
}

/// A table's Rust names: the struct, and each column's field.
#[derive(Debug, Clone)]
pub(crate) struct TableNames {
    /// Struct name.
    pub rust: String,
    /// Column name → field name.
    pub fields: IndexMap<String, String>,
}

/// What printing one item needs to know about the others.
pub(crate) struct Ctx<'a> {
    casing: Casing,
    enums: &'a EnumNames,
    tables: &'a BTreeMap<String, TableNames>,
    uses: Uses,
    losses: Vec<Loss>,
}

impl Ctx<'_> {
    fn lose(&mut self, object: &str, message: &str) {
        self.losses.push(Loss {
            object: object.to_owned(),
            message: message.to_owned(),
        });
    }

    /// The SQL name an item gets without `name = "..."` (as the parser derives it).
    fn default_item_name(&self, rust: &str) -> String {
        rust.to_snake_case()
    }
}

/// `#[doc = " line"]` per line of a comment.
pub(crate) fn docs(comment: Option<&str>) -> TokenStream {
    let Some(comment) = comment else {
        return TokenStream::new();
    };
    let lines = comment.split('\n').map(|l| format!(" {l}"));
    quote!(#(#[doc = #lines])*)
}

/// `renamed_from` text of a schema-scoped old name.
pub(crate) fn old_name(old: &OldName) -> String {
    match &old.schema {
        Some(s) => format!("{s}.{}", old.name),
        None => old.name.clone(),
    }
}

/// Candidate Rust names for an object: its name, then schema-qualified, then with its kind.
fn candidates(schema: &str, name: &str, fallback: &str, kind: &str) -> Vec<String> {
    let base = type_name(name, fallback);
    let mut out = vec![base.clone()];
    if schema != drizzle_schema::PUBLIC {
        out.push(type_name(&format!("{schema}_{name}"), fallback));
    }
    out.push(format!("{base}{kind}"));
    out
}

/// Keys sorted with `public` objects first, for a deterministic allocation order.
fn ordered<V>(map: &IndexMap<String, V>, schema_of: impl Fn(&V) -> &str) -> Vec<(&String, &V)> {
    let mut out: Vec<(&String, &V)> = map.iter().collect();
    out.sort_by_key(|(k, v)| (schema_of(v) != drizzle_schema::PUBLIC, (*k).clone()));
    out
}

/// Field names for `columns`, unique within the struct.
fn field_names<'a>(columns: impl Iterator<Item = &'a String>) -> IndexMap<String, String> {
    let mut ns = Namespace::default();
    columns
        .map(|c| (c.clone(), ns.claim(&[field_name(c)])))
        .collect()
}

/// The kinds of items, in the order the file lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    PgSchema,
    PgEnum,
    Sequence,
    Role,
    Table,
    View,
}

/// Prints `schema` as one Rust source file.
pub fn print_schema(schema: &Schema, options: &PrintOptions) -> Printed {
    // Names are handed out tables first, so tables keep the plainest names; the file is
    // then ordered by kind and Rust name.
    let mut ns = Namespace::types();
    let mut planned: Vec<(Kind, String, String)> = Vec::new();
    let mut tables = BTreeMap::new();
    for (key, t) in ordered(&schema.tables, |t| &t.schema) {
        let rust = ns.claim(&candidates(&t.schema, &t.name, "Table", "Table"));
        let fields = field_names(t.columns.keys());
        planned.push((Kind::Table, rust.clone(), key.clone()));
        tables.insert(key.clone(), TableNames { rust, fields });
    }
    let mut enums = EnumNames::default();
    for (key, e) in ordered(&schema.enums, |e| &e.schema) {
        let rust = ns.claim(&candidates(&e.schema, &e.name, "Enum", "Enum"));
        planned.push((Kind::PgEnum, rust.clone(), key.clone()));
        enums.by_key.insert(key.clone(), (rust, items::variants(e)));
    }
    for (key, v) in ordered(&schema.views, |v| &v.schema) {
        let rust = ns.claim(&candidates(&v.schema, &v.name, "View", "View"));
        planned.push((Kind::View, rust, key.clone()));
    }
    for (key, s) in ordered(&schema.sequences, |s| &s.schema) {
        let rust = ns.claim(&candidates(&s.schema, &s.name, "Sequence", "Sequence"));
        planned.push((Kind::Sequence, rust, key.clone()));
    }
    for (key, _) in ordered(&schema.roles, |_| drizzle_schema::PUBLIC) {
        let rust = ns.claim(&candidates(drizzle_schema::PUBLIC, key, "Role", "Role"));
        planned.push((Kind::Role, rust, key.clone()));
    }
    for (key, _) in ordered(&schema.schemas, |_| drizzle_schema::PUBLIC) {
        let rust = ns.claim(&[format!("{}Schema", type_name(key, "Pg"))]);
        planned.push((Kind::PgSchema, rust, key.clone()));
    }
    planned.sort();

    // Items print independently, so half of them print on another thread; each half keeps
    // its own imports and losses, merged afterwards.
    let (first, second) = planned.split_at(planned.len() / 2);
    let shared = Shared {
        schema,
        casing: options.casing,
        enums: &enums,
        tables: &tables,
    };
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| print_items(first, &shared));
        let second = print_items(second, &shared);
        (first.join().expect("the printing thread panicked"), second)
    });
    let mut uses = first.uses;
    uses.merge(second.uses);
    let mut losses = first.losses;
    losses.extend(second.losses);
    for name in schema.policies.keys() {
        losses.push(Loss {
            object: name.clone(),
            message:
                "a policy linked to a table outside the schema has no form in the schema language"
                    .to_owned(),
        });
    }

    let head: syn::File = syn::parse2(uses.items()).expect("the printer builds valid Rust");
    // `//!` lines are plain text; writing them directly keeps a blank line after them.
    let header: String = options
        .header
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|l| format!("//! {l}").trim_end().to_owned() + "\n")
        .collect();
    let mut parts = vec![header, prettyplease::unparse(&head)];
    parts.extend(first.parts);
    parts.extend(second.parts);
    parts.retain(|p| !p.is_empty());
    losses.sort();
    losses.dedup();
    Printed {
        source: parts.join("\n"),
        losses,
    }
}

/// What every item's printing reads.
struct Shared<'a> {
    schema: &'a Schema,
    casing: Casing,
    enums: &'a EnumNames,
    tables: &'a BTreeMap<String, TableNames>,
}

/// Some items of the file, printed.
struct PrintedItems {
    /// Each item's formatted source, in order.
    parts: Vec<String>,
    /// The imports they need.
    uses: Uses,
    /// What they cannot express.
    losses: Vec<Loss>,
}

/// Prints the `planned` items, each formatted on its own.
fn print_items(planned: &[(Kind, String, String)], shared: &Shared) -> PrintedItems {
    let schema = shared.schema;
    let mut ctx = Ctx {
        casing: shared.casing,
        enums: shared.enums,
        tables: shared.tables,
        uses: Uses::default(),
        losses: Vec::new(),
    };
    let mut body = TokenStream::new();
    for (kind, rust, key) in planned {
        body.extend(match kind {
            Kind::PgSchema => items::pg_schema(&schema.schemas[key], rust, &mut ctx),
            Kind::PgEnum => {
                let variants = &shared.enums.by_key[key].1;
                items::pg_enum(&schema.enums[key], rust, variants, &mut ctx)
            }
            Kind::Sequence => items::sequence(&schema.sequences[key], rust, &mut ctx),
            Kind::Role => items::role(&schema.roles[key], rust, &mut ctx),
            Kind::Table => {
                let names = &shared.tables[key];
                table::table(&schema.tables[key], names, &mut ctx)
            }
            Kind::View => {
                let view = &schema.views[key];
                let fields = field_names(view.columns.keys()).into_iter().collect();
                items::view(view, rust, &fields, &mut ctx)
            }
        });
    }
    let body: syn::File = syn::parse2(body).expect("the printer builds valid Rust");
    // prettyplease puts no blank line between items; printing them one by one keeps the
    // separation out of string literals that span lines.
    let parts = body
        .items
        .into_iter()
        .map(|item| {
            prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![item],
            })
        })
        .collect();
    PrintedItems {
        parts,
        uses: ctx.uses,
        losses: ctx.losses,
    }
}

#[cfg(test)]
mod tests;
