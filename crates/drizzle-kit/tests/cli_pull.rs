//! `drizzle-kit pull` against a real PostgreSQL: every conformance case's v2 schema and every
//! pull-corpus database is pulled, and the written Rust must (a) parse back into exactly the
//! model of the baseline snapshot, (b) compile with the `drizzle` derives (one compile run
//! for all of them), and (c) make `generate` report no changes. Plus `--baseline`, `--json`
//! and the failure paths.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::Path;
use std::process::Command;

use drizzle_diff::Renames;
use drizzle_migrate::{MigrateOptions, MigrationsFolder, Silent, TrackingTable};
use drizzle_schema::Schema;
use drizzle_schema::snapshot::Snapshot;
use drizzle_syntax::{ParseOptions, SourceFile};
use drizzle_testkit::{TestDatabase, exclusive_roles, fresh_database};

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-kit");

/// Pushes one line per key whose values differ.
fn compare<V: Debug + PartialEq>(
    path: &str,
    a: &indexmap::IndexMap<String, V>,
    b: &indexmap::IndexMap<String, V>,
    out: &mut Vec<String>,
) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (x, y) = (a.get(key), b.get(key));
        if x != y {
            out.push(format!(
                "{path}.{key}:\n    snapshot {x:?}\n    parsed   {y:?}"
            ));
        }
    }
}

use drizzle_testkit::fixtures::{case_dirs, case_name as name_of};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn drizzle_kit(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("run drizzle-kit");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn parse(path: &Path, text: &str) -> Result<Schema, String> {
    let file = SourceFile {
        path: path.to_path_buf(),
        text: text.to_owned(),
    };
    drizzle_syntax::parse_sources(&[file], &ParseOptions::default()).map_err(|d| {
        d.iter()
            .map(|d| d.render_plain(text))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Every difference between the snapshot's model and the parsed file's, by path.
fn differences(snapshot: &Schema, parsed: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    compare("schemas", &snapshot.schemas, &parsed.schemas, &mut out);
    compare("enums", &snapshot.enums, &parsed.enums, &mut out);
    compare(
        "sequences",
        &snapshot.sequences,
        &parsed.sequences,
        &mut out,
    );
    compare("roles", &snapshot.roles, &parsed.roles, &mut out);
    compare("policies", &snapshot.policies, &parsed.policies, &mut out);
    compare("views", &snapshot.views, &parsed.views, &mut out);
    let keys: BTreeSet<&String> = snapshot.tables.keys().chain(parsed.tables.keys()).collect();
    for key in keys {
        match (snapshot.tables.get(key), parsed.tables.get(key)) {
            (Some(a), Some(b)) => {
                let p = format!("tables.{key}");
                compare(&format!("{p}.columns"), &a.columns, &b.columns, &mut out);
                compare(&format!("{p}.indexes"), &a.indexes, &b.indexes, &mut out);
                compare(
                    &format!("{p}.fks"),
                    &a.foreign_keys,
                    &b.foreign_keys,
                    &mut out,
                );
                compare(
                    &format!("{p}.pks"),
                    &a.composite_primary_keys,
                    &b.composite_primary_keys,
                    &mut out,
                );
                compare(
                    &format!("{p}.uniques"),
                    &a.unique_constraints,
                    &b.unique_constraints,
                    &mut out,
                );
                compare(
                    &format!("{p}.checks"),
                    &a.check_constraints,
                    &b.check_constraints,
                    &mut out,
                );
                compare(&format!("{p}.policies"), &a.policies, &b.policies, &mut out);
                if (a.rls_enabled, &a.comment) != (b.rls_enabled, &b.comment) {
                    out.push(format!("{p}: rls/comment differ"));
                }
            }
            (a, b) => out.push(format!(
                "tables.{key}: snapshot {:?}, parsed {:?}",
                a.map(|t| &t.name),
                b.map(|t| &t.name)
            )),
        }
    }
    out
}

/// The one snapshot of a freshly pulled folder.
fn pulled_snapshot(out: &Path) -> Option<Snapshot> {
    MigrationsFolder::new(out)
        .latest_snapshot()
        .unwrap()
        .map(|(_, s)| s)
}

/// What one pull produced and the problems found with it.
struct Pulled {
    source: String,
    problems: Vec<String>,
    stderr: String,
}

/// Pulls `db` into a new project and checks (a) and (c).
fn pull_and_check(case: &str, db: &TestDatabase, config: &str, extra: &[&str]) -> Pulled {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("drizzle.toml"), config).unwrap();
    let mut args = vec!["pull", "--url", db.url(), "--name", "baseline"];
    args.extend_from_slice(extra);
    let run = drizzle_kit(dir.path(), &args);
    let mut problems = Vec::new();
    if run.code != 0 {
        problems.push(format!("{case}: pull exited {}:\n{}", run.code, run.stderr));
        return Pulled {
            source: String::new(),
            problems,
            stderr: run.stderr,
        };
    }
    if run.stderr.contains("not expressible") || run.stderr.contains("difference(s)") {
        problems.push(format!(
            "{case}: pull reports an inexact schema file:\n{}",
            run.stderr
        ));
    }
    let schema_path = dir.path().join("drizzle/schema.rs");
    let source = std::fs::read_to_string(&schema_path).unwrap();
    let snapshot = pulled_snapshot(&dir.path().join("drizzle"))
        .map(|s| s.schema)
        .unwrap_or_default();
    // (a) the file parses back into the pulled model.
    match parse(&schema_path, &source) {
        Ok(parsed) => {
            let diffs = differences(&snapshot, &parsed);
            if !diffs.is_empty() {
                problems.push(format!(
                    "{case}: parsed file differs:\n{}",
                    diffs.join("\n")
                ));
            }
        }
        Err(e) => problems.push(format!("{case}: the pulled file is rejected:\n{e}")),
    }
    // (c) generate sees nothing to do.
    let generate = drizzle_kit(dir.path(), &["generate", "--schema", "drizzle/schema.rs"]);
    if generate.code != 0 || !generate.stderr.contains("No schema changes") {
        problems.push(format!(
            "{case}: generate after pull (exit {}):\n{}",
            generate.code, generate.stderr
        ));
    }
    Pulled {
        source,
        problems,
        stderr: run.stderr,
    }
}

/// Our own SQL for a schema file, statement by statement.
fn creation_sql(path: &Path) -> (Schema, Vec<String>) {
    let schema = parse(path, &std::fs::read_to_string(path).unwrap()).unwrap();
    let changes = drizzle_diff::diff(&Schema::default(), &schema, &Renames::new()).unwrap();
    (schema, drizzle_sql::render(&changes))
}

/// Statements that may fail: extension types the test server lacks.
fn may_fail(case: &str, error: &str) -> bool {
    case == "07_types_extensions_custom" && error.contains("does not exist")
}

fn config_for(schema: &Schema) -> String {
    let mut schemas: BTreeSet<String> = ["public".to_owned()].into();
    schemas.extend(schema.schemas.keys().cloned());
    schemas.extend(schema.tables.values().map(|t| t.schema.clone()));
    schemas.extend(schema.enums.values().map(|e| e.schema.clone()));
    schemas.extend(schema.views.values().map(|v| v.schema.clone()));
    schemas.extend(schema.sequences.values().map(|s| s.schema.clone()));
    let list: Vec<String> = schemas.iter().map(|s| format!("{s:?}")).collect();
    let mut config = format!("schema_filter = [{}]\n", list.join(", "));
    if !schema.roles.is_empty() {
        let roles: Vec<String> = schema.roles.keys().map(|r| format!("{r:?}")).collect();
        config.push_str(&format!(
            "[entities]\nroles = {{ include = [{}] }}\n",
            roles.join(", ")
        ));
    }
    config
}

/// For each pull case, the objects its warnings must name.
fn expected_warning_objects(case: &str) -> &'static [&'static str] {
    match case {
        "01_basic_tables" | "08_defaults_variety" => &[],
        "02_domains_collations_exotic_types" => &[
            "citext",
            "hstore",
            "public.positive_int",
            "public.email_address",
            "public.address",
            "public.floatrange",
            "public.exotic.name_c",
            "public.exotic.name_posix",
        ],
        "04_constraints_advanced" => &[
            "btree_gist",
            "public.bookings.bookings_no_overlap",
            "public.rooms.rooms_code_key",
            "public.bookings.bookings_room_fk",
            "public.child.child_ab_uq",
            "public.child.child_pa_check",
            "public.child.child_id_positive",
            "public.child.child_parent_fk",
            "public.tenant_users.tenant_users_tenant_id_manager_id_fkey",
        ],
        "05_triggers_functions_rules" => &[
            "public.items_touch",
            "public.items_audit_trg",
            "public.touch_updated_at()",
            "public.audit_items()",
            "public.item_count()",
            "public.purge_audit()",
            "public.legacy_no_delete",
            "public.invoice_no",
        ],
        "07_indexes_variety" => &[
            "pg_trgm",
            "public.docs.docs_score_include",
            "public.docs.docs_title_collate",
        ],
        "10_rls_policies" => &["public.notes"],
        other => panic!("pull case {other} has no expected warnings: add them here"),
    }
}

/// Cases whose pulled Rust is kept as an insta snapshot.
const SNAPSHOT_CASES: &[&str] = &[
    "08_defaults_create",
    "20_fk_actions",
    "28_index_order_expression",
    "49_matview_create",
    "52_rls_alter",
    "pull_01_basic_tables",
    "pull_04_constraints_advanced",
    "pull_07_indexes_variety",
    "pull_08_defaults_variety",
    "pull_10_rls_policies",
];

#[test]
fn pulled_schemas_parse_back_compile_and_generate_nothing() {
    let mut problems = Vec::new();
    let mut sources: Vec<(String, String)> = Vec::new();
    for dir in case_dirs("cases") {
        let case = name_of(&dir);
        let (schema, statements) = creation_sql(&dir.join("schema_v2.rs"));
        // Roles are cluster-wide: taken from every other test using them until the case is
        // pulled, then dropped.
        let _roles = (!schema.roles.is_empty()).then(|| exclusive_roles(schema.roles.keys()));
        let db = fresh_database();
        for (i, error) in db.execute_statements(&statements) {
            if !may_fail(&case, &error) {
                problems.push(format!("{case}: statement {} failed: {error}", i + 1));
            }
        }
        let pulled = pull_and_check(&case, &db, &config_for(&schema), &[]);
        problems.extend(pulled.problems);
        sources.push((case, pulled.source));
    }
    for dir in case_dirs("pull") {
        let case = format!("pull_{}", name_of(&dir));
        let db = fresh_database();
        db.execute_script(&std::fs::read_to_string(dir.join("input.sql")).unwrap())
            .unwrap_or_else(|e| panic!("{case}: input.sql failed: {e}"));
        let pulled = pull_and_check(&case, &db, "", &[]);
        for object in expected_warning_objects(&name_of(&dir)) {
            let named = pulled
                .stderr
                .lines()
                .any(|l| l.starts_with("warning: ") && l.contains(&format!(" {object}: ")));
            if !named {
                problems.push(format!(
                    "{case}: no warning names {object}:\n{}",
                    pulled.stderr
                ));
            }
        }
        problems.extend(pulled.problems);
        sources.push((case, pulled.source));
    }
    for (case, source) in &sources {
        if SNAPSHOT_CASES.contains(&case.as_str()) {
            insta::assert_snapshot!(format!("pulled_{case}"), source);
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n\n")
    );

    // (b) everything pulled compiles with the derives, in one build.
    let wrappers = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pulled-schemas");
    let _ = std::fs::remove_dir_all(&wrappers);
    std::fs::create_dir_all(&wrappers).unwrap();
    let cases = trybuild::TestCases::new();
    for (case, source) in &sources {
        let path = wrappers.join(format!("pulled_{case}.rs"));
        std::fs::write(
            &path,
            format!("#![allow(dead_code)]\n{source}\nfn main() {{}}\n"),
        )
        .unwrap();
        cases.pass(path);
    }
}

#[test]
fn baseline_is_recorded_so_migrate_skips_it() {
    let db = fresh_database();
    db.execute_script(
        "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);
         CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id integer REFERENCES users(id) ON DELETE CASCADE);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = drizzle_kit(
        dir.path(),
        &["pull", "--url", db.url(), "--baseline", "--name", "init"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("[✓] Marked 0000_init as applied in \"drizzle\".\"__drizzle_migrations\""),
        "{}",
        run.stderr
    );
    let sql = std::fs::read_to_string(dir.path().join("drizzle/0000_init.sql")).unwrap();
    assert!(sql.starts_with("CREATE TABLE"), "{sql}");
    assert!(
        !sql.contains("/*"),
        "never drizzle-kit's commented-out file"
    );

    let folder = MigrationsFolder::new(dir.path().join("drizzle"));
    let mut client = db.client();
    let report = drizzle_migrate::migrate(
        &mut client,
        &folder,
        &MigrateOptions::default(),
        &mut Silent,
    )
    .unwrap();
    assert_eq!((report.already_applied, report.applied.len()), (1, 0));

    // A second pull finds the folder started: nothing is written or marked twice.
    let again = drizzle_kit(dir.path(), &["pull", "--url", db.url(), "--baseline"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("you already have migrations"),
        "{}",
        again.stderr
    );
    let rows: i64 = client
        .query_one(
            &format!(
                "SELECT count(*) FROM {}",
                TrackingTable::default().qualified()
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
}

#[test]
fn schema_out_and_json_report() {
    let db = fresh_database();
    db.execute_script(
        "CREATE TYPE mood AS ENUM ('ok', 'sad');
         CREATE TABLE t (id integer PRIMARY KEY, m mood DEFAULT 'ok');
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = drizzle_kit(
        dir.path(),
        &[
            "pull",
            "--url",
            db.url(),
            "--schema-out",
            "src/db/schema.rs",
            "--json",
            "--name",
            "init",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("src/db/schema.rs").is_file());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["schema_file"], "src/db/schema.rs");
    assert_eq!(doc["objects"]["tables"], 1);
    assert_eq!(doc["objects"]["enums"], 1);
    assert_eq!(doc["migration"]["tag"], "0000_init");
    assert_eq!(doc["migration"]["statements"], 2);
    assert_eq!(doc["baseline"], serde_json::Value::Null);
    assert_eq!(doc["warnings"][0]["kind"], "function");
    assert_eq!(doc["warnings"][0]["object"], "public.f()");
    assert_eq!(doc["unprintable"], serde_json::json!([]));
    assert_eq!(doc["unsaid"], serde_json::json!([]));
    assert!(doc["timings"]["round_trips"].as_u64().unwrap() > 0);
}

#[test]
fn pull_without_a_database_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let run = drizzle_kit(dir.path(), &["pull"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no database to read"), "{}", run.stderr);
    assert!(!dir.path().join("drizzle").exists());
}
