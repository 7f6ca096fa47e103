//! `#[derive(Table)]` structs to tables: item keys, fields, and the table-level
//! constraints, indexes and policies.

use crate::column::{Owner, RefTarget, action, build_field, qualified_renamed_from, resolve_ref};
use crate::context::{Ctx, default_item_name, doc_comment};
use crate::diagnostic::{Issue, did_you_mean};
use crate::meta::{self, KeySpec, Node, NodeValue, key, many};
use crate::renamed_from::unqualified_old_name;
use drizzle_schema::{
    CheckConstraint, ForeignKey, Index, IndexColumn, Literal, Policy, PrimaryKey, Table,
    UniqueConstraint, names,
};
use indexmap::IndexMap;
use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields};

const TABLE_KEYS: &[KeySpec] = &[
    key("name"),
    key("schema"),
    key("renamed_from"),
    key("primary_key"),
    many("unique"),
    many("index"),
    many("foreign_key"),
    many("check"),
    key("rls"),
    many("policy"),
];

/// A built table plus what the cross-item checks need.
pub(crate) struct TableOut {
    pub table: Table,
    pub name_span: Span,
    pub indexes: Vec<(String, Span)>,
}

fn take<T>(r: Result<T, Issue>, issues: &mut Vec<Issue>) -> Option<T> {
    r.map_err(|e| issues.push(e)).ok()
}

/// Field name → column name lookup with did-you-mean errors.
struct FieldMap<'a> {
    fields: &'a [(String, String)],
    strukt: &'a str,
}

impl FieldMap<'_> {
    fn column(&self, field: &str, span: Span, what: &str) -> Result<String, Issue> {
        if let Some((_, c)) = self.fields.iter().find(|(f, _)| f == field) {
            return Ok(c.clone());
        }
        let mut issue = Issue::new(
            span,
            format!(
                "{what} names `{field}`, which is not a field of `{}`",
                self.strukt
            ),
            "unknown field",
        );
        if let Some(best) = did_you_mean(field, self.fields.iter().map(|(f, _)| f.as_str())) {
            issue = issue.help(format!("did you mean `{best}`?"));
        }
        Err(issue)
    }

    fn columns(&self, list: &[(String, Span)], what: &str) -> Result<Vec<String>, Issue> {
        list.iter().map(|(f, s)| self.column(f, *s, what)).collect()
    }
}

fn literal_of(node: &Node) -> Result<Literal, Issue> {
    let e = meta::expr(node, &format!("{} = 70", node.name()))?;
    if let Some(t) = meta::int_text_of(e).or_else(|| meta::float_text_of(e)) {
        return Ok(Literal::Number(t));
    }
    if let syn::Expr::Lit(l) = e {
        match &l.lit {
            syn::Lit::Bool(b) => return Ok(Literal::Bool(b.value)),
            syn::Lit::Str(s) => return Ok(Literal::Sql(s.value())),
            _ => {}
        }
    }
    Err(node.value_issue(
        format!("`{}` takes a number, a boolean or a string", node.name()),
        "expected a literal",
    ))
}

/// `with(key = value, ...)` as a map with the keys as written.
pub(crate) fn with_options(node: &Node, issues: &mut Vec<Issue>) -> Vec<(String, Literal, Span)> {
    let mut out: Vec<(String, Literal, Span)> = Vec::new();
    let Some(items) = take(meta::list(node, "with(fillfactor = 70)"), issues) else {
        return out;
    };
    for item in items {
        if item.path.len() != 1 || !matches!(item.value, NodeValue::Expr(_)) {
            issues.push(item.issue(
                "`with(...)` holds `option = value` pairs, like `with(fillfactor = 70)`",
                "expected `option = value`",
            ));
            continue;
        }
        let name = item.name();
        if out.iter().any(|(k, _, _)| *k == name) {
            issues.push(
                Issue::new(
                    item.key_span(),
                    format!("duplicate option `{name}` in `with(...)`"),
                    "given twice",
                )
                .help("keep only one of them"),
            );
            continue;
        }
        if let Some(l) = take(literal_of(item), issues) {
            out.push((name.to_string(), l, item.key_span()));
        }
    }
    out
}

fn index_from(
    node: &Node,
    table_name: &str,
    fields: &FieldMap,
    issues: &mut Vec<Issue>,
) -> Option<Index> {
    let items = take(meta::list(node, "index(on(field))"), issues)?;
    let specs = [
        key("name"),
        key("on"),
        key("unique"),
        key("using"),
        key("where"),
        key("concurrently"),
        key("with"),
    ];
    let mut name = None;
    let mut columns: Vec<IndexColumn> = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    let mut has_expression = false;
    let mut on_seen = false;
    let mut index = Index {
        name: String::new(),
        columns: Vec::new(),
        is_unique: false,
        where_clause: None,
        concurrently: false,
        method: "btree".into(),
        with: Some(IndexMap::new()),
    };
    let mut ok = true;
    for item in meta::check_keys(items, &specs, "`index(...)`", issues) {
        match item.name() {
            "name" => name = take(meta::string(item), issues),
            "unique" => index.is_unique = take(meta::bare(item), issues).is_some(),
            "concurrently" => index.concurrently = take(meta::bare(item), issues).is_some(),
            "using" => {
                if let Some(m) = take(meta::string(item), issues) {
                    index.method = m;
                }
            }
            "where" => index.where_clause = take(meta::string(item), issues),
            "with" => {
                let map = with_options(item, issues);
                index.with = Some(map.into_iter().map(|(k, v, _)| (k, v)).collect());
            }
            _ => {
                on_seen = true;
                let Some(keys) = take(meta::list(item, "on(field, other(desc))"), issues) else {
                    ok = false;
                    continue;
                };
                if keys.is_empty() {
                    issues.push(item.issue(
                        "`on(...)` needs at least one field or `sql(\"...\")`",
                        "empty",
                    ));
                    ok = false;
                }
                for k in keys {
                    match index_key(k, fields, issues) {
                        Some((c, col_name)) => {
                            if c.is_expression {
                                has_expression = true;
                            } else {
                                plain.push(col_name);
                            }
                            columns.push(c);
                        }
                        None => ok = false,
                    }
                }
            }
        }
    }
    if !on_seen {
        issues.push(
            node.issue(
                "`index(...)` needs `on(...)` with the indexed fields",
                "missing `on`",
            )
            .help("add `on(field)`, e.g. `index(on(email))`"),
        );
        return None;
    }
    if !ok {
        return None;
    }
    index.name = match name {
        Some(n) => n,
        None if has_expression => {
            issues.push(
                node.issue(
                    "an index on an expression needs a name",
                    "unnamed expression index",
                )
                .help("add `name = \"...\"` to the index"),
            );
            return None;
        }
        None => {
            let cols: Vec<&str> = plain.iter().map(|s| s.as_str()).collect();
            names::index(table_name, &cols)
        }
    };
    index.columns = columns;
    Some(index)
}

fn index_key(
    k: &Node,
    fields: &FieldMap,
    issues: &mut Vec<Issue>,
) -> Option<(IndexColumn, String)> {
    if k.path.len() == 1
        && k.name() == "sql"
        && let NodeValue::List(args) = &k.value
    {
        return match args.as_slice() {
            [
                Node {
                    value: NodeValue::Lit(syn::Lit::Str(s)),
                    ..
                },
            ] => Some((
                IndexColumn {
                    expression: s.value(),
                    is_expression: true,
                    asc: true,
                    nulls: Some("last".into()),
                    opclass: None,
                },
                String::new(),
            )),
            _ => {
                issues.push(k.issue(
                        "`sql(...)` takes one string with the SQL expression, like `sql(\"lower(email)\")`",
                        "expected one string",
                    ));
                None
            }
        };
    }
    if k.path.len() != 1 {
        issues.push(k.issue(
            "expected a field name or `sql(\"...\")` in `on(...)`",
            "not a field",
        ));
        return None;
    }
    let col = take(
        fields.column(k.name(), k.key_span(), "index `on(...)`"),
        issues,
    )?;
    let mut c = IndexColumn {
        expression: col.clone(),
        is_expression: false,
        asc: true,
        nulls: None,
        opclass: None,
    };
    match &k.value {
        NodeValue::Flag => {}
        NodeValue::List(opts) => {
            let specs = [
                key("asc"),
                key("desc"),
                key("nulls_first"),
                key("nulls_last"),
                key("opclass"),
            ];
            let mut order_seen = false;
            let mut nulls_seen = false;
            for o in meta::check_keys(opts, &specs, "an index key", issues) {
                match o.name() {
                    "opclass" => c.opclass = take(meta::string(o), issues),
                    name => {
                        take(meta::bare(o), issues)?;
                        let is_order = name == "asc" || name == "desc";
                        let seen = if is_order {
                            &mut order_seen
                        } else {
                            &mut nulls_seen
                        };
                        if *seen {
                            issues.push(o.issue(
                                format!("`{name}` contradicts an earlier key order option"),
                                "conflicting order",
                            ));
                            return None;
                        }
                        *seen = true;
                        match name {
                            "asc" => c.asc = true,
                            "desc" => c.asc = false,
                            "nulls_first" => c.nulls = Some("first".into()),
                            _ => c.nulls = Some("last".into()),
                        }
                    }
                }
            }
        }
        NodeValue::Expr(_) | NodeValue::Lit(_) => {
            issues.push(k.issue(
                "index keys are written `field`, `field(desc)` or `sql(\"...\")`",
                "unexpected value",
            ));
            return None;
        }
    }
    if c.nulls.is_none() {
        c.nulls = Some(if c.asc { "last" } else { "first" }.into());
    }
    Some((c, col))
}

fn policy_from(node: &Node, issues: &mut Vec<Issue>) -> Option<(Policy, Span)> {
    let items = take(
        meta::list(node, "policy(name = \"...\", using = \"...\")"),
        issues,
    )?;
    let specs = [
        key("name"),
        key("kind"),
        key("command"),
        key("to"),
        key("using"),
        key("with_check"),
        key("renamed_from"),
    ];
    let mut p = Policy {
        name: String::new(),
        as_: Some("PERMISSIVE".into()),
        for_: Some("ALL".into()),
        to: Some(vec!["public".into()]),
        using: None,
        with_check: None,
        on: None,
        schema: None,
        renamed_from: None,
    };
    let mut name = None;
    for item in meta::check_keys(items, &specs, "`policy(...)`", issues) {
        match item.name() {
            "name" => name = take(meta::string(item), issues),
            "kind" => {
                if let Some(k) = take(meta::choice(item, &["permissive", "restrictive"]), issues) {
                    p.as_ = Some(k.to_uppercase());
                }
            }
            "command" => {
                let words = ["all", "select", "insert", "update", "delete"];
                if let Some(k) = take(meta::choice(item, &words), issues) {
                    p.for_ = Some(k.to_uppercase());
                }
            }
            "to" => {
                if let Some(mut roles) = take(string_array(item), issues) {
                    roles.sort();
                    p.to = Some(roles);
                }
            }
            "using" => p.using = take(meta::string(item), issues),
            "with_check" => p.with_check = take(meta::string(item), issues),
            _ => {
                if let Some(v) = take(meta::string(item), issues) {
                    match unqualified_old_name(&v, "a policy") {
                        Ok(v) => p.renamed_from = Some(v),
                        Err((m, h)) => issues.push(item.value_issue(m, "invalid name").help(h)),
                    }
                }
            }
        }
    }
    let Some(name) = name else {
        issues.push(node.issue("`policy(...)` needs a `name = \"...\"`", "unnamed policy"));
        return None;
    };
    p.name = name;
    Some((p, node.key_span()))
}

/// `key = ["a", "b"]`.
fn string_array(node: &Node) -> Result<Vec<String>, Issue> {
    let bad = || {
        node.value_issue(
            format!(
                "`{}` takes a list of role names in brackets, like `to = [\"app_user\"]`",
                node.name()
            ),
            "expected a list of strings",
        )
    };
    let e = meta::expr(node, "to = [\"role\"]")?;
    let syn::Expr::Array(arr) = e else {
        return Err(bad());
    };
    arr.elems
        .iter()
        .map(|el| match el {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Ok(s.value()),
            _ => Err(bad()),
        })
        .collect()
}

/// Builds the table a `#[derive(Table)]` struct declares.
pub(crate) fn build_table(
    input: &DeriveInput,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
) -> Option<TableOut> {
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(n) => n.named.iter().collect::<Vec<_>>(),
            _ => {
                issues.push(
                    Issue::new(
                        input.ident.span(),
                        format!(
                            "`Table` needs a struct with named fields, and `{}` has none",
                            input.ident
                        ),
                        "not a struct with named fields",
                    )
                    .help("declare the columns as named fields: `pub struct T { pub id: i32 }`"),
                );
                return None;
            }
        },
        _ => {
            issues.push(
                Issue::new(
                    input.ident.span(),
                    format!(
                        "`Table` can only be derived for a struct; `{}` is not one",
                        input.ident
                    ),
                    "not a struct",
                )
                .help("derive `PgEnum` for enums"),
            );
            return None;
        }
    };
    let all = meta::drizzle_nodes(&input.attrs, issues);
    let nodes = meta::check_keys(&all, TABLE_KEYS, "a table", issues);
    let find = |k: &str| nodes.iter().copied().find(|n| n.name() == k);
    let name = find("name")
        .and_then(|n| take(meta::string(n), issues))
        .unwrap_or_else(|| default_item_name(&input.ident));
    let name_span = find("name").map(|n| n.start).unwrap_or(input.ident.span());
    let schema = find("schema")
        .and_then(|n| take(meta::string(n), issues))
        .unwrap_or_else(|| "public".into());
    let mut table = Table::new(schema.clone(), name.clone());
    table.comment = doc_comment(&input.attrs);
    if let Some(n) = find("renamed_from") {
        table.renamed_from = qualified_renamed_from(n, issues);
    }
    if let Some(n) = find("rls") {
        table.rls_enabled = take(meta::bare(n), issues).is_some();
    }
    let rust = input.ident.to_string();
    let owner = Owner {
        rust: &rust,
        name: &name,
        schema: &schema,
        view: false,
    };
    let mut outs = Vec::new();
    for f in &fields {
        if let Some(o) = build_field(f, &owner, ctx, issues) {
            outs.push(o);
        }
    }
    let field_map_data: Vec<(String, String)> = outs
        .iter()
        .map(|o| (o.rust.clone(), o.column.name.clone()))
        .collect();
    let fields_map = FieldMap {
        fields: &field_map_data,
        strukt: &rust,
    };
    let mut index_spans = Vec::new();
    // Constraint names share one namespace per table in PostgreSQL.
    let mut constraint_names: Vec<String> = Vec::new();
    let mut dup_constraint = |name: &str, span: Span, issues: &mut Vec<Issue>| {
        if constraint_names.iter().any(|n| n == name) {
            issues.push(
                Issue::new(
                    span,
                    format!(
                        "duplicate constraint name `{name}` in table `{}`",
                        owner.name
                    ),
                    "name used twice",
                )
                .help("give each constraint its own `name = \"...\"`"),
            );
            true
        } else {
            constraint_names.push(name.to_string());
            false
        }
    };
    for o in &outs {
        if table.columns.contains_key(&o.column.name) {
            issues.push(
                Issue::new(
                    o.span,
                    format!(
                        "duplicate column name `{}` in table `{name}`",
                        o.column.name
                    ),
                    "name used twice",
                )
                .help("give one of the fields another `name = \"...\"`"),
            );
            continue;
        }
        table
            .columns
            .insert(o.column.name.clone(), o.column.clone());
    }
    for o in &outs {
        if let Some((uname, nnd, span)) = &o.unique {
            let uname = uname
                .clone()
                .unwrap_or_else(|| names::unique(&name, &[o.column.name.as_str()]));
            if !dup_constraint(&uname, *span, issues) {
                table.unique_constraints.insert(
                    uname.clone(),
                    UniqueConstraint {
                        name: uname,
                        columns: vec![o.column.name.clone()],
                        nulls_not_distinct: *nnd,
                    },
                );
            }
        }
    }
    for o in &outs {
        if let Some(fi) = &o.index {
            let iname = fi
                .name
                .clone()
                .unwrap_or_else(|| names::index(&name, &[o.column.name.as_str()]));
            index_spans.push((iname.clone(), fi.span));
            table.indexes.insert(
                iname.clone(),
                Index {
                    name: iname,
                    columns: vec![IndexColumn {
                        expression: o.column.name.clone(),
                        is_expression: false,
                        asc: true,
                        nulls: Some("last".into()),
                        opclass: None,
                    }],
                    is_unique: fi.unique,
                    where_clause: None,
                    concurrently: false,
                    method: fi.using.clone().unwrap_or_else(|| "btree".into()),
                    with: Some(IndexMap::new()),
                },
            );
        }
    }
    for o in &outs {
        if let Some((fk, span)) = &o.fk
            && !dup_constraint(&fk.name, *span, issues)
        {
            table.foreign_keys.insert(fk.name.clone(), fk.clone());
        }
    }
    for node in &nodes {
        match node.name() {
            "primary_key" => {
                let Some(items) = take(meta::list(node, "primary_key(columns(a, b))"), issues)
                else {
                    continue;
                };
                let mut cols = None;
                let mut pk_name = None;
                for item in meta::check_keys(
                    items,
                    &[key("columns"), key("name")],
                    "`primary_key(...)`",
                    issues,
                ) {
                    if item.name() == "name" {
                        pk_name = take(meta::string(item), issues);
                    } else if let Some(list) = take(meta::ident_list(item, "columns(a, b)"), issues)
                    {
                        for (f, _) in &list {
                            if let Some(o) = outs.iter().find(|o| o.rust == *f)
                                && let Some((opt, opt_end)) = o.nullable_span
                            {
                                issues.push(
                                    Issue::new(
                                        opt,
                                        format!("primary key field `{f}` cannot be `Option<...>`"),
                                        "nullable",
                                    )
                                    .until(opt_end)
                                    .help("drop the `Option`: primary key columns are NOT NULL"),
                                );
                            }
                        }
                        cols = take(
                            fields_map.columns(&list, "`primary_key(columns(...))`"),
                            issues,
                        );
                    }
                }
                let Some(cols) = cols else {
                    if !items.iter().any(|i| i.name() == "columns") {
                        issues.push(
                            node.issue(
                                "`primary_key(...)` needs `columns(...)`",
                                "missing columns",
                            ),
                        );
                    }
                    continue;
                };
                let refs: Vec<&str> = cols.iter().map(|s| s.as_str()).collect();
                let pk_name = pk_name.unwrap_or_else(|| names::primary_key(&name, &refs));
                if dup_constraint(&pk_name, node.key_span(), issues) {
                    continue;
                }
                table.composite_primary_keys.insert(
                    pk_name.clone(),
                    PrimaryKey {
                        name: pk_name,
                        columns: cols,
                    },
                );
            }
            "unique" => {
                let Some(items) = take(meta::list(node, "unique(columns(a, b))"), issues) else {
                    continue;
                };
                let mut cols = None;
                let mut uname = None;
                let mut nnd = false;
                let specs = [key("columns"), key("name"), key("nulls_not_distinct")];
                for item in meta::check_keys(items, &specs, "`unique(...)`", issues) {
                    match item.name() {
                        "name" => uname = take(meta::string(item), issues),
                        "nulls_not_distinct" => nnd = take(meta::bare(item), issues).is_some(),
                        _ => {
                            cols = take(meta::ident_list(item, "columns(a, b)"), issues).and_then(
                                |l| take(fields_map.columns(&l, "`unique(columns(...))`"), issues),
                            )
                        }
                    }
                }
                let Some(cols) = cols else {
                    if !items.iter().any(|i| i.name() == "columns") {
                        issues.push(node.issue(
                            "`unique(...)` on a table needs `columns(...)`",
                            "missing columns",
                        ));
                    }
                    continue;
                };
                let refs: Vec<&str> = cols.iter().map(|s| s.as_str()).collect();
                let uname = uname.unwrap_or_else(|| names::unique(&name, &refs));
                if dup_constraint(&uname, node.key_span(), issues) {
                    continue;
                }
                table.unique_constraints.insert(
                    uname.clone(),
                    UniqueConstraint {
                        name: uname,
                        columns: cols,
                        nulls_not_distinct: nnd,
                    },
                );
            }
            "index" => {
                if let Some(ix) = index_from(node, &name, &fields_map, issues) {
                    if table.indexes.contains_key(&ix.name) {
                        issues.push(
                            Issue::new(
                                node.key_span(),
                                format!("duplicate index name `{}` in table `{name}`", ix.name),
                                "name used twice",
                            )
                            .help("give each index its own `name = \"...\"`"),
                        );
                        continue;
                    }
                    index_spans.push((ix.name.clone(), node.key_span()));
                    table.indexes.insert(ix.name.clone(), ix);
                }
            }
            "foreign_key" => {
                if let Some(fk) = foreign_key_from(node, &name, &fields_map, ctx, issues)
                    && !dup_constraint(&fk.name, node.key_span(), issues)
                {
                    table.foreign_keys.insert(fk.name.clone(), fk);
                }
            }
            "check" => {
                let Some(items) = take(
                    meta::list(node, "check(name = \"...\", sql = \"...\")"),
                    issues,
                ) else {
                    continue;
                };
                let mut cname = None;
                let mut sql = None;
                for item in
                    meta::check_keys(items, &[key("name"), key("sql")], "`check(...)`", issues)
                {
                    if item.name() == "name" {
                        cname = take(meta::string(item), issues);
                    } else {
                        sql = take(meta::string(item), issues);
                    }
                }
                match (cname, sql) {
                    (Some(cname), Some(value)) => {
                        if !dup_constraint(&cname, node.key_span(), issues) {
                            table
                                .check_constraints
                                .insert(cname.clone(), CheckConstraint { name: cname, value });
                        }
                    }
                    (c, _) => {
                        let missing = if c.is_none() { "name" } else { "sql" };
                        if !items.iter().any(|i| i.name() == missing) {
                            issues.push(node.issue(
                                format!("`check(...)` needs `{missing} = \"...\"`"),
                                format!("missing `{missing}`"),
                            ));
                        }
                    }
                }
            }
            "policy" => {
                if let Some((p, span)) = policy_from(node, issues) {
                    if table.policies.contains_key(&p.name) {
                        issues.push(
                            Issue::new(
                                span,
                                format!("duplicate policy name `{}` on table `{name}`", p.name),
                                "name used twice",
                            )
                            .help("give each policy its own name"),
                        );
                        continue;
                    }
                    table.policies.insert(p.name.clone(), p);
                }
            }
            _ => {}
        }
    }
    Some(TableOut {
        table,
        name_span,
        indexes: index_spans,
    })
}

fn foreign_key_from(
    node: &Node,
    table_name: &str,
    fields: &FieldMap,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
) -> Option<ForeignKey> {
    let items = take(
        meta::list(node, "foreign_key(columns(a), references(Other::id))"),
        issues,
    )?;
    let specs = [
        key("columns"),
        key("references"),
        key("name"),
        key("on_delete"),
        key("on_update"),
    ];
    let mut cols = None;
    let mut targets: Option<Vec<RefTarget>> = None;
    let mut name = None;
    let mut on_delete = "no action".to_string();
    let mut on_update = "no action".to_string();
    let mut failed = false;
    for item in meta::check_keys(items, &specs, "`foreign_key(...)`", issues) {
        match item.name() {
            "columns" => {
                cols = take(meta::ident_list(item, "columns(a, b)"), issues)
                    .and_then(|l| take(fields.columns(&l, "`foreign_key(columns(...))`"), issues));
                failed |= cols.is_none();
            }
            "references" => {
                let Some(list) = take(meta::list(item, "references(Other::a, Other::b)"), issues)
                else {
                    failed = true;
                    continue;
                };
                let mut out = Vec::new();
                for r in list {
                    match resolve_ref(r, ctx, issues) {
                        Some(t) => out.push(t),
                        None => failed = true,
                    }
                }
                targets = Some(out);
            }
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
    if failed {
        return None;
    }
    let (Some(cols), Some(targets)) = (cols, targets) else {
        issues.push(node.issue(
            "`foreign_key(...)` needs `columns(...)` and `references(...)`",
            "incomplete foreign key",
        ));
        return None;
    };
    if targets.is_empty() || targets.len() != cols.len() {
        issues.push(node.issue(
            format!(
                "`foreign_key(...)` lists {} column(s) but references {} field(s)",
                cols.len(),
                targets.len()
            ),
            "column counts differ",
        ));
        return None;
    }
    if let Some(other) = targets.iter().find(|t| t.strukt != targets[0].strukt) {
        issues.push(Issue::new(
            other.span,
            "all `references(...)` of one foreign key must name fields of the same struct",
            "different struct",
        ));
        return None;
    }
    let table_to = targets[0].table.clone();
    let schema_to = targets[0].schema.clone();
    let cols_to: Vec<String> = targets.iter().map(|t| t.column.clone()).collect();
    let a: Vec<&str> = cols.iter().map(|s| s.as_str()).collect();
    let b: Vec<&str> = cols_to.iter().map(|s| s.as_str()).collect();
    Some(ForeignKey {
        name: name.unwrap_or_else(|| names::foreign_key(table_name, &a, &table_to, &b)),
        table_from: table_name.to_string(),
        columns_from: cols,
        table_to,
        schema_to: (schema_to != "public" && !schema_to.is_empty()).then_some(schema_to),
        columns_to: cols_to,
        on_update: Some(on_update),
        on_delete: Some(on_delete),
    })
}
