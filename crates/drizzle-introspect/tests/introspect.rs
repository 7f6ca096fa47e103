//! Introspection against a real PostgreSQL: the conformance corpus (drizzle-kit's SQL applied,
//! compared with drizzle-kit's snapshot), the pull corpus (unsupported objects warned about),
//! filters, canonical expressions and the constant number of round trips.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use drizzle_introspect::{
    Introspection, Options, RolesFilter, WarningKind, canonicalize_pair, canonicalize_schema,
    comparable, introspect,
};
use drizzle_schema::snapshot::Snapshot;
use drizzle_schema::{Literal, Schema};
use drizzle_testkit::{TestDatabase, fresh_database};
use std::fmt::Write as _;

use drizzle_testkit::fixtures::{case_dirs, case_name as name_of, root as fixtures};

/// drizzle-kit's migration file split the way its migrator splits it.
fn statements(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split("--> statement-breakpoint")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn last_snapshot(dir: &Path) -> Schema {
    let meta = dir.join("out/meta");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&meta)
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        name.ends_with("_snapshot.json") && !name.starts_with('_')
    });
    files.sort();
    match files.last() {
        Some(file) => {
            Snapshot::from_json(&std::fs::read_to_string(file).unwrap())
                .unwrap()
                .schema
        }
        // drizzle-kit crashed before writing anything: the database holds nothing either.
        None => Schema::default(),
    }
}

fn schemas_of(schema: &Schema) -> Vec<String> {
    let mut names: BTreeSet<String> = ["public".to_owned()].into();
    names.extend(schema.schemas.keys().cloned());
    names.extend(schema.tables.values().map(|t| t.schema.clone()));
    names.extend(schema.enums.values().map(|e| e.schema.clone()));
    names.extend(schema.sequences.values().map(|s| s.schema.clone()));
    names.extend(schema.views.values().map(|v| v.schema.clone()));
    names
        .into_iter()
        .map(|s| if s.is_empty() { "public".into() } else { s })
        .collect()
}

/// One difference between the database's model and the snapshot's, by path.
#[derive(Debug)]
struct Difference {
    path: String,
    database: String,
    snapshot: String,
}

fn compare_maps<V: Debug + PartialEq>(
    path: &str,
    db: &indexmap::IndexMap<String, V>,
    snap: &indexmap::IndexMap<String, V>,
    out: &mut Vec<Difference>,
) {
    let keys: BTreeSet<&String> = db.keys().chain(snap.keys()).collect();
    for key in keys {
        let (a, b) = (db.get(key), snap.get(key));
        if a != b {
            out.push(Difference {
                path: format!("{path}.{key}"),
                database: format!("{a:?}"),
                snapshot: format!("{b:?}"),
            });
        }
    }
}

fn differences(db: &Schema, snap: &Schema) -> Vec<Difference> {
    let mut out = Vec::new();
    compare_maps("schemas", &db.schemas, &snap.schemas, &mut out);
    compare_maps("enums", &db.enums, &snap.enums, &mut out);
    compare_maps("sequences", &db.sequences, &snap.sequences, &mut out);
    compare_maps("roles", &db.roles, &snap.roles, &mut out);
    compare_maps("policies", &db.policies, &snap.policies, &mut out);
    compare_maps("views", &db.views, &snap.views, &mut out);
    let keys: BTreeSet<&String> = db.tables.keys().chain(snap.tables.keys()).collect();
    for key in keys {
        match (db.tables.get(key), snap.tables.get(key)) {
            (Some(a), Some(b)) => {
                let p = format!("tables.{key}");
                compare_maps(&format!("{p}.columns"), &a.columns, &b.columns, &mut out);
                compare_maps(&format!("{p}.indexes"), &a.indexes, &b.indexes, &mut out);
                compare_maps(
                    &format!("{p}.foreign_keys"),
                    &a.foreign_keys,
                    &b.foreign_keys,
                    &mut out,
                );
                compare_maps(
                    &format!("{p}.primary_keys"),
                    &a.composite_primary_keys,
                    &b.composite_primary_keys,
                    &mut out,
                );
                compare_maps(
                    &format!("{p}.uniques"),
                    &a.unique_constraints,
                    &b.unique_constraints,
                    &mut out,
                );
                compare_maps(
                    &format!("{p}.checks"),
                    &a.check_constraints,
                    &b.check_constraints,
                    &mut out,
                );
                compare_maps(&format!("{p}.policies"), &a.policies, &b.policies, &mut out);
                if a.rls_enabled != b.rls_enabled {
                    out.push(Difference {
                        path: format!("{p}.rls_enabled"),
                        database: a.rls_enabled.to_string(),
                        snapshot: b.rls_enabled.to_string(),
                    });
                }
            }
            (a, b) => out.push(Difference {
                path: format!("tables.{key}"),
                database: format!("{:?}", a.map(|t| &t.name)),
                snapshot: format!("{:?}", b.map(|t| &t.name)),
            }),
        }
    }
    out
}

/// Differences between a migrated database and drizzle-kit's snapshot that are expected,
/// with the reason. Every entry must match at least one difference (no stale entries).
const ACCEPTED: &[(&str, &str, &str)] = &[
    (
        "01_types_integers",
        "tables.public.ints.columns.big_serial_big",
        "drizzle-orm gives bigserial({mode: 'bigint'}) notNull=false; a serial is NOT NULL (NOTES.md §3)",
    ),
    (
        "07_types_extensions_custom",
        "tables.public.ext",
        "needs PostGIS and pgvector, which the test server does not have: CREATE TABLE fails",
    ),
    (
        "11_type_change",
        "tables.public.t.columns.text_to_int",
        "drizzle-kit emits SET DATA TYPE without USING, which PostgreSQL rejects (NOTES.md §4.1)",
    ),
    (
        "11_type_change",
        "tables.public.t.columns.int_to_array",
        "drizzle-kit emits SET DATA TYPE without USING, which PostgreSQL rejects (NOTES.md §4.1)",
    ),
    (
        "41_sequence_alter_drop",
        "sequences.public.seq_cycle_off",
        "drizzle-kit writes cycle true → false without NO CYCLE, so the sequence still cycles (NOTES.md §4.1)",
    ),
    (
        "47_view_create",
        "views.public.legacy_view",
        ".existing() view: managed outside migrations, so the database does not have it",
    ),
    (
        "49_matview_create",
        "views.public.existing_mv",
        ".existing() materialized view: managed outside migrations, so the database does not have it",
    ),
    (
        "70_defaults_broken_literals",
        "tables.public.t",
        "drizzle-kit renders point/line/quoted array and json defaults as invalid SQL (NOTES.md §4.1)",
    ),
    (
        "70_defaults_broken_literals",
        "canonicalize.public.t.",
        "the snapshot's broken literals (NOTES.md §4.1) are not valid SQL either",
    ),
];

/// Statements of drizzle-kit's SQL that may fail, by case and message: known drizzle-kit bugs
/// (NOTES.md §4.1) and a missing extension.
const FAILING_SQL: &[(&str, &str)] = &[
    (
        "07_types_extensions_custom",
        "type \"geometry\" does not exist",
    ),
    ("11_type_change", "cannot be cast automatically"),
    ("70_defaults_broken_literals", "syntax error"),
];

/// Prepares a schema for comparison: one spelling and no view row types (the model keeps
/// them for the application only; the definition decides).
fn comparable_without_view_columns(schema: &Schema) -> Schema {
    let mut schema = comparable(schema);
    for view in schema.views.values_mut() {
        view.columns.clear();
    }
    schema
}

/// Both sides with server-canonical expressions, and what could not be canonicalized.
fn prepared(
    client: &mut postgres::Client,
    database: &Schema,
    snapshot: &Schema,
) -> (Schema, Schema, Vec<(String, String)>) {
    let (a, b) = canonicalize_pair(
        client,
        &comparable_without_view_columns(database),
        &comparable_without_view_columns(snapshot),
    )
    .unwrap();
    let failures = a
        .failures
        .iter()
        .chain(&b.failures)
        .map(|f| (f.object.clone(), f.message.clone()))
        .collect();
    (a.schema, b.schema, failures)
}

fn apply_case(db: &TestDatabase, dir: &Path) -> Vec<String> {
    let mut all = statements(&dir.join("expected_v1.sql"));
    all.extend(statements(&dir.join("expected.sql")));
    db.execute_statements(&all)
        .into_iter()
        .map(|(i, e)| format!("statement {}: {e}", i + 1))
        .collect()
}

#[test]
fn conformance_cases_match_drizzle_kit_snapshots() {
    let mut report = Vec::new();
    let mut used = BTreeSet::new();
    for dir in case_dirs("cases") {
        let case = name_of(&dir);
        let snapshot = last_snapshot(&dir);
        // Roles are cluster-wide: every version's, taken from every other test using them
        // until the case is compared, then dropped.
        let roles = drizzle_testkit::roles_in_migrations(&dir.join("out"));
        let _roles = (!roles.is_empty()).then(|| drizzle_testkit::exclusive_roles(&roles));
        let db = fresh_database();
        let failed = apply_case(&db, &dir);
        for failure in &failed {
            let accepted = FAILING_SQL
                .iter()
                .any(|(c, s)| *c == case && failure.contains(s));
            if accepted {
                used.insert(format!("sql:{case}:{failure}"));
            } else {
                report.push(format!("{case}: drizzle-kit SQL failed: {failure}"));
            }
        }
        let mut client = db.client();
        let options = Options {
            schema_filter: schemas_of(&snapshot),
            roles: RolesFilter {
                enabled: !snapshot.roles.is_empty(),
                include: snapshot.roles.keys().cloned().collect(),
                exclude: Vec::new(),
            },
            ..Options::default()
        };
        let found = introspect(&mut client, &options).unwrap();
        let (db_side, snap_side, failures) = prepared(&mut client, &found.schema, &snapshot);
        let mut found_differences = differences(&db_side, &snap_side);
        for (object, message) in failures {
            found_differences.push(Difference {
                path: format!("canonicalize.{object}"),
                database: message,
                snapshot: String::new(),
            });
        }
        for d in found_differences {
            let hit = ACCEPTED
                .iter()
                .position(|(c, p, _)| *c == case && d.path.starts_with(p));
            match hit {
                Some(i) => {
                    used.insert(format!("{i}"));
                }
                None => report.push(format!(
                    "{case}: {}\n    database: {}\n    snapshot: {}",
                    d.path, d.database, d.snapshot
                )),
            }
        }
    }
    for (i, (case, path, _)) in ACCEPTED.iter().enumerate() {
        if !used.contains(&format!("{i}")) {
            report.push(format!("stale accepted difference {case} {path}"));
        }
    }
    assert!(
        report.is_empty(),
        "{} problems:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// A readable listing of an introspected schema and its warnings, for insta snapshots.
fn listing(found: &Introspection) -> String {
    let mut out = String::new();
    let s = &found.schema;
    for (key, e) in &s.enums {
        let _ = writeln!(out, "enum {key} {:?}", e.values);
    }
    for (key, q) in &s.sequences {
        let _ = writeln!(out, "sequence {key} {:?}", q.options);
    }
    for (key, t) in &s.tables {
        let _ = writeln!(
            out,
            "table {key} rls={} comment={:?}",
            t.rls_enabled, t.comment
        );
        for c in t.columns.values() {
            let _ = write!(out, "  column {} {}", c.name, c.sql_type);
            if let Some(ts) = &c.type_schema {
                let _ = write!(out, " (type schema {ts})");
            }
            if c.primary_key {
                out.push_str(" primary key");
            }
            if c.not_null {
                out.push_str(" not null");
            }
            if let Some(d) = &c.default {
                let _ = write!(out, " default {d:?}");
            }
            if let Some(g) = &c.generated {
                let _ = write!(out, " generated {:?}", g.expression);
            }
            if let Some(i) = &c.identity {
                let _ = write!(
                    out,
                    " identity {:?} {}.{} {:?}",
                    i.kind, i.schema, i.name, i.options
                );
            }
            if let Some(comment) = &c.comment {
                let _ = write!(out, " comment {comment:?}");
            }
            out.push('\n');
        }
        for pk in t.composite_primary_keys.values() {
            let _ = writeln!(out, "  primary key {} {:?}", pk.name, pk.columns);
        }
        for u in t.unique_constraints.values() {
            let _ = writeln!(
                out,
                "  unique {} {:?} nulls_not_distinct={}",
                u.name, u.columns, u.nulls_not_distinct
            );
        }
        for c in t.check_constraints.values() {
            let _ = writeln!(out, "  check {} {:?}", c.name, c.value);
        }
        for f in t.foreign_keys.values() {
            let _ = writeln!(
                out,
                "  foreign key {} {:?} -> {:?}.{}{:?} on update {:?} on delete {:?}",
                f.name,
                f.columns_from,
                f.schema_to,
                f.table_to,
                f.columns_to,
                f.on_update,
                f.on_delete
            );
        }
        for i in t.indexes.values() {
            let _ = writeln!(
                out,
                "  index {} unique={} using {} where {:?} with {:?}",
                i.name, i.is_unique, i.method, i.where_clause, i.with
            );
            for k in &i.columns {
                let _ = writeln!(
                    out,
                    "    key {:?} expression={} asc={} nulls={:?} opclass={:?}",
                    k.expression, k.is_expression, k.asc, k.nulls, k.opclass
                );
            }
        }
        for p in t.policies.values() {
            let _ = writeln!(
                out,
                "  policy {} {:?} {:?} to {:?} using {:?} with check {:?}",
                p.name, p.as_, p.for_, p.to, p.using, p.with_check
            );
        }
    }
    for (key, v) in &s.views {
        let _ = writeln!(
            out,
            "view {key} materialized={} with={:?} with_no_data={:?}\n  {:?}",
            v.materialized, v.with, v.with_no_data, v.definition
        );
    }
    for w in &found.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// For each pull case, exactly the (kind, object) pairs its warnings must name.
fn expected_warnings(case: &str) -> Vec<(WarningKind, &'static str)> {
    use WarningKind::*;
    match case {
        "01_basic_tables" | "08_defaults_variety" => vec![],
        "02_domains_collations_exotic_types" => vec![
            (Extension, "citext"),
            (Extension, "hstore"),
            (Domain, "public.positive_int"),
            (Domain, "public.email_address"),
            (CompositeType, "public.address"),
            (RangeType, "public.floatrange"),
            (Collation, "public.exotic.name_c"),
            (Collation, "public.exotic.name_posix"),
        ],
        "04_constraints_advanced" => vec![
            (Extension, "btree_gist"),
            (ExclusionConstraint, "public.bookings.bookings_no_overlap"),
            (Deferrable, "public.rooms.rooms_code_key"),
            (Deferrable, "public.bookings.bookings_room_fk"),
            (Deferrable, "public.child.child_ab_uq"),
            (NotValid, "public.child.child_pa_check"),
            (NoInherit, "public.child.child_id_positive"),
            (ForeignKeyOption, "public.child.child_parent_fk"),
            (
                ForeignKeyOption,
                "public.tenant_users.tenant_users_tenant_id_manager_id_fkey",
            ),
        ],
        "05_triggers_functions_rules" => vec![
            (Trigger, "public.items_touch"),
            (Trigger, "public.items_audit_trg"),
            (Function, "public.touch_updated_at()"),
            (Function, "public.audit_items()"),
            (Function, "public.item_count()"),
            (Function, "public.purge_audit()"),
            (Rule, "public.legacy_no_delete"),
            (SequenceOwnedBy, "public.invoice_no"),
        ],
        "07_indexes_variety" => vec![
            (Extension, "pg_trgm"),
            (IndexInclude, "public.docs.docs_score_include"),
            (Collation, "public.docs.docs_title_collate"),
        ],
        "10_rls_policies" => vec![(ForceRowLevelSecurity, "public.notes")],
        other => panic!("pull case {other} has no expected warnings: add them here"),
    }
}

#[test]
fn pull_corpus_names_every_unsupported_object() {
    for dir in case_dirs("pull") {
        let case = name_of(&dir);
        let db = fresh_database();
        db.execute_script(&std::fs::read_to_string(dir.join("input.sql")).unwrap())
            .unwrap_or_else(|e| panic!("{case}: input.sql failed: {e}"));
        let found = introspect(&mut db.client(), &Options::default()).unwrap();
        let got: BTreeSet<(WarningKind, String)> = found
            .warnings
            .iter()
            .map(|w| (w.kind, w.object.clone()))
            .collect();
        let want: BTreeSet<(WarningKind, String)> = expected_warnings(&case)
            .into_iter()
            .map(|(k, o)| (k, o.to_owned()))
            .collect();
        assert_eq!(got, want, "{case}: warnings\n{}", listing(&found));
        insta::assert_snapshot!(format!("pull_{case}"), listing(&found));
    }
}

#[test]
fn pull_corpus_keeps_supported_objects() {
    let load = |case: &str| {
        let db = fresh_database();
        let sql =
            std::fs::read_to_string(fixtures().join("pull").join(case).join("input.sql")).unwrap();
        db.execute_script(&sql).unwrap();
        introspect(&mut db.client(), &Options::default())
            .unwrap()
            .schema
    };

    let basic = load("01_basic_tables");
    let users = &basic.tables["public.users"];
    assert_eq!(users.columns["id"].sql_type, "serial");
    assert!(users.columns["id"].primary_key);
    assert_eq!(users.columns["email"].sql_type, "varchar(255)");
    assert_eq!(users.columns["balance"].sql_type, "numeric(12, 2)");
    assert_eq!(users.columns["updated_at"].sql_type, "timestamp(3)");
    assert_eq!(users.columns["mood"].type_schema.as_deref(), Some("public"));
    assert_eq!(
        users.columns["mood"].default,
        Some(Literal::Sql("'ok'".into()))
    );
    assert_eq!(
        users.columns["is_admin"].default,
        Some(Literal::Bool(false))
    );
    assert_eq!(users.comment.as_deref(), Some("application users"));
    assert_eq!(
        users.columns["email"].comment.as_deref(),
        Some("login e-mail")
    );
    assert_eq!(
        basic.tables["public.posts"].columns["id"].sql_type,
        "bigserial"
    );
    let published = &basic.tables["public.posts"].indexes["posts_published_idx"];
    assert!(!published.columns[0].asc);
    assert_eq!(published.columns[0].nulls.as_deref(), Some("last"));
    assert_eq!(
        published.where_clause.as_deref(),
        Some("published_at IS NOT NULL")
    );
    assert_eq!(
        basic.tables["public.post_tags"].composite_primary_keys["post_tags_pkey"].columns,
        ["post_id", "tag"]
    );
    assert!(basic.views["public.post_counts"].materialized);

    let constraints = load("04_constraints_advanced");
    assert!(
        constraints.tables["public.parent"].unique_constraints["parent_c_key"].nulls_not_distinct
    );
    let fk = &constraints.tables["public.child"].foreign_keys["child_parent_fk"];
    assert_eq!(
        (fk.on_delete.as_deref(), fk.on_update.as_deref()),
        (Some("set default"), Some("restrict"))
    );
    let identity = constraints.tables["public.bookings"].columns["id"]
        .identity
        .as_ref()
        .unwrap();
    assert_eq!(identity.name, "bookings_id_seq");
    assert!(
        !constraints.tables["public.bookings"]
            .check_constraints
            .contains_key("bookings_no_overlap")
    );

    let code = load("05_triggers_functions_rules");
    assert_eq!(
        code.sequences["public.invoice_no"]
            .options
            .start_with
            .as_deref(),
        Some("1000")
    );
    assert_eq!(
        code.sequences["public.invoice_no"]
            .options
            .increment
            .as_deref(),
        Some("10")
    );
    assert_eq!(
        code.tables["public.invoices"].columns["id"].sql_type,
        "integer"
    );
    assert!(
        code.tables["public.items"].columns["name_lower"]
            .generated
            .is_some()
    );
    assert!(
        !code.sequences.contains_key("public.items_audit_id_seq"),
        "serial sequence folded"
    );
    let with = code.views["public.item_names_checked"]
        .with
        .as_ref()
        .unwrap();
    assert_eq!(with["checkOption"], Literal::Sql("local".into()));

    let rls = load("10_rls_policies");
    let notes = &rls.tables["public.notes"];
    assert!(notes.rls_enabled);
    assert_eq!(
        notes.policies["notes_owner_all"].using.as_deref(),
        Some("owner = CURRENT_USER")
    );
    assert_eq!(
        notes.policies["notes_insert"].with_check.as_deref(),
        Some("body IS NOT NULL")
    );
    assert_eq!(
        notes.policies["notes_no_delete"].as_.as_deref(),
        Some("RESTRICTIVE")
    );
    assert!(rls.tables["public.rls_no_policy"].rls_enabled);
}

fn many_tables(n: usize) -> String {
    let mut sql =
        String::from("CREATE TYPE kind AS ENUM ('a', 'b');\nCREATE SEQUENCE standalone;\n");
    for i in 0..n {
        let _ = write!(
            sql,
            "CREATE TABLE t{i} (id serial PRIMARY KEY, k kind DEFAULT 'a', v text CHECK (v <> ''), \
             n integer GENERATED ALWAYS AS IDENTITY, parent integer REFERENCES t{i}(id), UNIQUE (v));\n\
             CREATE INDEX t{i}_v ON t{i} (lower(v)) WHERE v IS NOT NULL;\n\
             ALTER TABLE t{i} ENABLE ROW LEVEL SECURITY;\n\
             CREATE POLICY p{i} ON t{i} USING (true);\n\
             CREATE VIEW v{i} AS SELECT id FROM t{i};\n"
        );
    }
    sql
}

#[test]
fn round_trips_do_not_grow_with_the_schema() {
    let mut counts = Vec::new();
    for n in [1, 60] {
        let db = fresh_database();
        db.execute_script(&many_tables(n)).unwrap();
        let found = introspect(&mut db.client(), &Options::default()).unwrap();
        assert_eq!(found.schema.tables.len(), n);
        assert_eq!(found.schema.views.len(), n);
        counts.push(found.round_trips);
    }
    // BEGIN, one query per object kind (roles are off), COMMIT.
    assert_eq!(counts, [11, 11]);
}

#[test]
fn filters_select_schemas_and_tables() {
    let db = fresh_database();
    db.execute_script(
        "CREATE TABLE users (id int); CREATE TABLE users_tmp (id int); CREATE TABLE posts (id int);
         CREATE SCHEMA app; CREATE TABLE app.users (id int); CREATE TYPE app.status AS ENUM ('x');
         CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    )
    .unwrap();
    let mut client = db.client();
    let tables = |client: &mut postgres::Client, options: &Options| -> Vec<String> {
        introspect(client, options)
            .unwrap()
            .schema
            .tables
            .keys()
            .cloned()
            .collect()
    };
    let filtered = Options {
        tables_filter: vec!["users*".into(), "!users_tmp".into()],
        ..Options::default()
    };
    assert_eq!(tables(&mut client, &filtered), ["public.users"]);
    let app = Options {
        schema_filter: vec!["app".into()],
        ..Options::default()
    };
    let found = introspect(&mut client, &app).unwrap();
    assert_eq!(
        found.schema.tables.keys().collect::<Vec<_>>(),
        ["app.users"]
    );
    assert_eq!(found.schema.enums["app.status"].values, ["x"]);
    assert!(found.schema.schemas.contains_key("app"));
    let everything = introspect(&mut client, &Options::default()).unwrap();
    // pg_trgm's functions and operators belong to the extension: only the extension is named.
    let kinds: Vec<(WarningKind, &str)> = everything
        .warnings
        .iter()
        .map(|w| (w.kind, w.object.as_str()))
        .collect();
    assert_eq!(kinds, [(WarningKind::Extension, "pg_trgm")]);
}

#[test]
fn canonical_forms_agree_across_spellings() {
    let db = fresh_database();
    db.execute_script(
        "CREATE TYPE mood AS ENUM ('ok', 'sad');
         CREATE TABLE users (id integer PRIMARY KEY, age integer DEFAULT 0, m mood DEFAULT 'ok',
           price numeric(10, 2) DEFAULT '10.50', name text, CONSTRAINT users_age CHECK (age > 0));
         CREATE INDEX users_lower ON users (lower(name)) WHERE age > 5;
         ALTER TABLE users ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own ON users FOR SELECT TO current_user USING (age > 1);",
    )
    .unwrap();
    let mut client = db.client();
    let found = introspect(&mut client, &Options::default()).unwrap().schema;

    // The same schema the way drizzle-kit's snapshot spells it.
    let mut source = found.clone();
    let users = source.tables.get_mut("public.users").unwrap();
    users.columns["age"].default = Some(Literal::Number("0".into()));
    users.columns["price"].default = Some(Literal::Sql("'10.50'".into()));
    users.check_constraints["users_age"].value = "\"users\".\"age\" > 0".into();
    users.indexes["users_lower"].columns[0].expression = "lower(\"name\")".into();
    users.indexes["users_lower"].where_clause = Some("\"public\".\"users\".\"age\" > 5".into());
    users.policies["own"].using = Some("\"users\".\"age\" > 1".into());
    users.policies["own"].to = Some(vec!["current_user".into()]);
    assert_ne!(source, found);

    let a = canonicalize_schema(&mut client, &comparable(&found)).unwrap();
    let b = canonicalize_schema(&mut client, &comparable(&source)).unwrap();
    assert!(
        a.failures.is_empty() && b.failures.is_empty(),
        "{:?} {:?}",
        a.failures,
        b.failures
    );
    assert_eq!(a.schema, b.schema);
    let users = &b.schema.tables["public.users"];
    assert_eq!(users.check_constraints["users_age"].value, "age > 0");
    assert_eq!(
        users.indexes["users_lower"].where_clause.as_deref(),
        Some("age > 5")
    );
    let user: String = client
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(users.policies["own"].to, Some(vec![user]));
}

#[test]
fn canonicalization_reports_what_it_cannot_parse() {
    let db = fresh_database();
    let mut client = db.client();
    let mut schema = Schema::default();
    let mut table = drizzle_schema::Table::new("public", "t");
    let mut column = drizzle_schema::Column::new("c", "integer");
    column.default = Some(Literal::Sql("1 +".into()));
    table.columns.insert("c".into(), column);
    table.check_constraints.insert(
        "ok".into(),
        drizzle_schema::CheckConstraint {
            name: "ok".into(),
            value: "(c > 1)".into(),
        },
    );
    schema.tables.insert("public.t".into(), table);
    let result = canonicalize_schema(&mut client, &schema).unwrap();
    assert_eq!(result.failures.len(), 1, "{:?}", result.failures);
    assert_eq!(result.failures[0].object, "public.t.c default");
    assert!(
        result.failures[0].message.contains("syntax error"),
        "{}",
        result.failures[0].message
    );
    assert_eq!(
        result.schema.tables["public.t"].check_constraints["ok"].value,
        "c > 1"
    );
    // The scratch objects were rolled back and the connection is usable outside a transaction.
    let open: bool = client
        .query_one(
            "SELECT to_regclass('pg_temp.__drizzle_canon') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!open);
}

#[test]
fn unrepresentable_tables_and_indexes_are_warned() {
    let db = fresh_database();
    db.execute_script(
        "CREATE TABLE measurements (at date NOT NULL, v int) PARTITION BY RANGE (at);
         CREATE TABLE measurements_2024 PARTITION OF measurements
           FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE TABLE base (id int CHECK (id > 0));
         CREATE TABLE derived (extra text) INHERITS (base);
         CREATE UNLOGGED TABLE scratch (id int);
         CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
         CREATE INDEX mv_x ON mv (x);
         CREATE STATISTICS base_stats ON id, extra FROM derived;
         CREATE TABLE nn (a int);
         CREATE UNIQUE INDEX nn_a ON nn (a) NULLS NOT DISTINCT;",
    )
    .unwrap();
    let found = introspect(&mut db.client(), &Options::default()).unwrap();
    let got: Vec<(WarningKind, &str)> = found
        .warnings
        .iter()
        .map(|w| (w.kind, w.object.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (WarningKind::Partition, "public.measurements_2024"),
            (WarningKind::PartitionedTable, "public.measurements"),
            (WarningKind::Inheritance, "public.derived"),
            (WarningKind::Unlogged, "public.scratch"),
            (WarningKind::Statistics, "public.base_stats"),
            (WarningKind::IndexNullsNotDistinct, "public.nn.nn_a"),
            (WarningKind::MaterializedViewIndex, "public.mv.mv_x"),
        ]
    );
    let tables: Vec<&String> = found.schema.tables.keys().collect();
    assert_eq!(
        tables,
        [
            "public.base",
            "public.derived",
            "public.measurements",
            "public.nn",
            "public.scratch"
        ]
    );
    // The inherited check belongs to the parent only; the child's own columns are all there.
    let derived = &found.schema.tables["public.derived"];
    assert!(derived.check_constraints.is_empty());
    assert_eq!(derived.columns.keys().collect::<Vec<_>>(), ["id", "extra"]);
    assert_eq!(
        found.schema.tables["public.base"].check_constraints.len(),
        1
    );
}
