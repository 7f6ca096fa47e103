//! Compile-time behaviour of the derives: what must compile and what must fail, with the
//! exact messages the CLI prints for the same mistakes.

use std::fs;
use std::path::{Path, PathBuf};

/// Crates the conformance fixtures may use and this crate has as dev-dependencies;
/// fixtures that need others (sqlx, pgvector, ...) are left to the CLI's tests.
const AVAILABLE: &[&str] = &[
    "drizzle",
    "chrono",
    "uuid",
    "serde_json",
    "rust_decimal",
    "std",
];

#[test]
fn derives_accept_valid_and_reject_invalid_schemas() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/pass/*.rs");
    for wrapper in fixture_wrappers() {
        cases.pass(wrapper);
    }
    cases.compile_fail("tests/compile_fail/*.rs");
}

/// Every schema of the conformance corpus is accepted by the CLI, so it must compile too,
/// and the derives must name its tables, columns and enum values as the CLI does. Each
/// becomes a tiny binary that `include!`s it (so the fixture stays the only copy) and
/// whose `main` compares the derives' names with the CLI's model of the same file.
fn fixture_wrappers() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations-fixtures/cases");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("drizzle-fixture-schemas");
    fs::create_dir_all(&out).expect("create the wrapper directory");
    let mut schemas: Vec<PathBuf> = fs::read_dir(&root)
        .expect("read the fixture cases")
        .flat_map(|case| fs::read_dir(case.expect("fixture case").path()).expect("read a case"))
        .map(|entry| entry.expect("fixture file").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("schema_v") && name.ends_with(".rs")
        })
        .collect();
    schemas.sort();
    assert!(
        schemas.len() > 40,
        "fixture corpus not found at {}",
        root.display()
    );
    let mut wrappers = Vec::new();
    for schema in schemas {
        let text = fs::read_to_string(&schema).expect("read a fixture schema");
        if !uses_only_available_crates(&text) {
            continue;
        }
        let case = schema.parent().and_then(Path::file_name).expect("case dir");
        let file = schema.file_stem().expect("schema file name");
        let wrapper = out.join(format!(
            "{}_{}.rs",
            case.to_string_lossy(),
            file.to_string_lossy()
        ));
        let abs = schema.canonicalize().expect("canonical fixture path");
        let body = format!(
            "#![allow(dead_code, unused_imports)]\ninclude!({:?});\n{}",
            abs.display().to_string(),
            names_main(&schema, &text)
        );
        fs::write(&wrapper, body).expect("write a wrapper");
        wrappers.push(wrapper);
    }
    wrappers
}

/// A `main` asserting that the derives report the names the CLI parsed from `text`.
fn names_main(path: &Path, text: &str) -> String {
    let file = drizzle_syntax::SourceFile {
        path: path.to_path_buf(),
        text: text.to_owned(),
    };
    let schema = drizzle_syntax::parse_sources(&[file], &Default::default())
        .unwrap_or_else(|errors| panic!("the CLI rejects {}: {errors:#?}", path.display()));
    let mut want: Vec<String> = schema
        .tables
        .iter()
        .map(|(key, table)| {
            let columns: Vec<&String> = table.columns.keys().collect();
            format!("table {key} {columns:?}")
        })
        .chain(
            schema
                .enums
                .iter()
                .map(|(key, e)| format!("enum {key} {:?}", e.values)),
        )
        .collect();
    want.sort();

    let items = syn::parse_file(text).expect("fixture parses").items;
    let mut got = Vec::new();
    for item in &items {
        let (ident, attrs) = match item {
            syn::Item::Struct(s) => (&s.ident, &s.attrs),
            syn::Item::Enum(e) => (&e.ident, &e.attrs),
            _ => continue,
        };
        if derives(attrs, "Table") {
            got.push(format!(
                "got.push(format!(\"table {{}}.{{}} {{:?}}\", <{ident} as drizzle::Table>::SCHEMA, \
                 <{ident} as drizzle::Table>::NAME, <{ident} as drizzle::Table>::COLUMNS));"
            ));
        } else if derives(attrs, "PgEnum") {
            got.push(format!(
                "got.push(format!(\"enum {{}}.{{}} {{:?}}\", <{ident} as drizzle::PgEnum>::SCHEMA, \
                 <{ident} as drizzle::PgEnum>::NAME, <{ident} as drizzle::PgEnum>::VALUES));"
            ));
        }
    }
    format!(
        "fn main() {{\n    let mut got: Vec<String> = Vec::new();\n    {}\n    got.sort();\n    \
         let want: &[&str] = &{want:?};\n    assert_eq!(got, want);\n}}\n",
        got.join("\n    ")
    )
}

/// Whether `#[derive(...)]` among `attrs` names `name` (by the path's last segment).
fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
            })
        })
}

fn uses_only_available_crates(text: &str) -> bool {
    let roots = text.lines().filter_map(|line| {
        let line = line.trim_start();
        let rest = line.strip_prefix("use ")?;
        Some(rest.split([':', ';', ' ']).next().unwrap_or(""))
    });
    let paths = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter_map(|word| word.split_once("::").map(|(root, _)| root));
    roots
        .chain(paths)
        .filter(|root| root.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .all(|root| AVAILABLE.contains(&root))
}

/// Mistakes that need knowledge of other items, found by the Rust compiler itself (through
/// the checks the derives emit, or plain name resolution), so its wording, not the CLI's,
/// is in their `.stderr`. In `cli_07` the compiler only fails because `GeoPoint` is not
/// defined: a derive cannot tell an unsupported type from an enum or a type alias.
const REPORTED_BY_RUSTC: &[&str] = &[
    "cli_07_unknown_rust_type.rs",
    "cli_15_default_variant_of_other_enum.rs",
    "cli_16_default_unknown_variant.rs",
    "cli_17_references_missing_struct.rs",
    "cli_18_references_missing_field.rs",
    "cli_52_string_default_on_enum.rs",
    "cli_54_unknown_type_alias_target.rs",
];

/// The `cli_*` cases are copies of the CLI's bad schemas: every message the CLI prints
/// for one must be the message the compiler prints for the derive.
#[test]
fn derive_errors_match_the_cli_messages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile_fail");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("read compile_fail")
        .map(|entry| entry.expect("compile_fail entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("cli_") && name.ends_with(".rs") && !REPORTED_BY_RUSTC.contains(&name)
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 15,
        "expected the CLI's bad schemas in {}",
        dir.display()
    );
    let mut mismatches = Vec::new();
    for case in cases {
        let text = fs::read_to_string(&case).expect("read a case");
        let stderr = fs::read_to_string(case.with_extension("stderr")).unwrap_or_default();
        let file = drizzle_syntax::SourceFile {
            path: case.clone(),
            text,
        };
        let diagnostics = match drizzle_syntax::parse_sources(&[file], &Default::default()) {
            Ok(_) => {
                mismatches.push(format!("{}: the CLI accepts it", case.display()));
                continue;
            }
            Err(diagnostics) => diagnostics,
        };
        for diagnostic in diagnostics {
            let first_line = diagnostic.message.lines().next().unwrap_or("");
            let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let position = format!("{name}:{}:{}", diagnostic.line, diagnostic.column);
            if !stderr.contains(&format!("error: {first_line}")) || !stderr.contains(&position) {
                mismatches.push(format!(
                    "{position}: the CLI says `{}`; the compiler does not say it there",
                    diagnostic.message
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
