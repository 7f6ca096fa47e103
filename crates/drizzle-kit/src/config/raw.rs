//! `drizzle.toml` exactly as written: every value keeps its span so validation can point
//! at it, and unknown keys are rejected by serde before anything else looks at the file.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub(super) dialect: Option<Spanned<String>>,
    pub(super) schema: Option<Spanned<StringList>>,
    pub(super) out: Option<Spanned<String>>,
    pub(super) breakpoints: Option<bool>,
    pub(super) strict: Option<bool>,
    pub(super) verbose: Option<bool>,
    pub(super) casing: Option<Spanned<String>>,
    pub(super) tables_filter: Option<Spanned<StringList>>,
    pub(super) schema_filter: Option<Spanned<StringList>>,
    pub(super) extensions_filters: Option<Spanned<StringList>>,
    pub(super) db_credentials: Option<Spanned<RawCredentials>>,
    pub(super) migrations: Option<RawMigrations>,
    pub(super) entities: Option<RawEntities>,
    pub(super) safe: Option<bool>,
    pub(super) lint: Option<RawLint>,
}

/// `[lint]`: rule levels (clippy's words) and the safe form's `lock_timeout`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLint {
    pub(super) allow: Option<Vec<Spanned<String>>>,
    pub(super) warn: Option<Vec<Spanned<String>>>,
    pub(super) deny: Option<Vec<Spanned<String>>>,
    pub(super) lock_timeout: Option<Spanned<String>>,
}

/// `[db_credentials]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCredentials {
    pub(super) url: Option<Spanned<String>>,
    pub(super) host: Option<Spanned<String>>,
    pub(super) port: Option<Spanned<StringOr<i64>>>,
    pub(super) user: Option<Spanned<String>>,
    pub(super) password: Option<Spanned<String>>,
    pub(super) database: Option<Spanned<String>>,
    pub(super) ssl: Option<Spanned<StringOr<bool>>>,
}

/// `[migrations]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMigrations {
    pub(super) table: Option<Spanned<String>>,
    pub(super) schema: Option<Spanned<String>>,
    pub(super) prefix: Option<Spanned<String>>,
    pub(super) lock_timeout: Option<Spanned<String>>,
    pub(super) statement_timeout: Option<Spanned<String>>,
}

/// `[entities]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntities {
    pub(super) roles: Option<Spanned<RawRoles>>,
}

/// `roles = true` or `roles = { provider = "...", include = [...], exclude = [...] }`.
#[derive(Debug)]
pub enum RawRoles {
    Enabled(bool),
    Filter(RawRolesFilter),
}

/// The table form of `roles`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRolesFilter {
    pub(super) provider: Option<Spanned<String>>,
    pub(super) include: Option<Vec<Spanned<String>>>,
    pub(super) exclude: Option<Vec<Spanned<String>>>,
}

/// A string or an array of strings, like drizzle.config.ts's `string | string[]`.
#[derive(Debug)]
pub enum StringList {
    One(String),
    Many(Vec<Spanned<String>>),
}

/// A value that may be written natively or as a (possibly interpolated) string, such as
/// `port = 5432` or `port = "${PGPORT}"`.
#[derive(Debug)]
pub enum StringOr<T> {
    Text(String),
    Native(T),
}

// Hand-written visitors instead of `#[serde(untagged)]`: untagged enums report "data did
// not match any variant", which tells the user nothing about what to write.

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<String>>()? {
                    items.push(item);
                }
                Ok(StringList::Many(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for StringOr<i64> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringOr<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOr::Text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(StringOr::Native(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for StringOr<bool> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringOr<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOr::Text(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(StringOr::Native(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawRoles {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRoles;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a table { provider, include, exclude }")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawRoles, E> {
                Ok(RawRoles::Enabled(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawRoles, A::Error> {
                RawRolesFilter::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawRoles::Filter)
            }
        }
        d.deserialize_any(V)
    }
}
