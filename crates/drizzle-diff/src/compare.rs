//! Plain-word descriptions of how an existing object changed. An empty list means the
//! object is unchanged as far as the database is concerned.

use drizzle_schema::{
    CheckConstraint, Column, ForeignKey, Identity, IdentityKind, Index, Literal, Policy,
    PrimaryKey, Role, SequenceOptions, UniqueConstraint, View,
};

/// How `old` became `new`, one phrase per differing attribute.
pub fn column(old: &Column, new: &Column) -> Vec<String> {
    let mut out = Vec::new();
    let (old_type, new_type) = (type_text(old), type_text(new));
    // drizzle-kit writes `timestamp (3)` for mode "date" and `timestamp(3)` otherwise;
    // both are the same type.
    if old_type.replace(" (", "(") != new_type.replace(" (", "(") {
        out.push(format!("changed type {old_type} -> {new_type}"));
    }
    if old.not_null != new.not_null {
        out.push(if new.not_null {
            "became NOT NULL".to_owned()
        } else {
            "became nullable".to_owned()
        });
    }
    if old.default != new.default {
        out.push(match (&old.default, &new.default) {
            (None, Some(d)) => format!("got default {}", d.to_sql()),
            (Some(d), None) => format!("lost default {}", d.to_sql()),
            (Some(a), Some(b)) => format!("changed default {} -> {}", a.to_sql(), b.to_sql()),
            (None, None) => unreachable!("defaults differ"),
        });
    }
    if old.primary_key != new.primary_key {
        out.push(if new.primary_key {
            "became the primary key".to_owned()
        } else {
            "is no longer the primary key".to_owned()
        });
    }
    if old.generated != new.generated {
        out.push(match (&old.generated, &new.generated) {
            (None, Some(g)) => format!("became generated as ({})", g.expression),
            (Some(_), None) => "is no longer generated".to_owned(),
            (Some(a), Some(b)) => format!(
                "changed generated expression ({}) -> ({})",
                a.expression, b.expression
            ),
            (None, None) => unreachable!("generated differs"),
        });
    }
    if old.identity != new.identity {
        out.push(match (&old.identity, &new.identity) {
            (None, Some(i)) => format!("became an identity column ({})", identity_text(i)),
            (Some(_), None) => "is no longer an identity column".to_owned(),
            (Some(a), Some(b)) => format!(
                "changed identity ({}) -> ({})",
                identity_text(a),
                identity_text(b)
            ),
            (None, None) => unreachable!("identity differs"),
        });
    }
    if old.legacy_unique != new.legacy_unique {
        out.push("changed its column-level unique setting".to_owned());
    }
    if old.comment.is_some() && old.comment != new.comment {
        out.push(comment_change(&old.comment, &new.comment));
    }
    out
}

/// The phrase for a comment that changed or disappeared.
pub fn comment_change(old: &Option<String>, new: &Option<String>) -> String {
    match new {
        Some(_) => format!("changed comment (was {:?})", old.as_deref().unwrap_or("")),
        None => "lost its comment".to_owned(),
    }
}

fn type_text(c: &Column) -> String {
    match &c.type_schema {
        Some(schema) if schema != drizzle_schema::PUBLIC => format!("{schema}.{}", c.sql_type),
        _ => c.sql_type.clone(),
    }
}

fn identity_text(i: &Identity) -> String {
    let kind = match i.kind {
        IdentityKind::Always => "always",
        IdentityKind::ByDefault => "by default",
    };
    format!(
        "{kind}, sequence {}.{}{}",
        i.schema,
        i.name,
        options_text(&i.options)
    )
}

fn options_text(o: &SequenceOptions) -> String {
    let mut s = String::new();
    for (label, value) in [
        ("increment", &o.increment),
        ("min", &o.min_value),
        ("max", &o.max_value),
        ("start", &o.start_with),
        ("cache", &o.cache),
    ] {
        if let Some(v) = value {
            s.push_str(&format!(", {label} {v}"));
        }
    }
    if o.cycle == Some(true) {
        s.push_str(", cycle");
    }
    s
}

/// Sequence options, compared the way drizzle-kit squashes them.
pub fn sequence_options(old: &SequenceOptions, new: &SequenceOptions) -> Vec<String> {
    if normalized_cycle(old) == normalized_cycle(new) {
        Vec::new()
    } else {
        vec![format!(
            "changed options ({}) -> ({})",
            options_text(old).trim_start_matches(", "),
            options_text(new).trim_start_matches(", ")
        )]
    }
}

fn normalized_cycle(o: &SequenceOptions) -> SequenceOptions {
    SequenceOptions {
        cycle: Some(o.cycle.unwrap_or(false)),
        ..o.clone()
    }
}

/// Role attributes, with absent flags read as PostgreSQL's defaults.
pub fn role(old: &Role, new: &Role) -> Vec<String> {
    let mut out = Vec::new();
    for (label, a, b, default) in [
        ("CREATEDB", old.create_db, new.create_db, false),
        ("CREATEROLE", old.create_role, new.create_role, false),
        ("INHERIT", old.inherit, new.inherit, true),
    ] {
        let (a, b) = (a.unwrap_or(default), b.unwrap_or(default));
        if a != b {
            out.push(format!("changed {label} {a} -> {b}"));
        }
    }
    out
}

/// Index definitions. `CONCURRENTLY` is how an index is built, not what it is, so
/// flipping it changes nothing in the database.
pub fn index(old: &Index, new: &Index) -> Vec<String> {
    let mut out = Vec::new();
    if old.columns != new.columns {
        out.push(format!(
            "changed keys ({}) -> ({})",
            index_keys(old),
            index_keys(new)
        ));
    }
    if old.is_unique != new.is_unique {
        out.push(
            if new.is_unique {
                "became unique"
            } else {
                "is no longer unique"
            }
            .to_owned(),
        );
    }
    if old.where_clause != new.where_clause {
        out.push(format!(
            "changed WHERE {} -> {}",
            old.where_clause.as_deref().unwrap_or("(none)"),
            new.where_clause.as_deref().unwrap_or("(none)")
        ));
    }
    if old.method != new.method {
        out.push(format!("changed method {} -> {}", old.method, new.method));
    }
    let empty = indexmap::IndexMap::new();
    if old.with.as_ref().unwrap_or(&empty) != new.with.as_ref().unwrap_or(&empty) {
        out.push("changed storage options".to_owned());
    }
    out
}

fn index_keys(index: &Index) -> String {
    index
        .columns
        .iter()
        .map(|c| {
            let mut s = c.expression.clone();
            if !c.asc {
                s.push_str(" desc");
            }
            if let Some(nulls) = &c.nulls {
                s.push_str(&format!(" nulls {nulls}"));
            }
            if let Some(opclass) = &c.opclass {
                s.push_str(&format!(" {opclass}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Foreign key definitions (an absent target schema is `public`).
pub fn foreign_key(old: &ForeignKey, new: &ForeignKey) -> Vec<String> {
    let target = |fk: &ForeignKey| {
        format!(
            "{}.{}({})",
            fk.schema_to.as_deref().unwrap_or(drizzle_schema::PUBLIC),
            fk.table_to,
            fk.columns_to.join(", ")
        )
    };
    let mut out = Vec::new();
    if old.columns_from != new.columns_from {
        out.push(format!(
            "changed columns ({}) -> ({})",
            old.columns_from.join(", "),
            new.columns_from.join(", ")
        ));
    }
    if target(old) != target(new) {
        out.push(format!(
            "now references {} instead of {}",
            target(new),
            target(old)
        ));
    }
    for (clause, a, b) in [
        ("ON DELETE", &old.on_delete, &new.on_delete),
        ("ON UPDATE", &old.on_update, &new.on_update),
    ] {
        if a != b {
            out.push(format!(
                "changed {clause} {} -> {}",
                a.as_deref().unwrap_or("(none)"),
                b.as_deref().unwrap_or("(none)")
            ));
        }
    }
    out
}

/// Composite primary keys.
pub fn primary_key(old: &PrimaryKey, new: &PrimaryKey) -> Vec<String> {
    differs(
        old.columns == new.columns,
        &format!(
            "changed columns ({}) -> ({})",
            old.columns.join(", "),
            new.columns.join(", ")
        ),
    )
}

/// Unique constraints.
pub fn unique(old: &UniqueConstraint, new: &UniqueConstraint) -> Vec<String> {
    let mut out = differs(
        old.columns == new.columns,
        &format!(
            "changed columns ({}) -> ({})",
            old.columns.join(", "),
            new.columns.join(", ")
        ),
    );
    if old.nulls_not_distinct != new.nulls_not_distinct {
        out.push(
            if new.nulls_not_distinct {
                "became NULLS NOT DISTINCT"
            } else {
                "is no longer NULLS NOT DISTINCT"
            }
            .to_owned(),
        );
    }
    out
}

/// Check constraints.
pub fn check(old: &CheckConstraint, new: &CheckConstraint) -> Vec<String> {
    differs(
        old.value == new.value,
        &format!("changed ({}) -> ({})", old.value, new.value),
    )
}

/// Policies, with absent fields read as drizzle-kit's defaults.
pub fn policy(old: &Policy, new: &Policy) -> Vec<String> {
    let as_ = |p: &Policy| p.as_.clone().unwrap_or_else(|| "PERMISSIVE".to_owned());
    let for_ = |p: &Policy| p.for_.clone().unwrap_or_else(|| "ALL".to_owned());
    let to = |p: &Policy| {
        p.to.clone()
            .unwrap_or_else(|| vec!["public".to_owned()])
            .join(", ")
    };
    let mut out = Vec::new();
    for (label, a, b) in [
        ("AS", as_(old), as_(new)),
        ("FOR", for_(old), for_(new)),
        ("TO", to(old), to(new)),
    ] {
        if a != b {
            out.push(format!("changed {label} {a} -> {b}"));
        }
    }
    for (label, a, b) in [
        ("USING", &old.using, &new.using),
        ("WITH CHECK", &old.with_check, &new.with_check),
        ("target table", &old.on, &new.on),
    ] {
        if a != b {
            out.push(format!(
                "changed {label} {} -> {}",
                a.as_deref().unwrap_or("(none)"),
                b.as_deref().unwrap_or("(none)")
            ));
        }
    }
    out
}

/// Views (existing views are compared only on being existing).
pub fn view(old: &View, new: &View) -> Vec<String> {
    if old.is_existing != new.is_existing {
        return vec![if new.is_existing {
            "became an existing (unmanaged) view".to_owned()
        } else {
            "is no longer an existing (unmanaged) view".to_owned()
        }];
    }
    if new.is_existing {
        return Vec::new();
    }
    let mut out = Vec::new();
    if old.materialized != new.materialized {
        out.push("changed between view and materialized view".to_owned());
    }
    if old.definition != new.definition {
        out.push("changed definition".to_owned());
    }
    let empty = indexmap::IndexMap::<String, Literal>::new();
    let (old_with, new_with) = (
        old.with.as_ref().unwrap_or(&empty),
        new.with.as_ref().unwrap_or(&empty),
    );
    // Option order does not matter to PostgreSQL.
    if old_with.len() != new_with.len() || old_with.iter().any(|(k, v)| new_with.get(k) != Some(v))
    {
        out.push("changed options".to_owned());
    }
    if old.with_no_data.unwrap_or(false) != new.with_no_data.unwrap_or(false) {
        out.push("changed WITH NO DATA".to_owned());
    }
    if old.using != new.using {
        out.push("changed access method".to_owned());
    }
    if old.tablespace != new.tablespace {
        out.push("changed tablespace".to_owned());
    }
    if old.comment.is_some() && old.comment != new.comment {
        out.push(comment_change(&old.comment, &new.comment));
    }
    out
}

fn differs(same: bool, what: &str) -> Vec<String> {
    if same {
        Vec::new()
    } else {
        vec![what.to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_precision_spellings_are_the_same_type() {
        let old = Column::new("t", "timestamp (3)");
        let new = Column::new("t", "timestamp(3)");
        assert_eq!(column(&old, &new), Vec::<String>::new());
    }

    #[test]
    fn every_changed_attribute_is_named() {
        let old = Column::new("name", "text");
        let mut new = Column::new("name", "varchar(20)");
        new.not_null = true;
        new.default = Some(Literal::Sql("'x'".into()));
        insta::assert_debug_snapshot!(column(&old, &new));
    }

    #[test]
    fn role_defaults_are_read_as_postgres_does() {
        let mut old = Role {
            name: "r".into(),
            create_db: None,
            create_role: None,
            inherit: None,
            renamed_from: None,
        };
        let mut new = old.clone();
        new.create_db = Some(false);
        new.inherit = Some(true);
        assert!(role(&old, &new).is_empty());
        old.inherit = Some(false);
        assert_eq!(role(&old, &new), vec!["changed INHERIT false -> true"]);
    }
}
