//! Rust field types to PostgreSQL types: nullability, array depth and the base type,
//! after resolving `type` aliases.

use crate::context::Ctx;
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type};

/// The scalar a field's type stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    /// `i16` / `i32` / `i64`, by bit width.
    Int(u8),
    Real,
    Double,
    Bool,
    Text,
    Bytea,
    Uuid,
    Date,
    Time,
    Timestamp,
    Timestamptz,
    Interval,
    Numeric,
    Json,
    Inet,
    MacAddr,
    /// An enum deriving `PgEnum`, by Rust name.
    Enum(String),
    /// A type nothing maps, as written.
    Unknown(String),
    /// A type only the whole run can resolve (the derive sees one item at a time).
    Deferred,
}

impl Base {
    /// The PostgreSQL type drizzle-kit writes for this base (None for enums and unknowns).
    pub fn sql(&self) -> Option<&'static str> {
        Some(match self {
            Base::Int(16) => "smallint",
            Base::Int(64) => "bigint",
            Base::Int(_) => "integer",
            Base::Real => "real",
            Base::Double => "double precision",
            Base::Bool => "boolean",
            Base::Text => "text",
            Base::Bytea => "bytea",
            Base::Uuid => "uuid",
            Base::Date => "date",
            Base::Time => "time",
            Base::Timestamp => "timestamp",
            Base::Timestamptz => "timestamp with time zone",
            Base::Interval => "interval",
            Base::Numeric => "numeric",
            Base::Json => "jsonb",
            Base::Inet => "inet",
            Base::MacAddr => "macaddr",
            Base::Enum(_) | Base::Unknown(_) | Base::Deferred => return None,
        })
    }
}

/// A field type taken apart.
#[derive(Debug, Clone)]
pub(crate) struct Analyzed {
    /// Outermost `Option`.
    pub nullable: bool,
    /// Span of that `Option`, for "drop the Option" hints.
    pub option_span: Option<Span>,
    /// Number of `Vec` levels (array dimensions).
    pub dims: usize,
    /// The scalar.
    pub base: Base,
    /// Span of the scalar type.
    pub base_span: Span,
    /// The scalar type as written.
    pub base_text: String,
}

fn first_type_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

fn text_of(ty: &Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" :: ", "::")
}

/// Takes a field type apart, seeing through aliases declared in the scanned files.
pub(crate) fn analyze(ty: &Type, ctx: &Ctx) -> Analyzed {
    let mut nullable = false;
    let mut option_span = None;
    let mut dims = 0;
    let mut cur = ty;
    let mut depth = 0;
    let done = |base: Base, t: &Type, nullable, option_span, dims| Analyzed {
        nullable,
        option_span,
        dims,
        base,
        base_span: t.span(),
        base_text: text_of(t),
    };
    loop {
        depth += 1;
        let path = match cur {
            Type::Group(g) => {
                cur = &g.elem;
                continue;
            }
            Type::Paren(p) => {
                cur = &p.elem;
                continue;
            }
            Type::Path(p) if p.qself.is_none() => &p.path,
            other => {
                return done(
                    Base::Unknown(text_of(other)),
                    other,
                    nullable,
                    option_span,
                    dims,
                );
            }
        };
        let Some(last) = path.segments.last() else {
            return done(
                Base::Unknown(text_of(cur)),
                cur,
                nullable,
                option_span,
                dims,
            );
        };
        let name = last.ident.to_string();
        if depth < 32
            && let Some(alias) = ctx.aliases.get(&name)
        {
            cur = alias;
            continue;
        }
        let arg = first_type_arg(&last.arguments);
        let base = match name.as_str() {
            "Option" => match arg {
                Some(inner) => {
                    // Only the outer Option decides nullability; element nullability of
                    // arrays is not part of a PostgreSQL type.
                    if dims == 0 && !nullable {
                        nullable = true;
                        option_span = Some(last.ident.span());
                    }
                    cur = inner;
                    continue;
                }
                None => Base::Unknown(name),
            },
            "Vec" => match arg {
                Some(inner) if is_ident(inner, "u8") => Base::Bytea,
                Some(inner) => {
                    dims += 1;
                    cur = inner;
                    continue;
                }
                None => Base::Unknown(name),
            },
            "Box" => match arg {
                Some(inner) if is_ident(inner, "str") => Base::Text,
                Some(inner) => {
                    cur = inner;
                    continue;
                }
                None => Base::Unknown(name),
            },
            "i16" => Base::Int(16),
            "i32" => Base::Int(32),
            "i64" => Base::Int(64),
            "f32" => Base::Real,
            "f64" => Base::Double,
            "bool" => Base::Bool,
            "String" => Base::Text,
            "Uuid" => Base::Uuid,
            "NaiveDate" | "Date" => Base::Date,
            "NaiveTime" | "Time" => Base::Time,
            "NaiveDateTime" | "PrimitiveDateTime" => Base::Timestamp,
            "DateTime" | "OffsetDateTime" => Base::Timestamptz,
            "PgInterval" => Base::Interval,
            "Decimal" | "BigDecimal" => Base::Numeric,
            "Value" | "Json" => Base::Json,
            "IpNetwork" | "IpAddr" => Base::Inet,
            "MacAddress" => Base::MacAddr,
            _ if ctx.enums.contains_key(&name) => Base::Enum(name),
            _ if ctx.full => Base::Unknown(text_of(cur)),
            _ => Base::Deferred,
        };
        return done(base, cur, nullable, option_span, dims);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Analyzed {
        let ty: Type = syn::parse_str(src).unwrap();
        analyze(&ty, &Ctx::default_full())
    }

    #[test]
    fn options_and_vecs() {
        let a = run("Option<Vec<Vec<String>>>");
        assert!(a.nullable);
        assert_eq!(a.dims, 2);
        assert_eq!(a.base, Base::Text);
        assert_eq!(run("Vec<u8>").base, Base::Bytea);
        assert_eq!(run("chrono::DateTime<Utc>").base, Base::Timestamptz);
        assert_eq!(run("Box<str>").base, Base::Text);
        assert_eq!(run("Foo").base, Base::Unknown("Foo".into()));
    }
}
