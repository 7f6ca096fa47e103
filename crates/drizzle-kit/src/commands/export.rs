//! `drizzle-kit export`: the SQL (or snapshot) that creates the whole schema, on stdout.

use std::io::Write;
use std::path::Path;

use drizzle_diff::Renames;
use drizzle_schema::Schema;
use drizzle_schema::snapshot::Snapshot;

use crate::cli::ExportArgs;
use crate::diagnostics::Problem;
use crate::failure::Failure;
use crate::settings::Settings;

/// Prints the current schema as SQL statements or as snapshot JSON.
pub fn run(args: &ExportArgs, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    let current = super::schema::load(settings, cwd)?;
    let text = if args.json {
        // No previous snapshot is involved, so the ids are the fixed origin ones and the
        // output is byte-identical across runs.
        Snapshot {
            schema: current,
            ..Snapshot::empty()
        }
        .to_json()
    } else {
        let changes = drizzle_diff::diff(&Schema::default(), &current, &Renames::new())
            .map_err(super::generate::rejected_diff)?;
        let statements = drizzle_sql::render(&changes);
        drizzle_sql::join_statements(&statements, false)
    };
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        // `drizzle-kit export | head` closing the pipe early is the reader's choice.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::internal(
            Problem::new(format!("cannot write to stdout: {e}")),
        )),
        _ => Ok(()),
    }
}
