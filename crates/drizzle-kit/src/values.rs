//! The closed sets of words a setting may take, shared by `drizzle.toml` and the flags.
//!
//! Each set lists its spellings once (`NAMES`) so the config validator, the flag parser
//! and the did-you-mean hints can never disagree about what is accepted.

use std::fmt;
use std::str::FromStr;

/// A word that is not one of the accepted spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not one of {}", crate::suggest::quoted_list(expected))]
pub struct UnknownWord {
    /// What was written.
    pub given: String,
    /// The accepted spellings.
    pub expected: &'static [&'static str],
}

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every accepted spelling, in documentation order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The spelling used in files and flags.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownWord { given: s.to_owned(), expected: Self::NAMES }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum! {
    /// The SQL dialect; only PostgreSQL exists for now, but the key is kept so a
    /// `drizzle.config.ts` translates one to one.
    Dialect {
        /// PostgreSQL.
        Postgresql => "postgresql",
    }
}

word_enum! {
    /// How column names are derived from field names that carry no explicit `name`.
    CasingMode {
        /// `created_at` stays `created_at`.
        SnakeCase => "snake_case",
        /// `created_at` becomes `createdAt`.
        CamelCase => "camelCase",
    }
}

word_enum! {
    /// How migration file names are prefixed.
    PrefixMode {
        /// `0000`, `0001`, ...
        Index => "index",
        /// UTC `YYYYMMDDHHMMSS`.
        Timestamp => "timestamp",
        /// Same as `timestamp` (drizzle-kit keeps both names).
        Supabase => "supabase",
        /// Epoch seconds.
        Unix => "unix",
        /// No prefix at all.
        None => "none",
    }
}

word_enum! {
    /// Extensions whose own tables are hidden from introspection.
    Extension {
        /// PostGIS (`geography_columns`, `geometry_columns`, `spatial_ref_sys`).
        Postgis => "postgis",
    }
}

word_enum! {
    /// TLS modes accepted by `[db_credentials] ssl` as a string.
    SslMode {
        /// Never use TLS.
        Disable => "disable",
        /// Try without TLS first.
        Allow => "allow",
        /// Try TLS first.
        Prefer => "prefer",
        /// TLS without certificate checks.
        Require => "require",
        /// TLS with full certificate verification.
        VerifyFull => "verify-full",
    }
}

word_enum! {
    /// Managed-database providers whose built-in roles are excluded.
    RoleProvider {
        /// Supabase's reserved roles.
        Supabase => "supabase",
        /// Neon's reserved roles.
        Neon => "neon",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for name in PrefixMode::NAMES {
            assert_eq!(
                name.parse::<PrefixMode>().map(PrefixMode::as_str),
                Ok(*name)
            );
        }
        for name in CasingMode::NAMES {
            assert_eq!(
                name.parse::<CasingMode>().map(CasingMode::as_str),
                Ok(*name)
            );
        }
    }

    #[test]
    fn unknown_word_lists_the_choices() {
        let err = "camel".parse::<CasingMode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`camel` is not one of `snake_case`, `camelCase`"
        );
    }
}
