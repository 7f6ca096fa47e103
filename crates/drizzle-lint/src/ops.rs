//! What a statement does, as far as the rules care: the small vocabulary both
//! recognizers (the parser and the token fallback) produce.

use drizzle_sql::quote_ident;

/// A table, enum or other schema object; `schema` is `public` when the SQL left it out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    /// Schema (`public` when unqualified, which is what drizzle-kit's statements assume).
    pub schema: String,
    /// Object name.
    pub name: String,
}

impl Name {
    /// From identifier parts as written (`["users"]` or `["app", "users"]`).
    pub fn from_parts(mut parts: Vec<String>) -> Option<Name> {
        let name = parts.pop()?;
        let schema = parts.pop().unwrap_or_else(|| "public".to_owned());
        Some(Name { schema, name })
    }

    /// The name as drizzle-kit writes a table: unqualified in `public`.
    pub fn sql(&self) -> String {
        if self.schema == "public" {
            quote_ident(&self.name)
        } else {
            format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
        }
    }

    /// `schema.name`, or `name` in `public`, for messages.
    pub fn shown(&self) -> String {
        if self.schema == "public" {
            self.name.clone()
        } else {
            format!("{}.{}", self.schema, self.name)
        }
    }
}

/// A recognized statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `CREATE TABLE` with its columns' names and types.
    CreateTable {
        /// The table.
        table: Name,
        /// `(column, type as written)`.
        columns: Vec<(String, String)>,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// The indexed table.
        table: Name,
        /// The index name, when given.
        name: Option<String>,
        /// `CONCURRENTLY`.
        concurrently: bool,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// `CONCURRENTLY`.
        concurrently: bool,
    },
    /// `ALTER TABLE` and its actions.
    AlterTable {
        /// The table.
        table: Name,
        /// The comma-separated actions.
        actions: Vec<Action>,
    },
    /// `DROP TABLE`.
    DropTable(Vec<Name>),
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum(Name),
    /// `DROP TYPE`.
    DropType(Vec<Name>),
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValue {
        /// The enum.
        enum_name: Name,
        /// The new value.
        value: String,
    },
    /// `SET [LOCAL] lock_timeout` or `set_config('lock_timeout', ...)`.
    SetLockTimeout,
    /// Anything the rules do not look at.
    Other,
}

/// One action of an `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `ADD COLUMN`.
    AddColumn(NewColumn),
    /// `DROP COLUMN`.
    DropColumn(Vec<String>),
    /// `RENAME COLUMN a TO b`.
    RenameColumn {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `RENAME TO b`.
    RenameTable(String),
    /// `SET SCHEMA s`.
    SetSchema(String),
    /// `ALTER COLUMN c SET NOT NULL`.
    SetNotNull(String),
    /// `ALTER COLUMN c [SET DATA] TYPE t [USING ...]`.
    SetDataType {
        /// The column.
        column: String,
        /// The new type as written.
        to: String,
        /// Whether a `USING` expression converts the values.
        using: bool,
    },
    /// `ADD [CONSTRAINT n] ...`.
    AddConstraint(NewConstraint),
    /// `VALIDATE CONSTRAINT n`.
    ValidateConstraint(String),
    /// Anything else.
    Other,
}

/// A column being added.
#[derive(Debug, Clone, PartialEq)]
pub struct NewColumn {
    /// Column name.
    pub name: String,
    /// Type as written.
    pub sql_type: String,
    /// `NOT NULL` or `PRIMARY KEY`.
    pub not_null: bool,
    /// The default expression, when there is one.
    pub default: Option<String>,
    /// Whether existing rows each get a computed value (which rewrites the table).
    pub fill: Option<Fill>,
}

/// Why adding a column computes a value for every existing row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fill {
    /// A default calling this volatile function.
    Volatile(String),
    /// `serial` / `bigserial` / `smallserial`.
    Serial,
    /// `GENERATED ... AS IDENTITY`.
    Identity,
    /// `GENERATED ALWAYS AS (...) STORED`.
    Generated,
}

/// A constraint being added.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConstraint {
    /// `CONSTRAINT n`, when named.
    pub name: Option<String>,
    /// Its kind.
    pub kind: ConstraintKind,
    /// `NOT VALID`.
    pub not_valid: bool,
    /// `UNIQUE USING INDEX` / `PRIMARY KEY USING INDEX` (no index build).
    pub using_index: bool,
    /// For `CHECK (c IS NOT NULL)`: the column `c`.
    pub not_null_column: Option<String>,
}

/// Constraint kinds the rules distinguish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `FOREIGN KEY`.
    ForeignKey,
    /// `CHECK`.
    Check,
    /// `UNIQUE`.
    Unique,
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `EXCLUDE` and others.
    Other,
}

/// Types whose column default is a sequence (`serial` and friends).
pub fn is_serial(sql_type: &str) -> bool {
    matches!(
        normalize_type(sql_type).as_str(),
        "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
    )
}

/// A type spelled one way for comparisons: lower case, unquoted, `public.` dropped,
/// PostgreSQL's aliases resolved (`int4` is `integer`, `character varying` is `varchar`).
pub fn normalize_type(sql_type: &str) -> String {
    let mut t: String = sql_type
        .chars()
        .filter(|c| *c != '"')
        .collect::<String>()
        .to_lowercase();
    t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    t = t.replace(" (", "(").replace(", ", ",");
    if let Some(rest) = t.strip_prefix("public.") {
        t = rest.to_owned();
    }
    let (base, suffix) = match t.find(['(', '[']) {
        Some(i) => (t[..i].trim().to_owned(), t[i..].to_owned()),
        None => (t.clone(), String::new()),
    };
    // `timestamp(3) with time zone`: the precision sits between the words.
    let (suffix, zone) = match suffix.find(')') {
        Some(i) if suffix.starts_with('(') => {
            let rest = suffix[i + 1..].trim();
            if rest.starts_with('[') {
                (format!("{}{rest}", &suffix[..=i]), String::new())
            } else {
                (suffix[..=i].to_owned(), rest.to_owned())
            }
        }
        _ => (suffix, String::new()),
    };
    let base = match format!("{base} {zone}").trim() {
        "character varying" => "varchar".to_owned(),
        "int" | "int4" => "integer".to_owned(),
        "int8" => "bigint".to_owned(),
        "int2" => "smallint".to_owned(),
        "bool" => "boolean".to_owned(),
        "float8" => "double precision".to_owned(),
        "float4" => "real".to_owned(),
        "decimal" => "numeric".to_owned(),
        "character" | "bpchar" => "char".to_owned(),
        "timestamp without time zone" => "timestamp".to_owned(),
        "timestamp with time zone" => "timestamptz".to_owned(),
        "time without time zone" => "time".to_owned(),
        "time with time zone" => "timetz".to_owned(),
        other => other.to_owned(),
    };
    format!("{base}{suffix}")
}

/// Whether changing a column from `from` to `to` rewrites the table (and its indexes)
/// under an ACCESS EXCLUSIVE lock. `from` is `None` when the old type is not known.
pub fn type_change_rewrites(from: Option<&str>, to: &str, using: bool) -> bool {
    let Some(from) = from else {
        return true;
    };
    let (from, to) = (normalize_type(from), normalize_type(to));
    if from == to {
        return using;
    }
    if using {
        return true;
    }
    let args = |t: &str, base: &str| -> Option<Vec<u32>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(Vec::new());
        }
        rest.strip_prefix('(')?
            .strip_suffix(')')?
            .split(',')
            .map(|n| n.trim().parse().ok())
            .collect()
    };
    // Binary-coercible changes PostgreSQL performs without touching the rows.
    if let (Some(a), Some(b)) = (args(&from, "varchar"), args(&to, "varchar")) {
        return match (a.first(), b.first()) {
            (_, None) => false,
            (Some(x), Some(y)) => y < x,
            (None, Some(_)) => true,
        };
    }
    if (args(&from, "varchar").is_some() && to == "text")
        || (from == "text" && to == "varchar")
        || (from == "cidr" && to == "inet")
    {
        return false;
    }
    if let (Some(a), Some(b)) = (args(&from, "numeric"), args(&to, "numeric")) {
        return match (a.as_slice(), b.as_slice()) {
            (_, []) => false,
            ([p1], [p2]) => p2 < p1,
            ([p1, s1], [p2, s2]) => !(s1 == s2 && p2 >= p1),
            _ => true,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_normalize() {
        assert_eq!(normalize_type("CHARACTER VARYING(20)"), "varchar(20)");
        assert_eq!(
            normalize_type("timestamp (3) with time zone"),
            "timestamptz(3)"
        );
        assert_eq!(normalize_type("\"public\".\"mood\""), "mood");
        assert_eq!(normalize_type("NUMERIC(10, 2)"), "numeric(10,2)");
        assert_eq!(normalize_type("int4[]"), "integer[]");
        assert_eq!(normalize_type("character varying(20)[]"), "varchar(20)[]");
    }

    #[test]
    fn widening_is_free_and_narrowing_rewrites() {
        let r = type_change_rewrites;
        assert!(!r(Some("varchar(10)"), "varchar(20)", false));
        assert!(!r(Some("varchar(10)"), "text", false));
        assert!(!r(Some("varchar(10)"), "varchar", false));
        assert!(r(Some("varchar(20)"), "varchar(10)", false));
        assert!(!r(Some("numeric(10, 2)"), "numeric(12,2)", false));
        assert!(r(Some("numeric(10, 2)"), "numeric(12,3)", false));
        assert!(r(Some("integer"), "bigint", false));
        assert!(r(Some("text"), "text", true));
        assert!(r(None, "text", false));
    }
}
