//! The `#[drizzle(...)]` schema language: Rust source files to the `Schema` model.
//!
//! The CLI calls [`parse_sources`] on every schema file of a project; the derive macros
//! call [`validate_derive`] on one item. Both run the same builders, so an item the
//! derive accepts is accepted by the CLI with the same model and the same messages.

mod column;
mod context;
mod diagnostic;
mod items;
mod meta;
mod renamed_from;
mod table;
mod types;

pub mod print;

pub use diagnostic::Diagnostic;

use context::{Ctx, enum_info, table_info};
use diagnostic::Issue;
use drizzle_schema::{Schema, SchemaDef, qualified_key};
use proc_macro2::Span;
use std::collections::HashMap;
use std::path::PathBuf;
use syn::punctuated::Punctuated;
use syn::{DeriveInput, Item, Token};

/// How column names are derived from field names when no `name` is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Casing {
    /// The field name as written.
    #[default]
    None,
    /// `snake_case`.
    SnakeCase,
    /// `camelCase`.
    CamelCase,
}

/// Options of a parse run (from `drizzle.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Column name casing.
    pub casing: Casing,
}

/// One schema file: its path (for diagnostics) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown in diagnostics.
    pub path: PathBuf,
    /// File contents.
    pub text: String,
}

/// The derives of the schema language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeriveKind {
    /// `#[derive(Table)]`.
    Table,
    /// `#[derive(PgEnum)]`.
    PgEnum,
    /// `#[derive(View)]`.
    View,
    /// `#[derive(Sequence)]`.
    Sequence,
    /// `#[derive(Role)]`.
    Role,
    /// `#[derive(PgSchema)]`.
    PgSchema,
}

impl DeriveKind {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Table" => DeriveKind::Table,
            "PgEnum" => DeriveKind::PgEnum,
            "View" => DeriveKind::View,
            "Sequence" => DeriveKind::Sequence,
            "Role" => DeriveKind::Role,
            "PgSchema" => DeriveKind::PgSchema,
            _ => return None,
        })
    }
}

/// Validates one derive input exactly as [`parse_sources`] does, minus cross-item checks.
pub fn validate_derive(kind: DeriveKind, input: &DeriveInput) -> Vec<syn::Error> {
    let ctx = Ctx::default();
    let mut issues = Vec::new();
    let mut out = Built::default();
    build_item(kind, input, &ctx, &mut issues, &mut out, 0);
    issues.into_iter().map(Issue::into_syn).collect()
}

/// A schema item found in a file.
struct Found {
    file: usize,
    kind: DeriveKind,
    input: DeriveInput,
}

/// Parses every schema file into one `Schema`, or returns every problem found.
pub fn parse_sources(files: &[SourceFile], opts: &ParseOptions) -> Result<Schema, Vec<Diagnostic>> {
    let mut issues: Vec<(usize, Issue)> = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    let mut eof: Vec<Diagnostic> = Vec::new();
    let mut ctx = Ctx {
        full: true,
        casing: opts.casing,
        ..Ctx::default()
    };
    for (i, f) in files.iter().enumerate() {
        match syn::parse_file(&f.text) {
            Ok(file) => {
                let mut local = Vec::new();
                collect(file.items, i, &mut local, &mut ctx, &mut issues);
                // drizzle-kit reads exports alphabetically (first letter lower-cased in
                // camelCase JS names), so items are ordered that way within each file.
                local.sort_by_key(|f| export_key(&f.input.ident.to_string()));
                found.extend(local);
            }
            Err(e) => {
                let mut issue = Issue::from_syn(&e).help_opt("fix the Rust syntax first");
                if e.span().start().line == 0 {
                    // An error without a position means the file ended too early.
                    eof.push(issue.into_diagnostic_at_end(&f.path, &f.text));
                    continue;
                }
                issue.label = "here".into();
                issues.push((i, issue));
            }
        }
    }
    // Items are identified by their Rust name across every scanned file.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (idx, f) in found.iter().enumerate() {
        let name = f.input.ident.to_string();
        if let Some(&first) = by_name.get(&name) {
            let first = &found[first];
            let line = first.input.ident.span().start().line;
            issues.push((
                f.file,
                Issue::new(
                    f.input.ident.span(),
                    format!("a schema item named `{name}` is already declared ({}:{line})", files[first.file].path.display()),
                    "second item with this name",
                )
                .help("rename one of them: schema items are identified by their Rust name across all schema files"),
            ));
            continue;
        }
        by_name.insert(name.clone(), idx);
        match f.kind {
            DeriveKind::Table => {
                ctx.tables.insert(name, table_info(&f.input, opts.casing));
            }
            DeriveKind::PgEnum => {
                ctx.enums.insert(name, enum_info(&f.input));
            }
            _ => {}
        }
    }
    let mut built = Built::default();
    for (idx, f) in found.iter().enumerate() {
        if by_name.get(&f.input.ident.to_string()) != Some(&idx) {
            continue;
        }
        let mut local = Vec::new();
        build_item(f.kind, &f.input, &ctx, &mut local, &mut built, f.file);
        issues.extend(local.into_iter().map(|i| (f.file, i)));
    }
    issues.append(&mut built.issues);
    if !issues.is_empty() || !eof.is_empty() {
        let mut diags: Vec<Diagnostic> = issues
            .into_iter()
            .map(|(file, issue)| issue.into_diagnostic(&files[file].path, &files[file].text))
            .chain(eof)
            .collect();
        diags.sort_by(|a, b| {
            (&a.path, a.span.start, a.line, a.column).cmp(&(
                &b.path,
                b.span.start,
                b.line,
                b.column,
            ))
        });
        diags.dedup();
        return Err(diags);
    }
    Ok(built.finish())
}

/// Sort key mimicking drizzle's alphabetical export order of camelCase names.
fn export_key(ident: &str) -> String {
    let mut chars = ident.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn derive_kinds(attrs: &[syn::Attribute]) -> Vec<DeriveKind> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        {
            for p in paths {
                if let Some(k) = p
                    .segments
                    .last()
                    .and_then(|s| DeriveKind::from_name(&s.ident.to_string()))
                {
                    out.push(k);
                }
            }
        }
    }
    out
}

/// Takes the items by value: the file is not needed afterwards, and cloning every struct
/// into a `DeriveInput` used to cost as much as parsing it.
fn collect(
    items: Vec<Item>,
    file: usize,
    out: &mut Vec<Found>,
    ctx: &mut Ctx,
    issues: &mut Vec<(usize, Issue)>,
) {
    for item in items {
        let kinds = match &item {
            Item::Struct(s) => derive_kinds(&s.attrs),
            Item::Enum(e) => derive_kinds(&e.attrs),
            Item::Union(u) => derive_kinds(&u.attrs),
            _ => Vec::new(),
        };
        let input = match item {
            Item::Struct(s) => DeriveInput::from(s),
            Item::Enum(e) => DeriveInput::from(e),
            Item::Union(u) => DeriveInput::from(u),
            Item::Mod(m) => {
                if let Some((_, content)) = m.content {
                    collect(content, file, out, ctx, issues);
                }
                continue;
            }
            Item::Type(t) => {
                ctx.aliases.insert(t.ident.to_string(), *t.ty);
                continue;
            }
            _ => continue,
        };
        if let [first, second, ..] = kinds.as_slice() {
            issues.push((
                file,
                Issue::new(
                    input.ident.span(),
                    format!("`{}` derives both {first:?} and {second:?}; a schema item is one kind of object", input.ident),
                    "two schema derives",
                )
                .help("keep one of the derives"),
            ));
            continue;
        }
        if let Some(&kind) = kinds.first() {
            out.push(Found { file, kind, input });
        }
    }
}

/// Model pieces in build order, with the spans the cross-item checks need.
#[derive(Default)]
struct Built {
    schema: Schema,
    declared_schemas: Vec<SchemaDef>,
    implied_schemas: Vec<String>,
    /// Relation keys (tables and views) → where first declared.
    relations: HashMap<String, ()>,
    /// `schema.index` → seen.
    index_names: HashMap<String, ()>,
    issues: Vec<(usize, Issue)>,
}

impl Built {
    fn imply(&mut self, schema: &str) {
        if schema != drizzle_schema::PUBLIC && !self.implied_schemas.iter().any(|s| s == schema) {
            self.implied_schemas.push(schema.to_string());
        }
    }

    fn duplicate(&mut self, file: usize, span: Span, what: &str, key: &str) {
        self.issues.push((
            file,
            Issue::new(
                span,
                format!("{what} `{key}` is declared twice"),
                "name used twice",
            )
            .help("give one of them another `name = \"...\"` or `schema = \"...\"`"),
        ));
    }

    fn finish(mut self) -> Schema {
        let mut schemas = indexmap::IndexMap::new();
        for d in self.declared_schemas.drain(..) {
            if d.name != drizzle_schema::PUBLIC {
                schemas.insert(d.name.clone(), d);
            }
        }
        for s in self.implied_schemas.drain(..) {
            schemas.entry(s.clone()).or_insert(SchemaDef {
                name: s,
                renamed_from: None,
            });
        }
        self.schema.schemas = schemas;
        // drizzle-kit serializes plain views before materialized ones; keeping its order
        // keeps our snapshots and statement order identical to its own.
        self.schema
            .views
            .sort_by(|_, a, _, b| a.materialized.cmp(&b.materialized));
        self.schema
    }
}

fn build_item(
    kind: DeriveKind,
    input: &DeriveInput,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
    out: &mut Built,
    file: usize,
) {
    match kind {
        DeriveKind::Table => {
            if let Some(t) = table::build_table(input, ctx, issues) {
                let key = t.table.key();
                if out.relations.insert(key.clone(), ()).is_some() {
                    out.duplicate(file, t.name_span, "table", &key);
                    return;
                }
                for (name, span) in &t.indexes {
                    let ikey = qualified_key(&t.table.schema, name);
                    if out.index_names.insert(ikey, ()).is_some() {
                        out.issues.push((
                            file,
                            Issue::new(*span, format!("duplicate index name `{name}` in schema `{}`", t.table.schema), "name used twice")
                                .help("index names are unique per schema: give this index its own `name = \"...\"`"),
                        ));
                    }
                }
                out.imply(&t.table.schema);
                out.schema.tables.insert(key, t.table);
            }
        }
        DeriveKind::PgEnum => {
            if let Some((e, span)) = items::build_enum(input, issues) {
                let key = qualified_key(&e.schema, &e.name);
                if out.schema.enums.contains_key(&key) {
                    out.duplicate(file, span, "enum", &key);
                    return;
                }
                out.imply(&e.schema);
                out.schema.enums.insert(key, e);
            }
        }
        DeriveKind::View => {
            if let Some((v, span)) = items::build_view(input, ctx, issues) {
                let key = qualified_key(&v.schema, &v.name);
                if out.relations.insert(key.clone(), ()).is_some() {
                    out.duplicate(file, span, "view", &key);
                    return;
                }
                out.imply(&v.schema);
                out.schema.views.insert(key, v);
            }
        }
        DeriveKind::Sequence => {
            if let Some((s, span)) = items::build_sequence(input, issues) {
                let key = qualified_key(&s.schema, &s.name);
                if out.schema.sequences.contains_key(&key) {
                    out.duplicate(file, span, "sequence", &key);
                    return;
                }
                out.imply(&s.schema);
                out.schema.sequences.insert(key, s);
            }
        }
        DeriveKind::Role => {
            if let Some((r, span)) = items::build_role(input, issues) {
                if out.schema.roles.contains_key(&r.name) {
                    out.duplicate(file, span, "role", &r.name.clone());
                    return;
                }
                out.schema.roles.insert(r.name.clone(), r);
            }
        }
        DeriveKind::PgSchema => {
            if let Some((s, span)) = items::build_schema(input, issues) {
                if out.declared_schemas.iter().any(|d| d.name == s.name) {
                    out.duplicate(file, span, "schema", &s.name.clone());
                    return;
                }
                out.declared_schemas.push(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_validation_uses_the_same_messages() {
        let input: DeriveInput = syn::parse_quote! {
            #[drizzle(name = "users", shema = "app")]
            pub struct Users {
                #[drizzle(primary_key)]
                pub id: i32,
                #[drizzle(references(Org::id))]
                pub org_id: Option<i32>,
                pub kind: UserKind,
            }
        };
        let errors = validate_derive(DeriveKind::Table, &input);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].to_string(),
            "unknown key `shema` on a table\n  = help: did you mean `schema`?"
        );
    }

    #[test]
    fn derive_validation_checks_known_types() {
        let input: DeriveInput = syn::parse_quote! {
            pub struct T {
                #[drizzle(primary_key)]
                pub id: Option<i32>,
            }
        };
        let errors = validate_derive(DeriveKind::Table, &input);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("drop the `Option`"));
        let seq: DeriveInput = syn::parse_quote! { #[drizzle(start = 5)] pub struct S; };
        assert!(validate_derive(DeriveKind::Sequence, &seq).is_empty());
    }

    #[test]
    fn aliases_inline_mods_and_order() {
        let text = r#"
            type Email = Option<String>;
            mod inner {
                #[derive(drizzle::Table)]
                pub struct Zebra { #[drizzle(primary_key)] pub id: i64, pub email: super::Email }
            }
            #[derive(Table)]
            pub struct Apple { #[drizzle(primary_key)] pub id: i32 }
        "#;
        let file = SourceFile {
            path: "a.rs".into(),
            text: text.into(),
        };
        let schema = parse_sources(&[file], &ParseOptions::default()).unwrap();
        let keys: Vec<&String> = schema.tables.keys().collect();
        assert_eq!(keys, ["public.apple", "public.zebra"]);
        let email = &schema.tables["public.zebra"].columns["email"];
        assert_eq!((email.sql_type.as_str(), email.not_null), ("text", false));
    }

    #[test]
    fn casing_applies_to_unnamed_columns() {
        let text = "#[derive(Table)] pub struct T { pub created_at: i32, #[drizzle(name = \"x_y\")] pub a_b: i32 }";
        let file = SourceFile {
            path: "a.rs".into(),
            text: text.into(),
        };
        let opts = ParseOptions {
            casing: Casing::CamelCase,
        };
        let schema = parse_sources(&[file], &opts).unwrap();
        let cols: Vec<&String> = schema.tables["public.t"].columns.keys().collect();
        assert_eq!(cols, ["createdAt", "x_y"]);
    }

    #[test]
    fn doc_comments_become_comments() {
        let text = "/// People.\n///  Indented.\n#[derive(Table)] pub struct T { /// The id.\n pub id: i32 }";
        let file = SourceFile {
            path: "a.rs".into(),
            text: text.into(),
        };
        let schema = parse_sources(&[file], &ParseOptions::default()).unwrap();
        let t = &schema.tables["public.t"];
        assert_eq!(t.comment.as_deref(), Some("People.\n Indented."));
        assert_eq!(t.columns["id"].comment.as_deref(), Some("The id."));
    }

    #[test]
    fn errors_from_several_files_are_all_reported_in_order() {
        let a = SourceFile {
            path: "a.rs".into(),
            text: "#[derive(Table)] pub struct A { pub x: Foo, pub y: Bar }".into(),
        };
        let b = SourceFile {
            path: "b.rs".into(),
            text: "#[derive(Table)] pub struct B { pub x: Baz }".into(),
        };
        let diags = parse_sources(&[b, a], &ParseOptions::default()).unwrap_err();
        let at: Vec<(String, usize)> = diags
            .iter()
            .map(|d| (d.path.display().to_string(), d.column))
            .collect();
        assert_eq!(
            at,
            [
                ("a.rs".to_string(), 40),
                ("a.rs".to_string(), 52),
                ("b.rs".to_string(), 40)
            ]
        );
    }
}
