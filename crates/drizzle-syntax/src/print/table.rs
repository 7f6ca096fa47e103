//! Tables: the struct, its item keys, and where each constraint is written (on the field
//! when the language allows it, else on the table).

use super::column::{Owner, field};
use super::idents::ident;
use super::literal;
use super::{Ctx, TableNames, docs, old_name};
use drizzle_schema::{
    ForeignKey, Index, IndexColumn, Literal, Policy, Table, names, qualified_key,
};
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// `on_delete` / `on_update` words by drizzle's spelling; `no action` is the default.
fn action_word(action: &str) -> Option<TokenStream> {
    Some(match action {
        "cascade" => quote!(cascade),
        "restrict" => quote!(restrict),
        "no action" => quote!(no_action),
        "set null" => quote!(set_null),
        "set default" => quote!(set_default),
        _ => return None,
    })
}

/// `with(k = v, ...)` items; `None` when a key or value has no form in the language.
pub(crate) fn with_items(with: &IndexMap<String, Literal>) -> Result<Vec<TokenStream>, String> {
    let mut out = Vec::new();
    for (k, v) in with {
        let valid = !k.is_empty()
            && !k.starts_with(|c: char| c.is_ascii_digit())
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !matches!(k.as_str(), "self" | "Self" | "super" | "crate" | "_");
        if !valid {
            return Err(format!("option `{k}` is not an identifier"));
        }
        let key = ident(k);
        let value = match v {
            Literal::Number(n) => {
                literal::number(n).ok_or(format!("option `{k}` = {n} is not a Rust number"))?
            }
            Literal::Bool(b) => quote!(#b),
            Literal::Sql(s) => literal::string(s),
            Literal::Json(j) => return Err(format!("option `{k}` has the JSON value {j}")),
        };
        out.push(quote!(#key = #value));
    }
    Ok(out)
}

/// Field-level keys decided for each column.
#[derive(Default)]
struct FieldKeys {
    unique: Option<TokenStream>,
    index: Option<TokenStream>,
    references: Option<TokenStream>,
}

struct Printer<'a> {
    table: &'a Table,
    names: &'a TableNames,
    object: String,
}

impl Printer<'_> {
    fn field(&self, column: &str) -> Option<TokenStream> {
        self.names.fields.get(column).map(|f| {
            let f = ident(f);
            quote!(#f)
        })
    }

    fn fields(&self, columns: &[String]) -> Option<Vec<TokenStream>> {
        columns.iter().map(|c| self.field(c)).collect()
    }

    /// `Struct::field` for each referenced column, and whether the target is found.
    fn targets(&self, fk: &ForeignKey, ctx: &Ctx) -> Option<Vec<TokenStream>> {
        let schema = fk.schema_to.as_deref().unwrap_or(drizzle_schema::PUBLIC);
        let target = ctx.tables.get(&qualified_key(schema, &fk.table_to))?;
        let strukt = ident(&target.rust);
        fk.columns_to
            .iter()
            .map(|c| {
                target.fields.get(c).map(|f| {
                    let f = ident(f);
                    quote!(#strukt::#f)
                })
            })
            .collect()
    }

    fn fk_options(&self, fk: &ForeignKey, ctx: &mut Ctx) -> Option<Vec<TokenStream>> {
        let object = format!("{}.{}", self.object, fk.name);
        let mut out = Vec::new();
        for (key, action) in [
            (quote!(on_delete), &fk.on_delete),
            (quote!(on_update), &fk.on_update),
        ] {
            match action.as_deref() {
                Some("no action") => {}
                Some(a) => match action_word(a) {
                    Some(w) => out.push(quote!(#key = #w)),
                    None => {
                        ctx.lose(&object, &format!("its action `{a}` is unknown"));
                        return None;
                    }
                },
                None => ctx.lose(
                    &object,
                    "its actions are unset; the parser writes `no action`",
                ),
            }
        }
        if fk.table_from != self.table.name {
            ctx.lose(&object, "its `tableFrom` is not its table");
        }
        if fk.schema_to.as_deref() == Some(drizzle_schema::PUBLIC) {
            ctx.lose(
                &object,
                "its `schemaTo` spells out `public`, which the parser leaves out",
            );
        }
        Some(out)
    }

    fn fk_name(&self, fk: &ForeignKey) -> Option<TokenStream> {
        let from: Vec<&str> = fk.columns_from.iter().map(String::as_str).collect();
        let to: Vec<&str> = fk.columns_to.iter().map(String::as_str).collect();
        (fk.name != names::foreign_key(&self.table.name, &from, &fk.table_to, &to)).then(|| {
            let n = literal::string(&fk.name);
            quote!(name = #n)
        })
    }

    fn index_key(&self, key: &IndexColumn, object: &str, ctx: &mut Ctx) -> Option<TokenStream> {
        if key.is_expression {
            if !key.asc || key.nulls.as_deref() != Some("last") || key.opclass.is_some() {
                ctx.lose(
                    object,
                    &format!(
                        "its expression key `{}` has an order, NULLS or operator class, which `sql(\"...\")` keys cannot carry",
                        key.expression
                    ),
                );
            }
            let e = literal::string(&key.expression);
            return Some(quote!(sql(#e)));
        }
        let Some(f) = self.field(&key.expression) else {
            ctx.lose(
                object,
                &format!("it names `{}`, which is not a column", key.expression),
            );
            return None;
        };
        let mut opts = Vec::new();
        if !key.asc {
            opts.push(quote!(desc));
        }
        let default_nulls = if key.asc { "last" } else { "first" };
        match key.nulls.as_deref() {
            Some(n) if n == default_nulls => {}
            Some("first") => opts.push(quote!(nulls_first)),
            Some("last") => opts.push(quote!(nulls_last)),
            other => ctx.lose(
                object,
                &format!("its NULLS order {other:?} has no form in the schema language"),
            ),
        }
        if let Some(op) = &key.opclass {
            let op = literal::string(op);
            opts.push(quote!(opclass = #op));
        }
        Some(if opts.is_empty() {
            f
        } else {
            quote!(#f(#(#opts),*))
        })
    }

    /// The `index(...)` key written on the table.
    fn table_index(&self, index: &Index, ctx: &mut Ctx) -> Option<TokenStream> {
        let object = format!("{}.{}", self.object, index.name);
        let keys: Vec<TokenStream> = index
            .columns
            .iter()
            .map(|k| self.index_key(k, &object, ctx))
            .collect::<Option<_>>()?;
        if keys.is_empty() {
            ctx.lose(&object, "it has no keys");
            return None;
        }
        let mut items = Vec::new();
        let plain: Vec<&str> = index
            .columns
            .iter()
            .filter(|k| !k.is_expression)
            .map(|k| k.expression.as_str())
            .collect();
        let has_expression = index.columns.iter().any(|k| k.is_expression);
        if has_expression || index.name != names::index(&self.table.name, &plain) {
            let n = literal::string(&index.name);
            items.push(quote!(name = #n));
        }
        items.push(quote!(on(#(#keys),*)));
        if index.is_unique {
            items.push(quote!(unique));
        }
        if index.method != "btree" {
            let m = literal::string(&index.method);
            items.push(quote!(using = #m));
        }
        if let Some(w) = &index.where_clause {
            let w = literal::string(w);
            items.push(quote!(where = #w));
        }
        if index.concurrently {
            items.push(quote!(concurrently));
        }
        match &index.with {
            Some(with) if !with.is_empty() => match with_items(with) {
                Ok(w) => items.push(quote!(with(#(#w),*))),
                Err(why) => ctx.lose(&object, &why),
            },
            Some(_) => {}
            None => ctx.lose(
                &object,
                "its `with` is unset; the parser writes an empty one",
            ),
        }
        Some(quote!(index(#(#items),*)))
    }

    fn policy(&self, p: &Policy, ctx: &mut Ctx) -> TokenStream {
        let object = format!("{}.{}", self.object, p.name);
        let name = literal::string(&p.name);
        let mut items = vec![quote!(name = #name)];
        match p.as_.as_deref() {
            Some("PERMISSIVE") => {}
            Some("RESTRICTIVE") => items.push(quote!(kind = restrictive)),
            other => ctx.lose(
                &object,
                &format!("its kind {other:?} has no form in the schema language"),
            ),
        }
        match p.for_.as_deref() {
            Some("ALL") => {}
            Some(c @ ("SELECT" | "INSERT" | "UPDATE" | "DELETE")) => {
                let c = ident(&c.to_lowercase());
                items.push(quote!(command = #c));
            }
            other => ctx.lose(
                &object,
                &format!("its command {other:?} has no form in the schema language"),
            ),
        }
        match &p.to {
            Some(to) if to.len() == 1 && to[0] == "public" => {}
            Some(to) => {
                let mut sorted = to.clone();
                sorted.sort();
                if &sorted != to {
                    ctx.lose(&object, "its roles are not sorted; the parser sorts them");
                }
                let roles = sorted.iter().map(|r| literal::string(r));
                items.push(quote!(to = [#(#roles),*]));
            }
            None => ctx.lose(&object, "its roles are unset; the parser writes `public`"),
        }
        if let Some(u) = &p.using {
            let u = literal::string(u);
            items.push(quote!(using = #u));
        }
        if let Some(w) = &p.with_check {
            let w = literal::string(w);
            items.push(quote!(with_check = #w));
        }
        if let Some(old) = &p.renamed_from {
            let old = literal::string(old);
            items.push(quote!(renamed_from = #old));
        }
        if p.on.is_some() || p.schema.is_some() {
            ctx.lose(
                &object,
                "a table's policy names no other table in the schema language",
            );
        }
        quote!(policy(#(#items),*))
    }
}

/// Whether an index can be written as a field's `index(...)` key.
fn field_index(index: &Index) -> Option<&str> {
    let [key] = index.columns.as_slice() else {
        return None;
    };
    let simple = !key.is_expression
        && key.asc
        && key.nulls.as_deref() == Some("last")
        && key.opclass.is_none()
        && index.where_clause.is_none()
        && !index.concurrently
        && index.with.as_ref().is_some_and(IndexMap::is_empty);
    simple.then_some(key.expression.as_str())
}

/// The struct for `table`.
pub(crate) fn table(table: &Table, names: &TableNames, ctx: &mut Ctx) -> TokenStream {
    let object = table.key();
    let p = Printer {
        table,
        names,
        object: object.clone(),
    };
    let mut per_field: BTreeMap<String, FieldKeys> = BTreeMap::new();
    let mut table_keys: Vec<TokenStream> = Vec::new();

    if table.composite_primary_keys.len() > 1 {
        ctx.lose(
            &object,
            "it has more than one composite primary key; only the first is printed",
        );
    }
    if let Some(pk) = table.composite_primary_keys.values().next() {
        match p.fields(&pk.columns) {
            Some(cols) => {
                let refs: Vec<&str> = pk.columns.iter().map(String::as_str).collect();
                let mut items = vec![quote!(columns(#(#cols),*))];
                if pk.name != names::primary_key(&table.name, &refs) {
                    let n = literal::string(&pk.name);
                    items.push(quote!(name = #n));
                }
                table_keys.push(quote!(primary_key(#(#items),*)));
            }
            None => ctx.lose(
                &format!("{object}.{}", pk.name),
                "it names a column the table does not have",
            ),
        }
    }

    for u in table.unique_constraints.values() {
        let uobject = format!("{object}.{}", u.name);
        let Some(cols) = p.fields(&u.columns) else {
            ctx.lose(&uobject, "it names a column the table does not have");
            continue;
        };
        let refs: Vec<&str> = u.columns.iter().map(String::as_str).collect();
        let named = (u.name != names::unique(&table.name, &refs)).then(|| {
            let n = literal::string(&u.name);
            quote!(name = #n)
        });
        let nnd = u.nulls_not_distinct.then(|| quote!(nulls_not_distinct));
        if let [column] = u.columns.as_slice() {
            let slot = per_field.entry(column.clone()).or_default();
            if slot.unique.is_none() {
                let items: Vec<TokenStream> = named.into_iter().chain(nnd).collect();
                slot.unique = Some(if items.is_empty() {
                    quote!(unique)
                } else {
                    quote!(unique(#(#items),*))
                });
                continue;
            }
        }
        let items: Vec<TokenStream> = std::iter::once(quote!(columns(#(#cols),*)))
            .chain(named)
            .chain(nnd)
            .collect();
        table_keys.push(quote!(unique(#(#items),*)));
    }

    for index in table.indexes.values() {
        if let Some(column) = field_index(index)
            && p.names.fields.contains_key(column)
        {
            let slot = per_field.entry(column.to_owned()).or_default();
            if slot.index.is_none() {
                let mut items = Vec::new();
                if index.name != names::index(&table.name, &[column]) {
                    let n = literal::string(&index.name);
                    items.push(quote!(name = #n));
                }
                if index.is_unique {
                    items.push(quote!(unique));
                }
                if index.method != "btree" {
                    let m = literal::string(&index.method);
                    items.push(quote!(using = #m));
                }
                slot.index = Some(if items.is_empty() {
                    quote!(index)
                } else {
                    quote!(index(#(#items),*))
                });
                continue;
            }
        }
        if let Some(k) = p.table_index(index, ctx) {
            table_keys.push(k);
        }
    }

    for fk in table.foreign_keys.values() {
        let fobject = format!("{object}.{}", fk.name);
        let (Some(cols), Some(targets)) = (p.fields(&fk.columns_from), p.targets(fk, ctx)) else {
            ctx.lose(
                &fobject,
                &format!(
                    "it references {}.{}, which is not part of the printed schema; the foreign key is left out",
                    fk.schema_to.as_deref().unwrap_or(drizzle_schema::PUBLIC),
                    fk.table_to
                ),
            );
            continue;
        };
        if cols.len() != targets.len() {
            ctx.lose(&fobject, "its column lists differ in length");
            continue;
        }
        let Some(options) = p.fk_options(fk, ctx) else {
            continue;
        };
        let name = p.fk_name(fk);
        if let [column] = fk.columns_from.as_slice() {
            let slot = per_field.entry(column.clone()).or_default();
            if slot.references.is_none() {
                let items: Vec<TokenStream> =
                    targets.into_iter().chain(options).chain(name).collect();
                slot.references = Some(quote!(references(#(#items),*)));
                continue;
            }
        }
        let items: Vec<TokenStream> = [
            quote!(columns(#(#cols),*)),
            quote!(references(#(#targets),*)),
        ]
        .into_iter()
        .chain(name)
        .chain(options)
        .collect();
        table_keys.push(quote!(foreign_key(#(#items),*)));
    }

    for c in table.check_constraints.values() {
        let (n, v) = (literal::string(&c.name), literal::string(&c.value));
        table_keys.push(quote!(check(name = #n, sql = #v)));
    }
    for policy in table.policies.values() {
        let k = p.policy(policy, ctx);
        table_keys.push(k);
    }

    let owner = Owner {
        name: &table.name,
        schema: &table.schema,
        view: false,
        object: object.clone(),
    };
    let fields: Vec<TokenStream> = table
        .columns
        .values()
        .map(|c| {
            let keys = per_field.remove(&c.name).unwrap_or_default();
            let extra: Vec<TokenStream> = [keys.unique, keys.index, keys.references]
                .into_iter()
                .flatten()
                .collect();
            let f = &names.fields[&c.name];
            field(c, f, &owner, extra, ctx)
        })
        .collect();

    let mut head = Vec::new();
    if ctx.default_item_name(&names.rust) != table.name {
        let n = literal::string(&table.name);
        head.push(quote!(name = #n));
    }
    if table.schema != drizzle_schema::PUBLIC {
        let s = literal::string(&table.schema);
        head.push(quote!(schema = #s));
    }
    if table.rls_enabled {
        head.push(quote!(rls));
    }
    if let Some(old) = &table.renamed_from {
        let old = literal::string(&old_name(old));
        head.push(quote!(renamed_from = #old));
    }
    let head = (!head.is_empty()).then(|| quote!(#[drizzle(#(#head),*)]));
    let doc = docs(table.comment.as_deref());
    let rust = ident(&names.rust);
    ctx.uses.derives.insert("Table");
    quote! {
        #doc
        #[derive(Table)]
        #head
        #(#[drizzle(#table_keys)])*
        pub struct #rust {
            #(#fields),*
        }
    }
}
