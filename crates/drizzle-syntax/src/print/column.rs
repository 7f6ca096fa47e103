//! One column to one struct field: its Rust type, type key, name, default, identity and
//! the other field keys.

use super::idents::ident;
use super::literal;
use super::types::{EnumNames, Scalar, Typed, column_type, rust_type};
use super::{Ctx, docs};
use crate::context::column_name;
use drizzle_schema::{Column, Identity, IdentityKind, Literal, names};
use proc_macro2::TokenStream;
use quote::quote;

/// Where a field is printed.
pub(crate) struct Owner<'a> {
    /// Table or view name.
    pub name: &'a str,
    /// Its schema.
    pub schema: &'a str,
    /// View fields take only the name and type keys.
    pub view: bool,
    /// `schema.name`, for loss messages.
    pub object: String,
}

/// How a default is written, or why it needs `sql_type` or cannot be written.
enum DefaultForm {
    Key(TokenStream),
    NeedsVerbatim,
    Lost(String),
}

/// `'text'` with doubled quotes → `text`, when `sql` is exactly one quoted literal.
fn unquote(sql: &str) -> Option<String> {
    let inner = sql.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

fn default_form(lit: &Literal, t: &Typed, enums: &EnumNames, is_uuid_ok: bool) -> DefaultForm {
    let typed = t.typed_defaults();
    let scalar = &t.scalar;
    let is_enum = matches!(scalar, Scalar::Enum(_)) && typed;
    match lit {
        Literal::Sql(s) if s == "now()" => DefaultForm::Key(quote!(default_now)),
        Literal::Sql(s) if s == "gen_random_uuid()" && is_uuid_ok => {
            DefaultForm::Key(quote!(default_random))
        }
        Literal::Sql(s) => {
            let Some(text) = unquote(s) else {
                let s = literal::string(s);
                return DefaultForm::Key(quote!(default_sql = #s));
            };
            if is_enum && t.dims == 0 {
                let Scalar::Enum(rust) = scalar else {
                    unreachable!("checked above")
                };
                let variant = enums
                    .by_key
                    .values()
                    .find(|(r, _)| r == rust)
                    .and_then(|(_, values)| values.get(&text));
                return match variant {
                    Some(v) => {
                        let (e, v) = (ident(rust), ident(v));
                        DefaultForm::Key(quote!(default = #e::#v))
                    }
                    None => {
                        let s = literal::string(s);
                        DefaultForm::Key(quote!(default_sql = #s))
                    }
                };
            }
            let takes_string = !typed
                || t.dims > 0
                || !matches!(
                    scalar,
                    Scalar::I16
                        | Scalar::I32
                        | Scalar::I64
                        | Scalar::F32
                        | Scalar::F64
                        | Scalar::Bool
                );
            if takes_string {
                let text = literal::string(&text);
                DefaultForm::Key(quote!(default = #text))
            } else {
                let s = literal::string(s);
                DefaultForm::Key(quote!(default_sql = #s))
            }
        }
        Literal::Number(n) => {
            let Some(tokens) = literal::number(n) else {
                return DefaultForm::Lost(format!(
                    "its numeric default `{n}` is not a Rust number literal"
                ));
            };
            let fits = !typed
                || (t.dims == 0
                    && match scalar {
                        Scalar::I16 | Scalar::I32 | Scalar::I64 => literal::is_integer(n),
                        Scalar::F32 | Scalar::F64 | Scalar::Decimal => true,
                        _ => false,
                    });
            if fits {
                DefaultForm::Key(quote!(default = #tokens))
            } else if is_enum {
                DefaultForm::Lost(format!("its default {n} does not fit its enum type"))
            } else {
                DefaultForm::NeedsVerbatim
            }
        }
        Literal::Bool(b) => {
            if !typed || (t.dims == 0 && *scalar == Scalar::Bool) {
                DefaultForm::Key(quote!(default = #b))
            } else if is_enum {
                DefaultForm::Lost(format!("its default {b} does not fit its enum type"))
            } else {
                DefaultForm::NeedsVerbatim
            }
        }
        Literal::Json(v) => DefaultForm::Lost(format!(
            "its JSON-valued default {v} has no form in the schema language"
        )),
    }
}

/// `identity(...)` with only the options that differ from what the parser fills in.
fn identity_key(id: &Identity, owner: &Owner, column: &Column, ctx: &mut Ctx) -> TokenStream {
    let mut items: Vec<TokenStream> = Vec::new();
    if id.kind == IdentityKind::Always {
        items.push(quote!(always));
    }
    let o = &id.options;
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
            &owner.object_column(&column.name),
            "its identity options are incomplete; the parser fills in the defaults",
        );
    }
    let increment = o.increment.clone().unwrap_or_else(|| "1".into());
    let negative = increment.starts_with('-');
    let type_max = match column.sql_type.as_str() {
        "integer" => "2147483647",
        "bigint" => "9223372036854775807",
        _ => "32767",
    };
    let (min_default, max_default) = if negative {
        ("-32768", "-1")
    } else {
        ("1", type_max)
    };
    let min = o.min_value.clone().unwrap_or_else(|| min_default.into());
    let max = o.max_value.clone().unwrap_or_else(|| max_default.into());
    let start_default = if negative { max.clone() } else { min.clone() };
    let mut number = |key: TokenStream, value: &str, default: &str, ctx: &mut Ctx| {
        if value == default {
            return;
        }
        match literal::integer(value) {
            Some(v) => items.push(quote!(#key = #v)),
            None => ctx.lose(
                &owner.object_column(&column.name),
                &format!("its identity option `{key}` = {value} is not an integer"),
            ),
        }
    };
    number(
        quote!(start),
        o.start_with.as_deref().unwrap_or(&start_default),
        &start_default,
        ctx,
    );
    number(quote!(increment), &increment, "1", ctx);
    number(quote!(min_value), &min, min_default, ctx);
    number(quote!(max_value), &max, max_default, ctx);
    number(quote!(cache), o.cache.as_deref().unwrap_or("1"), "1", ctx);
    if o.cycle == Some(true) {
        items.push(quote!(cycle));
    }
    if id.name != names::identity_sequence(owner.name, &column.name) {
        let name = literal::string(&id.name);
        items.push(quote!(name = #name));
    }
    if id.schema != owner.schema {
        ctx.lose(
            &owner.object_column(&column.name),
            &format!(
                "its identity sequence lives in schema `{}`, not the table's; the parser puts it in the table's schema",
                id.schema
            ),
        );
    }
    if items.is_empty() {
        quote!(identity)
    } else {
        quote!(identity(#(#items),*))
    }
}

impl Owner<'_> {
    fn object_column(&self, column: &str) -> String {
        format!("{}.{column}", self.object)
    }
}

/// The field for `column`, named `field`, with `extra` keys (unique, index, references)
/// decided by the table.
pub(crate) fn field(
    column: &Column,
    field: &str,
    owner: &Owner,
    extra: Vec<TokenStream>,
    ctx: &mut Ctx,
) -> TokenStream {
    let object = owner.object_column(&column.name);
    let forced_not_null = !owner.view && (column.primary_key || column.identity.is_some());
    let serial_ok = !owner.view && column.not_null && column.identity.is_none();
    let (mut typed, loss) = column_type(column, ctx.enums, serial_ok);
    if let Some(loss) = loss {
        ctx.lose(&object, &loss);
    }
    if forced_not_null && !column.not_null {
        ctx.lose(
            &object,
            "it is nullable, but primary key and identity columns are NOT NULL in the schema language",
        );
    }
    let mut keys: Vec<TokenStream> = Vec::new();
    if column_name(field, None, ctx.casing) != column.name {
        let name = literal::string(&column.name);
        keys.push(quote!(name = #name));
    }
    let mut default = None;
    if let Some(lit) = &column.default {
        if owner.view {
            ctx.lose(
                &object,
                "view columns carry no defaults in the schema language",
            );
        } else {
            let uuid_ok = |t: &Typed| match &t.sql_type {
                Some(s) => s == "uuid",
                None => t.scalar == Scalar::Uuid && t.dims == 0,
            };
            let mut form = default_form(lit, &typed, ctx.enums, uuid_ok(&typed));
            if matches!(form, DefaultForm::NeedsVerbatim) {
                typed = Typed::verbatim(&column.sql_type);
                form = default_form(lit, &typed, ctx.enums, uuid_ok(&typed));
            }
            match form {
                DefaultForm::Key(k) => default = Some(k),
                DefaultForm::Lost(why) => ctx.lose(&object, &why),
                DefaultForm::NeedsVerbatim => {
                    ctx.lose(&object, "its default does not fit any column type")
                }
            }
        }
    }
    if let Some(sql) = &typed.sql_type {
        let sql = literal::string(sql);
        keys.push(quote!(sql_type = #sql));
    } else if let Some(key) = &typed.key {
        keys.push(key.clone());
    }
    if !owner.view {
        if column.primary_key {
            keys.push(quote!(primary_key));
        }
        if typed.serial {
            keys.push(quote!(serial));
        }
        if let Some(id) = &column.identity {
            keys.push(identity_key(id, owner, column, ctx));
        }
        keys.extend(default);
        if let Some(g) = &column.generated {
            let e = literal::string(&g.expression);
            keys.push(quote!(generated = #e));
        }
        keys.extend(extra);
        if let Some(old) = &column.renamed_from {
            let old = literal::string(old);
            keys.push(quote!(renamed_from = #old));
        }
    } else if column.primary_key || column.identity.is_some() || column.generated.is_some() {
        ctx.lose(
            &object,
            "view columns carry only a name and a type in the schema language",
        );
    }
    if column.legacy_unique.is_some() {
        ctx.lose(
            &object,
            "its pre-0.31 column-level unique settings are not printed",
        );
    }
    let nullable = !column.not_null && !forced_not_null && !typed.serial;
    let ty = rust_type(&typed, nullable, &mut ctx.uses);
    let doc = docs(column.comment.as_deref());
    let name = ident(field);
    let attr = if keys.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[drizzle(#(#keys),*)])
    };
    quote! {
        #doc
        #attr
        pub #name: #ty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquotes_exactly_one_literal() {
        assert_eq!(unquote("'it''s'").as_deref(), Some("it's"));
        assert_eq!(unquote("''").as_deref(), Some(""));
        assert_eq!(unquote("'a'::text"), None);
        assert_eq!(unquote("'a' || 'b'"), None);
        assert_eq!(unquote("'"), None);
    }
}
