//! Our v2 migration for every case, statement by statement against drizzle-kit's
//! `expected.sql`, with every difference listed and explained in [`DEVIATIONS`].

use drizzle_diff::{DiffError, Renames};

use crate::cases::{self, Case};

/// Where our migration differs from drizzle-kit's: the statements drizzle-kit writes that we
/// do not, the ones we write that it does not, and why. Everything else must match in order.
pub struct Deviation {
    /// Case folder.
    pub case: &'static str,
    /// drizzle-kit statements we do not write.
    pub drizzle: &'static [&'static str],
    /// Statements we write that drizzle-kit does not.
    pub ours: &'static [&'static str],
    /// Text replacements (drizzle-kit's, ours) inside drizzle-kit's statements, for
    /// differences within one long statement.
    pub edits: &'static [(&'static str, &'static str)],
    /// Why.
    pub why: &'static str,
}

pub const DEVIATIONS: &[Deviation] = &[
    Deviation {
        case: "01_types_integers",
        drizzle: &[],
        ours: &[],
        edits: &[(
            "\"big_serial_big\" bigserial,",
            "\"big_serial_big\" bigserial NOT NULL,",
        )],
        why: "schema language: serial columns are always NOT NULL; drizzle-orm leaves \
              bigserial({mode: \"bigint\"}) nullable (NOTES §3), which PostgreSQL overrides anyway",
    },
    Deviation {
        case: "14_pk_composite_create",
        drizzle: &[],
        ours: &[],
        edits: &[(
            "\"id\" integer,\n\tCONSTRAINT \"single_via_extra_id_pk\"",
            "\"id\" integer NOT NULL,\n\tCONSTRAINT \"single_via_extra_id_pk\"",
        )],
        why: "schema language: primary key columns are NOT NULL (PostgreSQL makes them so anyway)",
    },
    Deviation {
        case: "70_defaults_broken_literals",
        drizzle: &[],
        ours: &[],
        edits: &[
            (
                "DEFAULT '{\"b'c\",\"d\"e\"}'",
                "DEFAULT '{\"b''c\",\"d\\\"e\"}'",
            ),
            ("DEFAULT '{\"x\\y\"}'", "DEFAULT '{\"x\\\\y\"}'"),
            ("\"point\" DEFAULT 1,2,", "\"point\" DEFAULT '(1,2)',"),
            (
                "\"point\" DEFAULT [object Object],",
                "\"point\" DEFAULT '(3,4)',",
            ),
            (
                "\"line\" DEFAULT [object Object],",
                "\"line\" DEFAULT '{1,2,3}',",
            ),
            ("\"line\" DEFAULT 1,2,3,", "\"line\" DEFAULT '{1,2,3}',"),
            ("'{\"b\":\"x'y\"}'::json", "'{\"b\":\"x''y\"}'::json"),
            ("'[\"it's\"]'::jsonb", "'[\"it''s\"]'::jsonb"),
        ],
        why: "NOTES §4.1: drizzle-kit writes point/line defaults as JS text and does not escape \
              quotes and backslashes in array and JSON defaults; ours is valid SQL for the same values",
    },
    Deviation {
        case: "11_type_change",
        drizzle: &[
            "ALTER TABLE \"t\" ALTER COLUMN \"text_to_int\" SET DATA TYPE integer;",
            "ALTER TABLE \"t\" ALTER COLUMN \"int_to_array\" SET DATA TYPE integer[];",
        ],
        ours: &[
            "ALTER TABLE \"t\" ALTER COLUMN \"text_to_int\" SET DATA TYPE integer USING \"text_to_int\"::integer;",
            "ALTER TABLE \"t\" ALTER COLUMN \"int_to_array\" SET DATA TYPE integer[] USING CASE WHEN \"int_to_array\" IS NULL THEN NULL ELSE ARRAY[\"int_to_array\"] END;",
        ],
        edits: &[],
        why: "NOTES §4.1: without USING PostgreSQL rejects text -> integer and integer -> integer[]",
    },
    Deviation {
        case: "26_fk_alter",
        drizzle: &[
            "ALTER TABLE \"child\" DROP CONSTRAINT \"fk_old_name\";",
            "ALTER TABLE \"child\" ADD CONSTRAINT \"fk_new_name\" FOREIGN KEY (\"renamed_fk\") REFERENCES \"public\".\"parent\"(\"id\") ON DELETE no action ON UPDATE no action;",
        ],
        ours: &["ALTER TABLE \"child\" RENAME CONSTRAINT \"fk_old_name\" TO \"fk_new_name\";"],
        edits: &[],
        why: "a key whose definition is unchanged is renamed, not dropped and re-validated",
    },
    Deviation {
        case: "41_sequence_alter_drop",
        drizzle: &[
            "ALTER SEQUENCE \"public\".\"seq_cycle_off\" INCREMENT BY 1 MINVALUE 1 MAXVALUE 5000 START WITH 1 CACHE 1;",
        ],
        ours: &[
            "ALTER SEQUENCE \"public\".\"seq_cycle_off\" INCREMENT BY 1 MINVALUE 1 MAXVALUE 5000 START WITH 1 CACHE 1 NO CYCLE;",
        ],
        edits: &[],
        why: "NOTES §4.1: without NO CYCLE the sequence keeps cycling",
    },
    Deviation {
        case: "53_role_alter",
        drizzle: &["DROP ROLE \"drop_me\";"],
        ours: &["DROP ROLE \"drop_me\";"],
        edits: &[],
        why: "order: roles are dropped after policy statements (a policy dropped in the same \
              migration may still name the role)",
    },
    Deviation {
        case: "55_rename_table",
        drizzle: &[
            "ALTER TABLE \"accounts\" DROP CONSTRAINT \"users_name_unique\";",
            "ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_author_id_users_id_fk\";",
            "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_author_id_accounts_id_fk\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"accounts\"(\"id\") ON DELETE no action ON UPDATE no action;",
            "ALTER TABLE \"accounts\" ADD CONSTRAINT \"accounts_name_unique\" UNIQUE(\"name\");",
        ],
        ours: &[
            "ALTER TABLE \"accounts\" RENAME CONSTRAINT \"users_pkey\" TO \"accounts_pkey\";",
            "ALTER TABLE \"posts\" RENAME CONSTRAINT \"posts_author_id_users_id_fk\" TO \"posts_author_id_accounts_id_fk\";",
            "ALTER TABLE \"accounts\" RENAME CONSTRAINT \"users_name_unique\" TO \"accounts_name_unique\";",
        ],
        edits: &[],
        why: "NOTES §4.2: constraints named after the table are renamed with it (no drop, no \
              re-validation, no lock on posts); the primary key gets the name a fresh database gives it",
    },
    Deviation {
        case: "56_rename_column",
        drizzle: &[
            "ALTER TABLE \"t\" DROP CONSTRAINT \"qty_pos\";",
            "ALTER TABLE \"t\" DROP CONSTRAINT \"t_parent_ref_parent_id_fk\";",
            "DROP INDEX \"t_title_idx\";",
            "ALTER TABLE \"t\" ADD CONSTRAINT \"t_parent_id_parent_id_fk\" FOREIGN KEY (\"parent_id\") REFERENCES \"public\".\"parent\"(\"id\") ON DELETE no action ON UPDATE no action;",
            "CREATE INDEX \"t_title_idx\" ON \"t\" USING btree (\"headline\");",
            "ALTER TABLE \"t\" ADD CONSTRAINT \"qty_pos\" CHECK (\"t\".\"quantity\" > 0);",
        ],
        ours: &[
            "ALTER TABLE \"t\" RENAME CONSTRAINT \"t_parent_ref_parent_id_fk\" TO \"t_parent_id_parent_id_fk\";",
        ],
        edits: &[],
        why: "NOTES §4.2: PostgreSQL already moved the check, index and key to the renamed \
              columns; only the key's generated name changes",
    },
    Deviation {
        case: "58_rename_table_and_columns",
        drizzle: &[
            "ALTER TABLE \"clients\" DROP CONSTRAINT \"customer_name_uq\";",
            "ALTER TABLE \"orders\" DROP CONSTRAINT \"orders_customer_id_customer_id_fk\";",
            "ALTER TABLE \"orders\" ADD CONSTRAINT \"orders_customer_id_clients_id_fk\" FOREIGN KEY (\"customer_id\") REFERENCES \"public\".\"clients\"(\"id\") ON DELETE no action ON UPDATE no action;",
            "ALTER TABLE \"clients\" ADD CONSTRAINT \"customer_name_uq\" UNIQUE(\"first_name\",\"last_name\");",
        ],
        ours: &[
            "ALTER TABLE \"clients\" RENAME CONSTRAINT \"customer_pkey\" TO \"clients_pkey\";",
            "ALTER TABLE \"orders\" RENAME CONSTRAINT \"orders_customer_id_customer_id_fk\" TO \"orders_customer_id_clients_id_fk\";",
        ],
        edits: &[],
        why: "as 55 and 56: renamed, not re-created",
    },
    Deviation {
        case: "59_rename_schema",
        drizzle: &[
            "ALTER TABLE \"new_app\".\"tags\" DROP CONSTRAINT \"tags_item_id_items_id_fk\";",
            "ALTER TABLE \"new_app\".\"tags\" ADD CONSTRAINT \"tags_item_id_items_id_fk\" FOREIGN KEY (\"item_id\") REFERENCES \"new_app\".\"items\"(\"id\") ON DELETE no action ON UPDATE no action;",
        ],
        ours: &[],
        edits: &[],
        why: "the foreign key follows the renamed schema; nothing to re-create",
    },
    Deviation {
        case: "61_move_table_and_enum_schema",
        drizzle: &[],
        ours: &[
            "ALTER TABLE \"app\".\"products\" RENAME CONSTRAINT \"items_pkey\" TO \"products_pkey\";",
        ],
        edits: &[],
        why: "the primary key gets the name a fresh database gives it",
    },
    Deviation {
        case: "67_defaults_bigint_crash",
        drizzle: &[],
        ours: &[
            "CREATE TABLE \"t\" (\n\t\"id\" integer PRIMARY KEY NOT NULL,\n\t\"big_big\" bigint DEFAULT 9007199254740993\n);",
        ],
        edits: &[],
        why: "NOTES §4.2: drizzle-kit crashes on a bigint default and writes nothing",
    },
    Deviation {
        case: "68_rename_schema_enum_column_crash",
        drizzle: &[],
        ours: &["ALTER SCHEMA \"old_app\" RENAME TO \"new_app\";"],
        edits: &[],
        why: "NOTES §4.2: drizzle-kit crashes on a schema rename with an enum column",
    },
];

fn remove_each(list: &mut Vec<String>, items: &[&str], what: &str, failures: &mut Vec<String>) {
    for item in items {
        match list.iter().position(|s| s == item) {
            Some(i) => {
                list.remove(i);
            }
            None => failures.push(format!(
                "{what} lists a statement that is not there: {item}"
            )),
        }
    }
}

fn check(case: &Case, failures: &mut Vec<String>) {
    let ours = match cases::ours(&case.v1, &case.v2, &Renames::new()) {
        Ok(ours) => ours,
        Err(e) if !case.answers.is_empty() => {
            // Cases answered "create" have no hint for it: the answers are needed.
            match cases::ours(&case.v1, &case.v2, &case.answers) {
                Ok(ours) => ours,
                Err(e2) => {
                    failures.push(format!("{}: {e}\n{e2}", case.name));
                    return;
                }
            }
        }
        Err(e) => {
            failures.push(format!("{}: {e}", case.name));
            return;
        }
    };
    let ours: Vec<String> = ours.iter().map(|s| s.trim().to_owned()).collect();
    let mut expected = cases::statements(&case.expected);
    let mut mine = ours.clone();
    let mut problems = Vec::new();
    for d in DEVIATIONS.iter().filter(|d| d.case == case.name) {
        assert!(!d.why.is_empty(), "{}: every deviation says why", d.case);
        for (bad, good) in d.edits {
            match expected.iter_mut().find(|s| s.contains(bad)) {
                Some(s) => *s = s.replace(bad, good),
                None => problems.push(format!("deviation edit no longer applies: {bad}")),
            }
        }
        remove_each(
            &mut expected,
            d.drizzle,
            "deviation (drizzle side)",
            &mut problems,
        );
        remove_each(&mut mine, d.ours, "deviation (our side)", &mut problems);
    }
    if expected != mine {
        problems.push(format!(
            "statements differ\n--- drizzle-kit (minus deviations)\n{}\n--- ours (minus deviations)\n{}",
            expected.join("\n"),
            mine.join("\n")
        ));
    }
    for p in problems {
        failures.push(format!(
            "{}: {p}\n--- our full migration\n{}\n",
            case.name,
            ours.join("\n")
        ));
    }
}

#[test]
fn every_case_matches_drizzle_kit_where_it_is_right() {
    let mut failures = Vec::new();
    for case in cases::all() {
        check(&case, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hints_alone_decide_every_rename() {
    let mut failures = Vec::new();
    for case in cases::all() {
        let created: Vec<&String> = case.answers.creations.iter().map(|c| &c.name).collect();
        match drizzle_diff::diff(&case.v1, &case.v2, &Renames::new()) {
            Ok(_) if created.is_empty() => {}
            // Answered "create": nothing in the schema says so, so the differ must ask.
            Err(DiffError::Ambiguous(candidates)) if !created.is_empty() => {
                for c in &candidates {
                    if !created.contains(&&c.created) {
                        failures.push(format!("{}: unexpected candidate {c:?}", case.name));
                    }
                }
            }
            other => failures.push(format!("{}: {other:?}", case.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rename_flags_instead_of_hints_give_the_same_migration() {
    let mut checked = 0;
    for case in cases::all()
        .iter()
        .filter(|c| !c.answers.renames.is_empty())
    {
        let with_hints = cases::ours(&case.v1, &case.v2, &case.answers).unwrap();
        let plain = cases::strip_hints(&case.v2);
        assert!(
            matches!(
                drizzle_diff::diff(&case.v1, &plain, &Renames::new()),
                Err(DiffError::Ambiguous(_))
            ),
            "{}: without hints or flags the renames must be asked for",
            case.name
        );
        let with_flags = cases::ours(&case.v1, &plain, &case.answers)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(with_flags, with_hints, "{}", case.name);
        // The flags' text form decides the same way.
        let mut reparsed = Renames::new();
        for r in &case.answers.renames {
            reparsed.rename(drizzle_diff::Rename::parse(&r.flag_value()).unwrap());
        }
        for c in &case.answers.creations {
            reparsed.create(drizzle_diff::Creation::parse(&c.flag_value()).unwrap());
        }
        assert_eq!(
            cases::ours(&case.v1, &plain, &reparsed).unwrap(),
            with_hints,
            "{}",
            case.name
        );
        checked += 1;
    }
    assert!(checked >= 8, "rename cases checked: {checked}");
}

#[test]
fn every_migration_as_a_snapshot() {
    for case in cases::all() {
        let sql = cases::ours(&case.v1, &case.v2, &case.answers)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        insta::assert_snapshot!(case.name.clone(), drizzle_sql::join_statements(&sql, true));
    }
}
