//! Column types to Rust field types plus the type key (`varchar(255)`, `json`, ...) or the
//! verbatim `sql_type` the parser needs to give back exactly the same SQL type.

use super::idents::ident;
use drizzle_schema::{Column, qualified_key};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// The scalar Rust type of a field (inside its `Option` and `Vec`s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scalar {
    I16,
    I32,
    I64,
    F32,
    F64,
    Bool,
    Text,
    Bytes,
    Uuid,
    Date,
    Time,
    Timestamp,
    Timestamptz,
    Decimal,
    Json,
    /// A printed `PgEnum`, by Rust name.
    Enum(String),
}

/// How a column's type is written.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    /// The scalar Rust type.
    pub scalar: Scalar,
    /// `Vec` levels around the scalar.
    pub dims: usize,
    /// A type key refining the Rust type (`varchar(255)`).
    pub key: Option<TokenStream>,
    /// `sql_type = "..."`, the whole type verbatim (the Rust type is then informational).
    pub sql_type: Option<String>,
    /// The `serial` key.
    pub serial: bool,
}

impl Typed {
    fn plain(scalar: Scalar, dims: usize, key: Option<TokenStream>) -> Self {
        Typed {
            scalar,
            dims,
            key,
            sql_type: None,
            serial: false,
        }
    }

    /// The same column written with `sql_type = "<sql>"` and the closest Rust type.
    pub(crate) fn verbatim(sql: &str) -> Self {
        let mut base = sql.trim_end();
        let mut dims = 0;
        while base.ends_with(']') {
            match base.rfind('[') {
                Some(open) => {
                    base = base[..open].trim_end();
                    dims += 1;
                }
                None => break,
            }
        }
        Typed {
            scalar: carrier(base),
            dims,
            key: None,
            sql_type: Some(sql.to_owned()),
            serial: false,
        }
    }

    /// Whether the column's default is checked against the Rust type (no `sql_type`).
    pub(crate) fn typed_defaults(&self) -> bool {
        self.sql_type.is_none()
    }
}

/// The Rust type used with `sql_type` for types the language has no key for, by the
/// type's leading word (`timestamp(3)` → `NaiveDateTime`, `interval` → `String`).
fn carrier(base: &str) -> Scalar {
    let lower = base.to_ascii_lowercase();
    let word: String = lower
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match word.as_str() {
        "timestamp" if lower.contains("with time zone") => Scalar::Timestamptz,
        "timestamp" => Scalar::Timestamp,
        "timestamptz" => Scalar::Timestamptz,
        "time" | "timetz" => Scalar::Time,
        "numeric" | "decimal" => Scalar::Decimal,
        "smallint" | "smallserial" | "int2" => Scalar::I16,
        "bigint" | "bigserial" | "int8" => Scalar::I64,
        "integer" | "serial" | "int" | "int4" => Scalar::I32,
        "boolean" | "bool" => Scalar::Bool,
        "real" | "float4" => Scalar::F32,
        "double" if lower.starts_with("double precision") => Scalar::F64,
        "float8" => Scalar::F64,
        "uuid" => Scalar::Uuid,
        "date" => Scalar::Date,
        "json" | "jsonb" => Scalar::Json,
        "bytea" => Scalar::Bytes,
        _ => Scalar::Text,
    }
}

/// Digits as the parser reads them back from an integer literal.
fn canonical_digits(text: &str) -> Option<Literal> {
    let ok = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    ok.then(|| Literal::from_str(text).ok()).flatten()
}

/// `name(args)` → (`name`, `args`).
fn call<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.strip_prefix(name)?
        .strip_prefix('(')?
        .strip_suffix(')')
}

/// The Rust type and key that give exactly `base` (an array's element type).
fn natural(base: &str) -> Option<(Scalar, Option<TokenStream>)> {
    let simple = match base {
        "smallint" => Some((Scalar::I16, None)),
        "integer" => Some((Scalar::I32, None)),
        "bigint" => Some((Scalar::I64, None)),
        "real" => Some((Scalar::F32, None)),
        "double precision" => Some((Scalar::F64, None)),
        "boolean" => Some((Scalar::Bool, None)),
        "text" => Some((Scalar::Text, None)),
        "varchar" => Some((Scalar::Text, Some(quote!(varchar)))),
        "char" => Some((Scalar::Text, Some(quote!(char)))),
        "bytea" => Some((Scalar::Bytes, None)),
        "uuid" => Some((Scalar::Uuid, None)),
        "date" => Some((Scalar::Date, None)),
        "time" => Some((Scalar::Time, None)),
        "time with time zone" => Some((Scalar::Time, Some(quote!(time(tz))))),
        "timestamp" => Some((Scalar::Timestamp, None)),
        "timestamp with time zone" => Some((Scalar::Timestamptz, None)),
        "numeric" => Some((Scalar::Decimal, None)),
        "json" => Some((Scalar::Json, Some(quote!(json)))),
        "jsonb" => Some((Scalar::Json, None)),
        _ => None,
    };
    if simple.is_some() {
        return simple;
    }
    if let Some(n) = call(base, "varchar").and_then(canonical_digits) {
        return Some((Scalar::Text, Some(quote!(varchar(#n)))));
    }
    if let Some(n) = call(base, "char").and_then(canonical_digits) {
        return Some((Scalar::Text, Some(quote!(char(#n)))));
    }
    if let Some(args) = call(base, "numeric") {
        return match args.split_once(", ") {
            None => canonical_digits(args).map(|p| (Scalar::Decimal, Some(quote!(numeric(#p))))),
            Some((p, s)) => {
                let (p, s) = (canonical_digits(p)?, canonical_digits(s)?);
                Some((Scalar::Decimal, Some(quote!(numeric(#p, #s)))))
            }
        };
    }
    if let Some(rest) = base.strip_prefix("time(") {
        let (p, tail) = rest.split_once(')')?;
        let p = canonical_digits(p)?;
        return match tail {
            "" => Some((Scalar::Time, Some(quote!(time(precision = #p))))),
            " with time zone" => Some((Scalar::Time, Some(quote!(time(precision = #p, tz))))),
            _ => None,
        };
    }
    if let Some(p) = call(base, "timestamp ").and_then(canonical_digits) {
        return Some((Scalar::Timestamp, Some(quote!(timestamp(precision = #p)))));
    }
    if let Some(p) = base
        .strip_prefix("timestamp(")
        .and_then(|r| r.strip_suffix(") with time zone"))
        .and_then(canonical_digits)
    {
        return Some((
            Scalar::Timestamptz,
            Some(quote!(timestamptz(precision = #p))),
        ));
    }
    None
}

/// Rust names of the printed enums, by model key, with their values' variant names.
#[derive(Debug, Default)]
pub(crate) struct EnumNames {
    /// `"schema.name"` → (Rust name, value → variant name).
    pub by_key: BTreeMap<String, (String, BTreeMap<String, String>)>,
}

/// Why a column's type could not be written exactly.
pub(crate) type TypeLoss = Option<String>;

/// The type of `column`; `serial_ok` says whether the `serial` key can be used (a NOT NULL
/// table column without identity).
pub(crate) fn column_type(
    column: &Column,
    enums: &EnumNames,
    serial_ok: bool,
) -> (Typed, TypeLoss) {
    let sql = column.sql_type.as_str();
    let mut base = sql;
    let mut dims = 0;
    while let Some(inner) = base.strip_suffix("[]") {
        base = inner;
        dims += 1;
    }
    if let Some(type_schema) = &column.type_schema {
        return match enums.by_key.get(&qualified_key(type_schema, base)) {
            Some((rust, _)) => (Typed::plain(Scalar::Enum(rust.clone()), dims, None), None),
            None => (
                Typed::verbatim(sql),
                Some(format!(
                    "its enum type {type_schema}.{base} is not part of the schema; kept as `sql_type`"
                )),
            ),
        };
    }
    let serial = match base {
        "smallserial" => Some(Scalar::I16),
        "serial" => Some(Scalar::I32),
        "bigserial" => Some(Scalar::I64),
        _ => None,
    };
    if let (Some(scalar), 0, true) = (serial.clone(), dims, serial_ok) {
        let mut t = Typed::plain(scalar, 0, None);
        t.serial = true;
        return (t, None);
    }
    match natural(base) {
        Some((scalar, key)) => (Typed::plain(scalar, dims, key), None),
        None => (Typed::verbatim(sql), None),
    }
}

/// The imports a printed file needs.
#[derive(Debug, Default)]
pub(crate) struct Uses {
    /// `chrono` items.
    pub chrono: BTreeSet<&'static str>,
    /// `uuid::Uuid`.
    pub uuid: bool,
    /// `rust_decimal::Decimal`.
    pub decimal: bool,
    /// The derives used.
    pub derives: BTreeSet<&'static str>,
}

impl Uses {
    /// Adds the imports `other` needs.
    pub(crate) fn merge(&mut self, other: Uses) {
        self.chrono.extend(other.chrono);
        self.uuid |= other.uuid;
        self.decimal |= other.decimal;
        self.derives.extend(other.derives);
    }

    /// The `use` items.
    pub(crate) fn items(&self) -> TokenStream {
        let mut out = TokenStream::new();
        if !self.chrono.is_empty() {
            let names = self.chrono.iter().map(|n| ident(n));
            out.extend(quote!(use chrono::{#(#names),*};));
        }
        if !self.derives.is_empty() {
            let derives = self.derives.iter().map(|n| ident(n));
            out.extend(quote!(use drizzle::{#(#derives),*};));
        }
        if self.decimal {
            out.extend(quote!(
                use rust_decimal::Decimal;
            ));
        }
        if self.uuid {
            out.extend(quote!(
                use uuid::Uuid;
            ));
        }
        out
    }
}

/// The field's Rust type: the scalar in `dims` `Vec`s, in an `Option` when nullable.
pub(crate) fn rust_type(t: &Typed, nullable: bool, uses: &mut Uses) -> TokenStream {
    let mut ty = match &t.scalar {
        Scalar::I16 => quote!(i16),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::F32 => quote!(f32),
        Scalar::F64 => quote!(f64),
        Scalar::Bool => quote!(bool),
        Scalar::Text => quote!(String),
        Scalar::Bytes => quote!(Vec<u8>),
        Scalar::Uuid => {
            uses.uuid = true;
            quote!(Uuid)
        }
        Scalar::Date => {
            uses.chrono.insert("NaiveDate");
            quote!(NaiveDate)
        }
        Scalar::Time => {
            uses.chrono.insert("NaiveTime");
            quote!(NaiveTime)
        }
        Scalar::Timestamp => {
            uses.chrono.insert("NaiveDateTime");
            quote!(NaiveDateTime)
        }
        Scalar::Timestamptz => {
            uses.chrono.insert("DateTime");
            uses.chrono.insert("Utc");
            quote!(DateTime<Utc>)
        }
        Scalar::Decimal => {
            uses.decimal = true;
            quote!(Decimal)
        }
        Scalar::Json => quote!(serde_json::Value),
        Scalar::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    };
    for _ in 0..t.dims {
        ty = quote!(Vec<#ty>);
    }
    if nullable {
        ty = quote!(Option<#ty>);
    }
    ty
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(sql: &str) -> Option<String> {
        let column = Column::new("c", sql);
        let (t, _) = column_type(&column, &EnumNames::default(), true);
        if let Some(v) = t.sql_type {
            return Some(format!("sql_type {v}"));
        }
        t.key.map(|k| k.to_string())
    }

    #[test]
    fn keys_for_parametrized_types() {
        assert_eq!(key_of("varchar(255)[]").as_deref(), Some("varchar (255)"));
        assert_eq!(
            key_of("numeric(10, 2)").as_deref(),
            Some("numeric (10 , 2)")
        );
        assert_eq!(
            key_of("numeric(10,2)").as_deref(),
            Some("sql_type numeric(10,2)")
        );
        assert_eq!(
            key_of("timestamp (3)").as_deref(),
            Some("timestamp (precision = 3)")
        );
        assert_eq!(
            key_of("timestamp(3)").as_deref(),
            Some("sql_type timestamp(3)")
        );
        assert_eq!(
            key_of("time(2) with time zone").as_deref(),
            Some("time (precision = 2 , tz)")
        );
        assert_eq!(key_of("integer"), None);
        assert_eq!(key_of("interval").as_deref(), Some("sql_type interval"));
    }

    #[test]
    fn verbatim_types_keep_a_close_rust_type() {
        let t = Typed::verbatim("integer[3]");
        assert_eq!((t.scalar, t.dims), (Scalar::I32, 1));
        assert_eq!(Typed::verbatim("vector(3)").scalar, Scalar::Text);
        assert_eq!(Typed::verbatim("interval").scalar, Scalar::Text);
        assert_eq!(Typed::verbatim("timestamp(3)").scalar, Scalar::Timestamp);
    }
}
