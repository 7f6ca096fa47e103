//! Rendering of hand-built schemas: every statement kind, checked as whole migrations.

use drizzle_diff::{Creation, Renames};
use drizzle_schema::{
    CheckConstraint, Column, Enum, ForeignKey, Generated, Identity, IdentityKind, Index,
    IndexColumn, Literal, OldName, Policy, PrimaryKey, Role, Schema, SchemaDef, Sequence,
    SequenceOptions, Table, UniqueConstraint, View,
};
use indexmap::IndexMap;

use crate::{join_statements, render};

fn diff(from: &Schema, to: &Schema) -> Result<Vec<drizzle_diff::Change>, drizzle_diff::DiffError> {
    drizzle_diff::diff(from, to, &Renames::new())
}

fn key_col(name: &str) -> IndexColumn {
    IndexColumn {
        expression: name.into(),
        is_expression: false,
        asc: true,
        nulls: Some("last".into()),
        opclass: None,
    }
}

fn index(name: &str, columns: Vec<IndexColumn>) -> Index {
    Index {
        name: name.into(),
        columns,
        is_unique: false,
        where_clause: None,
        concurrently: false,
        method: "btree".into(),
        with: Some(IndexMap::new()),
    }
}

fn fk(name: &str, from: (&str, &[&str]), to: (Option<&str>, &str, &[&str])) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        table_from: from.0.into(),
        columns_from: from.1.iter().map(|s| s.to_string()).collect(),
        table_to: to.1.into(),
        schema_to: to.0.map(Into::into),
        columns_to: to.2.iter().map(|s| s.to_string()).collect(),
        on_update: Some("no action".into()),
        on_delete: Some("cascade".into()),
    }
}

fn policy(name: &str) -> Policy {
    Policy {
        name: name.into(),
        as_: Some("PERMISSIVE".into()),
        for_: Some("SELECT".into()),
        to: Some(vec!["public".into()]),
        using: Some("true".into()),
        with_check: None,
        on: None,
        schema: None,
        renamed_from: None,
    }
}

fn seq_options(increment: &str, min: &str, max: &str, start: &str) -> SequenceOptions {
    SequenceOptions {
        increment: Some(increment.into()),
        min_value: Some(min.into()),
        max_value: Some(max.into()),
        start_with: Some(start.into()),
        cache: Some("1".into()),
        cycle: Some(false),
    }
}

fn col(name: &str, ty: &str, f: impl FnOnce(&mut Column)) -> Column {
    let mut c = Column::new(name, ty);
    f(&mut c);
    c
}

fn table(schema: &str, name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(schema, name);
    t.columns = columns.into_iter().map(|c| (c.name.clone(), c)).collect();
    t
}

fn view(schema: &str, name: &str, definition: &str) -> View {
    View {
        name: name.into(),
        schema: schema.into(),
        columns: IndexMap::new(),
        definition: Some(definition.into()),
        materialized: false,
        with: None,
        is_existing: false,
        with_no_data: None,
        using: None,
        tablespace: None,
        comment: None,
        renamed_from: None,
    }
}

/// A schema using every kind of object generate can create.
fn full_schema() -> Schema {
    let mut s = Schema::default();
    s.schemas.insert(
        "app".into(),
        SchemaDef {
            name: "app".into(),
            renamed_from: None,
        },
    );
    s.enums.insert(
        "public.role".into(),
        Enum {
            name: "role".into(),
            schema: "public".into(),
            values: vec!["admin".into(), "user".into()],
            value_renames: IndexMap::new(),
            comment: Some("Who may do what".into()),
            renamed_from: None,
        },
    );
    s.enums.insert(
        "app.status".into(),
        Enum {
            name: "status".into(),
            schema: "app".into(),
            values: vec!["draft".into(), "it's live".into()],
            value_renames: IndexMap::new(),
            comment: None,
            renamed_from: None,
        },
    );
    s.sequences.insert(
        "app.order_no".into(),
        Sequence {
            name: "order_no".into(),
            schema: "app".into(),
            options: SequenceOptions {
                cycle: Some(true),
                ..seq_options("5", "10", "100000", "100")
            },
            renamed_from: None,
        },
    );
    s.roles.insert(
        "reader".into(),
        Role {
            name: "reader".into(),
            create_db: Some(false),
            create_role: Some(false),
            inherit: Some(true),
            renamed_from: None,
        },
    );
    s.roles.insert(
        "admin".into(),
        Role {
            name: "admin".into(),
            create_db: Some(true),
            create_role: None,
            inherit: Some(false),
            renamed_from: None,
        },
    );

    let mut users = table(
        "public",
        "users",
        vec![
            col("id", "serial", |c| {
                c.primary_key = true;
                c.not_null = true;
            }),
            col("email", "varchar(255)", |c| c.not_null = true),
            col("role", "role", |c| {
                c.type_schema = Some("public".into());
                c.not_null = true;
                c.default = Some(Literal::Sql("'user'".into()));
            }),
            col("ip", "inet", |_| {}),
            col("score", "integer", |c| {
                c.default = Some(Literal::Number("0".into()))
            }),
            col("active", "boolean", |c| {
                c.default = Some(Literal::Bool(true))
            }),
            col("ticket", "integer", |c| {
                c.not_null = true;
                c.identity = Some(Identity {
                    kind: IdentityKind::ByDefault,
                    name: "users_ticket_seq".into(),
                    schema: "public".into(),
                    options: seq_options("1", "1", "2147483647", "1"),
                });
            }),
            col("doubled", "integer", |c| {
                c.generated = Some(Generated {
                    expression: "\"users\".\"score\" * 2".into(),
                })
            }),
            col("bio", "text", |c| {
                c.comment = Some("Shown on the profile; it's public".into())
            }),
        ],
    );
    users.unique_constraints.insert(
        "users_email_unique".into(),
        UniqueConstraint {
            name: "users_email_unique".into(),
            columns: vec!["email".into()],
            nulls_not_distinct: false,
        },
    );
    users.check_constraints.insert(
        "score_positive".into(),
        CheckConstraint {
            name: "score_positive".into(),
            value: "\"users\".\"score\" >= 0".into(),
        },
    );
    users.policies.insert("users_read".into(), {
        let mut p = policy("users_read");
        p.to = Some(vec!["current_user".into(), "reader".into()]);
        p.with_check = Some("\"users\".\"active\"".into());
        p
    });
    users.comment = Some("People who sign in".into());
    let mut lower_email = index(
        "users_lower_email_idx",
        vec![IndexColumn {
            expression: "lower(\"email\")".into(),
            is_expression: true,
            asc: true,
            nulls: Some("last".into()),
            opclass: None,
        }],
    );
    lower_email.is_unique = true;
    users.indexes.insert(lower_email.name.clone(), lower_email);

    let mut posts = table(
        "app",
        "posts",
        vec![
            col("author_id", "integer", |c| c.not_null = true),
            col("slug", "text", |c| c.not_null = true),
            col("status", "status[]", |c| c.type_schema = Some("app".into())),
            col("parent_slug", "text", |_| {}),
            col("parent_author", "integer", |_| {}),
            col("ticket", "integer", |c| {
                c.not_null = true;
                c.identity = Some(Identity {
                    kind: IdentityKind::Always,
                    name: "posts_ticket_seq".into(),
                    schema: "app".into(),
                    options: SequenceOptions {
                        cycle: Some(true),
                        ..seq_options("-1", "-32768", "-1", "-1")
                    },
                });
            }),
        ],
    );
    posts.composite_primary_keys.insert(
        "posts_author_id_slug_pk".into(),
        PrimaryKey {
            name: "posts_author_id_slug_pk".into(),
            columns: vec!["author_id".into(), "slug".into()],
        },
    );
    posts.unique_constraints.insert(
        "posts_slug_nnd".into(),
        UniqueConstraint {
            name: "posts_slug_nnd".into(),
            columns: vec!["slug".into(), "status".into()],
            nulls_not_distinct: true,
        },
    );
    posts.foreign_keys.insert(
        "posts_author_id_users_id_fk".into(),
        fk(
            "posts_author_id_users_id_fk",
            ("posts", &["author_id"]),
            (None, "users", &["id"]),
        ),
    );
    posts.foreign_keys.insert("posts_parent_fk".into(), {
        let mut f = fk(
            "posts_parent_fk",
            ("posts", &["parent_author", "parent_slug"]),
            (Some("app"), "posts", &["author_id", "slug"]),
        );
        f.on_delete = Some("set null".into());
        f
    });
    let mut ordered = index(
        "posts_ordered_idx",
        vec![
            IndexColumn {
                asc: false,
                nulls: Some("last".into()),
                ..key_col("slug")
            },
            IndexColumn {
                nulls: Some("first".into()),
                ..key_col("author_id")
            },
            IndexColumn {
                asc: false,
                nulls: Some("first".into()),
                ..key_col("ticket")
            },
        ],
    );
    ordered.concurrently = true;
    posts.indexes.insert(ordered.name.clone(), ordered);
    let mut trgm = index(
        "posts_slug_trgm_idx",
        vec![IndexColumn {
            opclass: Some("gin_trgm_ops".into()),
            asc: false,
            ..key_col("slug")
        }],
    );
    trgm.method = "gin".into();
    trgm.with = Some(IndexMap::from([
        ("fillfactor".to_owned(), Literal::Number("70".into())),
        ("fastupdate".to_owned(), Literal::Bool(false)),
    ]));
    trgm.where_clause = Some("\"app\".\"posts\".\"author_id\" > 5".into());
    posts.indexes.insert(trgm.name.clone(), trgm);

    let mut audit = table("public", "audit", vec![col("at", "timestamp (3)", |_| {})]);
    audit.rls_enabled = true;

    s.tables.insert(posts.key(), posts);
    s.tables.insert(users.key(), users);
    s.tables.insert(audit.key(), audit);

    let mut opts = view(
        "public",
        "active_users",
        "select \"id\" from \"users\" where \"active\"",
    );
    opts.with = Some(IndexMap::from([
        ("securityInvoker".to_owned(), Literal::Bool(true)),
        ("checkOption".to_owned(), Literal::Sql("cascaded".into())),
    ]));
    opts.comment = Some("Users who can sign in".into());
    s.views.insert("public.active_users".into(), opts);
    let mut totals = view("app", "totals", "select count(*) from \"app\".\"posts\"");
    totals.materialized = true;
    totals.using = Some("heap".into());
    totals.tablespace = Some("pg_default".into());
    totals.with_no_data = Some(true);
    totals.with = Some(IndexMap::from([
        ("autovacuumEnabled".to_owned(), Literal::Bool(false)),
        ("fillfactor".to_owned(), Literal::Number("90".into())),
    ]));
    s.views.insert("app.totals".into(), totals);
    let mut legacy = view("public", "legacy", "select 1");
    legacy.is_existing = true;
    legacy.definition = None;
    s.views.insert("public.legacy".into(), legacy);

    s.policies.insert("outside_read".into(), {
        let mut p = policy("outside_read");
        p.as_ = Some("RESTRICTIVE".into());
        p.for_ = Some("ALL".into());
        p.to = Some(vec!["admin".into()]);
        p.on = Some("\"auth\".\"users\"".into());
        p.schema = Some("auth".into());
        p
    });
    s
}

#[test]
fn creating_every_kind_of_object() {
    let changes = diff(&Schema::default(), &full_schema()).unwrap();
    insta::assert_snapshot!(join_statements(&render(&changes), true));
}

#[test]
fn adding_to_existing_objects() {
    let from = full_schema();
    let mut to = from.clone();
    to.enums.get_mut("public.role").unwrap().values = vec![
        "owner".into(),
        "admin".into(),
        "editor".into(),
        "user".into(),
        "guest".into(),
    ];
    let users = to.tables.get_mut("public.users").unwrap();
    users.columns.insert(
        "team_id".into(),
        col("team_id", "integer", |c| {
            c.comment = Some("Owning team".into());
        }),
    );
    users.columns.insert(
        "seq".into(),
        col("seq", "bigint", |c| {
            c.not_null = true;
            c.identity = Some(Identity {
                kind: IdentityKind::Always,
                name: "users_seq_seq".into(),
                schema: "public".into(),
                options: seq_options("1", "1", "9223372036854775807", "1"),
            });
        }),
    );
    users.foreign_keys.insert(
        "users_team_id_teams_id_fk".into(),
        fk(
            "users_team_id_teams_id_fk",
            ("users", &["team_id"]),
            (None, "teams", &["id"]),
        ),
    );
    users.indexes.insert(
        "users_team_idx".into(),
        index("users_team_idx", vec![key_col("team_id")]),
    );
    users.unique_constraints.insert(
        "users_team_email_unique".into(),
        UniqueConstraint {
            name: "users_team_email_unique".into(),
            columns: vec!["team_id".into(), "email".into()],
            nulls_not_distinct: true,
        },
    );
    users.check_constraints.insert(
        "team_positive".into(),
        CheckConstraint {
            name: "team_positive".into(),
            value: "\"users\".\"team_id\" > 0".into(),
        },
    );
    users.policies.insert("users_admin".into(), {
        let mut p = policy("users_admin");
        p.for_ = Some("ALL".into());
        p.to = Some(vec!["admin".into()]);
        p
    });
    let columns = vec![col("id", "integer", |c| {
        c.primary_key = true;
        c.not_null = true;
    })];
    let mut teams = table("billing", "teams", columns);
    teams
        .policies
        .insert("teams_read".into(), policy("teams_read"));
    to.tables.insert(teams.key(), teams);
    let audit = to.tables.get_mut("public.audit").unwrap();
    audit.composite_primary_keys.insert(
        "audit_at_pk".into(),
        PrimaryKey {
            name: "audit_at_pk".into(),
            columns: vec!["at".into()],
        },
    );
    audit.comment = Some("Append-only".into());
    to.tables
        .get_mut("app.posts")
        .unwrap()
        .policies
        .insert("posts_read".into(), policy("posts_read"));
    // The teams table lives in a schema nobody declared: it is created implicitly.
    to.tables.get_mut("public.users").unwrap().foreign_keys["users_team_id_teams_id_fk"]
        .schema_to = Some("billing".into());

    let changes = diff(&from, &to).unwrap();
    insta::assert_snapshot!(join_statements(&render(&changes), true));
}

#[test]
fn breakpoints_off_join_with_newlines() {
    let statements = vec![
        "CREATE SCHEMA \"a\";\n".to_owned(),
        "CREATE ROLE \"r\";".to_owned(),
    ];
    assert_eq!(
        join_statements(&statements, true),
        "CREATE SCHEMA \"a\";\n--> statement-breakpoint\nCREATE ROLE \"r\";"
    );
    assert_eq!(
        join_statements(&statements, false),
        "CREATE SCHEMA \"a\";\n\nCREATE ROLE \"r\";"
    );
}

#[test]
fn render_orders_changes_whatever_order_they_come_in() {
    let changes = diff(&Schema::default(), &full_schema()).unwrap();
    let mut reversed = changes.clone();
    reversed.reverse();
    let first = |statements: Vec<String>| statements[0].clone();
    assert_eq!(first(render(&reversed)), "CREATE SCHEMA \"app\";\n");
    let last = render(&changes).pop().unwrap();
    assert!(last.starts_with("COMMENT ON"), "{last}");
}

#[test]
fn duplicate_statements_are_written_once() {
    let changes = diff(&Schema::default(), &full_schema()).unwrap();
    let mut doubled = changes.clone();
    doubled.extend(changes.iter().cloned());
    assert_eq!(render(&doubled), render(&changes));
}

#[test]
fn renamed_objects_are_renamed_with_what_is_named_after_them() {
    let from = full_schema();
    let mut to = from.clone();
    let mut users = to.tables.shift_remove("public.users").unwrap();
    users.name = "accounts".into();
    users.renamed_from = Some(OldName {
        schema: None,
        name: "users".into(),
    });
    // What names the table by name follows it in the new schema's text.
    let follow = |text: &str| text.replace("\"users\"", "\"accounts\"");
    for check in users.check_constraints.values_mut() {
        check.value = follow(&check.value);
    }
    for policy in users.policies.values_mut() {
        policy.with_check = policy.with_check.as_deref().map(follow);
    }
    for column in users.columns.values_mut() {
        if let Some(g) = &mut column.generated {
            g.expression = follow(&g.expression);
        }
    }
    to.tables.insert(users.key(), users);
    for fk in to.tables["app.posts"].foreign_keys.values_mut() {
        if fk.table_to == "users" {
            fk.table_to = "accounts".into();
        }
    }
    let view = &mut to.views["public.active_users"];
    view.definition = view.definition.as_deref().map(follow);
    let changes = diff(&from, &to).unwrap();
    insta::assert_snapshot!(join_statements(&render(&changes), true));
}

#[test]
fn dropping_every_kind_of_object() {
    let from = full_schema();
    let mut to = from.clone();
    to.schemas.clear();
    to.enums.shift_remove("app.status");
    to.sequences.clear();
    to.roles.shift_remove("reader");
    to.tables.shift_remove("app.posts");
    to.views.clear();
    to.policies.clear();
    let users = &mut to.tables["public.users"];
    users.columns.shift_remove("doubled");
    users.indexes.clear();
    users.unique_constraints.clear();
    users.check_constraints.clear();
    users
        .policies
        .insert("users_other".into(), policy("users_other"));
    users.policies.shift_remove("users_read");
    let mut renames = Renames::new();
    renames.create(Creation::parse("policy:users.users_other").unwrap());
    let changes = drizzle_diff::diff(&from, &to, &renames).unwrap();
    assert!(changes.iter().filter(|c| !c.is_drop()).count() == 1);
    insta::assert_snapshot!(join_statements(&render(&changes), true));
}

#[test]
fn dropping_constraints_of_a_schema_table() {
    let from = full_schema();
    let mut to = from.clone();
    let posts = &mut to.tables["app.posts"];
    posts.composite_primary_keys.clear();
    posts.foreign_keys.shift_remove("posts_parent_fk");
    posts.indexes.shift_remove("posts_slug_trgm_idx");
    let changes = diff(&from, &to).unwrap();
    assert_eq!(
        render(&changes),
        [
            "ALTER TABLE \"app\".\"posts\" DROP CONSTRAINT \"posts_parent_fk\";\n",
            "DROP INDEX \"app\".\"posts_slug_trgm_idx\";",
            "ALTER TABLE \"app\".\"posts\" DROP CONSTRAINT \"posts_author_id_slug_pk\";",
        ]
    );
}

#[test]
fn altering_every_kind_of_object() {
    let from = full_schema();
    let mut to = from.clone();
    let role = to.enums.get_mut("public.role").unwrap();
    role.values = vec!["user".into(), "owner".into()];
    role.comment = None;
    let status = to.enums.get_mut("app.status").unwrap();
    status.values = vec!["draft".into(), "published".into(), "archived".into()];
    status.value_renames = IndexMap::from([("published".to_owned(), "it's live".to_owned())]);
    let order_no = to.sequences.get_mut("app.order_no").unwrap();
    order_no.options.cycle = Some(false);
    order_no.options.max_value = None;
    to.roles.get_mut("reader").unwrap().create_role = Some(true);
    let users = to.tables.get_mut("public.users").unwrap();
    users.columns["email"].sql_type = "text".into();
    users.columns["email"].not_null = false;
    users.columns["score"].sql_type = "boolean".into();
    users.columns["score"].default = Some(Literal::Bool(false));
    users.columns["active"].default = None;
    users.columns["active"].not_null = true;
    users.columns["ip"].sql_type = "text".into();
    users.columns["ticket"].identity.as_mut().unwrap().kind = IdentityKind::Always;
    users.columns["ticket"]
        .identity
        .as_mut()
        .unwrap()
        .options
        .cache = Some("10".into());
    users.columns["doubled"].generated = Some(Generated {
        expression: "\"users\".\"score\"::int * 3".into(),
    });
    users.columns["bio"].comment = None;
    users.check_constraints["score_positive"].value = "\"users\".\"score\"".into();
    users.policies["users_read"].to = Some(vec!["reader".into(), "Admin Team".into()]);
    users.rls_enabled = false;
    let posts = to.tables.get_mut("app.posts").unwrap();
    posts.columns["parent_slug"].sql_type = "integer".into();
    posts.composite_primary_keys["posts_author_id_slug_pk"].columns = vec!["slug".into()];
    let audit = to.tables.get_mut("public.audit").unwrap();
    audit.columns["at"].sql_type = "timestamp(3)".into();
    audit.rls_enabled = false;
    let view = to.views.get_mut("public.active_users").unwrap();
    view.with = Some(IndexMap::from([(
        "securityBarrier".to_owned(),
        Literal::Bool(true),
    )]));
    let totals = to.views.get_mut("app.totals").unwrap();
    totals.tablespace = None;
    totals.using = None;
    to.policies["outside_read"].using = Some("false".into());
    let changes = diff(&from, &to).unwrap();
    insta::assert_snapshot!(join_statements(&render(&changes), true));
}
