//! One statement per change, in drizzle-kit 0.31's exact text.

use drizzle_diff::{Change, CommentTarget, TableRef};
use drizzle_schema::{Enum, Literal, Policy, Role, Sequence, View};
use indexmap::IndexMap;

use crate::alter;
use crate::quote::{qualified, quote_ident, quote_literal, table_name};
use crate::table::{
    add_column, add_foreign_key, column_list, create_index, create_table, table_ref,
};

/// The statements for `change`, each including drizzle-kit's trailing `"\n"` where it has
/// one.
pub fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::RecreateEnum { enum_, columns } => alter::recreate_enum(enum_, columns),
        Change::AlterColumnType { table, from, to } => alter::alter_column_type(table, from, to),
        Change::AlterIdentity {
            table,
            column,
            from,
            to,
        } => alter::alter_identity(table, column, from, to),
        Change::RecreateColumn { table, column } => alter::recreate_column(table, column),
        Change::DropTable { table, policies } => {
            let on = table_ref(table);
            let mut out: Vec<String> = policies
                .iter()
                .map(|p| format!("DROP POLICY {} ON {on} CASCADE;", quote_ident(p)))
                .collect();
            out.push(format!("DROP TABLE {on} CASCADE;"));
            out
        }
        _ => vec![statement(change)],
    }
}

fn statement(change: &Change) -> String {
    match change {
        Change::CreateSchema { name } => format!("CREATE SCHEMA {};\n", quote_ident(name)),
        Change::CreateEnum(e) => create_enum(e),
        Change::AddEnumValue {
            schema,
            name,
            value,
            before,
        } => format!(
            "ALTER TYPE {} ADD VALUE {}{};",
            qualified(schema, name),
            quote_literal(value),
            before
                .as_ref()
                .map(|b| format!(" BEFORE {}", quote_literal(b)))
                .unwrap_or_default()
        ),
        Change::CreateSequence(s) => create_sequence(s),
        Change::CreateRole(r) => create_role(r),
        Change::CreateTable(t) => create_table(t),
        Change::EnableRls { table, .. } => {
            format!(
                "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
                table_ref(table)
            )
        }
        Change::AddPrimaryKey { table, primary_key } => format!(
            "ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY({});",
            table_ref(table),
            quote_ident(&primary_key.name),
            column_list(&primary_key.columns)
        ),
        Change::AddColumn { table, column } => add_column(table, column),
        Change::AddForeignKey {
            table, foreign_key, ..
        } => add_foreign_key(table, foreign_key),
        Change::CreateIndex { table, index, .. } => create_index(table, index),
        Change::AddUnique { table, unique } => format!(
            "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE{}({});",
            table_ref(table),
            quote_ident(&unique.name),
            if unique.nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            column_list(&unique.columns)
        ),
        Change::AddCheck { table, check } => format!(
            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({});",
            table_ref(table),
            quote_ident(&check.name),
            check.value
        ),
        Change::CreateView(v) => create_view(v),
        Change::CreatePolicy { table, policy } => create_policy(&table_ref(table), policy),
        // The differ guarantees `on` for linked policies.
        Change::CreateLinkedPolicy(policy) => {
            create_policy(policy.on.as_deref().unwrap_or_default(), policy)
        }
        Change::SetComment { target, comment } => set_comment(target, comment.as_deref()),
        Change::DropSchema { name } => format!("DROP SCHEMA {};\n", quote_ident(name)),
        Change::DropEnum { schema, name } => format!("DROP TYPE {};", qualified(schema, name)),
        Change::DropSequence { schema, name } => {
            format!("DROP SEQUENCE {};", qualified(schema, name))
        }
        Change::DropRole { name } => format!("DROP ROLE {};", quote_ident(name)),
        Change::DropTable { table, .. } => format!("DROP TABLE {} CASCADE;", table_ref(table)),
        Change::DropColumn { table, column } => format!(
            "ALTER TABLE {} DROP COLUMN {};",
            table_ref(table),
            quote_ident(column)
        ),
        // drizzle-kit ends only the foreign key drop with a newline.
        Change::DropForeignKey { table, name } => format!(
            "ALTER TABLE {} DROP CONSTRAINT {};\n",
            table_ref(table),
            quote_ident(name)
        ),
        Change::DropPrimaryKey { table, name }
        | Change::DropUnique { table, name }
        | Change::DropCheck { table, name } => format!(
            "ALTER TABLE {} DROP CONSTRAINT {};",
            table_ref(table),
            quote_ident(name)
        ),
        // Index names are schema-scoped; drizzle-kit qualifies them like tables.
        Change::DropIndex { table, name } => {
            format!("DROP INDEX {};", table_name(&table.schema, name))
        }
        Change::DropView {
            schema,
            name,
            materialized,
        } => format!(
            "DROP {}VIEW {};",
            if *materialized { "MATERIALIZED " } else { "" },
            qualified(schema, name)
        ),
        Change::DropPolicy { table, name } => format!(
            "DROP POLICY {} ON {} CASCADE;",
            quote_ident(name),
            table_ref(table)
        ),
        Change::DropLinkedPolicy { name, on } => {
            format!("DROP POLICY {} ON {on} CASCADE;", quote_ident(name))
        }
        Change::RenameSchema { from, to } => format!(
            "ALTER SCHEMA {} RENAME TO {};\n",
            quote_ident(from),
            quote_ident(to)
        ),
        Change::MoveEnum {
            name,
            from_schema,
            to_schema,
        } => format!(
            "ALTER TYPE {} SET SCHEMA {};",
            qualified(from_schema, name),
            quote_ident(to_schema)
        ),
        Change::RenameEnum { schema, from, to } => format!(
            "ALTER TYPE {} RENAME TO {};",
            qualified(schema, from),
            quote_ident(to)
        ),
        Change::RenameEnumValue {
            schema,
            name,
            from,
            to,
        } => format!(
            "ALTER TYPE {} RENAME VALUE {} TO {};",
            qualified(schema, name),
            quote_literal(from),
            quote_literal(to)
        ),
        Change::MoveSequence {
            name,
            from_schema,
            to_schema,
        } => format!(
            "ALTER SEQUENCE {} SET SCHEMA {};",
            qualified(from_schema, name),
            quote_ident(to_schema)
        ),
        Change::RenameSequence {
            schema, from, to, ..
        } => format!(
            "ALTER SEQUENCE {} RENAME TO {};",
            qualified(schema, from),
            quote_ident(to)
        ),
        Change::AlterSequence {
            schema,
            name,
            from,
            to,
        } => alter::alter_sequence(&qualified(schema, name), from, to),
        Change::RenameRole { from, to } => format!(
            "ALTER ROLE {} RENAME TO {};",
            quote_ident(from),
            quote_ident(to)
        ),
        Change::AlterRole(r) => alter_role(r),
        // drizzle-kit spells `public` out here and ends the statement with a newline.
        Change::MoveTable {
            name,
            from_schema,
            to_schema,
        } => format!(
            "ALTER TABLE {} SET SCHEMA {};\n",
            qualified(from_schema, name),
            quote_ident(to_schema)
        ),
        Change::RenameTable { schema, from, to } => format!(
            "ALTER TABLE {} RENAME TO {};",
            table_name(schema, from),
            quote_ident(to)
        ),
        Change::DisableRls { table } => format!(
            "ALTER TABLE {} DISABLE ROW LEVEL SECURITY;",
            table_ref(table)
        ),
        Change::RenameColumn { table, from, to } => format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            table_ref(table),
            quote_ident(from),
            quote_ident(to)
        ),
        Change::RenameConstraint {
            table, from, to, ..
        } => format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
            table_ref(table),
            quote_ident(from),
            quote_ident(to)
        ),
        Change::RenameIndex { table, from, to } => format!(
            "ALTER INDEX {} RENAME TO {};",
            table_name(&table.schema, from),
            quote_ident(to)
        ),
        Change::SetDefault {
            table,
            column,
            default,
        } => alter_column(table, column, &format!("SET DEFAULT {}", default.to_sql())),
        Change::DropDefault { table, column } => alter_column(table, column, "DROP DEFAULT"),
        Change::SetNotNull { table, column } => alter_column(table, column, "SET NOT NULL"),
        Change::DropNotNull { table, column } => alter_column(table, column, "DROP NOT NULL"),
        Change::AddIdentity {
            table,
            column,
            identity,
        } => alter::add_identity(table, column, identity),
        Change::DropIdentity { table, column } => alter_column(table, column, "DROP IDENTITY"),
        Change::DropGenerated { table, column } => alter_column(table, column, "DROP EXPRESSION"),
        Change::AddColumnPrimaryKey { table, columns } => format!(
            "ALTER TABLE {} ADD PRIMARY KEY ({});",
            table_ref(table),
            column_list(columns)
        ),
        // The name PostgreSQL gives a column-level primary key.
        Change::DropColumnPrimaryKey { table } => format!(
            "ALTER TABLE {} DROP CONSTRAINT {};",
            table_ref(table),
            quote_ident(&format!("{}_pkey", table.name))
        ),
        Change::RenamePolicy { table, from, to } => format!(
            "ALTER POLICY {} ON {} RENAME TO {};",
            quote_ident(from),
            table_ref(table),
            quote_ident(to)
        ),
        Change::AlterPolicy { table, policy } => alter_policy(&table_ref(table), policy),
        Change::RenameLinkedPolicy { on, from, to } => format!(
            "ALTER POLICY {} ON {on} RENAME TO {};",
            quote_ident(from),
            quote_ident(to)
        ),
        Change::AlterLinkedPolicy(policy) => {
            alter_policy(policy.on.as_deref().unwrap_or_default(), policy)
        }
        Change::MoveView {
            name,
            from_schema,
            to_schema,
            materialized,
        } => format!(
            "ALTER {}VIEW {} SET SCHEMA {};",
            materialized_word(*materialized),
            qualified(from_schema, name),
            quote_ident(to_schema)
        ),
        Change::RenameView {
            schema,
            from,
            to,
            materialized,
        } => format!(
            "ALTER {}VIEW {} RENAME TO {};",
            materialized_word(*materialized),
            qualified(schema, from),
            quote_ident(to)
        ),
        Change::SetViewOptions {
            schema,
            name,
            materialized,
            options,
        } => format!(
            "ALTER {}VIEW {} SET ({});",
            materialized_word(*materialized),
            qualified(schema, name),
            view_options(options)
        ),
        Change::ResetViewOptions {
            schema,
            name,
            materialized,
            options,
        } => format!(
            "ALTER {}VIEW {} RESET ({});",
            materialized_word(*materialized),
            qualified(schema, name),
            options
                .iter()
                .map(|k| snake_case(k))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Change::SetViewTablespace {
            schema,
            name,
            tablespace,
        } => format!(
            "ALTER MATERIALIZED VIEW {} SET TABLESPACE {tablespace};",
            qualified(schema, name)
        ),
        Change::SetViewAccessMethod {
            schema,
            name,
            method,
        } => format!(
            "ALTER MATERIALIZED VIEW {} SET ACCESS METHOD {};",
            qualified(schema, name),
            quote_ident(method)
        ),
        Change::RecreateEnum { .. }
        | Change::AlterColumnType { .. }
        | Change::AlterIdentity { .. }
        | Change::RecreateColumn { .. } => {
            unreachable!("multi-statement changes are rendered by `statements`")
        }
    }
}

fn materialized_word(materialized: bool) -> &'static str {
    if materialized { "MATERIALIZED " } else { "" }
}

fn alter_column(table: &TableRef, column: &str, action: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {action};",
        table_ref(table),
        quote_ident(column)
    )
}

fn alter_role(r: &Role) -> String {
    let flag = |on: bool, yes: &'static str, no: &'static str| if on { yes } else { no };
    format!(
        "ALTER ROLE {} WITH {} {} {};",
        quote_ident(&r.name),
        flag(r.create_db.unwrap_or(false), "CREATEDB", "NOCREATEDB"),
        flag(r.create_role.unwrap_or(false), "CREATEROLE", "NOCREATEROLE"),
        flag(r.inherit.unwrap_or(true), "INHERIT", "NOINHERIT")
    )
}

/// `ALTER POLICY ... TO ...`: drizzle-kit lists the roles unquoted and comma-joined, which
/// is right for plain lowercase names; other names are quoted.
fn alter_policy(on: &str, p: &Policy) -> String {
    let roles: Vec<String> =
        p.to.clone()
            .unwrap_or_else(|| vec!["public".to_owned()])
            .iter()
            .map(|r| {
                let plain = r
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                    && r.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if plain { r.clone() } else { quote_ident(r) }
            })
            .collect();
    let mut s = format!(
        "ALTER POLICY {} ON {on} TO {}",
        quote_ident(&p.name),
        roles.join(",")
    );
    if let Some(using) = &p.using {
        s.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({check})"));
    }
    s.push(';');
    s
}

fn view_options(options: &IndexMap<String, Literal>) -> String {
    let mut sorted: Vec<(&String, &Literal)> = options.iter().collect();
    sorted.sort_by_key(|(k, _)| view_option_rank(k));
    sorted
        .into_iter()
        .map(|(k, v)| format!("{} = {}", snake_case(k), v.to_sql()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn view_option_rank(key: &str) -> usize {
    VIEW_OPTION_ORDER
        .iter()
        .position(|o| *o == key)
        .unwrap_or(VIEW_OPTION_ORDER.len())
}

/// `CREATE TYPE ... AS ENUM (...)`.
pub fn create_enum(e: &Enum) -> String {
    let values: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM({});",
        qualified(&e.schema, &e.name),
        values.join(", ")
    )
}

fn create_sequence(s: &Sequence) -> String {
    let o = &s.options;
    let mut out = format!("CREATE SEQUENCE {}", qualified(&s.schema, &s.name));
    for (clause, value) in [
        ("INCREMENT BY", &o.increment),
        ("MINVALUE", &o.min_value),
        ("MAXVALUE", &o.max_value),
        ("START WITH", &o.start_with),
        ("CACHE", &o.cache),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            out.push_str(&format!(" {clause} {v}"));
        }
    }
    if o.cycle == Some(true) {
        out.push_str(" CYCLE");
    }
    out.push(';');
    out
}

fn create_role(r: &Role) -> String {
    let create_db = r.create_db.unwrap_or(false);
    let create_role = r.create_role.unwrap_or(false);
    let inherit = r.inherit.unwrap_or(true);
    let mut s = format!("CREATE ROLE {}", quote_ident(&r.name));
    if create_db || create_role || !inherit {
        s.push_str(" WITH");
        if create_db {
            s.push_str(" CREATEDB");
        }
        if create_role {
            s.push_str(" CREATEROLE");
        }
        if !inherit {
            s.push_str(" NOINHERIT");
        }
    }
    s.push(';');
    s
}

/// View options in the order of drizzle-kit's zod shapes, which is the order it prints
/// them in whatever order they were declared.
const VIEW_OPTION_ORDER: &[&str] = &[
    "checkOption",
    "securityBarrier",
    "securityInvoker",
    "fillfactor",
    "toastTupleTarget",
    "parallelWorkers",
    "autovacuumEnabled",
    "vacuumIndexCleanup",
    "vacuumTruncate",
    "autovacuumVacuumThreshold",
    "autovacuumVacuumScaleFactor",
    "autovacuumVacuumCostDelay",
    "autovacuumVacuumCostLimit",
    "autovacuumFreezeMinAge",
    "autovacuumFreezeMaxAge",
    "autovacuumFreezeTableAge",
    "autovacuumMultixactFreezeMinAge",
    "autovacuumMultixactFreezeMaxAge",
    "autovacuumMultixactFreezeTableAge",
    "logAutovacuumMinDuration",
    "userCatalogTable",
];

fn create_view(v: &View) -> String {
    let mut s = format!(
        "CREATE {}VIEW {}",
        if v.materialized { "MATERIALIZED " } else { "" },
        qualified(&v.schema, &v.name)
    );
    if let Some(using) = &v.using {
        s.push_str(&format!(" USING {}", quote_ident(using)));
    }
    if let Some(with) = v.with.as_ref().filter(|w| !w.is_empty()) {
        s.push_str(&format!(" WITH ({})", view_options(with)));
    }
    if let Some(tablespace) = &v.tablespace {
        s.push_str(&format!(" TABLESPACE {tablespace}"));
    }
    s.push_str(&format!(
        " AS ({})",
        v.definition.as_deref().unwrap_or_default()
    ));
    if v.with_no_data == Some(true) {
        s.push_str(" WITH NO DATA");
    }
    s.push(';');
    s
}

fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Role names PostgreSQL treats as keywords in `TO`; drizzle-kit leaves them unquoted.
const ROLE_KEYWORDS: &[&str] = &["current_user", "current_role", "session_user", "public"];

fn create_policy(on: &str, p: &Policy) -> String {
    let to: Vec<String> = match &p.to {
        Some(roles) => roles
            .iter()
            .map(|r| {
                if ROLE_KEYWORDS.contains(&r.as_str()) {
                    r.clone()
                } else {
                    quote_ident(r)
                }
            })
            .collect(),
        None => vec!["public".to_owned()],
    };
    let mut s = format!(
        "CREATE POLICY {} ON {on} AS {} FOR {} TO {}",
        quote_ident(&p.name),
        p.as_.as_deref().unwrap_or("PERMISSIVE").to_uppercase(),
        p.for_.as_deref().unwrap_or("ALL").to_uppercase(),
        to.join(", ")
    );
    if let Some(using) = &p.using {
        s.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({check})"));
    }
    s.push(';');
    s
}

fn set_comment(target: &CommentTarget, comment: Option<&str>) -> String {
    let object = match target {
        CommentTarget::Table(t) => format!("TABLE {}", table_ref(t)),
        CommentTarget::Column { table, column } => {
            format!("COLUMN {}.{}", table_ref(table), quote_ident(column))
        }
        CommentTarget::View {
            schema,
            name,
            materialized,
        } => format!(
            "{}VIEW {}",
            if *materialized { "MATERIALIZED " } else { "" },
            qualified(schema, name)
        ),
        CommentTarget::Enum { schema, name } => format!("TYPE {}", qualified(schema, name)),
    };
    let text = comment.map_or_else(|| "NULL".to_owned(), quote_literal);
    format!("COMMENT ON {object} IS {text};")
}
