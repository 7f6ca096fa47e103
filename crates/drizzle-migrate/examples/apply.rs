//! Applies a migrations folder to a database and prints what it did, for the benchmark
//! (`bench/migrate.py`): `apply <folder> <url>`.

use drizzle_migrate::{Event, MigrateOptions, MigrationsFolder, migrate_url};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, folder, url] = args.as_slice() else {
        eprintln!("usage: apply <migrations folder> <database url>");
        return ExitCode::from(2);
    };
    let mut on_event = |event: &Event<'_>| {
        if let Event::WaitingForLock { holder, .. } = event {
            match holder {
                Some(holder) => eprintln!("waiting for the migration lock held by {holder}"),
                None => eprintln!("waiting for the migration lock"),
            }
        }
    };
    match migrate_url(
        url,
        &MigrationsFolder::new(folder),
        &MigrateOptions::default(),
        &mut on_event,
    ) {
        Ok(report) => {
            println!(
                "applied {} migration(s) in {:.1} ms",
                report.applied.len(),
                report.duration_ms
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(1)
        }
    }
}
