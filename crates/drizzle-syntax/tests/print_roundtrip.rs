//! parse(print(model)) == model: for every schema of the conformance corpus and the
//! example, and for generated models (proptest).

mod print_support;

use drizzle_syntax::print::{PrintOptions, print_schema};
use print_support::{differences, parse_one, strategy};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![root.join("examples/saas/src/schema.rs")];
    for case in std::fs::read_dir(root.join("migrations-fixtures/cases")).unwrap() {
        for entry in std::fs::read_dir(case.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("schema_v") && name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_corpus_schema_round_trips() {
    let files = corpus_files();
    assert!(files.len() > 40, "corpus not found");
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let model = parse_one(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let printed = print_schema(&model, &PrintOptions::default());
        assert!(
            printed.losses.is_empty(),
            "{}: {:?}",
            path.display(),
            printed.losses
        );
        match parse_one(&printed.source) {
            Ok(back) => {
                let diffs = differences(&model, &back);
                if !diffs.is_empty() {
                    failures.push(format!(
                        "{}:\n{}\n--- printed ---\n{}",
                        path.display(),
                        diffs.join("\n"),
                        printed.source
                    ));
                }
            }
            Err(e) => failures.push(format!(
                "{}: printed source rejected: {e}\n--- printed ---\n{}",
                path.display(),
                printed.source
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn printing_is_deterministic_and_idempotent() {
    for path in corpus_files() {
        let model = parse_one(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let once = print_schema(&model, &PrintOptions::default()).source;
        assert_eq!(once, print_schema(&model, &PrintOptions::default()).source);
        let again = print_schema(&parse_one(&once).unwrap(), &PrintOptions::default()).source;
        assert_eq!(once, again, "{}", path.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_models_round_trip(model in strategy::schema()) {
        let printed = print_schema(&model, &PrintOptions::default());
        prop_assert!(printed.losses.is_empty(), "losses: {:?}", printed.losses);
        let back = parse_one(&printed.source)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", printed.source)))?;
        let diffs = differences(&model, &back);
        prop_assert!(diffs.is_empty(), "{}\n--- printed ---\n{}", diffs.join("\n"), printed.source);
    }
}
