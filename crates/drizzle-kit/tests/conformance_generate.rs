//! End-to-end `generate` conformance against drizzle-kit 0.31 on every fixture case.
//!
//! For each folder in `migrations-fixtures/cases` the real binary generates the v1 migration
//! from `schema_v1.rs`, then the v2 migration from `schema_v2.rs` in the same folder. Each
//! migration must equal drizzle-kit's (`expected_v1.sql`, `expected.sql`) statement for
//! statement, and applying ours to one fresh database and drizzle-kit's to another must give
//! the same `pg_dump` (plus the roles it created). Each snapshot must be drizzle-kit's byte
//! for byte, ids aside. Generating again without changes must write nothing. A second test
//! continues drizzle-kit's own folders. Every allowed difference is listed in a table
//! ([`DEVIATIONS`], [`SNAPSHOT_DRIFT`], [`FOLDER_DRIFT`]) with its reason, and the answers to
//! rename questions in [`ANSWERS`]; nothing is skipped silently.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use drizzle_testkit::{
    RolesGuard, TestDatabase, exclusive_roles, fresh_database, roles_in_migrations,
};

/// drizzle-kit's separator between statements in a migration file.
const BREAKPOINT: &str = "--> statement-breakpoint";

/// The two migrations of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// `schema_v1.rs` from an empty folder, compared with `expected_v1.sql`.
    V1,
    /// `schema_v2.rs` on top of v1, compared with `expected.sql`.
    V2,
}

impl Step {
    fn label(self) -> &'static str {
        match self {
            Step::V1 => "v1",
            Step::V2 => "v2",
        }
    }

    fn schema_file(self) -> &'static str {
        match self {
            Step::V1 => "schema_v1.rs",
            Step::V2 => "schema_v2.rs",
        }
    }

    fn expected_file(self) -> &'static str {
        match self {
            Step::V1 => "expected_v1.sql",
            Step::V2 => "expected.sql",
        }
    }
}

/// Answers to the questions generate cannot decide alone (no TTY in tests), exactly the
/// answers recorded in the case's `prompts.txt`; passed on the step's first run only.
const ANSWERS: &[(&str, Step, &[&str])] = &[
    (
        "13_add_drop_table",
        Step::V2,
        &["--create", "table:brand_new"],
    ),
    (
        "46_schema_create_drop",
        Step::V2,
        &[
            "--create",
            "schema:analytics",
            "--create",
            "table:analytics.events",
        ],
    ),
    ("52_rls_alter", Step::V2, &["--create", "policy:t.added"]),
    ("53_role_alter", Step::V2, &["--create", "role:brand_new"]),
    (
        "65_rename_declined",
        Step::V2,
        &[
            "--create",
            "table:new_table",
            "--create",
            "column:a.new_col",
        ],
    ),
];

/// One allowed difference between our output and drizzle-kit's for a case and step.
struct Deviation {
    case: &'static str,
    step: Step,
    kind: Kind,
    /// Why the difference is right; a `NOTES.md` reference when drizzle-kit is wrong.
    reason: &'static str,
}

enum Kind {
    /// drizzle-kit is wrong, or we deliberately reach a better end state: we must write the
    /// edited SQL, and the reference database gets the edited SQL too.
    Corrected(Edit),
    /// Our text differs but reaches the same end state: the text check expects the edited SQL,
    /// while the reference database keeps drizzle-kit's statements so the dumps prove it.
    Equivalent(Edit),
    /// Both sides fail to apply statements because PostgreSQL lacks an extension on this
    /// machine; each listed message must occur on both sides, and nothing else may fail.
    ApplyFails { messages: &'static [&'static str] },
}

/// A change to drizzle-kit's statement list.
enum Edit {
    /// `from` occurs in exactly one statement, exactly once, and becomes `to`.
    Text {
        from: &'static str,
        to: &'static str,
    },
    /// The `from` statements (each present) are removed and `to` is put where the first of them
    /// was; with no `from` (drizzle-kit crashed and wrote nothing) `to` is appended.
    Statements {
        from: &'static [&'static str],
        to: &'static [&'static str],
    },
    /// `statement` moves to right after `after`: the same statements in a dependency-safe order.
    Move {
        statement: &'static str,
        after: &'static str,
    },
    /// `to` is inserted right after the statement `after` (`None`: at the beginning).
    Insert {
        after: Option<&'static str>,
        to: &'static [&'static str],
    },
}

impl Edit {
    fn apply(&self, statements: &mut Vec<String>) -> Result<(), String> {
        let position = |statements: &[String], wanted: &str| {
            statements
                .iter()
                .position(|s| s == wanted)
                .ok_or_else(|| format!("no statement {wanted:?}"))
        };
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Edit::Text { from, to } => {
                let hits: Vec<usize> = (0..statements.len())
                    .filter(|&i| statements[i].contains(from))
                    .collect();
                match hits.as_slice() {
                    [index] if statements[*index].matches(from).count() == 1 => {
                        statements[*index] = statements[*index].replacen(from, to, 1);
                    }
                    _ => return Err(format!("{from:?} is not in exactly one statement, once")),
                }
            }
            Edit::Statements { from, to } => {
                let mut at = statements.len();
                for wanted in *from {
                    let index = position(statements, wanted)?;
                    statements.remove(index);
                    at = at.min(index);
                }
                statements.splice(at..at, owned(to));
            }
            Edit::Move { statement, after } => {
                let moved = statements.remove(position(statements, statement)?);
                let at = position(statements, after)? + 1;
                statements.insert(at, moved);
            }
            Edit::Insert { after, to } => {
                let at = match after {
                    Some(after) => position(statements, after)? + 1,
                    None => 0,
                };
                statements.splice(at..at, owned(to));
            }
        }
        Ok(())
    }
}

/// Every expected difference from drizzle-kit, with its reason. Keep sorted by case.
const DEVIATIONS: &[Deviation] = &[
    Deviation {
        case: "01_types_integers",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Text {
            from: r#""big_serial_big" bigserial,"#,
            to: r#""big_serial_big" bigserial NOT NULL,"#,
        }),
        reason: "NOTES.md 3: drizzle-orm gives bigserial mode bigint no NOT NULL; a serial \
                 column is NOT NULL in the language, and in PostgreSQL anyway",
    },
    Deviation {
        case: "07_types_extensions_custom",
        step: Step::V2,
        kind: Kind::ApplyFails {
            messages: &[r#"type "geometry" does not exist"#],
        },
        reason: "postgis and pgvector are not installed here (nor on the oracle machine, \
                 apply_check.txt): the CREATE TABLE fails identically on both sides",
    },
    Deviation {
        case: "11_type_change",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Text {
            from: r#""text_to_int" SET DATA TYPE integer;"#,
            to: r#""text_to_int" SET DATA TYPE integer USING "text_to_int"::integer;"#,
        }),
        reason: "NOTES.md 4.1 'Type changes emit no USING' (text -> integer)",
    },
    Deviation {
        case: "11_type_change",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Text {
            from: r#""int_to_array" SET DATA TYPE integer[];"#,
            to: r#""int_to_array" SET DATA TYPE integer[] USING CASE WHEN "int_to_array" IS NULL THEN NULL ELSE ARRAY["int_to_array"] END;"#,
        }),
        reason: "NOTES.md 4.1 'Type changes emit no USING' (integer -> integer[])",
    },
    Deviation {
        case: "14_pk_composite_create",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Text {
            from: "\t\"id\" integer,\n\tCONSTRAINT \"single_via_extra_id_pk\"",
            to: "\t\"id\" integer NOT NULL,\n\tCONSTRAINT \"single_via_extra_id_pk\"",
        }),
        reason: "a primary key column is NOT NULL in the language (schema_v2.rs), and in \
                 PostgreSQL anyway",
    },
    Deviation {
        case: "26_fk_alter",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Statements {
            from: &[
                r#"ALTER TABLE "child" DROP CONSTRAINT "fk_old_name";"#,
                r#"ALTER TABLE "child" ADD CONSTRAINT "fk_new_name" FOREIGN KEY ("renamed_fk") REFERENCES "public"."parent"("id") ON DELETE no action ON UPDATE no action;"#,
            ],
            to: &[],
        }),
        reason: "a foreign key whose only change is its name is renamed, not dropped and \
                 re-validated",
    },
    Deviation {
        case: "26_fk_alter",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Insert {
            after: None,
            to: &[r#"ALTER TABLE "child" RENAME CONSTRAINT "fk_old_name" TO "fk_new_name";"#],
        }),
        reason: "renames come first, as drizzle-kit orders its own renames",
    },
    Deviation {
        case: "41_sequence_alter_drop",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Text {
            from: "MAXVALUE 5000 START WITH 1 CACHE 1;",
            to: "MAXVALUE 5000 START WITH 1 CACHE 1 NO CYCLE;",
        }),
        reason: "NOTES.md 4.1 'Sequence cycle: true -> false is written without NO CYCLE'",
    },
    Deviation {
        case: "53_role_alter",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Move {
            statement: r#"DROP ROLE "drop_me";"#,
            after: r#"ALTER ROLE "change_opts" WITH CREATEDB CREATEROLE NOINHERIT;"#,
        }),
        reason: "roles are dropped after every policy statement, since a policy dropped later \
                 in the same migration may still name the role (drizzle-sql order.rs)",
    },
    Deviation {
        case: "55_rename_table",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Statements {
            from: &[
                r#"ALTER TABLE "accounts" DROP CONSTRAINT "users_name_unique";"#,
                r#"ALTER TABLE "posts" DROP CONSTRAINT "posts_author_id_users_id_fk";"#,
                r#"ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_accounts_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;"#,
                r#"ALTER TABLE "accounts" ADD CONSTRAINT "accounts_name_unique" UNIQUE("name");"#,
            ],
            to: &[
                r#"ALTER TABLE "posts" RENAME CONSTRAINT "posts_author_id_users_id_fk" TO "posts_author_id_accounts_id_fk";"#,
                r#"ALTER TABLE "accounts" RENAME CONSTRAINT "users_name_unique" TO "accounts_name_unique";"#,
            ],
        }),
        reason: "NOTES.md 4.2 'Table rename drops and re-adds the auto-named unique constraint \
                 and every FK': we rename them",
    },
    Deviation {
        case: "55_rename_table",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Insert {
            after: Some(r#"ALTER TABLE "users" RENAME TO "accounts";"#),
            to: &[r#"ALTER TABLE "accounts" RENAME CONSTRAINT "users_pkey" TO "accounts_pkey";"#],
        }),
        reason: "the inline primary key follows the table's name (<table>_pkey), so a migrated \
                 database equals a freshly created one; drizzle-kit leaves users_pkey",
    },
    Deviation {
        case: "56_rename_column",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Statements {
            from: &[
                r#"ALTER TABLE "t" DROP CONSTRAINT "qty_pos";"#,
                r#"ALTER TABLE "t" DROP CONSTRAINT "t_parent_ref_parent_id_fk";"#,
                r#"DROP INDEX "t_title_idx";"#,
                r#"ALTER TABLE "t" ADD CONSTRAINT "t_parent_id_parent_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."parent"("id") ON DELETE no action ON UPDATE no action;"#,
                r#"CREATE INDEX "t_title_idx" ON "t" USING btree ("headline");"#,
                r#"ALTER TABLE "t" ADD CONSTRAINT "qty_pos" CHECK ("t"."quantity" > 0);"#,
            ],
            to: &[
                r#"ALTER TABLE "t" RENAME CONSTRAINT "t_parent_ref_parent_id_fk" TO "t_parent_id_parent_id_fk";"#,
            ],
        }),
        reason: "NOTES.md 4.2 'Column renames drop and re-add dependent checks, FKs and \
                 indexes': PostgreSQL carries them over; only the FK's generated name changes",
    },
    Deviation {
        case: "58_rename_table_and_columns",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Statements {
            from: &[
                r#"ALTER TABLE "clients" DROP CONSTRAINT "customer_name_uq";"#,
                r#"ALTER TABLE "orders" DROP CONSTRAINT "orders_customer_id_customer_id_fk";"#,
                r#"ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_clients_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;"#,
                r#"ALTER TABLE "clients" ADD CONSTRAINT "customer_name_uq" UNIQUE("first_name","last_name");"#,
            ],
            to: &[
                r#"ALTER TABLE "orders" RENAME CONSTRAINT "orders_customer_id_customer_id_fk" TO "orders_customer_id_clients_id_fk";"#,
            ],
        }),
        reason: "NOTES.md 4.2 (table and column renames drop and re-add constraints): the \
                 unique constraint follows its columns, the FK is renamed",
    },
    Deviation {
        case: "58_rename_table_and_columns",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Insert {
            after: Some(r#"ALTER TABLE "clients" RENAME COLUMN "lname" TO "last_name";"#),
            to: &[r#"ALTER TABLE "clients" RENAME CONSTRAINT "customer_pkey" TO "clients_pkey";"#],
        }),
        reason: "the inline primary key follows the table's name (see 55_rename_table)",
    },
    Deviation {
        case: "59_rename_schema",
        step: Step::V2,
        kind: Kind::Equivalent(Edit::Statements {
            from: &[
                r#"ALTER TABLE "new_app"."tags" DROP CONSTRAINT "tags_item_id_items_id_fk";"#,
                r#"ALTER TABLE "new_app"."tags" ADD CONSTRAINT "tags_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "new_app"."items"("id") ON DELETE no action ON UPDATE no action;"#,
            ],
            to: &[],
        }),
        reason: "the FK follows its renamed schema; drizzle-kit drops and re-adds it unchanged",
    },
    Deviation {
        case: "61_move_table_and_enum_schema",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Insert {
            after: Some(r#"ALTER TABLE "app"."items" RENAME TO "products";"#),
            to: &[
                r#"ALTER TABLE "app"."products" RENAME CONSTRAINT "items_pkey" TO "products_pkey";"#,
            ],
        }),
        reason: "the inline primary key follows the table's name (see 55_rename_table)",
    },
    Deviation {
        case: "67_defaults_bigint_crash",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Statements {
            from: &[],
            to: &[
                "CREATE TABLE \"t\" (\n\t\"id\" integer PRIMARY KEY NOT NULL,\n\t\"big_big\" bigint DEFAULT 9007199254740993\n);",
            ],
        }),
        reason: "NOTES.md 4.2 'Crash on a BigInt default': drizzle-kit writes nothing",
    },
    Deviation {
        case: "68_rename_schema_enum_column_crash",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Statements {
            from: &[],
            to: &[r#"ALTER SCHEMA "old_app" RENAME TO "new_app";"#],
        }),
        reason: "NOTES.md 4.2 'Crash on schema rename with an enum column': drizzle-kit writes \
                 nothing; the enum, table and column follow the schema",
    },
    Deviation {
        case: "70_defaults_broken_literals",
        step: Step::V2,
        kind: Kind::Corrected(Edit::Statements {
            from: &[concat!(
                "CREATE TABLE \"t\" (\n",
                "\t\"id\" integer PRIMARY KEY NOT NULL,\n",
                "\t\"text_arr_quotes\" text[] DEFAULT '{\"b'c\",\"d\"e\"}',\n",
                "\t\"text_arr_backslash\" text[] DEFAULT '{\"x\\y\"}',\n",
                "\t\"pt_tuple\" \"point\" DEFAULT 1,2,\n",
                "\t\"pt_xy\" \"point\" DEFAULT [object Object],\n",
                "\t\"ln_abc\" \"line\" DEFAULT [object Object],\n",
                "\t\"ln_tuple\" \"line\" DEFAULT 1,2,3,\n",
                "\t\"json_quote\" json DEFAULT '{\"b\":\"x'y\"}'::json,\n",
                "\t\"jsonb_quote\" jsonb DEFAULT '[\"it's\"]'::jsonb\n",
                ");"
            )],
            to: &[concat!(
                "CREATE TABLE \"t\" (\n",
                "\t\"id\" integer PRIMARY KEY NOT NULL,\n",
                "\t\"text_arr_quotes\" text[] DEFAULT '{\"b''c\",\"d\\\"e\"}',\n",
                "\t\"text_arr_backslash\" text[] DEFAULT '{\"x\\\\y\"}',\n",
                "\t\"pt_tuple\" \"point\" DEFAULT '(1,2)',\n",
                "\t\"pt_xy\" \"point\" DEFAULT '(3,4)',\n",
                "\t\"ln_abc\" \"line\" DEFAULT '{1,2,3}',\n",
                "\t\"ln_tuple\" \"line\" DEFAULT '{1,2,3}',\n",
                "\t\"json_quote\" json DEFAULT '{\"b\":\"x''y\"}'::json,\n",
                "\t\"jsonb_quote\" jsonb DEFAULT '[\"it''s\"]'::jsonb\n",
                ");"
            )],
        }),
        reason: "NOTES.md 4.1 'Point and line defaults ... array literals ... JSON default' \
                 render as invalid SQL; schema_v2.rs spells the intended literals",
    },
];

/// What happened to one case.
#[derive(Default)]
struct Outcome {
    problems: Vec<String>,
    deviations_used: Vec<String>,
}

impl Outcome {
    fn problem(&mut self, step: Step, text: impl Into<String>) {
        self.problems
            .push(format!("[{}] {}", step.label(), text.into()));
    }
}

#[test]
fn generate_matches_drizzle_kit_on_every_case() {
    let cases = case_dirs();
    assert!(
        !cases.is_empty(),
        "no fixture cases found in {}",
        cases_root().display()
    );
    check_tables(&cases);

    let mut report = String::new();
    let mut failed = Vec::new();
    for (case, outcome) in cases.iter().zip(check_all(&cases)) {
        let name = case_name(case);
        let status = if outcome.problems.is_empty() {
            "PASS"
        } else {
            "FAIL"
        };
        let _ = write!(report, "{status} {name}");
        if !outcome.deviations_used.is_empty() {
            let _ = write!(
                report,
                " (deviations: {})",
                outcome.deviations_used.join("; ")
            );
        }
        report.push('\n');
        for problem in &outcome.problems {
            for (index, line) in problem.lines().enumerate() {
                let indent = if index == 0 { "  - " } else { "    " };
                let _ = writeln!(report, "{indent}{line}");
            }
        }
        if !outcome.problems.is_empty() {
            failed.push(name);
        }
    }
    let summary = format!(
        "{} of {} cases pass; failing: {}\n",
        cases.len() - failed.len(),
        cases.len(),
        if failed.is_empty() {
            "none".to_string()
        } else {
            failed.join(", ")
        }
    );
    assert!(failed.is_empty(), "{report}{summary}");
    println!("{report}{summary}");
}

/// Checks the cases on as many threads as there are cores: each case is independent (its own
/// folder and databases) and most of the time is spent waiting on PostgreSQL and the binary.
fn check_all(cases: &[PathBuf]) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let outcomes: Vec<Mutex<Option<Outcome>>> = cases.iter().map(|_| Mutex::new(None)).collect();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    let outcome = check_case(case);
                    *outcomes[index].lock().expect("outcome slot") = Some(outcome);
                }
            });
        }
    });
    outcomes
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("outcome slot")
                .expect("every case ran")
        })
        .collect()
}

/// The SQL of one step: what we wrote and what the reference database gets.
struct StepSql {
    step: Step,
    ours: Vec<String>,
    reference: Vec<String>,
    apply_fails: &'static [&'static str],
}

/// Runs both steps of one case and collects every problem instead of stopping at the first.
fn check_case(dir: &Path) -> Outcome {
    let name = case_name(dir);
    let mut outcome = Outcome::default();
    let work = tempfile::tempdir().expect("temporary directory");
    let mut steps = Vec::new();
    for step in [Step::V1, Step::V2] {
        match generate_step(&name, dir, step, work.path(), &mut outcome) {
            Some(sql) => steps.push(sql),
            // v2 builds on v1's snapshot: without it the comparison would be meaningless.
            None => break,
        }
    }
    // Roles are cluster-wide: both sides' snapshots name every role either side creates.
    let mut roles = roles_in_migrations(&dir.join("out"));
    roles.extend(roles_in_migrations(&work.path().join("out")));
    apply_and_compare(dir, &steps, &roles, &mut outcome);
    outcome
}

/// Generates one step and checks its file name, statements and idempotence; `None` when
/// nothing usable was written.
fn generate_step(
    name: &str,
    case: &Path,
    step: Step,
    work: &Path,
    outcome: &mut Outcome,
) -> Option<StepSql> {
    std::fs::copy(case.join(step.schema_file()), work.join("schema.rs")).expect("copy schema");
    let deviations: Vec<&Deviation> = deviations_for(name, step).collect();
    let answers = answers_for(name, step);

    let written = match generate(work, step.label(), answers) {
        Ok(files) => files,
        Err(error) => {
            outcome.problem(step, error);
            return None;
        }
    };
    let ours = match written.as_slice() {
        [] => Vec::new(),
        [file] => split_statements(&std::fs::read_to_string(file).expect("read migration")),
        many => {
            outcome.problem(step, format!("generate wrote several files: {many:?}"));
            return None;
        }
    };
    check_file_names(case, step, &written, &deviations, outcome);
    if let [file] = written.as_slice() {
        check_snapshot(name, case, step, file, outcome);
    }
    match generate(work, &format!("{}_again", step.label()), &[]) {
        Ok(files) if files.is_empty() => {}
        Ok(files) => outcome.problem(
            step,
            format!("a second generate on the same schema wrote {files:?}"),
        ),
        Err(error) => outcome.problem(step, format!("second generate: {error}")),
    }

    let expected = expectation(name, case, step);
    outcome.deviations_used.extend(
        expected
            .reasons
            .iter()
            .map(|reason| format!("{} {reason}", step.label())),
    );
    for error in &expected.table_errors {
        outcome.problem(step, format!("deviation table: {error}"));
    }
    let expected_text = expected.text;
    if ours != expected_text {
        outcome.problem(step, statement_diff(&ours, &expected_text));
    }
    Some(StepSql {
        step,
        ours,
        reference: expected.reference,
        apply_fails: expected.apply_fails,
    })
}

/// What a step must produce, after applying the case's deviations to drizzle-kit's SQL.
struct Expectation {
    /// The statements we must write.
    text: Vec<String>,
    /// The statements the reference database gets.
    reference: Vec<String>,
    apply_fails: &'static [&'static str],
    reasons: Vec<&'static str>,
    table_errors: Vec<String>,
}

fn expectation(name: &str, case: &Path, step: Step) -> Expectation {
    let expected_sql =
        std::fs::read_to_string(case.join(step.expected_file())).expect("expected sql");
    let theirs = split_statements(&expected_sql);
    let mut expected = Expectation {
        text: theirs.clone(),
        reference: theirs,
        apply_fails: &[],
        reasons: Vec::new(),
        table_errors: Vec::new(),
    };
    for deviation in deviations_for(name, step) {
        expected.reasons.push(deviation.reason);
        let applied = match &deviation.kind {
            Kind::Corrected(edit) => edit
                .apply(&mut expected.text)
                .and_then(|()| edit.apply(&mut expected.reference)),
            Kind::Equivalent(edit) => edit.apply(&mut expected.text),
            Kind::ApplyFails { messages } => {
                expected.apply_fails = messages;
                Ok(())
            }
        };
        if let Err(error) = applied {
            expected.table_errors.push(error);
        }
    }
    expected
}

fn deviations_for(name: &str, step: Step) -> impl Iterator<Item = &'static Deviation> {
    DEVIATIONS
        .iter()
        .filter(move |d| d.case == name && d.step == step)
}

fn answers_for(name: &str, step: Step) -> &'static [&'static str] {
    ANSWERS
        .iter()
        .find(|(case, answered, _)| *case == name && *answered == step)
        .map_or(&[], |(_, _, args)| *args)
}

/// Our migration must have the file name drizzle-kit gave its own (`0000_v1.sql`, ...).
fn check_file_names(
    case: &Path,
    step: Step,
    written: &[PathBuf],
    deviations: &[&Deviation],
    outcome: &mut Outcome,
) {
    let suffix = format!("_{}.sql", step.label());
    let theirs: Vec<String> = file_names(sql_files(&case.join("out")).iter())
        .into_iter()
        .filter(|file| file.ends_with(&suffix))
        .collect();
    let ours = file_names(written.iter());
    // Where drizzle-kit crashed it wrote no file, so only the count can be checked.
    let crashed = deviations
        .iter()
        .any(|d| matches!(d.kind, Kind::Corrected(Edit::Statements { from: &[], .. })));
    let matches = ours == theirs || (crashed && theirs.is_empty() && ours.len() == 1);
    if !matches {
        outcome.problem(
            step,
            format!("migration files {ours:?}, drizzle-kit wrote {theirs:?}"),
        );
    }
}

/// Where our snapshot may differ from drizzle-kit's: JSON paths (`/`-separated) that
/// `schema_*.rs` deliberately describes differently from `schema_*.ts`.
const SNAPSHOT_DRIFT: &[(&str, Step, &[&str], &str)] = &[
    (
        "01_types_integers",
        Step::V2,
        &["/tables/public.ints/columns/big_serial_big/notNull"],
        "bigserial mode bigint is nullable in drizzle-orm (NOTES.md 3)",
    ),
    (
        "14_pk_composite_create",
        Step::V2,
        &["/tables/public.single_via_extra/columns/id/notNull"],
        "drizzle-orm leaves a table-level single-column primary key nullable",
    ),
    (
        "47_view_create",
        Step::V2,
        &[
            "/views/public.active_users/columns/id/primaryKey",
            "/views/public.opts_view/columns/id",
            "/views/public.opts_view/columns/name",
            "/views/public.opts_view/columns/active",
            "/views/public.opts_view/columns/age",
        ],
        "view columns come from the Rust struct: drizzle-orm copies primaryKey from the \
         selected table column, and OptsView is a unit struct where TS select() expands to \
         every column (view columns never reach SQL)",
    ),
    (
        "49_matview_create",
        Step::V2,
        &["/views/public.totals/columns/total"],
        "drizzle-orm records no column for a sql`...`.as(\"total\") selection; the Rust \
         struct declares it",
    ),
    (
        "70_defaults_broken_literals",
        Step::V2,
        &[
            "/tables/public.t/columns/text_arr_quotes/default",
            "/tables/public.t/columns/text_arr_backslash/default",
            "/tables/public.t/columns/pt_tuple/default",
            "/tables/public.t/columns/pt_xy/default",
            "/tables/public.t/columns/ln_abc/default",
            "/tables/public.t/columns/ln_tuple/default",
            "/tables/public.t/columns/json_quote/default",
            "/tables/public.t/columns/jsonb_quote/default",
        ],
        "drizzle-kit stores the broken literals, or JSON values for point and line (NOTES.md 4.1)",
    ),
];

/// Our snapshot must be drizzle-kit's byte for byte (ids aside), so either tool can continue
/// the other's folder and diffs stay clean; documented drift is compared by JSON path.
fn check_snapshot(name: &str, case: &Path, step: Step, written: &Path, outcome: &mut Outcome) {
    let Some(prefix) = written
        .file_name()
        .and_then(|file| file.to_str())
        .and_then(|file| file.split('_').next())
    else {
        return;
    };
    let snapshot = format!("{prefix}_snapshot.json");
    let ours_path = written.with_file_name("meta").join(&snapshot);
    let theirs_path = case.join("out/meta").join(&snapshot);
    let Ok(theirs) = std::fs::read_to_string(&theirs_path) else {
        // drizzle-kit crashed before writing (see DEVIATIONS); nothing to compare with.
        return;
    };
    let ours = match std::fs::read_to_string(&ours_path) {
        Ok(text) => text,
        Err(error) => {
            outcome.problem(
                step,
                format!("no snapshot {}: {error}", ours_path.display()),
            );
            return;
        }
    };
    let drift = SNAPSHOT_DRIFT
        .iter()
        .find(|(case, drifted, _, _)| *case == name && *drifted == step);
    if drift.is_none() && without_ids(&ours) == without_ids(&theirs) {
        return;
    }
    let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text);
    let (Ok(ours_json), Ok(theirs_json)) = (parse(&ours), parse(&theirs)) else {
        outcome.problem(step, format!("snapshot {snapshot} is not JSON"));
        return;
    };
    let mut differences = Vec::new();
    json_differences(&ours_json, &theirs_json, String::new(), &mut differences);
    differences.retain(|path| path != "/id" && path != "/prevId");
    // We record the migration's renames in `_meta` (in the format drizzle-kit's pull
    // writes); drizzle-kit 0.31's generate always leaves it empty.
    let renames_only =
        !differences.is_empty() && differences.iter().all(|p| p.starts_with("/_meta/"));
    differences.retain(|path| !path.starts_with("/_meta/"));
    let allowed = drift.map_or(&[][..], |(_, _, paths, _)| *paths);
    let unexpected: Vec<&String> = differences
        .iter()
        .filter(|path| !allowed.contains(&path.as_str()))
        .collect();
    if let Some((_, _, _, reason)) = drift {
        outcome
            .deviations_used
            .push(format!("{} snapshot: {reason}", step.label()));
    }
    if !unexpected.is_empty() || (drift.is_none() && differences.is_empty() && !renames_only) {
        let detail = if unexpected.is_empty() {
            "same JSON, different text (formatting)".to_string()
        } else {
            unexpected
                .iter()
                .map(|path| path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        outcome.problem(
            step,
            format!("snapshot {snapshot} differs from drizzle-kit's at {detail}"),
        );
    }
}

/// The snapshot text with `id` and `prevId` values blanked (they are random per run).
fn without_ids(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("\"id\": ") || trimmed.starts_with("\"prevId\": ") {
                trimmed.split(':').next().unwrap_or(trimmed)
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// JSON paths where two documents differ, including object key order.
fn json_differences(
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
    path: String,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let before = out.len();
            for (key, value) in a {
                let child = format!("{path}/{key}");
                match b.get(key) {
                    Some(other) => json_differences(value, other, child, out),
                    None => out.push(child),
                }
            }
            out.extend(
                b.keys()
                    .filter(|key| !a.contains_key(*key))
                    .map(|key| format!("{path}/{key}")),
            );
            if out.len() == before && !a.keys().eq(b.keys()) {
                out.push(format!("{path} (key order)"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                json_differences(x, y, format!("{path}/{index}"), out);
            }
        }
        _ if ours == theirs => {}
        _ => out.push(path),
    }
}

fn file_names<'a>(files: impl Iterator<Item = &'a PathBuf>) -> Vec<String> {
    files
        .filter_map(|file| Some(file.file_name()?.to_string_lossy().into_owned()))
        .collect()
}

/// Applies both sides step by step, each to its own fresh database, in autocommit like the
/// oracle's psql run, and compares the dumps after every step.
fn apply_and_compare(case: &Path, steps: &[StepSql], roles: &[String], outcome: &mut Outcome) {
    let prelude = std::fs::read_to_string(case.join("apply_prelude.sql")).ok();
    // Roles are cluster-wide: cases that create them take turns with every other test using
    // roles, and each side starts without them, so neither sees the other's.
    let mut roles = (!roles.is_empty()).then(|| exclusive_roles(roles));

    let ours = apply_side(
        "ours",
        steps,
        |s| &s.ours,
        prelude.as_deref(),
        roles.as_mut(),
        outcome,
    );
    let theirs = apply_side(
        "drizzle-kit's",
        steps,
        |s| &s.reference,
        prelude.as_deref(),
        roles.as_mut(),
        outcome,
    );
    for ((step, ours_dump), (_, theirs_dump)) in ours.iter().zip(&theirs) {
        if ours_dump != theirs_dump {
            outcome.problem(
                *step,
                format!(
                    "pg_dump differs (- drizzle-kit, + ours):\n{}",
                    line_diff(theirs_dump, ours_dump)
                ),
            );
        }
    }
}

/// Applies one side's statements step by step and returns the dump after each step.
fn apply_side(
    side: &str,
    steps: &[StepSql],
    statements_of: impl Fn(&StepSql) -> &Vec<String>,
    prelude: Option<&str>,
    mut roles: Option<&mut RolesGuard>,
    outcome: &mut Outcome,
) -> Vec<(Step, String)> {
    let database = fresh_database();
    if let Some(prelude) = prelude
        && let Err(error) = database.execute_script(prelude)
    {
        outcome.problem(
            Step::V1,
            format!("{side} apply_prelude.sql failed: {error}"),
        );
    }
    let mut dumps = Vec::new();
    for step_sql in steps {
        let step = step_sql.step;
        let statements = statements_of(step_sql);
        let errors = database.execute_statements(statements);
        for (index, error) in &errors {
            if !step_sql.apply_fails.iter().any(|m| error.contains(m)) {
                outcome.problem(
                    step,
                    format!("{side} statement failed: {error}\n{}", statements[*index]),
                );
            }
        }
        for message in step_sql.apply_fails {
            if !errors.iter().any(|(_, error)| error.contains(message)) {
                outcome.problem(
                    step,
                    format!("{side} statements did not fail with {message:?}"),
                );
            }
        }
        let mut dump = database.pg_dump_schema();
        if let Some(roles) = roles.as_deref() {
            dump.push_str(&describe_roles(&database, roles.names()));
        }
        dumps.push((step, dump));
    }
    drop(database);
    if let Some(roles) = roles.as_mut() {
        roles.reset();
    }
    dumps
}

/// The guarded roles this side created, with their attributes (pg_dump of a database omits
/// roles, so a role migration would otherwise go unchecked).
fn describe_roles(database: &TestDatabase, names: &[String]) -> String {
    let mut client = database.client();
    let rows = client
        .query(
            "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin \
             FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname",
            &[&names],
        )
        .expect("list roles");
    let mut text = String::new();
    for row in rows {
        let name: String = row.get(0);
        let flags: Vec<String> = ["super", "inherit", "createrole", "createdb", "login"]
            .iter()
            .enumerate()
            .map(|(i, flag)| format!("{flag}={}", row.get::<_, bool>(i + 1)))
            .collect();
        let _ = writeln!(text, "-- role {name}: {}", flags.join(" "));
    }
    text
}

/// Where `schema_v2.rs` deliberately says something other than `schema_v2.ts` (see the
/// schema files' comments), generate on drizzle-kit's complete folder writes these statements.
const FOLDER_DRIFT: &[(&str, &[&str], &str)] = &[
    (
        "01_types_integers",
        &[r#"ALTER TABLE "ints" ALTER COLUMN "big_serial_big" SET NOT NULL;"#],
        "drizzle-kit's snapshot has bigserial mode bigint nullable (NOTES.md 3)",
    ),
    (
        "14_pk_composite_create",
        &[r#"ALTER TABLE "single_via_extra" ALTER COLUMN "id" SET NOT NULL;"#],
        "drizzle-kit's snapshot has a table-level single-column primary key nullable",
    ),
    (
        "70_defaults_broken_literals",
        &[
            r#"ALTER TABLE "t" ALTER COLUMN "text_arr_quotes" SET DEFAULT '{"b''c","d\"e"}';"#,
            r#"ALTER TABLE "t" ALTER COLUMN "text_arr_backslash" SET DEFAULT '{"x\\y"}';"#,
            r#"ALTER TABLE "t" ALTER COLUMN "json_quote" SET DEFAULT '{"b":"x''y"}'::json;"#,
            r#"ALTER TABLE "t" ALTER COLUMN "jsonb_quote" SET DEFAULT '["it''s"]'::jsonb;"#,
        ],
        "drizzle-kit's snapshot keeps the unescaped literals (NOTES.md 4.1)",
    ),
];

#[test]
fn generate_continues_drizzle_kit_folders() {
    let cases = case_dirs();
    assert!(!cases.is_empty(), "no fixture cases found");
    for (case, _, _) in FOLDER_DRIFT {
        assert!(
            cases.iter().any(|dir| case_name(dir) == *case),
            "folder drift table names a missing case: {case}"
        );
    }
    let mut problems = Vec::new();
    for dir in &cases {
        let name = case_name(dir);
        if let Err(problem) = continue_folder(&name, dir) {
            problems.push(format!("{name}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases cannot continue drizzle-kit's folder:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

/// Reads drizzle-kit's own folder for a case, (1) cut back to before its v2 migration, where
/// `schema_v2.rs` must give the expected v2 statements, and (2) complete, where it must give
/// nothing but the documented drift (or, where drizzle-kit crashed, our v2 migration).
fn continue_folder(name: &str, dir: &Path) -> Result<(), String> {
    let expected = expectation(name, dir, Step::V2).text;
    let drizzle_wrote_v2 = file_names(sql_files(&dir.join("out")).iter())
        .iter()
        .any(|file| file.ends_with("_v2.sql"));

    let before_v2 = tempfile::tempdir().expect("temporary directory");
    copy_dir(&dir.join("out"), &before_v2.path().join("out"));
    remove_v2(&before_v2.path().join("out"));
    std::fs::copy(dir.join("schema_v2.rs"), before_v2.path().join("schema.rs")).expect("copy");
    let written = generate(before_v2.path(), "v2", answers_for(name, Step::V2))?;
    let ours = read_statements(&written)?;
    if ours != expected {
        return Err(format!(
            "from drizzle-kit's v1 folder: {}",
            statement_diff(&ours, &expected)
        ));
    }

    let complete = tempfile::tempdir().expect("temporary directory");
    copy_dir(&dir.join("out"), &complete.path().join("out"));
    std::fs::copy(dir.join("schema_v2.rs"), complete.path().join("schema.rs")).expect("copy");
    let written = generate(complete.path(), "again", &[])?;
    let ours = read_statements(&written)?;
    let drift: Vec<String> = if drizzle_wrote_v2 {
        FOLDER_DRIFT
            .iter()
            .find(|(case, _, _)| *case == name)
            .map(|(_, statements, _)| statements.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    } else {
        expected
    };
    if ours != drift {
        return Err(format!(
            "on drizzle-kit's complete folder: {}",
            statement_diff(&ours, &drift)
        ));
    }
    Ok(())
}

fn read_statements(written: &[PathBuf]) -> Result<Vec<String>, String> {
    match written {
        [] => Ok(Vec::new()),
        [file] => Ok(split_statements(
            &std::fs::read_to_string(file).expect("read migration"),
        )),
        many => Err(format!("generate wrote several files: {many:?}")),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from)
        .expect("read folder")
        .filter_map(Result::ok)
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Removes drizzle-kit's v2 migration (file, snapshot, journal entry) from a copied folder.
fn remove_v2(out: &Path) {
    for file in file_names(sql_files(out).iter()) {
        if let Some(prefix) = file.strip_suffix("_v2.sql") {
            std::fs::remove_file(out.join(&file)).expect("remove migration");
            std::fs::remove_file(out.join("meta").join(format!("{prefix}_snapshot.json")))
                .expect("remove snapshot");
        }
    }
    let journal_path = out.join("meta/_journal.json");
    let text = std::fs::read_to_string(&journal_path).expect("read journal");
    let mut journal: serde_json::Value = serde_json::from_str(&text).expect("journal json");
    if let Some(entries) = journal["entries"].as_array_mut() {
        entries.retain(|entry| {
            !entry["tag"]
                .as_str()
                .is_some_and(|tag| tag.ends_with("_v2"))
        });
    }
    let text = serde_json::to_string_pretty(&journal).expect("journal json");
    std::fs::write(&journal_path, text).expect("write journal");
}

/// Runs `drizzle-kit generate` in `work` and returns the SQL files it added to `work/out`.
fn generate(work: &Path, name: &str, answers: &[&str]) -> Result<Vec<PathBuf>, String> {
    let out = work.join("out");
    let before = sql_files(&out);
    let output = Command::new(env!("CARGO_BIN_EXE_drizzle-kit"))
        .current_dir(work)
        .args([
            "generate",
            "--dialect",
            "postgresql",
            "--schema",
            "schema.rs",
        ])
        .args(["--out", "out", "--name", name])
        .args(answers)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .map_err(|e| format!("cannot run drizzle-kit: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "drizzle-kit generate --name {name} exited with {}:\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(sql_files(&out).difference(&before).cloned().collect())
}

fn sql_files(dir: &Path) -> BTreeSet<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect()
}

/// Splits a migration into trimmed statements, as drizzle's migrator does.
fn split_statements(sql: &str) -> Vec<String> {
    sql.split(BREAKPOINT)
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .map(str::to_string)
        .collect()
}

/// Which statements are missing, extra, or only out of order.
fn statement_diff(ours: &[String], expected: &[String]) -> String {
    let mut text = String::from("statements differ from drizzle-kit's");
    let missing: Vec<&String> = expected.iter().filter(|s| !ours.contains(s)).collect();
    let extra: Vec<&String> = ours.iter().filter(|s| !expected.contains(s)).collect();
    if missing.is_empty() && extra.is_empty() {
        text.push_str(" only in order");
    }
    for statement in missing {
        let _ = write!(text, "\n  expected, not written: {statement}");
    }
    for statement in extra {
        let _ = write!(text, "\n  written, not expected: {statement}");
    }
    let _ = write!(text, "\n  ours:     {ours:?}\n  expected: {expected:?}");
    text
}

/// A minimal line diff: lines only on one side, in order, which is enough to read a dump change.
fn line_diff(theirs: &str, ours: &str) -> String {
    let theirs_lines: Vec<&str> = theirs.lines().collect();
    let ours_lines: Vec<&str> = ours.lines().collect();
    let mut text = String::new();
    for line in &theirs_lines {
        if !ours_lines.contains(line) {
            let _ = writeln!(text, "- {line}");
        }
    }
    for line in &ours_lines {
        if !theirs_lines.contains(line) {
            let _ = writeln!(text, "+ {line}");
        }
    }
    if text.is_empty() {
        text.push_str("(same lines in another order)\n");
    }
    text
}

fn cases_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases")
}

/// Every case folder (a new folder is a new case), sorted by name.
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_root())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.join("schema_v1.rs").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn case_name(case: &Path) -> String {
    case.file_name()
        .expect("case folder name")
        .to_string_lossy()
        .into_owned()
}

/// Every table entry must name an existing case and edit statements drizzle-kit really
/// wrote, so the tables cannot silently outlive the fixtures.
fn check_tables(cases: &[PathBuf]) {
    let names: Vec<String> = cases.iter().map(|case| case_name(case)).collect();
    let known = |case: &str| names.iter().any(|name| name == case);
    for (case, _, _) in ANSWERS {
        assert!(known(case), "answers table names a missing case: {case}");
    }
    for (case, _, _, _) in SNAPSHOT_DRIFT {
        assert!(
            known(case),
            "snapshot drift table names a missing case: {case}"
        );
    }
    for deviation in DEVIATIONS {
        let what = format!("{} {}", deviation.case, deviation.step.label());
        assert!(
            known(deviation.case),
            "deviation table names a missing case: {what}"
        );
        let edit = match &deviation.kind {
            Kind::Corrected(edit) | Kind::Equivalent(edit) => edit,
            Kind::ApplyFails { .. } => continue,
        };
        let expected = std::fs::read_to_string(
            cases_root()
                .join(deviation.case)
                .join(deviation.step.expected_file()),
        )
        .expect("expected sql");
        let mut statements = split_statements(&expected);
        if let Edit::Statements { from: [], .. } = edit {
            assert!(
                statements.is_empty(),
                "deviation table: {what} appends to a non-empty drizzle-kit migration"
            );
        }
        // Each edit alone must fit drizzle-kit's file; check_case applies them in table order.
        if let Err(error) = edit.apply(&mut statements) {
            panic!("deviation table: {what}: {error}");
        }
    }
}

#[test]
fn statements_split_on_breakpoints_and_trim() {
    let sql = "CREATE TABLE \"a\" (\n\t\"id\" integer\n);\n--> statement-breakpoint\nDROP TABLE \"b\";--> statement-breakpoint\n";
    assert_eq!(
        split_statements(sql),
        vec![
            "CREATE TABLE \"a\" (\n\t\"id\" integer\n);",
            "DROP TABLE \"b\";"
        ]
    );
    assert!(split_statements("").is_empty());
}
