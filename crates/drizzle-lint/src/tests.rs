//! Every rule with a migration that triggers it and one that does not, and the parser
//! against every statement of the conformance corpus.

use crate::ops::Op;
use crate::parse::recognize;
use crate::quick::{Quick, quick};
use crate::split::split;
use crate::{Finding, LintConfig, Linter, Rule};

/// Applied before each case: the tables and enum the cases change.
const SETUP: &str = r#"
CREATE TYPE "public"."mood" AS ENUM('happy', 'sad', 'ok');
CREATE TABLE "users" ("id" serial PRIMARY KEY NOT NULL, "name" varchar(20), "email" text);
CREATE TABLE "posts" ("id" serial PRIMARY KEY NOT NULL, "user_id" integer, "mood" "mood" DEFAULT 'ok');
"#;

const LOCK: &str = "SET lock_timeout = '5s';\n";

/// Findings of `files` (pending migrations, in order) after `SETUP` was applied.
/// Also checks that the prefix scan changes none of them.
fn rules_of(files: &[&str]) -> Vec<Rule> {
    let run = |mut linter: Linter| -> Vec<Finding> {
        linter.learn(SETUP);
        files
            .iter()
            .enumerate()
            .flat_map(|(i, sql)| linter.lint(&format!("{i:04}.sql"), sql))
            .collect()
    };
    let findings = run(Linter::new(LintConfig::default()));
    assert_eq!(
        findings,
        run(Linter::without_quick(LintConfig::default())),
        "{files:?}"
    );
    findings.into_iter().map(|f| f.rule).collect()
}

/// (rule, migrations that trigger it, migrations that do not).
fn cases() -> Vec<(Rule, Vec<String>, Vec<String>)> {
    let one = |s: &str| vec![s.to_owned()];
    let locked = |s: &str| vec![format!("{LOCK}{s}")];
    vec![
        (
            Rule::AddRequiredColumn,
            one(r#"ALTER TABLE "users" ADD COLUMN "age" integer NOT NULL;"#),
            one(
                r#"ALTER TABLE "users" ADD COLUMN "age" integer DEFAULT 0 NOT NULL;
CREATE TABLE "tags" ("id" integer);
ALTER TABLE "tags" ADD COLUMN "n" integer NOT NULL;"#,
            ),
        ),
        (
            Rule::SetNotNull,
            one(r#"ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;"#),
            vec![
                format!(
                    r#"{LOCK}ALTER TABLE "users" ADD CONSTRAINT "users_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;"#
                ),
                format!(
                    "-- drizzle:no-transaction\n{LOCK}ALTER TABLE \"users\" VALIDATE CONSTRAINT \"users_name_not_null\";\nALTER TABLE \"users\" ALTER COLUMN \"name\" SET NOT NULL;"
                ),
            ],
        ),
        (
            Rule::IndexNotConcurrent,
            one(r#"CREATE INDEX "users_name_index" ON "users" USING btree ("name");"#),
            one(
                "-- drizzle:no-transaction\nCREATE INDEX CONCURRENTLY \"users_name_index\" ON \"users\" USING btree (\"name\");",
            ),
        ),
        (
            Rule::ConcurrentlyInTransaction,
            one(r#"CREATE INDEX CONCURRENTLY "users_name_index" ON "users" USING btree ("name");"#),
            one("-- drizzle:no-transaction\nDROP INDEX CONCURRENTLY \"users_name_index\";"),
        ),
        (
            Rule::ForeignKeyNotValid,
            one(
                r#"ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;"#,
            ),
            one(
                r#"ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action NOT VALID;"#,
            ),
        ),
        (
            Rule::CheckNotValid,
            one(
                r#"ALTER TABLE "users" ADD CONSTRAINT "name_len" CHECK (length("users"."name") > 0) NOT VALID;
ALTER TABLE "users" VALIDATE CONSTRAINT "name_len";"#,
            ),
            one(r#"CREATE TABLE "t" ("a" integer);
ALTER TABLE "t" ADD CONSTRAINT "a_pos" CHECK ("t"."a" > 0);"#),
        ),
        (
            Rule::UniqueWithoutIndex,
            one(r#"ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE("email");"#),
            one(
                r#"ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE USING INDEX "users_email_idx";"#,
            ),
        ),
        (
            Rule::TypeChangeRewrite,
            one(
                r#"ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE integer USING "name"::integer;"#,
            ),
            one(
                r#"ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE varchar(50);
ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE text;"#,
            ),
        ),
        (
            Rule::VolatileDefault,
            one(
                r#"ALTER TABLE "users" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;"#,
            ),
            one(
                r#"ALTER TABLE "users" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;"#,
            ),
        ),
        (
            Rule::DropColumn,
            one(r#"ALTER TABLE "users" DROP COLUMN "email";"#),
            one(r#"CREATE TABLE "t" ("a" integer, "b" integer);
ALTER TABLE "t" DROP COLUMN "b";"#),
        ),
        (
            Rule::DropTable,
            one(r#"DROP TABLE "posts" CASCADE;"#),
            one(r#"CREATE TABLE "t" ("a" integer);
DROP TABLE "t";"#),
        ),
        (
            Rule::RenameColumn,
            one(r#"ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";"#),
            one(r#"CREATE TABLE "t" ("a" integer);
ALTER TABLE "t" RENAME COLUMN "a" TO "b";"#),
        ),
        (
            Rule::RenameTable,
            one(r#"ALTER TABLE "users" RENAME TO "accounts";"#),
            one(r#"CREATE TABLE "t" ("a" integer);
ALTER TABLE "t" RENAME TO "u";
ALTER TABLE "u" SET SCHEMA "app";"#),
        ),
        (
            Rule::EnumValueRemoval,
            locked(
                r#"ALTER TABLE "posts" ALTER COLUMN "mood" SET DATA TYPE text;
ALTER TABLE "posts" ALTER COLUMN "mood" SET DEFAULT 'ok'::text;
DROP TYPE "public"."mood";
CREATE TYPE "public"."mood" AS ENUM('happy', 'ok');
ALTER TABLE "posts" ALTER COLUMN "mood" SET DEFAULT 'ok'::"public"."mood";
ALTER TABLE "posts" ALTER COLUMN "mood" SET DATA TYPE "public"."mood" USING "mood"::"public"."mood";"#,
            ),
            one(r#"ALTER TYPE "public"."mood" ADD VALUE 'angry' BEFORE 'ok';
CREATE TYPE "public"."color" AS ENUM('red');
DROP TYPE "public"."color";"#),
        ),
        (
            Rule::EnumValueUsedInTransaction,
            one(r#"ALTER TYPE "public"."mood" ADD VALUE 'angry';
ALTER TABLE "posts" ALTER COLUMN "mood" SET DEFAULT 'angry';"#),
            vec![
                "-- drizzle:no-transaction\nALTER TYPE \"public\".\"mood\" ADD VALUE 'angry';"
                    .to_owned(),
                "ALTER TABLE \"posts\" ALTER COLUMN \"mood\" SET DEFAULT 'angry';".to_owned(),
            ],
        ),
        (
            Rule::MissingLockTimeout,
            one(r#"ALTER TABLE "users" ADD COLUMN "bio" text;"#),
            vec![
                format!(r#"{LOCK}ALTER TABLE "users" ADD COLUMN "bio" text;"#),
                r#"CREATE TABLE "t" ("a" integer);
CREATE INDEX "t_a_index" ON "t" USING btree ("a");"#
                    .to_owned(),
            ],
        ),
    ]
}

#[test]
fn every_rule_has_a_positive_and_a_negative_case() {
    let cases = cases();
    let covered: Vec<Rule> = cases.iter().map(|c| c.0).collect();
    assert_eq!(covered, Rule::ALL, "one case per rule, in order");
    for (rule, positive, negative) in &cases {
        let positive: Vec<&str> = positive.iter().map(String::as_str).collect();
        let negative: Vec<&str> = negative.iter().map(String::as_str).collect();
        assert!(
            rules_of(&positive).contains(rule),
            "{rule} not reported for {positive:?}: {:?}",
            rules_of(&positive)
        );
        assert!(
            !rules_of(&negative).contains(rule),
            "{rule} reported for {negative:?}"
        );
    }
}

#[test]
fn enum_recreation_is_one_finding_not_a_type_change_per_column() {
    let (_, positive, _) = cases()
        .into_iter()
        .find(|c| c.0 == Rule::EnumValueRemoval)
        .unwrap();
    assert_eq!(rules_of(&[positive[0].as_str()]), [Rule::EnumValueRemoval]);
}

#[test]
fn messages() {
    let mut out = String::new();
    for (rule, positive, _) in cases() {
        let mut linter = Linter::new(LintConfig::default());
        linter.learn(SETUP);
        for (i, sql) in positive.iter().enumerate() {
            for f in linter.lint(&format!("{i:04}.sql"), sql) {
                if f.rule == rule {
                    out.push_str(&format!(
                        "{} {} {}:{}:{}\n  {}\n  statement: {}\n  why: {}\n  fix: {}\n",
                        f.level,
                        f.rule,
                        f.file,
                        f.line,
                        f.column,
                        f.message,
                        f.statement,
                        f.rationale(),
                        f.fix()
                    ));
                }
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn config_turns_rules_off_and_into_errors() {
    let mut config = LintConfig::default();
    config.levels.insert(Rule::DropColumn, crate::Level::Error);
    config
        .levels
        .insert(Rule::MissingLockTimeout, crate::Level::Off);
    let findings = crate::lint_migrations(
        [("m.sql", r#"ALTER TABLE "users" DROP COLUMN "email";"#)],
        &config,
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].level, crate::Level::Error);
}

#[test]
fn safe_form_output_lints_clean() {
    let statements: Vec<String> = [
        r#"ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;"#,
        r#"ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;"#,
        r#"ALTER TABLE "users" ADD CONSTRAINT "name_len" CHECK (length("users"."name") > 0);"#,
        r#"CREATE INDEX "users_name_index" ON "users" USING btree ("name");"#,
    ]
    .map(str::to_owned)
    .to_vec();
    let files = crate::safe_form(&statements, "5s").files(true);
    let sql: Vec<&str> = files.iter().map(|f| f.sql.as_str()).collect();
    assert_eq!(rules_of(&sql), []);
    assert_eq!(
        rules_of(&[statements.join("\n").as_str()]),
        [
            Rule::SetNotNull,
            Rule::MissingLockTimeout,
            Rule::ForeignKeyNotValid,
            Rule::CheckNotValid,
            Rule::IndexNotConcurrent
        ]
    );
}

/// Every statement drizzle-kit wrote in the corpus is recognized for what it is.
#[test]
fn corpus_statements_are_recognized() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases");
    let mut seen = 0;
    for case in std::fs::read_dir(&root).expect("corpus") {
        let case = case.unwrap().path();
        // Cases recording drizzle-kit's invalid SQL (NOTES.md) are not SQL.
        if case.to_string_lossy().contains("broken") {
            continue;
        }
        for entry in walk(&case) {
            // drizzle-kit's own outputs include its known bugs (unbalanced quotes).
            let ours = entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("expected"));
            if !ours || entry.extension().is_none_or(|e| e != "sql") {
                continue;
            }
            let sql = std::fs::read_to_string(&entry).unwrap();
            for piece in split(&sql) {
                let text = piece.text;
                let op = recognize(text);
                let head: Vec<String> = text
                    .split_whitespace()
                    .take(2)
                    .map(str::to_uppercase)
                    .collect();
                let ok = match head
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    ["ALTER", "TABLE"] => matches!(op, Op::AlterTable { .. }),
                    ["CREATE", "TABLE"] => matches!(op, Op::CreateTable { .. }),
                    ["CREATE", "INDEX" | "UNIQUE"] => matches!(op, Op::CreateIndex { .. }),
                    ["DROP", "TABLE"] => matches!(op, Op::DropTable(_)),
                    _ => true,
                };
                assert!(ok, "{}: {text}\n=> {op:?}", entry.display());
                seen += 1;
            }
        }
    }
    assert!(seen > 100, "only {seen} statements in the corpus");
}

/// Every `.sql` file of the corpus, by case.
fn corpus_files() -> Vec<Vec<std::path::PathBuf>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures");
    let mut cases: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("cases"))
        .expect("corpus")
        .map(|c| c.unwrap().path())
        .collect();
    cases.sort();
    let mut out: Vec<Vec<std::path::PathBuf>> = cases
        .iter()
        .chain(std::iter::once(&root))
        .map(|case| {
            let mut files: Vec<_> = walk(case)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "sql"))
                .filter(|p| case != &root || !p.starts_with(root.join("cases")))
                .collect();
            // Ours in the order they apply (v1, then v2), then drizzle-kit's.
            files.sort_by_key(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let rank = ["expected_v1.sql", "expected.sql"]
                    .iter()
                    .position(|n| *n == name)
                    .unwrap_or(2);
                (rank, p.clone())
            });
            files
        })
        .collect();
    out.retain(|files| !files.is_empty());
    out
}

/// Where the prefix scan claims a shape, the parser reads the statement the same way.
#[test]
fn the_prefix_scan_agrees_with_the_parser() {
    let mut sql: Vec<String> = corpus_files()
        .iter()
        .flatten()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    sql.push(SETUP.to_owned());
    for (_, positive, negative) in cases() {
        sql.extend(positive);
        sql.extend(negative);
    }
    let mut claimed = 0;
    for text in sql.iter().flat_map(|s| split(s)).map(|p| p.text) {
        let Some(q) = quick(text) else { continue };
        claimed += 1;
        let op = recognize(text);
        let agrees = match (&q, &op) {
            (Quick::CreateTable(t), Op::CreateTable { table, .. }) => t == table,
            // On a new table the scan skips these; `Other` does nothing there either.
            (Quick::CreateIndex(_) | Quick::ForeignKey(_), Op::Other) => true,
            (
                Quick::CreateIndex(t),
                Op::CreateIndex {
                    table,
                    concurrently: false,
                    ..
                },
            ) => t == table,
            (Quick::ForeignKey(t), Op::AlterTable { table, actions }) => {
                t == table
                    && matches!(
                        actions.as_slice(),
                        [crate::ops::Action::AddConstraint(c)]
                            if c.kind == crate::ops::ConstraintKind::ForeignKey && !c.not_valid
                    )
            }
            _ => false,
        };
        assert!(agrees, "{text}\n=> {q:?} but {op:?}");
    }
    assert!(claimed > 100, "the scan claimed only {claimed} statements");
}

/// Linting every corpus migration, alone and each case's in order, finds the same with
/// and without the prefix scan.
#[test]
fn the_prefix_scan_changes_no_finding_in_the_corpus() {
    let mut findings = 0;
    for files in corpus_files() {
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
            .collect();
        {
            let config = LintConfig::default();
            let mut quick_linter = Linter::new(config.clone());
            let mut full_linter = Linter::without_quick(config.clone());
            for (name, sql) in &texts {
                let alone = Linter::new(config.clone()).lint(name, sql);
                assert_eq!(
                    alone,
                    Linter::without_quick(config.clone()).lint(name, sql),
                    "{name}"
                );
                let chained = quick_linter.lint(name, sql);
                assert_eq!(
                    chained,
                    full_linter.lint(name, sql),
                    "{name} after the others"
                );
                findings += alone.len() + chained.len();
                let statements: Vec<String> =
                    split(sql).iter().map(|p| p.text.to_owned()).collect();
                assert_eq!(
                    crate::safe::safe_form_scanning(&statements, "5s", true),
                    crate::safe::safe_form_scanning(&statements, "5s", false),
                    "safe form of {name}"
                );
                // As an applied migration, for the next ones' types.
                quick_linter.learn(sql);
                full_linter.learn(sql);
            }
        }
    }
    assert!(findings > 0);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
