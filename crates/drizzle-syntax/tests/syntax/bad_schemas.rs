//! Every file in `tests/bad-schemas/` holds one mistake; its diagnostics, rendered as
//! plain text, are snapshotted (a new file is a new test).

use drizzle_syntax::{ParseOptions, SourceFile, parse_sources};

#[test]
fn bad_schemas_are_reported() {
    insta::glob!("../../../../tests/bad-schemas", "*.rs", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let shown = std::path::Path::new("tests/bad-schemas").join(name);
        let file = SourceFile {
            path: shown,
            text: text.clone(),
        };
        let diags = parse_sources(&[file], &ParseOptions::default())
            .expect_err("a bad schema must be rejected");
        assert_eq!(
            diags.len(),
            1,
            "{name} has one mistake and should get one diagnostic: {diags:#?}"
        );
        let rendered: String = diags.iter().map(|d| d.render_plain(&text)).collect();
        insta::assert_snapshot!(rendered);
    });
}
