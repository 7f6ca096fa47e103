//! The property: for random schema pairs (A, B), the migration A → B applied to a database
//! holding A leaves exactly the database B's initial migration creates from nothing
//! (compared as `pg_dump --schema-only`, column order aside).
//!
//! `PROPTEST_CASES` sets the number of pairs (default 200); a failure prints its seed, and
//! `DRIZZLE_PROPTEST_SEED=<seed>` replays that one pair.

use drizzle_diff::{DiffError, Plan, Renames};
use drizzle_schema::Schema;
use drizzle_testkit::{TestDatabase, fresh_database};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::dumps::{comparable, creation};
use crate::generate;

/// Diffs like a user who answers "create" to every rename question.
fn plan_answering_create(a: &Schema, b: &Schema) -> Result<Plan, String> {
    let mut renames = Renames::new();
    loop {
        match drizzle_diff::plan(a, b, &renames) {
            Ok(plan) => return Ok(plan),
            Err(DiffError::Ambiguous(candidates)) => {
                for c in candidates {
                    renames.create(c.creation());
                }
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Empties a database for the next pair, keeping the database (creating one per pair
/// would dominate the run time).
fn reset(db: &TestDatabase) {
    let mut client = db.client();
    let schemas: Vec<String> = client
        .query(
            "SELECT nspname FROM pg_namespace \
             WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
            &[],
        )
        .expect("schemas")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut script: String = schemas
        .iter()
        .map(|s| format!("DROP SCHEMA \"{s}\" CASCADE;"))
        .collect();
    script.push_str("CREATE SCHEMA public;");
    client.batch_execute(&script).expect("reset");
}

fn dump_after(db: &TestDatabase, scripts: &[&str]) -> Result<String, String> {
    reset(db);
    for (i, script) in scripts.iter().enumerate() {
        if !script.trim().is_empty() {
            db.execute_script(script)
                .map_err(|e| format!("script {i} failed: {e}\n{script}"))?;
        }
    }
    Ok(comparable(&db.pg_dump_schema()))
}

fn check(seed: u64, pool: &[TestDatabase; 2]) -> Result<(), String> {
    let (a, b) = generate::pair(seed);
    let plan = plan_answering_create(&a, &b)?;
    let migration = drizzle_sql::join_statements(&drizzle_sql::render(&plan.changes), true);
    let unchanged = drizzle_diff::diff(&b, &b, &Renames::new()).map_err(|e| e.to_string())?;
    if !unchanged.is_empty() {
        return Err(format!("B differs from itself: {unchanged:?}"));
    }
    let create_a = creation(&a);
    let create_b = creation(&b);
    let migrated = dump_after(&pool[0], &[&create_a, &migration])
        .map_err(|e| format!("{e}\n--- A\n{create_a}"))?;
    let fresh = dump_after(&pool[1], &[&create_b])?;
    if migrated != fresh {
        return Err(format!(
            "migrated A differs from fresh B\n--- A\n{create_a}\n--- migration\n{migration}\n--- B\n{create_b}\n--- migrated dump\n{migrated}\n--- fresh dump\n{fresh}"
        ));
    }
    Ok(())
}

#[test]
fn migrating_a_to_b_equals_creating_b() {
    let pool = [fresh_database(), fresh_database()];
    if let Ok(seed) = std::env::var("DRIZZLE_PROPTEST_SEED") {
        let seed: u64 = seed.parse().expect("DRIZZLE_PROPTEST_SEED is a number");
        check(seed, &pool).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        return;
    }
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let config = Config {
        cases,
        // A seed is the whole input: shrinking it only jumps to unrelated schemas.
        max_shrink_iters: 0,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&any::<u64>(), |seed| {
        check(seed, &pool).map_err(|e| {
            TestCaseError::fail(format!(
                "seed {seed} (replay: DRIZZLE_PROPTEST_SEED={seed}): {e}"
            ))
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn generated_pairs_cover_every_kind_of_change() {
    // The generator must exercise what the property is about, not just additions.
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..200 {
        let (a, b) = generate::pair(seed);
        if let Ok(plan) = plan_answering_create(&a, &b) {
            for change in &plan.changes {
                let name = format!("{change:?}");
                seen.insert(
                    name.split([' ', '(', '{'])
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
    }
    for kind in [
        "RenameSchema",
        "MoveEnum",
        "RenameEnum",
        "RenameEnumValue",
        "AddEnumValue",
        "RecreateEnum",
        "RenameSequence",
        "AlterSequence",
        "MoveTable",
        "RenameTable",
        "RenameColumn",
        "RenameConstraint",
        "RenameIndex",
        "AlterColumnType",
        "SetDefault",
        "DropDefault",
        "SetNotNull",
        "DropNotNull",
        "AddIdentity",
        "DropIdentity",
        "RecreateColumn",
        "DropGenerated",
        "AddColumnPrimaryKey",
        "DropColumnPrimaryKey",
        "AddPrimaryKey",
        "DropPrimaryKey",
        "AddForeignKey",
        "DropForeignKey",
        "CreateIndex",
        "DropIndex",
        "AddUnique",
        "DropUnique",
        "AddCheck",
        "DropCheck",
        "EnableRls",
        "DisableRls",
        "CreatePolicy",
        "DropPolicy",
        "AlterPolicy",
        "RenamePolicy",
        "CreateView",
        "DropView",
        "RenameView",
        "MoveView",
        "SetViewOptions",
        "DropTable",
        "CreateTable",
        "DropColumn",
        "AddColumn",
        "SetComment",
        "DropEnum",
        "DropSchema",
    ] {
        assert!(
            seen.contains(kind),
            "no generated pair produces {kind}; seen: {seen:?}"
        );
    }
}
