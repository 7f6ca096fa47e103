//! The `#[drizzle(...)]` attribute grammar as a small tree (keys, `key = value`, `key(...)`,
//! bare literals), and typed readers that turn a node into a value or an `Issue`.

use crate::diagnostic::{Issue, did_you_mean};
use proc_macro2::{Ident, Span};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Lit, Token};

/// One entry inside `drizzle(...)`.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// `key`, or `Type::field` for paths; empty for a bare literal.
    pub path: Vec<Ident>,
    /// What follows the path.
    pub value: NodeValue,
    /// Span of the first token.
    pub start: Span,
    /// Span of the last token.
    pub end: Span,
    /// `path` as written, computed once: keys are compared many times per node.
    name: String,
}

/// What follows a node's path.
#[derive(Debug, Clone)]
pub(crate) enum NodeValue {
    /// Nothing: `primary_key`.
    Flag,
    /// `key = expr`.
    Expr(Box<Expr>),
    /// `key(...)`.
    List(Vec<Node>),
    /// A bare literal such as the `255` of `varchar(255)`.
    Lit(Lit),
}

impl Node {
    /// The path as written (`index`, `Parent::id`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's own span (the first path segment).
    pub fn key_span(&self) -> Span {
        self.path.first().map(|i| i.span()).unwrap_or(self.start)
    }

    /// An issue covering the whole node.
    pub fn issue(&self, message: impl Into<String>, label: impl Into<String>) -> Issue {
        Issue::new(self.start, message, label).until(self.end)
    }

    /// An issue on the value of `key = value` (the whole node otherwise).
    pub fn value_issue(&self, message: impl Into<String>, label: impl Into<String>) -> Issue {
        match &self.value {
            NodeValue::Expr(e) => Issue::new(e.span(), message, label).until(self.end),
            _ => self.issue(message, label),
        }
    }
}

fn parse_nodes(input: ParseStream) -> syn::Result<Vec<Node>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        out.push(parse_node(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

fn parse_node(input: ParseStream) -> syn::Result<Node> {
    if input.peek(Lit) {
        let lit: Lit = input.parse()?;
        return Ok(Node {
            name: String::new(),
            path: Vec::new(),
            start: lit.span(),
            end: lit.span(),
            value: NodeValue::Lit(lit),
        });
    }
    // Keys may be Rust keywords (`where`, `type`), so identifiers are read with `parse_any`.
    let first = Ident::parse_any(input)
        .map_err(|e| syn::Error::new(e.span(), "expected a key such as `name = \"...\"`"))?;
    let start = first.span();
    let mut path = vec![first];
    while input.peek(Token![::]) {
        input.parse::<Token![::]>()?;
        path.push(Ident::parse_any(input)?);
    }
    let mut end = path.last().map(|i| i.span()).unwrap_or(start);
    let value = if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        let expr: Expr = input.parse()?;
        end = last_span(&expr);
        NodeValue::Expr(Box::new(expr))
    } else if input.peek(syn::token::Paren) {
        let content;
        let paren = syn::parenthesized!(content in input);
        end = paren.span.close();
        NodeValue::List(parse_nodes(&content)?)
    } else {
        NodeValue::Flag
    };
    let mut name = String::new();
    for (i, segment) in path.iter().enumerate() {
        if i > 0 {
            name.push_str("::");
        }
        name.push_str(&segment.unraw().to_string());
    }
    Ok(Node {
        name,
        path,
        value,
        start,
        end,
    })
}

/// The span of a syntax node's last token (its `span()` may only cover the first one).
pub(crate) fn last_span(node: &(impl quote::ToTokens + Spanned)) -> Span {
    let tokens = node.to_token_stream();
    tokens
        .into_iter()
        .last()
        .map(|t| match t {
            proc_macro2::TokenTree::Group(g) => g.span_close(),
            other => other.span(),
        })
        .unwrap_or_else(|| node.span())
}

/// Whether an attribute is `#[drizzle...]`.
pub(crate) fn is_drizzle(attr: &Attribute) -> bool {
    attr.path().is_ident("drizzle")
}

/// Every node of every `#[drizzle(...)]` attribute in `attrs`, in order.
pub(crate) fn drizzle_nodes(attrs: &[Attribute], issues: &mut Vec<Issue>) -> Vec<Node> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| is_drizzle(a)) {
        match &attr.meta {
            syn::Meta::List(list) => match parse_nodes.parse2(list.tokens.clone()) {
                Ok(nodes) => out.extend(nodes),
                Err(e) => {
                    let mut issue = Issue::from_syn(&e);
                    // syn reports the end of an attribute's tokens at the call site (no
                    // position); the closing parenthesis is where input ran out.
                    let at = e.span().start();
                    let open = list.delimiter.span().open().start();
                    if (at.line, at.column) < (open.line, open.column) {
                        let close = list.delimiter.span().close();
                        issue.start = close;
                        issue.end = close;
                    }
                    issues.push(issue);
                }
            },
            other => issues.push(
                Issue::new(
                    other.span(),
                    "expected `#[drizzle(...)]`",
                    "needs a key list",
                )
                .help("write the keys in parentheses, e.g. `#[drizzle(name = \"users\")]`"),
            ),
        }
    }
    out
}

/// Parses the token list of a `drizzle(...)` attribute (used by property tests too).
#[cfg(test)]
pub(crate) fn parse_tokens(tokens: proc_macro2::TokenStream) -> syn::Result<Vec<Node>> {
    parse_nodes.parse2(tokens)
}

/// A key accepted in some position: its name, whether it may repeat, and an example.
pub(crate) struct KeySpec {
    pub name: &'static str,
    pub repeat: bool,
}

/// Shorthand for a non-repeatable key.
pub(crate) const fn key(name: &'static str) -> KeySpec {
    KeySpec {
        name,
        repeat: false,
    }
}

/// Shorthand for a key that may appear several times.
pub(crate) const fn many(name: &'static str) -> KeySpec {
    KeySpec { name, repeat: true }
}

/// Every key of the language, with where it belongs, for "wrong place" messages.
const ALL_KEYS: &[(&str, &str)] = &[
    ("name", "items and fields"),
    ("schema", "tables, enums, views and sequences"),
    ("renamed_from", "items, fields and variants"),
    ("primary_key", "tables and fields"),
    ("unique", "tables and fields"),
    ("index", "tables and fields"),
    ("foreign_key", "tables"),
    ("check", "tables"),
    ("rls", "tables"),
    ("policy", "tables"),
    ("references", "table fields"),
    ("default", "table fields"),
    ("default_sql", "table fields"),
    ("default_now", "table fields"),
    ("default_random", "table fields"),
    ("serial", "table fields"),
    ("identity", "table fields"),
    ("generated", "table fields"),
    ("sql_type", "fields"),
    ("varchar", "fields"),
    ("char", "fields"),
    ("text", "fields"),
    ("numeric", "fields"),
    ("timestamp", "fields"),
    ("timestamptz", "fields"),
    ("time", "fields"),
    ("json", "fields"),
    ("jsonb", "fields"),
    ("value", "enum variants"),
    ("definition", "views"),
    ("materialized", "views"),
    ("with", "views and indexes"),
    ("with_no_data", "materialized views"),
    ("using", "materialized views, indexes and policies"),
    ("tablespace", "materialized views"),
    ("existing", "views and roles"),
    ("start", "sequences and identity"),
    ("increment", "sequences and identity"),
    ("min_value", "sequences and identity"),
    ("max_value", "sequences and identity"),
    ("cache", "sequences and identity"),
    ("cycle", "sequences and identity"),
    ("create_db", "roles"),
    ("create_role", "roles"),
    ("inherit", "roles"),
];

/// Keeps the nodes whose key `specs` allow; reports unknown, misplaced and duplicate keys.
pub(crate) fn check_keys<'a>(
    nodes: &'a [Node],
    specs: &[KeySpec],
    place: &str,
    issues: &mut Vec<Issue>,
) -> Vec<&'a Node> {
    let mut seen: Vec<(String, Span)> = Vec::new();
    let mut out = Vec::new();
    for node in nodes {
        if node.path.len() != 1 {
            let what = if node.path.is_empty() {
                "a bare value".to_string()
            } else {
                format!("`{}`", node.name())
            };
            issues.push(node.issue(
                format!("expected a key on {place}, found {what}"),
                "not a key",
            ));
            continue;
        }
        let name = node.name();
        let Some(spec) = specs.iter().find(|s| s.name == name) else {
            let valid = specs.iter().map(|s| s.name);
            let mut issue = if let Some((_, home)) = ALL_KEYS.iter().find(|(k, _)| *k == name) {
                Issue::new(
                    node.key_span(),
                    format!("`{name}` cannot be used on {place}; it belongs on {home}"),
                    "not allowed here",
                )
            } else {
                Issue::new(
                    node.key_span(),
                    format!("unknown key `{name}` on {place}"),
                    "unknown key",
                )
            };
            let keys: Vec<&str> = specs.iter().map(|s| s.name).collect();
            issue = match did_you_mean(name, valid) {
                Some(best) if best != name => issue.help(format!("did you mean `{best}`?")),
                _ => issue.help(format!("valid keys here: {}", keys.join(", "))),
            };
            issues.push(issue);
            continue;
        };
        if !spec.repeat {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == name) {
                let _ = first;
                issues.push(
                    Issue::new(
                        node.key_span(),
                        format!("duplicate key `{name}` on {place}"),
                        "given twice",
                    )
                    .help("keep only one of them"),
                );
                continue;
            }
            seen.push((name.to_string(), node.key_span()));
        }
        out.push(node);
    }
    out
}

/// The expression of `key = value`, or an issue showing the expected shape.
pub(crate) fn expr<'a>(node: &'a Node, shape: &str) -> Result<&'a Expr, Issue> {
    match &node.value {
        NodeValue::Expr(e) => Ok(e),
        _ => Err(node.issue(
            format!("`{}` takes a value: `{shape}`", node.name()),
            "expected `= value`",
        )),
    }
}

/// A literal, seeing through parentheses and groups.
fn lit_of(expr: &Expr) -> Option<&Lit> {
    match expr {
        Expr::Lit(l) => Some(&l.lit),
        Expr::Group(g) => lit_of(&g.expr),
        Expr::Paren(p) => lit_of(&p.expr),
        _ => None,
    }
}

/// `key = "text"`.
pub(crate) fn string(node: &Node) -> Result<String, Issue> {
    let shape = format!("{} = \"...\"", node.name());
    let e = expr(node, &shape)?;
    match lit_of(e) {
        Some(Lit::Str(s)) => Ok(s.value()),
        _ => Err(node.value_issue(
            format!("`{}` takes a string, like `{shape}`", node.name()),
            "expected a string",
        )),
    }
}

/// `key` alone (true) or `key = true|false`.
pub(crate) fn flag(node: &Node) -> Result<bool, Issue> {
    match &node.value {
        NodeValue::Flag => Ok(true),
        NodeValue::Expr(e) => match lit_of(e) {
            Some(Lit::Bool(b)) => Ok(b.value),
            _ => Err(node.value_issue(
                format!(
                    "`{}` is a flag: write `{}` or `{} = true|false`",
                    node.name(),
                    node.name(),
                    node.name()
                ),
                "expected true or false",
            )),
        },
        _ => Err(node.issue(
            format!("`{}` is a flag and takes no arguments", node.name()),
            "expected no `(...)`",
        )),
    }
}

/// `key` alone; anything else is an issue.
pub(crate) fn bare(node: &Node) -> Result<(), Issue> {
    match &node.value {
        NodeValue::Flag => Ok(()),
        _ => Err(node.issue(
            format!(
                "`{}` takes no value; write just `{}`",
                node.name(),
                node.name()
            ),
            "unexpected value",
        )),
    }
}

/// An integer literal, possibly negative, as its decimal source text.
pub(crate) fn int_text_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => Some(i.base10_digits().to_string()),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            int_text_of(&u.expr).map(|t| format!("-{t}"))
        }
        Expr::Group(g) => int_text_of(&g.expr),
        _ => None,
    }
}

/// A float literal, possibly negative, as its source text.
pub(crate) fn float_text_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Float(f) => Some(f.base10_digits().to_string()),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            float_text_of(&u.expr).map(|t| format!("-{t}"))
        }
        Expr::Group(g) => float_text_of(&g.expr),
        _ => None,
    }
}

/// `key = 123` (negative allowed) as decimal text.
pub(crate) fn integer(node: &Node) -> Result<String, Issue> {
    let shape = format!("{} = 1", node.name());
    let e = expr(node, &shape)?;
    int_text_of(e).ok_or_else(|| {
        node.value_issue(
            format!("`{}` takes an integer, like `{shape}`", node.name()),
            "expected an integer",
        )
    })
}

/// `key = word` where `word` is one of `choices`.
pub(crate) fn choice(node: &Node, choices: &[&str]) -> Result<String, Issue> {
    let list = choices
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let e = expr(node, &format!("{} = {}", node.name(), choices[0]))?;
    let word = match e {
        Expr::Path(p) if p.path.segments.len() == 1 => Some(p.path.segments[0].ident.to_string()),
        _ => None,
    };
    match word {
        Some(w) if choices.contains(&w.as_str()) => Ok(w),
        Some(w) => {
            let issue = node.value_issue(
                format!(
                    "unknown `{}` value `{w}`; expected one of {list}",
                    node.name()
                ),
                "unknown value",
            );
            Err(match did_you_mean(&w, choices.iter().copied()) {
                Some(best) => issue.help(format!("did you mean `{best}`?")),
                None => issue,
            })
        }
        None => Err(node.value_issue(
            format!("`{}` takes one of {list}, without quotes", node.name()),
            "expected a word",
        )),
    }
}

/// The nodes of `key(...)`.
pub(crate) fn list<'a>(node: &'a Node, shape: &str) -> Result<&'a [Node], Issue> {
    match &node.value {
        NodeValue::List(items) => Ok(items),
        _ => Err(node.issue(
            format!("`{}` takes a list: `{shape}`", node.name()),
            "expected `(...)`",
        )),
    }
}

/// Plain identifiers inside `key(a, b)`, with their spans.
pub(crate) fn ident_list(node: &Node, shape: &str) -> Result<Vec<(String, Span)>, Issue> {
    let items = list(node, shape)?;
    let mut out = Vec::new();
    for item in items {
        if item.path.len() != 1 || !matches!(item.value, NodeValue::Flag) {
            return Err(item.issue(
                format!("`{}(...)` lists field names, like `{shape}`", node.name()),
                "expected a field name",
            ));
        }
        out.push((item.name().to_string(), item.key_span()));
    }
    if out.is_empty() {
        return Err(node.issue(
            format!("`{}(...)` needs at least one field", node.name()),
            "empty list",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn parses_keys_values_lists_and_keywords() {
        let nodes = parse_tokens(quote!(
            name = "t", rls, index(on(a(desc), sql("x")), where = "a > 0"), references(P::id)
        ))
        .unwrap();
        assert_eq!(nodes.len(), 4);
        assert_eq!(nodes[0].name(), "name");
        assert!(matches!(nodes[1].value, NodeValue::Flag));
        let NodeValue::List(inner) = &nodes[2].value else {
            panic!("index is a list")
        };
        assert_eq!(inner[1].name(), "where");
        let NodeValue::List(refs) = &nodes[3].value else {
            panic!("references is a list")
        };
        assert_eq!(refs[0].name(), "P::id");
    }

    #[test]
    fn reads_negative_integers() {
        let nodes = parse_tokens(quote!(start = -5)).unwrap();
        assert_eq!(integer(&nodes[0]).unwrap(), "-5");
    }
}
