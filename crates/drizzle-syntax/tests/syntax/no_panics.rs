//! Random and mutated input never panics the parser, and every diagnostic points inside
//! its file.

use drizzle_syntax::{Diagnostic, ParseOptions, SourceFile, parse_sources};
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "name",
    "=",
    "\"x\"",
    ",",
    "(",
    ")",
    "primary_key",
    "references",
    "Users::id",
    "on_delete",
    "cascade",
    "default",
    "-",
    "1",
    "1.5",
    "true",
    "index",
    "on",
    "sql",
    "desc",
    "nulls_last",
    "with",
    "[",
    "]",
    "\"a\"",
    "identity",
    "always",
    "start",
    "varchar",
    "10",
    "serial",
    "unique",
    "columns",
    "id",
    "Color::Red",
    "é",
    "::",
    "policy",
    "to",
    "where",
    "#",
    "!",
];

const TEMPLATE: &str = "use drizzle::{PgEnum, Table};\n\n#[derive(PgEnum)]\npub enum Color { Red, Green }\n\n#[derive(Table)]\n#[drizzle(ITEM)]\npub struct Users {\n    #[drizzle(primary_key)]\n    pub id: i32,\n    #[drizzle(FIELD)]\n    pub email: Option<String>,\n    pub color: Color,\n}\n";

fn check(text: &str) {
    let file = SourceFile {
        path: "s.rs".into(),
        text: text.to_string(),
    };
    if let Err(diags) = parse_sources(&[file], &ParseOptions::default()) {
        let lines = text.split('\n').count();
        for d in &diags {
            assert_inside(d, text, lines);
            let _ = d.render_plain(text);
        }
    }
}

fn assert_inside(d: &Diagnostic, text: &str, lines: usize) {
    assert!(
        d.line >= 1 && d.line <= lines,
        "line {} of {lines}: {d:?}",
        d.line
    );
    let line_text = text.split('\n').nth(d.line - 1).unwrap();
    assert!(
        d.column >= 1 && d.column <= line_text.chars().count() + 1,
        "{d:?}"
    );
    assert!(
        d.span.start <= d.span.end && d.span.end <= text.len(),
        "{d:?}"
    );
    assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..14).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_attributes_never_panic(item in soup(), field in soup()) {
        check(&TEMPLATE.replace("ITEM", &item).replace("FIELD", &field));
    }

    #[test]
    fn token_soup_never_panics(text in soup()) {
        check(&text);
        check(&format!("#[derive(Table)]\nstruct T {{ {text} }}"));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        check(&text);
    }

    #[test]
    fn cut_files_never_panic(cut in 0usize..TEMPLATE.len()) {
        let full = TEMPLATE.replace("ITEM", "name = \"users\"").replace("FIELD", "varchar(10)");
        let mut cut = cut.min(full.len());
        while !full.is_char_boundary(cut) {
            cut -= 1;
        }
        check(&full[..cut]);
    }
}
