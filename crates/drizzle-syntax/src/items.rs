//! The other derives: `PgEnum`, `View`, `Sequence`, `Role` and `PgSchema`.

use crate::column::{Owner, build_field, qualified_renamed_from};
use crate::context::{Ctx, default_item_name, doc_comment, ident_name};
use crate::diagnostic::{Issue, did_you_mean};
use crate::meta::{self, KeySpec, key};
use crate::renamed_from::unqualified_old_name;
use crate::table::with_options;
use drizzle_schema::{Enum, Literal, Role, SchemaDef, Sequence, SequenceOptions, View};
use heck::{ToLowerCamelCase, ToSnakeCase};
use indexmap::IndexMap;
use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields};

fn take<T>(r: Result<T, Issue>, issues: &mut Vec<Issue>) -> Option<T> {
    r.map_err(|e| issues.push(e)).ok()
}

/// Item-level `name` (or the default) and its span.
fn item_name(
    nodes: &[&meta::Node],
    input: &DeriveInput,
    issues: &mut Vec<Issue>,
) -> (String, Span) {
    match nodes.iter().find(|n| n.name() == "name") {
        Some(n) => (
            take(meta::string(n), issues).unwrap_or_else(|| default_item_name(&input.ident)),
            n.start,
        ),
        None => (default_item_name(&input.ident), input.ident.span()),
    }
}

fn item_schema(nodes: &[&meta::Node], issues: &mut Vec<Issue>) -> String {
    nodes
        .iter()
        .find(|n| n.name() == "schema")
        .and_then(|n| take(meta::string(n), issues))
        .unwrap_or_else(|| "public".into())
}

/// Requires a unit struct (`pub struct S;`) for derives that carry no fields.
fn unit_struct(input: &DeriveInput, derive: &str, issues: &mut Vec<Issue>) -> bool {
    let ok = matches!(&input.data, Data::Struct(s) if matches!(s.fields, Fields::Unit));
    if !ok {
        issues.push(
            Issue::new(
                input.ident.span(),
                format!(
                    "`{derive}` is derived on a unit struct, but `{}` is not one",
                    input.ident
                ),
                "not a unit struct",
            )
            .help(format!("declare it as `pub struct {};`", input.ident)),
        );
    }
    ok
}

/// Builds an enum type.
pub(crate) fn build_enum(input: &DeriveInput, issues: &mut Vec<Issue>) -> Option<(Enum, Span)> {
    let Data::Enum(data) = &input.data else {
        issues.push(
            Issue::new(
                input.ident.span(),
                format!(
                    "`PgEnum` can only be derived for an enum; `{}` is not one",
                    input.ident
                ),
                "not an enum",
            )
            .help("declare it as `pub enum Name { A, B }`"),
        );
        return None;
    };
    let all = meta::drizzle_nodes(&input.attrs, issues);
    let nodes = meta::check_keys(
        &all,
        &[key("name"), key("schema"), key("renamed_from")],
        "an enum",
        issues,
    );
    let (name, span) = item_name(&nodes, input, issues);
    let mut e = Enum {
        name,
        schema: item_schema(&nodes, issues),
        values: Vec::new(),
        value_renames: IndexMap::new(),
        comment: doc_comment(&input.attrs),
        renamed_from: None,
    };
    if let Some(n) = nodes.iter().find(|n| n.name() == "renamed_from") {
        e.renamed_from = qualified_renamed_from(n, issues);
    }
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            issues.push(
                Issue::new(
                    v.ident.span(),
                    format!("enum variant `{}` carries data, but PostgreSQL enum values are plain labels", v.ident),
                    "not a unit variant",
                )
                .help(format!("make it a unit variant: `{},`", v.ident)),
            );
            continue;
        }
        let all = meta::drizzle_nodes(&v.attrs, issues);
        let vnodes = meta::check_keys(
            &all,
            &[key("value"), key("renamed_from")],
            "an enum variant",
            issues,
        );
        let value = vnodes
            .iter()
            .find(|n| n.name() == "value")
            .and_then(|n| take(meta::string(n), issues))
            .unwrap_or_else(|| ident_name(&v.ident).to_snake_case());
        if e.values.contains(&value) {
            issues.push(
                Issue::new(
                    v.ident.span(),
                    format!("duplicate enum value `{value}` in `{}`", input.ident),
                    "value used twice",
                )
                .help("give the variant another `value = \"...\"`"),
            );
            continue;
        }
        if let Some(n) = vnodes.iter().find(|n| n.name() == "renamed_from")
            && let Some(old) = take(meta::string(n), issues)
        {
            if old.is_empty() {
                issues.push(
                    n.value_issue("invalid `renamed_from = \"\"` on an enum value", "empty")
                        .help("give the old value"),
                );
            } else {
                e.value_renames.insert(value.clone(), old);
            }
        }
        e.values.push(value);
    }
    Some((e, span))
}

const VIEW_WITH: &[(&str, char)] = &[
    ("check_option", 's'),
    ("security_barrier", 'b'),
    ("security_invoker", 'b'),
];

const MATVIEW_WITH: &[(&str, char)] = &[
    ("fillfactor", 'n'),
    ("toast_tuple_target", 'n'),
    ("parallel_workers", 'n'),
    ("autovacuum_enabled", 'b'),
    ("vacuum_index_cleanup", 's'),
    ("vacuum_truncate", 'b'),
    ("autovacuum_vacuum_threshold", 'n'),
    ("autovacuum_vacuum_scale_factor", 'n'),
    ("autovacuum_vacuum_cost_delay", 'n'),
    ("autovacuum_vacuum_cost_limit", 'n'),
    ("autovacuum_freeze_min_age", 'n'),
    ("autovacuum_freeze_max_age", 'n'),
    ("autovacuum_freeze_table_age", 'n'),
    ("autovacuum_multixact_freeze_min_age", 'n'),
    ("autovacuum_multixact_freeze_max_age", 'n'),
    ("autovacuum_multixact_freeze_table_age", 'n'),
    ("log_autovacuum_min_duration", 'n'),
    ("user_catalog_table", 'b'),
];

/// Builds a view or materialized view.
pub(crate) fn build_view(
    input: &DeriveInput,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
) -> Option<(View, Span)> {
    let fields: Vec<&syn::Field> = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(n) => n.named.iter().collect(),
            Fields::Unit => Vec::new(),
            Fields::Unnamed(_) => {
                issues.push(Issue::new(
                    input.ident.span(),
                    format!(
                        "`View` needs named fields or a unit struct; `{}` is a tuple struct",
                        input.ident
                    ),
                    "tuple struct",
                ));
                return None;
            }
        },
        _ => {
            issues.push(Issue::new(
                input.ident.span(),
                format!(
                    "`View` can only be derived for a struct; `{}` is not one",
                    input.ident
                ),
                "not a struct",
            ));
            return None;
        }
    };
    let specs: &[KeySpec] = &[
        key("name"),
        key("schema"),
        key("definition"),
        key("materialized"),
        key("with"),
        key("with_no_data"),
        key("using"),
        key("tablespace"),
        key("existing"),
        key("renamed_from"),
    ];
    let all = meta::drizzle_nodes(&input.attrs, issues);
    let nodes = meta::check_keys(&all, specs, "a view", issues);
    let find = |k: &str| nodes.iter().copied().find(|n| n.name() == k);
    let (name, span) = item_name(&nodes, input, issues);
    let schema = item_schema(&nodes, issues);
    let materialized = find("materialized").is_some_and(|n| take(meta::bare(n), issues).is_some());
    let existing = find("existing").is_some_and(|n| take(meta::bare(n), issues).is_some());
    let mut view = View {
        name: name.clone(),
        schema: schema.clone(),
        columns: IndexMap::new(),
        definition: find("definition").and_then(|n| take(meta::string(n), issues)),
        materialized,
        with: None,
        is_existing: existing,
        with_no_data: None,
        using: None,
        tablespace: None,
        comment: doc_comment(&input.attrs),
        renamed_from: find("renamed_from").and_then(|n| qualified_renamed_from(n, issues)),
    };
    // A malformed `definition` was reported already; only a missing one is reported here.
    if find("definition").is_none() && !existing {
        issues.push(
            Issue::new(
                input.ident.span(),
                format!("view `{name}` has no `definition`"),
                "missing definition",
            )
            .help("add `definition = \"select ...\"`, or `existing` for a view managed outside migrations"),
        );
    }
    if let (true, Some(n)) = (existing, find("definition")) {
        issues.push(
            Issue::new(
                n.key_span(),
                "an `existing` view is managed outside migrations and takes no `definition`",
                "not used",
            )
            .help("remove `definition` or `existing`"),
        );
    }
    for k in ["with_no_data", "using", "tablespace"] {
        let Some(n) = find(k) else { continue };
        if !materialized {
            issues.push(
                Issue::new(
                    n.key_span(),
                    format!("`{k}` applies to materialized views only"),
                    "not a materialized view",
                )
                .help("add `materialized`, or remove this key"),
            );
            continue;
        }
        match k {
            "with_no_data" => view.with_no_data = take(meta::bare(n), issues).map(|_| true),
            "using" => view.using = take(meta::string(n), issues),
            _ => view.tablespace = take(meta::string(n), issues),
        }
    }
    if let Some(n) = find("with") {
        let (own, other, what, other_what) = if materialized {
            (
                MATVIEW_WITH,
                VIEW_WITH,
                "a materialized view",
                "plain views",
            )
        } else {
            (VIEW_WITH, MATVIEW_WITH, "a view", "materialized views")
        };
        let mut map = IndexMap::new();
        for (k, v, s) in with_options(n, issues) {
            let Some((_, kind)) = own.iter().find(|(o, _)| *o == k) else {
                let mut issue = Issue::new(
                    s,
                    format!("`{k}` is not a `with(...)` option of {what}"),
                    "unknown option",
                );
                issue = if other.iter().any(|(o, _)| *o == k) {
                    issue.help(format!("`{k}` is an option of {other_what}"))
                } else if let Some(best) = did_you_mean(&k, own.iter().map(|(o, _)| *o)) {
                    issue.help(format!("did you mean `{best}`?"))
                } else {
                    issue.help(format!(
                        "options of {what}: {}",
                        own.iter().map(|(o, _)| *o).collect::<Vec<_>>().join(", ")
                    ))
                };
                issues.push(issue);
                continue;
            };
            let fits = matches!(
                (kind, &v),
                ('n', Literal::Number(_)) | ('b', Literal::Bool(_)) | ('s', Literal::Sql(_))
            );
            if !fits {
                let expected = match kind {
                    'n' => "a number",
                    'b' => "`true` or `false`",
                    _ => "a string",
                };
                issues.push(Issue::new(
                    s,
                    format!("`{k}` takes {expected}"),
                    "wrong value type",
                ));
                continue;
            }
            if k == "check_option"
                && let Literal::Sql(s2) = &v
                && s2 != "local"
                && s2 != "cascaded"
            {
                issues.push(Issue::new(
                    s,
                    format!("`check_option` is \"local\" or \"cascaded\", not \"{s2}\""),
                    "unknown value",
                ));
                continue;
            }
            map.insert(k.to_lower_camel_case(), v);
        }
        view.with = Some(map);
    }
    let rust = input.ident.to_string();
    let owner = Owner {
        rust: &rust,
        name: &name,
        schema: &schema,
        view: true,
    };
    for f in fields {
        if let Some(o) = build_field(f, &owner, ctx, issues) {
            view.columns.insert(o.column.name.clone(), o.column);
        }
    }
    Some((view, span))
}

/// Builds a standalone sequence.
pub(crate) fn build_sequence(
    input: &DeriveInput,
    issues: &mut Vec<Issue>,
) -> Option<(Sequence, Span)> {
    let unit = unit_struct(input, "Sequence", issues);
    let specs: &[KeySpec] = &[
        key("name"),
        key("schema"),
        key("start"),
        key("increment"),
        key("min_value"),
        key("max_value"),
        key("cache"),
        key("cycle"),
        key("renamed_from"),
    ];
    let all = meta::drizzle_nodes(&input.attrs, issues);
    let nodes = meta::check_keys(&all, specs, "a sequence", issues);
    let (name, span) = item_name(&nodes, input, issues);
    let schema = item_schema(&nodes, issues);
    let mut o = SequenceOptions::default();
    let mut renamed_from = None;
    for n in &nodes {
        match n.name() {
            "start" => o.start_with = take(meta::integer(n), issues),
            "increment" => o.increment = take(meta::integer(n), issues),
            "min_value" => o.min_value = take(meta::integer(n), issues),
            "max_value" => o.max_value = take(meta::integer(n), issues),
            "cache" => o.cache = take(meta::integer(n), issues),
            "cycle" => o.cycle = take(meta::flag(n), issues),
            "renamed_from" => renamed_from = qualified_renamed_from(n, issues),
            _ => {}
        }
    }
    if o.increment.as_deref() == Some("0") {
        issues.push(Issue::new(
            span,
            "a sequence's `increment` cannot be 0",
            "zero increment",
        ));
    }
    let negative = o.increment.as_deref().is_some_and(|i| i.starts_with('-'));
    let min = o.min_value.clone().unwrap_or_else(|| {
        if negative {
            "-9223372036854775808"
        } else {
            "1"
        }
        .into()
    });
    let max = o.max_value.clone().unwrap_or_else(|| {
        if negative {
            "-1"
        } else {
            "9223372036854775807"
        }
        .into()
    });
    let start = o
        .start_with
        .clone()
        .unwrap_or_else(|| if negative { max.clone() } else { min.clone() });
    if !unit {
        return None;
    }
    Some((
        Sequence {
            name,
            schema,
            options: SequenceOptions {
                increment: Some(o.increment.unwrap_or_else(|| "1".into())),
                min_value: Some(min),
                max_value: Some(max),
                start_with: Some(start),
                cache: Some(o.cache.unwrap_or_else(|| "1".into())),
                cycle: Some(o.cycle.unwrap_or(false)),
            },
            renamed_from,
        },
        span,
    ))
}

/// Builds a role; `None` for `existing` roles, which are not part of the model.
pub(crate) fn build_role(input: &DeriveInput, issues: &mut Vec<Issue>) -> Option<(Role, Span)> {
    let unit = unit_struct(input, "Role", issues);
    let specs: &[KeySpec] = &[
        key("name"),
        key("create_db"),
        key("create_role"),
        key("inherit"),
        key("existing"),
        key("renamed_from"),
    ];
    let all = meta::drizzle_nodes(&input.attrs, issues);
    let nodes = meta::check_keys(&all, specs, "a role", issues);
    let (name, span) = item_name(&nodes, input, issues);
    let mut role = Role {
        name,
        create_db: Some(false),
        create_role: Some(false),
        inherit: Some(true),
        renamed_from: None,
    };
    let mut existing = false;
    for n in &nodes {
        match n.name() {
            "create_db" => role.create_db = take(meta::flag(n), issues).or(Some(false)),
            "create_role" => role.create_role = take(meta::flag(n), issues).or(Some(false)),
            "inherit" => role.inherit = take(meta::flag(n), issues).or(Some(true)),
            "existing" => existing = take(meta::bare(n), issues).is_some(),
            "renamed_from" => {
                if let Some(v) = take(meta::string(n), issues) {
                    match unqualified_old_name(&v, "a role") {
                        Ok(v) => role.renamed_from = Some(v),
                        Err((m, h)) => issues.push(n.value_issue(m, "invalid name").help(h)),
                    }
                }
            }
            _ => {}
        }
    }
    (unit && !existing).then_some((role, span))
}

/// Builds a declared PostgreSQL schema.
pub(crate) fn build_schema(
    input: &DeriveInput,
    issues: &mut Vec<Issue>,
) -> Option<(SchemaDef, Span)> {
    let unit = unit_struct(input, "PgSchema", issues);
    let all = meta::drizzle_nodes(&input.attrs, issues);
    let nodes = meta::check_keys(
        &all,
        &[key("name"), key("renamed_from")],
        "a schema",
        issues,
    );
    let (name, span) = item_name(&nodes, input, issues);
    let mut def = SchemaDef {
        name,
        renamed_from: None,
    };
    if let Some(n) = nodes.iter().find(|n| n.name() == "renamed_from")
        && let Some(v) = take(meta::string(n), issues)
    {
        match unqualified_old_name(&v, "a schema") {
            Ok(v) => def.renamed_from = Some(v),
            Err((m, h)) => issues.push(n.value_issue(m, "invalid name").help(h)),
        }
    }
    unit.then_some((def, span))
}
