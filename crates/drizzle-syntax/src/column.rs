//! One struct field to one column: type, nullability, defaults, identity, and the
//! single-column constraints declared on it.

use crate::context::{Ctx, column_name, doc_comment, ident_name};
use crate::diagnostic::{Issue, did_you_mean};
use crate::meta::{self, KeySpec, Node, NodeValue, key};
use crate::renamed_from::{qualified_old_name, unqualified_old_name};
use crate::types::{Analyzed, Base, analyze};
use drizzle_schema::{Column, ForeignKey, Generated, Identity, IdentityKind, Literal, names};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Lit};

/// Field keys of table structs.
const TABLE_FIELD_KEYS: &[KeySpec] = &[
    key("name"),
    key("renamed_from"),
    key("primary_key"),
    key("unique"),
    key("index"),
    key("references"),
    key("default"),
    key("default_sql"),
    key("default_now"),
    key("default_random"),
    key("serial"),
    key("identity"),
    key("generated"),
    key("sql_type"),
    key("varchar"),
    key("char"),
    key("text"),
    key("numeric"),
    key("timestamp"),
    key("timestamptz"),
    key("time"),
    key("json"),
    key("jsonb"),
];

/// Field keys of view structs: the row type only.
const VIEW_FIELD_KEYS: &[KeySpec] = &[
    key("name"),
    key("sql_type"),
    key("varchar"),
    key("char"),
    key("text"),
    key("numeric"),
    key("timestamp"),
    key("timestamptz"),
    key("time"),
    key("json"),
    key("jsonb"),
];

const TYPE_KEYS: &[&str] = &[
    "varchar",
    "char",
    "text",
    "numeric",
    "timestamp",
    "timestamptz",
    "time",
    "json",
    "jsonb",
];

/// The table a field belongs to.
pub(crate) struct Owner<'a> {
    pub rust: &'a str,
    pub name: &'a str,
    pub schema: &'a str,
    pub view: bool,
}

/// A field-level single-column index.
#[derive(Debug, Clone)]
pub(crate) struct FieldIndex {
    pub name: Option<String>,
    pub unique: bool,
    pub using: Option<String>,
    pub span: Span,
}

/// What a field contributes to its table.
#[derive(Debug, Clone)]
pub(crate) struct FieldOut {
    pub rust: String,
    pub span: Span,
    pub column: Column,
    pub nullable_span: Option<(Span, Span)>,
    pub unique: Option<(Option<String>, bool, Span)>,
    pub index: Option<FieldIndex>,
    pub fk: Option<(ForeignKey, Span)>,
}

/// `on_delete` / `on_update` words and how drizzle spells them.
pub(crate) const ACTIONS: &[(&str, &str)] = &[
    ("cascade", "cascade"),
    ("restrict", "restrict"),
    ("no_action", "no action"),
    ("set_null", "set null"),
    ("set_default", "set default"),
];

/// Reads an fk action word.
pub(crate) fn action(node: &Node) -> Result<String, Issue> {
    let words: Vec<&str> = ACTIONS.iter().map(|(w, _)| *w).collect();
    let w = meta::choice(node, &words)?;
    Ok(ACTIONS
        .iter()
        .find(|(k, _)| *k == w)
        .map(|(_, v)| v.to_string())
        .unwrap_or(w))
}

/// A resolved `Struct::field` reference.
#[derive(Debug, Clone)]
pub(crate) struct RefTarget {
    /// Referenced table name.
    pub table: String,
    /// Its schema.
    pub schema: String,
    /// Referenced column name.
    pub column: String,
    /// The Rust struct named.
    pub strukt: String,
    /// Where the reference is written.
    pub span: Span,
}

/// Resolves `Struct::field` to the referenced table and column.
pub(crate) fn resolve_ref(node: &Node, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<RefTarget> {
    if node.path.len() != 2 || !matches!(node.value, NodeValue::Flag) {
        issues.push(node.issue(
            "expected a reference to a field, like `Other::id`",
            "expected `Struct::field`",
        ));
        return None;
    }
    let strukt = ident_name(&node.path[0]);
    let field = ident_name(&node.path[1]);
    if !ctx.full {
        return Some(RefTarget {
            table: strukt.clone(),
            schema: String::new(),
            column: field,
            strukt,
            span: node.start,
        });
    }
    let Some(table) = ctx.tables.get(&strukt) else {
        let mut issue = Issue::new(
            node.path[0].span(),
            format!("no table struct named `{strukt}` in the schema files"),
            "unknown struct",
        );
        let names = ctx.tables.keys().map(|s| s.as_str());
        issue = match did_you_mean(&strukt, names) {
            Some(best) => issue.help(format!("did you mean `{best}`?")),
            None => issue.help(format!(
                "declare `#[derive(Table)] pub struct {strukt}` in a file listed by `schema` in drizzle.toml"
            )),
        };
        issues.push(issue);
        return None;
    };
    let Some((_, col)) = table.fields.iter().find(|(f, _)| *f == field) else {
        let mut issue = Issue::new(
            node.path[1].span(),
            format!("table struct `{strukt}` has no field `{field}`"),
            "unknown field",
        );
        issue = match did_you_mean(&field, table.fields.iter().map(|(f, _)| f.as_str())) {
            Some(best) => issue.help(format!("did you mean `{strukt}::{best}`?")),
            None => issue.help(format!(
                "fields of `{strukt}`: {}",
                table
                    .fields
                    .iter()
                    .map(|(f, _)| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        issues.push(issue);
        return None;
    };
    Some(RefTarget {
        table: table.name.clone(),
        schema: table.schema.clone(),
        column: col.clone(),
        strukt,
        span: node.start,
    })
}

/// "a" or "an" for the word that follows.
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn type_name(a: &Analyzed) -> String {
    match a.base.sql() {
        Some(s) => s.to_string(),
        None => match &a.base {
            Base::Enum(e) => format!("enum `{e}`"),
            _ => a.base_text.clone(),
        },
    }
}

/// The SQL type a type-override key names, checked against the Rust type.
fn override_type(node: &Node, a: &Analyzed) -> Result<String, Issue> {
    let name = node.name().to_string();
    let compatible: &[Base] = match name.as_str() {
        "varchar" | "char" | "text" => &[Base::Text],
        "numeric" => &[Base::Numeric],
        "timestamp" => &[Base::Timestamp],
        "timestamptz" => &[Base::Timestamptz],
        "time" => &[Base::Time],
        _ => &[Base::Json],
    };
    let nums = |items: &[Node]| -> Result<Vec<String>, Issue> {
        items
            .iter()
            .map(|n| match &n.value {
                NodeValue::Lit(Lit::Int(i)) => Ok(i.base10_digits().to_string()),
                _ => Err(n.issue(
                    format!("`{name}(...)` takes integer lengths, like `{name}(255)`"),
                    "expected an integer",
                )),
            })
            .collect()
    };
    let sql = match (name.as_str(), &node.value) {
        ("text" | "json" | "jsonb", NodeValue::Flag) => name.clone(),
        ("varchar" | "char" | "numeric" | "timestamp" | "timestamptz", NodeValue::Flag) => {
            name.replace("timestamptz", "timestamp with time zone")
        }
        ("varchar" | "char", NodeValue::List(items)) => {
            let n = nums(items)?;
            if n.len() != 1 {
                return Err(node.issue(
                    format!("`{name}(...)` takes one length, like `{name}(255)`"),
                    "expected one integer",
                ));
            }
            format!("{name}({})", n[0])
        }
        ("numeric", NodeValue::List(items)) => {
            let n = nums(items)?;
            match n.as_slice() {
                [p] => format!("numeric({p})"),
                [p, s] => format!("numeric({p}, {s})"),
                _ => {
                    return Err(node.issue(
                        "`numeric(...)` takes a precision and an optional scale, like `numeric(10, 2)`",
                        "expected 1 or 2 integers",
                    ));
                }
            }
        }
        ("timestamp" | "timestamptz" | "time", NodeValue::List(items)) => {
            let mut precision = None;
            let mut tz = false;
            let allowed: &[KeySpec] = if name == "time" {
                &[key("precision"), key("tz")]
            } else {
                &[key("precision")]
            };
            let mut issues = Vec::new();
            for item in meta::check_keys(items, allowed, &format!("`{name}(...)`"), &mut issues) {
                match item.name() {
                    "precision" => precision = Some(meta::integer(item)?),
                    _ => meta::bare(item)?,
                }
                if item.name() == "tz" {
                    tz = true;
                }
            }
            if let Some(first) = issues.into_iter().next() {
                return Err(first);
            }
            match (name.as_str(), precision) {
                // drizzle's date-mode timestamp puts a space before the precision.
                ("timestamp", Some(p)) => format!("timestamp ({p})"),
                ("timestamp", None) => "timestamp".into(),
                ("timestamptz", Some(p)) => format!("timestamp({p}) with time zone"),
                ("timestamptz", None) => "timestamp with time zone".into(),
                (_, p) => {
                    let p = p.map(|p| format!("({p})")).unwrap_or_default();
                    if tz {
                        format!("time{p} with time zone")
                    } else {
                        format!("time{p}")
                    }
                }
            }
        }
        _ => {
            return Err(node.issue(
                format!("`{name}` takes no value here; see the schema language for its forms"),
                "unexpected value",
            ));
        }
    };
    let fits = match &a.base {
        Base::Deferred | Base::Unknown(_) => true,
        b => compatible.contains(b),
    };
    if !fits {
        return Err(Issue::new(
            node.key_span(),
            format!(
                "`{name}` does not fit the field's Rust type `{}` ({} {} column)",
                a.base_text,
                article(&type_name(a)),
                type_name(a)
            ),
            "contradicts the Rust type",
        )
        .help(format!(
            "change the field type, or give the whole column type with `sql_type = \"{sql}\"`"
        )));
    }
    Ok(sql)
}

fn default_literal(
    node: &Node,
    a: &Analyzed,
    has_sql_type: bool,
    ctx: &Ctx,
) -> Result<Literal, Issue> {
    let e = meta::expr(node, "default = <literal>")?;
    let inner = match e {
        Expr::Group(g) => &*g.expr,
        other => other,
    };
    enum Kind {
        Str(String),
        Int(String),
        Float(String),
        Bool(bool),
        Variant(String, String, Span),
    }
    let kind = if let Some(t) = meta::int_text_of(inner) {
        Kind::Int(t)
    } else if let Some(t) = meta::float_text_of(inner) {
        Kind::Float(t)
    } else {
        match inner {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Kind::Str(s.value()),
                Lit::Bool(b) => Kind::Bool(b.value),
                _ => {
                    return Err(node
                        .value_issue(
                            "`default` takes a string, number, `true`/`false` or an enum variant",
                            "unsupported literal",
                        )
                        .help("use `default_sql = \"...\"` for any other SQL expression"));
                }
            },
            Expr::Path(p) if p.path.segments.len() >= 2 => {
                let n = p.path.segments.len();
                Kind::Variant(
                    p.path.segments[n - 2].ident.to_string(),
                    p.path.segments[n - 1].ident.to_string(),
                    p.path.segments[n - 1].ident.span(),
                )
            }
            _ => {
                return Err(node.value_issue(
                    "`default` takes a string, number, `true`/`false` or an enum variant `Enum::Variant`",
                    "not a literal",
                )
                .help("use `default_sql = \"...\"` for an SQL expression"));
            }
        }
    };
    let col = type_name(a);
    let wrong = |what: &str, expected: &str| {
        node.value_issue(
            format!(
                "{what} default does not fit {} {col} column; expected {expected}",
                article(&col)
            ),
            "wrong literal type",
        )
    };
    let quote = |s: &str| Literal::Sql(format!("'{}'", s.replace('\'', "''")));
    if has_sql_type || matches!(a.base, Base::Deferred | Base::Unknown(_)) {
        return Ok(match kind {
            Kind::Str(s) => quote(&s),
            Kind::Int(t) | Kind::Float(t) => Literal::Number(t),
            Kind::Bool(b) => Literal::Bool(b),
            Kind::Variant(..) if !ctx.full || matches!(a.base, Base::Deferred) => {
                Literal::Sql(String::new())
            }
            Kind::Variant(..) => {
                return Err(wrong(
                    "an enum variant",
                    "a string, number or boolean for a column with `sql_type`",
                ));
            }
        });
    }
    if a.dims > 0 {
        return match kind {
            Kind::Str(s) => Ok(quote(&s)),
            _ => Err(wrong(
                "a scalar",
                "a string holding an array literal like \"{1,2}\"",
            )
            .help("or write the array with `default_sql = \"'{1,2}'\"`")),
        };
    }
    let expected = match &a.base {
        Base::Int(_) => "an integer literal",
        Base::Real | Base::Double => "a number literal",
        Base::Numeric => "a number or a string literal",
        Base::Bool => "`true` or `false`",
        Base::Enum(_) => "an enum variant such as `MyEnum::Variant`",
        _ => "a string literal",
    };
    match (&a.base, kind) {
        (Base::Int(_), Kind::Int(t)) => Ok(Literal::Number(t)),
        (Base::Real | Base::Double | Base::Numeric, Kind::Int(t) | Kind::Float(t)) => {
            Ok(Literal::Number(t))
        }
        (Base::Numeric, Kind::Str(s)) => Ok(quote(&s)),
        (Base::Bool, Kind::Bool(b)) => Ok(Literal::Bool(b)),
        (Base::Enum(e), Kind::Variant(en, variant, span)) => {
            if *e != en {
                return Err(Issue::new(
                    span,
                    format!("default `{en}::{variant}` is a variant of `{en}`, but the column's type is `{e}`"),
                    "wrong enum",
                )
                .help(format!("use a variant of `{e}`")));
            }
            let info = ctx.enums.get(e);
            match info.and_then(|i| i.variants.iter().find(|(v, _)| *v == variant)) {
                Some((_, value)) => Ok(quote(value)),
                None => {
                    let mut issue = Issue::new(
                        span,
                        format!("enum `{e}` has no variant `{variant}`"),
                        "unknown variant",
                    );
                    if let Some(best) = info.and_then(|i| {
                        did_you_mean(&variant, i.variants.iter().map(|(v, _)| v.as_str()))
                    }) {
                        issue = issue.help(format!("did you mean `{e}::{best}`?"));
                    }
                    Err(issue)
                }
            }
        }
        (Base::Enum(e), Kind::Str(s)) => Err(wrong("a string", expected).help(format!(
            "name the variant instead of its value, e.g. `default = {e}::{}`",
            heck::ToUpperCamelCase::to_upper_camel_case(s.as_str())
        ))),
        (
            Base::Int(_) | Base::Real | Base::Double | Base::Numeric | Base::Bool | Base::Enum(_),
            k,
        )
        | (_, k @ (Kind::Int(_) | Kind::Float(_) | Kind::Bool(_) | Kind::Variant(..))) => {
            let what = match k {
                Kind::Str(_) => "a string",
                Kind::Int(_) => "an integer",
                Kind::Float(_) => "a float",
                Kind::Bool(_) => "a boolean",
                Kind::Variant(..) => "an enum variant",
            };
            Err(wrong(what, expected))
        }
        (_, Kind::Str(s)) => Ok(quote(&s)),
    }
}

fn identity(
    node: &Node,
    owner: &Owner,
    column: &str,
    sql_type: &str,
) -> Result<Identity, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut kind = None;
    let mut name = None;
    let mut opts = drizzle_schema::SequenceOptions::default();
    if let NodeValue::List(items) = &node.value {
        let specs = [
            key("always"),
            key("by_default"),
            key("start"),
            key("increment"),
            key("min_value"),
            key("max_value"),
            key("cache"),
            key("cycle"),
            key("name"),
        ];
        for item in meta::check_keys(items, &specs, "`identity(...)`", &mut issues) {
            let r = match item.name() {
                "always" | "by_default" => meta::bare(item).and_then(|_| {
                    if kind.is_some() {
                        Err(item.issue(
                            "`identity` is either `always` or `by_default`, not both",
                            "second kind",
                        ))
                    } else {
                        kind = Some(if item.name() == "always" {
                            IdentityKind::Always
                        } else {
                            IdentityKind::ByDefault
                        });
                        Ok(())
                    }
                }),
                "start" => meta::integer(item).map(|v| opts.start_with = Some(v)),
                "increment" => meta::integer(item).map(|v| opts.increment = Some(v)),
                "min_value" => meta::integer(item).map(|v| opts.min_value = Some(v)),
                "max_value" => meta::integer(item).map(|v| opts.max_value = Some(v)),
                "cache" => meta::integer(item).map(|v| opts.cache = Some(v)),
                "cycle" => meta::flag(item).map(|v| opts.cycle = Some(v)),
                _ => meta::string(item).map(|v| name = Some(v)),
            };
            if let Err(e) = r {
                issues.push(e);
            }
        }
    } else if !matches!(node.value, NodeValue::Flag) {
        issues.push(node.issue(
            "`identity` is a flag or a list: `identity(always, start = 1)`",
            "unexpected value",
        ));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    // drizzle-kit's defaults (reference §2 "identity"), including its smallint fallback.
    let negative = opts
        .increment
        .as_deref()
        .is_some_and(|i| i.starts_with('-'));
    let type_max = match sql_type {
        "integer" => "2147483647",
        "bigint" => "9223372036854775807",
        _ => "32767",
    };
    let (min_default, max_default) = if negative {
        ("-32768", "-1")
    } else {
        ("1", type_max)
    };
    let min = opts.min_value.clone().unwrap_or_else(|| min_default.into());
    let max = opts.max_value.clone().unwrap_or_else(|| max_default.into());
    let start = opts
        .start_with
        .clone()
        .unwrap_or_else(|| if negative { max.clone() } else { min.clone() });
    Ok(Identity {
        kind: kind.unwrap_or(IdentityKind::ByDefault),
        name: name.unwrap_or_else(|| names::identity_sequence(owner.name, column)),
        schema: owner.schema.to_string(),
        options: drizzle_schema::SequenceOptions {
            increment: Some(opts.increment.unwrap_or_else(|| "1".into())),
            min_value: Some(min),
            max_value: Some(max),
            start_with: Some(start),
            cache: Some(opts.cache.unwrap_or_else(|| "1".into())),
            cycle: Some(opts.cycle.unwrap_or(false)),
        },
    })
}

/// Builds one field's column and single-column constraints.
pub(crate) fn build_field(
    field: &syn::Field,
    owner: &Owner,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
) -> Option<FieldOut> {
    let ident = field.ident.as_ref()?;
    let rust = ident_name(ident);
    let nodes = meta::drizzle_nodes(&field.attrs, issues);
    let specs = if owner.view {
        VIEW_FIELD_KEYS
    } else {
        TABLE_FIELD_KEYS
    };
    let place = if owner.view {
        "a view field"
    } else {
        "a table field"
    };
    let nodes = meta::check_keys(&nodes, specs, place, issues);
    let find = |k: &str| nodes.iter().copied().find(|n| n.name() == k);
    let take = |r: Result<String, Issue>, issues: &mut Vec<Issue>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            issues.push(e);
            None
        }
    };
    let a = analyze(&field.ty, ctx);
    let explicit = find("name").and_then(|n| take(meta::string(n), issues));
    let col_name = column_name(&rust, explicit, ctx.casing);
    let sql_type_node = find("sql_type");
    let sql_type = sql_type_node.and_then(|n| take(meta::string(n), issues));
    let overrides: Vec<&Node> = nodes
        .iter()
        .copied()
        .filter(|n| TYPE_KEYS.contains(&n.name()))
        .collect();
    if let (Some(first), Some(second)) = (
        overrides.first().copied().or(sql_type_node),
        overrides.get(1).copied().or(if overrides.is_empty() {
            None
        } else {
            sql_type_node
        }),
    ) {
        issues.push(
            Issue::new(
                second.key_span(),
                format!(
                    "the column type is given twice (`{}` and `{}`)",
                    first.name(),
                    second.name()
                ),
                "second column type",
            )
            .help("keep one type key"),
        );
    }
    let serial = find("serial");
    let mut type_known = true;
    let mut sql = if let Some(t) = &sql_type {
        t.clone()
    } else if let Some(o) = overrides.first() {
        match override_type(o, &a) {
            Ok(s) => s,
            Err(e) => {
                issues.push(e);
                type_known = false;
                String::new()
            }
        }
    } else if let Some(s) = serial {
        let _ = take(meta::bare(s).map(|_| String::new()), issues);
        match a.base {
            Base::Int(16) => "smallserial".into(),
            Base::Int(32) => "serial".into(),
            Base::Int(_) => "bigserial".into(),
            Base::Deferred => String::new(),
            _ => {
                issues.push(
                    Issue::new(
                        s.key_span(),
                        format!(
                            "`serial` needs an integer field (i16, i32 or i64), but `{}` is a {} column",
                            a.base_text,
                            type_name(&a)
                        ),
                        "not an integer",
                    )
                    .help("change the field type to i32 or i64, or remove `serial`"),
                );
                type_known = false;
                String::new()
            }
        }
    } else {
        match &a.base {
            Base::Enum(e) => ctx.enums.get(e).map(|i| i.name.clone()).unwrap_or_default(),
            Base::Unknown(t) => {
                issues.push(
                    Issue::new(
                        a.base_span,
                        format!("no PostgreSQL type is known for the Rust type `{t}`"),
                        "unknown type",
                    )
                    .help(format!(
                        "give the column type with `#[drizzle(sql_type = \"...\")]` on field `{rust}`, or derive `PgEnum` if `{t}` is an enum"
                    )),
                );
                type_known = false;
                String::new()
            }
            b => b.sql().unwrap_or_default().to_string(),
        }
    };
    if serial.is_some() && (sql_type.is_some() || !overrides.is_empty()) {
        issues.push(
            Issue::new(
                serial.map(|s| s.key_span()).unwrap_or(field.span()),
                "`serial` picks the column type itself and cannot be combined with a type key",
                "conflicting type",
            )
            .help("remove the type key, or remove `serial`"),
        );
    }
    if sql_type.is_none() && type_known {
        for _ in 0..a.dims {
            sql.push_str("[]");
        }
    }
    let mut column = Column::new(col_name.clone(), sql.clone());
    if let Base::Enum(e) = &a.base
        && sql_type.is_none()
        && overrides.is_empty()
    {
        column.type_schema = ctx.enums.get(e).map(|i| i.schema.clone());
    }
    column.not_null = !a.nullable;
    column.comment = doc_comment(&field.attrs);
    let must_not_be_option = |what: &str, node: &Node, issues: &mut Vec<Issue>| {
        if let Some(span) = a.option_span {
            issues.push(
                Issue::new(
                    span,
                    format!("{} {what} column is always NOT NULL, so field `{rust}` cannot be `Option<...>`", article(what)),
                    "nullable",
                )
                .until(meta::last_span(&field.ty))
                .help(format!(
                    "drop the `Option`: `{}: {}`",
                    rust,
                    a.base_text
                )),
            );
        }
        let _ = node;
    };
    if let Some(n) = find("primary_key")
        && take(meta::bare(n).map(|_| String::new()), issues).is_some()
    {
        column.primary_key = true;
        column.not_null = true;
        must_not_be_option("primary key", n, issues);
    }
    if let Some(s) = serial {
        column.not_null = true;
        must_not_be_option("serial", s, issues);
    }
    if let Some(n) = find("renamed_from")
        && let Some(v) = take(meta::string(n), issues)
    {
        match unqualified_old_name(&v, "a column") {
            Ok(v) => column.renamed_from = Some(v),
            Err(msg) => issues.push(n.value_issue(msg.0, "invalid name").help(msg.1)),
        }
    }
    // Defaults: exactly one of the four keys.
    let defaults: Vec<&Node> = ["default", "default_sql", "default_now", "default_random"]
        .iter()
        .filter_map(|k| find(k))
        .collect();
    if defaults.len() > 1 {
        issues.push(
            Issue::new(
                defaults[1].key_span(),
                format!(
                    "a column has one default, but `{}` and `{}` are both given",
                    defaults[0].name(),
                    defaults[1].name()
                ),
                "second default",
            )
            .help("keep one of them"),
        );
    }
    if let Some(n) = defaults.first() {
        let r = match n.name() {
            "default" => default_literal(n, &a, sql_type.is_some(), ctx),
            "default_sql" => meta::string(n).map(Literal::Sql),
            "default_now" => meta::bare(n).map(|_| Literal::Sql("now()".into())),
            _ => meta::bare(n).and_then(|_| {
                let is_uuid = matches!(a.base, Base::Uuid | Base::Deferred)
                    || sql_type.as_deref() == Some("uuid");
                if is_uuid && a.dims == 0 {
                    Ok(Literal::Sql("gen_random_uuid()".into()))
                } else {
                    Err(Issue::new(
                        n.key_span(),
                        format!(
                            "`default_random` gives uuid columns `gen_random_uuid()`, but this is a {} column",
                            if sql.is_empty() { type_name(&a) } else { sql.clone() }
                        ),
                        "not a uuid column",
                    )
                    .help("use `Uuid` as the field type, or `default_sql = \"...\"`"))
                }
            }),
        };
        match r {
            Ok(l) => column.default = Some(l),
            Err(e) => issues.push(e),
        }
    }
    if let Some(n) = find("generated")
        && let Some(expression) = take(meta::string(n), issues)
    {
        column.generated = Some(Generated { expression });
    }
    if let Some(n) = find("identity") {
        let int_ok = matches!(a.base, Base::Int(_) | Base::Deferred) && a.dims == 0;
        if !int_ok && sql_type.is_none() {
            issues.push(
                Issue::new(
                    n.key_span(),
                    format!(
                        "`identity` needs an integer field (i16, i32 or i64), but `{}` is a {} column",
                        a.base_text,
                        type_name(&a)
                    ),
                    "not an integer",
                )
                .help("change the field type to i32 or i64"),
            );
        }
        if serial.is_some() {
            issues.push(
                Issue::new(
                    n.key_span(),
                    "a column is either `serial` or `identity`, not both",
                    "second generator",
                )
                .help("keep `identity` (the SQL standard form) or `serial`"),
            );
        }
        match identity(n, owner, &col_name, &sql) {
            Ok(i) => {
                column.identity = Some(i);
                column.not_null = true;
                must_not_be_option("identity", n, issues);
            }
            Err(es) => issues.extend(es),
        }
    }
    let mut unique = None;
    if let Some(n) = find("unique") {
        match &n.value {
            NodeValue::Flag => unique = Some((None, false, n.key_span())),
            NodeValue::List(items) => {
                let mut name = None;
                let mut nnd = false;
                let specs = [key("name"), key("nulls_not_distinct")];
                for item in meta::check_keys(items, &specs, "`unique(...)`", issues) {
                    if item.name() == "name" {
                        name = take(meta::string(item), issues);
                    } else if take(meta::bare(item).map(|_| String::new()), issues).is_some() {
                        nnd = true;
                    }
                }
                unique = Some((name, nnd, n.key_span()));
            }
            _ => issues.push(n.issue(
                "`unique` is a flag or `unique(name = \"...\", nulls_not_distinct)`",
                "unexpected value",
            )),
        }
    }
    let mut index = None;
    if let Some(n) = find("index") {
        let mut out = FieldIndex {
            name: None,
            unique: false,
            using: None,
            span: n.key_span(),
        };
        match &n.value {
            NodeValue::Flag => {}
            NodeValue::List(items) => {
                let specs = [key("name"), key("unique"), key("using")];
                for item in meta::check_keys(items, &specs, "a field `index(...)`", issues) {
                    match item.name() {
                        "name" => out.name = take(meta::string(item), issues),
                        "using" => out.using = take(meta::string(item), issues),
                        _ => {
                            out.unique =
                                take(meta::bare(item).map(|_| String::new()), issues).is_some()
                        }
                    }
                }
            }
            _ => issues.push(n.issue(
                "`index` is a flag or `index(name = \"...\", unique, using = \"...\")`",
                "unexpected value",
            )),
        }
        index = Some(out);
    }
    let mut fk = None;
    if let Some(n) = find("references") {
        match meta::list(n, "references(Other::id, on_delete = cascade)") {
            Ok(items) => {
                let (target, rest) = match items.split_first() {
                    Some((t, rest)) if t.path.len() == 2 => (Some(t), rest),
                    _ => (None, items),
                };
                let mut name = None;
                let mut on_delete = "no action".to_string();
                let mut on_update = "no action".to_string();
                let specs = [key("on_delete"), key("on_update"), key("name")];
                for item in meta::check_keys(rest, &specs, "`references(...)`", issues) {
                    match item.name() {
                        "name" => name = take(meta::string(item), issues),
                        "on_delete" => {
                            if let Some(a) = take(action(item), issues) {
                                on_delete = a;
                            }
                        }
                        _ => {
                            if let Some(a) = take(action(item), issues) {
                                on_update = a;
                            }
                        }
                    }
                }
                match target {
                    None => issues.push(n.issue(
                        "`references(...)` starts with the referenced field, like `references(Other::id)`",
                        "missing `Struct::field`",
                    )),
                    Some(t) => {
                        if let Some(RefTarget { table: table_to, schema: schema_to, column: col_to, .. }) = resolve_ref(t, ctx, issues) {
                            fk = Some((
                                ForeignKey {
                                    name: name.unwrap_or_else(|| {
                                        names::foreign_key(
                                            owner.name,
                                            &[col_name.as_str()],
                                            &table_to,
                                            &[col_to.as_str()],
                                        )
                                    }),
                                    table_from: owner.name.to_string(),
                                    columns_from: vec![col_name.clone()],
                                    table_to,
                                    schema_to: (schema_to != "public" && !schema_to.is_empty())
                                        .then_some(schema_to),
                                    columns_to: vec![col_to],
                                    on_update: Some(on_update),
                                    on_delete: Some(on_delete),
                                },
                                n.key_span(),
                            ));
                        }
                    }
                }
            }
            Err(e) => issues.push(e),
        }
    }
    let _ = owner.rust;
    Some(FieldOut {
        rust,
        span: ident.span(),
        column,
        nullable_span: a.option_span.map(|s| (s, meta::last_span(&field.ty))),
        unique,
        index,
        fk,
    })
}

/// Checks a `renamed_from` of a schema-scoped object and returns the old name.
pub(crate) fn qualified_renamed_from(
    node: &Node,
    issues: &mut Vec<Issue>,
) -> Option<drizzle_schema::OldName> {
    let v = match meta::string(node) {
        Ok(v) => v,
        Err(e) => {
            issues.push(e);
            return None;
        }
    };
    match qualified_old_name(&v) {
        Ok(o) => Some(o),
        Err((msg, help)) => {
            issues.push(node.value_issue(msg, "invalid name").help(help));
            None
        }
    }
}
