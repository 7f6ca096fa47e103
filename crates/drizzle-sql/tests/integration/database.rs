//! Every case on a real database: drizzle-kit's v1 migration, then our v2 migration, must
//! leave the database drizzle-kit's own v2 migration leaves — and always the database our
//! initial migration of v2 creates from nothing. Where drizzle-kit is documented wrong,
//! only the second holds, and the case says why.

use drizzle_diff::Renames;

use crate::cases::{self, Case};
use crate::dumps::{creation, dump_of};

/// Cases whose database differs from drizzle-kit's, and why ours is the right one.
const DRIZZLE_DIFFERS: &[(&str, &str)] = &[
    ("11_type_change", "drizzle-kit's migration fails (no USING)"),
    (
        "41_sequence_alter_drop",
        "drizzle-kit leaves the sequence cycling",
    ),
    (
        "55_rename_table",
        "the primary key is renamed with its table",
    ),
    (
        "58_rename_table_and_columns",
        "the primary key is renamed with its table",
    ),
    (
        "61_move_table_and_enum_schema",
        "the primary key is renamed with its table",
    ),
    (
        "67_defaults_bigint_crash",
        "drizzle-kit wrote no migration (crash)",
    ),
    (
        "68_rename_schema_enum_column_crash",
        "drizzle-kit wrote no migration (crash)",
    ),
    (
        "70_defaults_broken_literals",
        "drizzle-kit's migration is invalid SQL",
    ),
];

/// Cases that need extensions this machine does not have (postgis, pgvector).
const NEEDS_EXTENSIONS: &[&str] = &["07_types_extensions_custom"];

fn roles(case: &Case) -> Vec<String> {
    case.v1
        .roles
        .keys()
        .chain(case.v2.roles.keys())
        .cloned()
        .collect()
}

fn check(case: &Case) -> Result<(), String> {
    let prelude = std::fs::read_to_string(case.dir.join("apply_prelude.sql")).unwrap_or_default();
    let ours = drizzle_sql::join_statements(&cases::ours(&case.v1, &case.v2, &case.answers)?, true);
    let roles = roles(case);
    // Roles are cluster-wide: taken from every other test using them, and gone before each
    // database is built, so that no build sees another's.
    let mut guard = (!roles.is_empty()).then(|| drizzle_testkit::exclusive_roles(&roles));
    let mut run = |scripts: &[&str]| {
        if let Some(guard) = guard.as_mut() {
            guard.reset();
        }
        dump_of(scripts)
    };
    let migrated = run(&[&prelude, &case.expected_v1, &ours])
        .map_err(|e| format!("our migration failed: {e}"))?;
    let fresh = run(&[&prelude, &creation(&case.v2)])
        .map_err(|e| format!("our initial migration of v2 failed: {e}"))?;
    if migrated != fresh {
        return Err(format!(
            "migrated database differs from a fresh one\n--- migrated\n{migrated}\n--- fresh\n{fresh}"
        ));
    }
    let drizzle = run(&[&prelude, &case.expected_v1, &case.expected]);
    let differs = DRIZZLE_DIFFERS.iter().any(|(c, _)| *c == case.name);
    match drizzle {
        Ok(d) if d == migrated && differs => {
            Err("drizzle-kit's database is listed as different but is the same".to_owned())
        }
        Ok(d) if d != migrated && !differs => Err(format!(
            "differs from drizzle-kit's database\n--- drizzle-kit\n{d}\n--- ours\n{migrated}"
        )),
        Err(e) if !differs => Err(format!("drizzle-kit's migration failed: {e}")),
        _ => Ok(()),
    }
}

#[test]
fn every_case_migrates_a_real_database() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases::all() {
        if NEEDS_EXTENSIONS.contains(&case.name.as_str()) {
            continue;
        }
        if let Err(e) = check(&case) {
            failures.push(format!("{}: {e}", case.name));
        }
        checked += 1;
    }
    assert!(checked > 40, "cases checked: {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn renames_keep_the_old_objects() {
    // A rename that came out as drop + create would lose the rows: check one directly.
    let case = cases::all()
        .into_iter()
        .find(|c| c.name == "58_rename_table_and_columns")
        .expect("case 58");
    let ours = cases::ours(&case.v1, &case.v2, &Renames::new()).unwrap();
    let db = crate::dumps::database_with(&[&case.expected_v1]).unwrap();
    db.execute_script("INSERT INTO customer (id, fname, lname) VALUES (1, 'Ada', 'Lovelace')")
        .unwrap();
    db.execute_script(&drizzle_sql::join_statements(&ours, true))
        .unwrap();
    let row = db
        .client()
        .query_one(
            "SELECT first_name, last_name FROM clients WHERE id = 1",
            &[],
        )
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, String>(1)),
        ("Ada".to_owned(), "Lovelace".to_owned())
    );
}
