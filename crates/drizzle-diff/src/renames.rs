//! Rename decisions made outside the schema: `--rename KIND:OLD=NEW` flags and answered
//! prompts, plus "this is really new" answers, and the candidates the differ could not
//! decide on its own.
//!
//! Objects are named the way the model keys them: `"schema.name"` for tables, enums,
//! sequences and views, the bare name for schemas, roles and linked policies; columns and
//! table policies are named within their table, which is the table's key in the *new*
//! schema (after any table rename).

use std::fmt;

use drizzle_schema::{PUBLIC, qualified_key};

/// The kinds of object a rename can name (the `KIND` of `--rename KIND:OLD=NEW`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RenameKind {
    /// A PostgreSQL schema.
    Schema,
    /// An enum type.
    Enum,
    /// A standalone sequence.
    Sequence,
    /// A role.
    Role,
    /// A table.
    Table,
    /// A column of a table.
    Column,
    /// A row-level security policy (of a table, or linked to an outside table).
    Policy,
    /// A view or materialized view.
    View,
}

impl RenameKind {
    /// Every kind, in the order the differ resolves them (drizzle-kit's prompt order).
    pub const ALL: [RenameKind; 8] = [
        RenameKind::Schema,
        RenameKind::Enum,
        RenameKind::Sequence,
        RenameKind::Role,
        RenameKind::Table,
        RenameKind::Column,
        RenameKind::Policy,
        RenameKind::View,
    ];

    /// The word used in flags and messages (`table`, `column`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RenameKind::Schema => "schema",
            RenameKind::Enum => "enum",
            RenameKind::Sequence => "sequence",
            RenameKind::Role => "role",
            RenameKind::Table => "table",
            RenameKind::Column => "column",
            RenameKind::Policy => "policy",
            RenameKind::View => "view",
        }
    }

    /// The kind named by `word`, as written in a flag.
    pub fn from_word(word: &str) -> Option<RenameKind> {
        RenameKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// Whether objects of this kind live in a PostgreSQL schema (`"schema.name"` keys).
    fn schema_scoped(self) -> bool {
        matches!(
            self,
            RenameKind::Enum | RenameKind::Sequence | RenameKind::Table | RenameKind::View
        )
    }
}

impl fmt::Display for RenameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rename: `from` (old) became `to` (new).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rename {
    /// What is renamed.
    pub kind: RenameKind,
    /// For columns and table policies: the table's key in the new schema (`"public.users"`).
    pub table: Option<String>,
    /// Old key or name.
    pub from: String,
    /// New key or name.
    pub to: String,
}

/// A decision that a new object is created, not renamed from one that disappears.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Creation {
    /// What is created.
    pub kind: RenameKind,
    /// For columns and table policies: the table's key in the new schema.
    pub table: Option<String>,
    /// The new object's key or name.
    pub name: String,
}

/// A flag value that does not say `KIND:OLD=NEW` (or `KIND:NAME` for a creation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameFlagError {
    /// The part before `:` is not a kind.
    #[error(
        "`{value}`: unknown kind `{kind}`; expected one of schema, table, column, enum, sequence, view, policy, role"
    )]
    UnknownKind {
        /// The whole flag value.
        value: String,
        /// The kind as written.
        kind: String,
    },
    /// The value does not have the expected shape.
    #[error("`{value}`: expected {expected}")]
    Malformed {
        /// The whole flag value.
        value: String,
        /// What was expected, e.g. `column:TABLE.OLD=NEW`.
        expected: String,
    },
}

/// Every explicit decision the caller brings: renames (from flags or answered prompts) and
/// creations (prompts answered "create"). Hints written in the schema (`renamed_from`) take
/// precedence over both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Explicit renames.
    pub renames: Vec<Rename>,
    /// Explicit "created, not renamed" decisions.
    pub creations: Vec<Creation>,
}

impl Renames {
    /// No decisions.
    pub fn new() -> Renames {
        Renames::default()
    }

    /// Adds a rename.
    pub fn rename(&mut self, rename: Rename) -> &mut Self {
        self.renames.push(rename);
        self
    }

    /// Adds a creation.
    pub fn create(&mut self, creation: Creation) -> &mut Self {
        self.creations.push(creation);
        self
    }

    /// Whether nothing was decided.
    pub fn is_empty(&self) -> bool {
        self.renames.is_empty() && self.creations.is_empty()
    }

    /// Whether `name` was declared created.
    pub(crate) fn is_created(&self, kind: RenameKind, table: Option<&str>, name: &str) -> bool {
        self.creations
            .iter()
            .any(|c| c.kind == kind && c.table.as_deref() == table && c.name == name)
    }
}

/// Splits `[schema.]name` into a model key; an absent schema is `default_schema`.
fn object_key(text: &str, default_schema: &str) -> String {
    match text.split_once('.') {
        Some((schema, name)) => qualified_key(schema, name),
        None => qualified_key(default_schema, text),
    }
}

/// `[schema.]table.name` → (table key, name).
fn table_member(text: &str) -> Option<(String, String)> {
    let (table, name) = text.rsplit_once('.')?;
    (!table.is_empty() && !name.is_empty()).then(|| (object_key(table, PUBLIC), name.to_owned()))
}

fn expected_shape(kind: RenameKind, creation: bool) -> String {
    let (old, new) = match kind {
        RenameKind::Column => ("[SCHEMA.]TABLE.OLD", "NEW"),
        RenameKind::Policy => ("[[SCHEMA.]TABLE.]OLD", "NEW"),
        k if k.schema_scoped() => ("[SCHEMA.]OLD", "[SCHEMA.]NEW"),
        _ => ("OLD", "NEW"),
    };
    if creation {
        let name = match kind {
            RenameKind::Column => "[SCHEMA.]TABLE.NAME",
            RenameKind::Policy => "[[SCHEMA.]TABLE.]NAME",
            k if k.schema_scoped() => "[SCHEMA.]NAME",
            _ => "NAME",
        };
        format!("{kind}:{name}")
    } else {
        format!("{kind}:{old}={new}")
    }
}

fn split_kind(value: &str, creation: bool) -> Result<(RenameKind, &str), RenameFlagError> {
    let Some((word, rest)) = value.split_once(':') else {
        return Err(RenameFlagError::Malformed {
            value: value.to_owned(),
            expected: if creation {
                "KIND:NAME".to_owned()
            } else {
                "KIND:OLD=NEW".to_owned()
            },
        });
    };
    let kind = RenameKind::from_word(word.trim()).ok_or_else(|| RenameFlagError::UnknownKind {
        value: value.to_owned(),
        kind: word.to_owned(),
    })?;
    Ok((kind, rest.trim()))
}

impl Rename {
    /// Parses a `--rename` value: `KIND:OLD=NEW`, e.g. `column:users.name=full_name`,
    /// `table:public.items=app.products`. An unqualified old name keeps the new name's schema
    /// (as `renamed_from` does); an unqualified new name is in `public`.
    pub fn parse(value: &str) -> Result<Rename, RenameFlagError> {
        let (kind, rest) = split_kind(value, false)?;
        let malformed = || RenameFlagError::Malformed {
            value: value.to_owned(),
            expected: expected_shape(kind, false),
        };
        let (old, new) = rest.split_once('=').ok_or_else(malformed)?;
        let (old, new) = (old.trim(), new.trim());
        if old.is_empty() || new.is_empty() {
            return Err(malformed());
        }
        let rename = match kind {
            RenameKind::Column => {
                let (table, from) = table_member(old).ok_or_else(malformed)?;
                if new.contains('.') {
                    return Err(malformed());
                }
                Rename {
                    kind,
                    table: Some(table),
                    from,
                    to: new.to_owned(),
                }
            }
            RenameKind::Policy => match table_member(old) {
                Some((table, from)) => Rename {
                    kind,
                    table: Some(table),
                    from,
                    to: new.to_owned(),
                },
                None => Rename {
                    kind,
                    table: None,
                    from: old.to_owned(),
                    to: new.to_owned(),
                },
            },
            k if k.schema_scoped() => {
                let to = object_key(new, PUBLIC);
                let new_schema = to.split_once('.').map_or(PUBLIC, |(s, _)| s).to_owned();
                Rename {
                    kind,
                    table: None,
                    from: object_key(old, &new_schema),
                    to,
                }
            }
            _ => Rename {
                kind,
                table: None,
                from: old.to_owned(),
                to: new.to_owned(),
            },
        };
        Ok(rename)
    }

    /// The `--rename` value that says this rename (parses back to `self`).
    pub fn flag_value(&self) -> String {
        match self.kind {
            RenameKind::Column | RenameKind::Policy => match &self.table {
                Some(table) => format!(
                    "{}:{}.{}={}",
                    self.kind,
                    short_key(table),
                    self.from,
                    self.to
                ),
                None => format!("{}:{}={}", self.kind, self.from, self.to),
            },
            k if k.schema_scoped() => {
                let from_schema = schema_of(&self.from);
                let to_schema = schema_of(&self.to);
                let from = if from_schema != to_schema {
                    self.from.clone()
                } else {
                    short_key(&self.from)
                };
                format!("{}:{from}={}", self.kind, short_key(&self.to))
            }
            _ => format!("{}:{}={}", self.kind, self.from, self.to),
        }
    }
}

impl fmt::Display for Rename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.flag_value())
    }
}

impl Creation {
    /// Parses a creation decision: `KIND:NAME`, named like the new side of [`Rename::parse`]
    /// (`table:brand_new`, `column:users.full_name`, `policy:t.added`).
    pub fn parse(value: &str) -> Result<Creation, RenameFlagError> {
        let (kind, rest) = split_kind(value, true)?;
        let malformed = || RenameFlagError::Malformed {
            value: value.to_owned(),
            expected: expected_shape(kind, true),
        };
        if rest.is_empty() || rest.contains('=') {
            return Err(malformed());
        }
        Ok(match kind {
            RenameKind::Column => {
                let (table, name) = table_member(rest).ok_or_else(malformed)?;
                Creation {
                    kind,
                    table: Some(table),
                    name,
                }
            }
            RenameKind::Policy => match table_member(rest) {
                Some((table, name)) => Creation {
                    kind,
                    table: Some(table),
                    name,
                },
                None => Creation {
                    kind,
                    table: None,
                    name: rest.to_owned(),
                },
            },
            k if k.schema_scoped() => Creation {
                kind,
                table: None,
                name: object_key(rest, PUBLIC),
            },
            _ => Creation {
                kind,
                table: None,
                name: rest.to_owned(),
            },
        })
    }

    /// The value that says this creation (parses back to `self`).
    pub fn flag_value(&self) -> String {
        match (&self.table, self.kind) {
            (Some(table), _) => format!("{}:{}.{}", self.kind, short_key(table), self.name),
            (None, k) if k.schema_scoped() => format!("{}:{}", self.kind, short_key(&self.name)),
            (None, _) => format!("{}:{}", self.kind, self.name),
        }
    }
}

impl fmt::Display for Creation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.flag_value())
    }
}

/// `"public.users"` → `"users"`; other schemas stay qualified.
fn short_key(key: &str) -> String {
    match key.split_once('.') {
        Some((schema, name)) if schema == PUBLIC => name.to_owned(),
        _ => key.to_owned(),
    }
}

fn schema_of(key: &str) -> &str {
    key.split_once('.').map_or(PUBLIC, |(s, _)| s)
}

fn name_of(key: &str) -> &str {
    key.split_once('.').map_or(key, |(_, n)| n)
}

/// A new object that may be a rename of one of several disappearing ones: the differ does
/// not guess, the caller asks (on a terminal) or fails with [`RenameCandidate::help`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameCandidate {
    /// The kind of object.
    pub kind: RenameKind,
    /// For columns and table policies: the table's key in the new schema.
    pub table: Option<String>,
    /// The new object's key or name.
    pub created: String,
    /// Objects of the same kind (and table) that disappear, each a possible old name.
    pub deleted: Vec<String>,
}

impl RenameCandidate {
    /// drizzle-kit's question: `Is users.full_name column created or renamed from another column?`.
    pub fn question(&self) -> String {
        let noun = self.kind.as_str();
        match &self.table {
            Some(table) => format!(
                "Is {} {noun} in {} table created or renamed from another {noun}?",
                self.created,
                short_key(table)
            ),
            None => format!(
                "Is {} {noun} created or renamed from another {noun}?",
                short_key(&self.created)
            ),
        }
    }

    /// The rename from `deleted` (one of [`Self::deleted`]) to the new object.
    pub fn rename(&self, deleted: &str) -> Rename {
        Rename {
            kind: self.kind,
            table: self.table.clone(),
            from: deleted.to_owned(),
            to: self.created.clone(),
        }
    }

    /// The decision that the new object is created.
    pub fn creation(&self) -> Creation {
        Creation {
            kind: self.kind,
            table: self.table.clone(),
            name: self.created.clone(),
        }
    }

    /// The `renamed_from` attribute that records the rename from `deleted` in the schema,
    /// and where it goes.
    pub fn attribute(&self, deleted: &str) -> String {
        let place = match self.kind {
            RenameKind::Column => format!(
                "on the field of column `{}` of table `{}`",
                self.created,
                short_key(self.table.as_deref().unwrap_or_default())
            ),
            RenameKind::Policy => format!("in the `policy(name = \"{}\", ...)`", self.created),
            _ => format!(
                "on the item declaring {} `{}`",
                self.kind,
                short_key(&self.created)
            ),
        };
        let old = if self.kind.schema_scoped() && schema_of(deleted) == schema_of(&self.created) {
            name_of(deleted).to_owned()
        } else {
            deleted.to_owned()
        };
        format!("#[drizzle(renamed_from = \"{old}\")] {place}")
    }

    /// Several lines: the question, then every way to answer it without a prompt.
    pub fn help(&self) -> String {
        let mut out = self.question();
        for deleted in &self.deleted {
            out.push_str(&format!(
                "\n    rename from {}: `--rename {}` or {}",
                short_key(deleted),
                self.rename(deleted),
                self.attribute(deleted)
            ));
        }
        out.push_str(&format!("\n    create: `--create {}`", self.creation()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_into_model_keys() {
        let r = Rename::parse("column:users.name=full_name").unwrap();
        assert_eq!(r.table.as_deref(), Some("public.users"));
        assert_eq!((r.from.as_str(), r.to.as_str()), ("name", "full_name"));
        let r = Rename::parse("table:public.items=app.products").unwrap();
        assert_eq!(
            (r.from.as_str(), r.to.as_str()),
            ("public.items", "app.products")
        );
        let r = Rename::parse("enum:mood=app.feeling").unwrap();
        assert_eq!(r.from, "app.mood");
        let r = Rename::parse("policy:app.t.p1=p2").unwrap();
        assert_eq!(r.table.as_deref(), Some("app.t"));
        let r = Rename::parse("policy:p1=p2").unwrap();
        assert_eq!(r.table, None);
        let r = Rename::parse("schema:old_app=new_app").unwrap();
        assert_eq!((r.from.as_str(), r.to.as_str()), ("old_app", "new_app"));
    }

    #[test]
    fn flags_round_trip() {
        for value in [
            "column:users.name=full_name",
            "column:app.users.name=full_name",
            "table:public.items=app.products",
            "table:users=accounts",
            "view:app.v_old=v_new",
            "role:old_role=new_role",
            "policy:t.old_policy=new_policy",
        ] {
            let r = Rename::parse(value).unwrap();
            assert_eq!(Rename::parse(&r.flag_value()).unwrap(), r, "{value}");
        }
        for value in [
            "table:brand_new",
            "column:a.new_col",
            "policy:t.added",
            "role:r",
        ] {
            let c = Creation::parse(value).unwrap();
            assert_eq!(c.flag_value(), value);
        }
    }

    #[test]
    fn bad_flags_say_what_was_expected() {
        insta::assert_snapshot!(
            [
                Rename::parse("colum:a.b=c").unwrap_err().to_string(),
                Rename::parse("column:b=c").unwrap_err().to_string(),
                Rename::parse("table:a").unwrap_err().to_string(),
                Creation::parse("table:a=b").unwrap_err().to_string(),
            ]
            .join("\n")
        );
    }

    #[test]
    fn candidates_explain_every_answer() {
        let c = RenameCandidate {
            kind: RenameKind::Column,
            table: Some("public.t".into()),
            created: "headline".into(),
            deleted: vec!["title".into(), "qty".into()],
        };
        insta::assert_snapshot!(c.help());
        let t = RenameCandidate {
            kind: RenameKind::Table,
            table: None,
            created: "app.products".into(),
            deleted: vec!["public.items".into(), "app.users_old".into()],
        };
        insta::assert_snapshot!(t.help());
    }
}
