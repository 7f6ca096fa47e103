//! Reading the schema files into a `Schema`, with every parse error as a diagnostic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use drizzle_schema::Schema;
use drizzle_syntax::{Casing, ParseOptions, SourceFile};

use crate::diagnostics::{Problem, Source, source};
use crate::failure::Failure;
use crate::schema_files;
use crate::settings::Settings;
use crate::values::CasingMode;

/// Parses the files `settings.schema` names.
pub fn load(settings: &Settings, cwd: &Path) -> Result<Schema, Failure> {
    let paths = schema_files::collect(&settings.schema)
        .map_err(|p| Failure::rejected("the schema paths", p))?;
    let mut files = Vec::with_capacity(paths.len());
    let mut unreadable = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile { path, text }),
            Err(e) => unreadable.push(Problem::new(format!(
                "cannot read schema file {}: {e}",
                super::shown(&path, cwd)
            ))),
        }
    }
    if !unreadable.is_empty() {
        return Err(Failure::rejected("the schema files", unreadable));
    }
    let options = ParseOptions {
        casing: match settings.casing {
            None => Casing::None,
            Some(CasingMode::SnakeCase) => Casing::SnakeCase,
            Some(CasingMode::CamelCase) => Casing::CamelCase,
        },
    };
    drizzle_syntax::parse_sources(&files, &options)
        .map_err(|diagnostics| Failure::rejected("the schema", problems(&files, diagnostics, cwd)))
}

/// Diagnostics as problems, sorted by file and position so the report reads top to bottom.
fn problems(
    files: &[SourceFile],
    mut diagnostics: Vec<drizzle_syntax::Diagnostic>,
    cwd: &Path,
) -> Vec<Problem> {
    let sources: BTreeMap<&PathBuf, Source> = files
        .iter()
        .map(|f| (&f.path, source(super::shown(&f.path, cwd), f.text.clone())))
        .collect();
    diagnostics.sort_by(|a, b| (&a.path, a.span.start).cmp(&(&b.path, b.span.start)));
    diagnostics
        .into_iter()
        .map(|d| {
            let problem = Problem::new(d.message).with_optional_help(d.help);
            match sources.get(&d.path) {
                Some(src) => problem.at(src, d.span, d.label),
                // A diagnostic about a file we did not pass (should not happen) still
                // carries its position in the text.
                None => Problem {
                    message: format!(
                        "{}:{}:{}: {}",
                        d.path.display(),
                        d.line,
                        d.column,
                        problem.message
                    ),
                    ..problem
                },
            }
        })
        .collect()
}
