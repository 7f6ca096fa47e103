//! Introspects a database and reports how long it took (used by `bench/introspect.py`).
//!
//! `cargo run --release -p drizzle-introspect --example introspect -- URL [--schema S]... [--warnings]
//! [--dump] [--canonicalize]` prints one line: `tables=N columns=N indexes=N warnings=N
//! round_trips=N millis=F`, plus `canonicalize_millis=F failures=N` with `--canonicalize`.

use std::time::Instant;

use drizzle_introspect::{Options, canonicalize_schema, comparable, introspect};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: introspect URL [--schema S]... [--warnings] [--dump]");
        std::process::exit(2);
    };
    let mut options = Options::default();
    let mut schemas = Vec::new();
    let (mut show_warnings, mut dump, mut canonical) = (false, false, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--schema" => schemas.extend(args.next()),
            "--warnings" => show_warnings = true,
            "--dump" => dump = true,
            "--canonicalize" => canonical = true,
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    if !schemas.is_empty() {
        options.schema_filter = schemas;
    }
    let started = Instant::now();
    // Connecting is part of what a command pays, so it is timed too (pg_dump's time includes it).
    let mut client = match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("connect: {error}");
            std::process::exit(1);
        }
    };
    let result = match introspect(&mut client, &options) {
        Ok(result) => result,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let schema = &result.schema;
    let columns: usize = schema.tables.values().map(|t| t.columns.len()).sum();
    let indexes: usize = schema.tables.values().map(|t| t.indexes.len()).sum();
    println!(
        "tables={} columns={columns} indexes={indexes} warnings={} round_trips={} millis={millis:.1}",
        schema.tables.len(),
        result.warnings.len(),
        result.round_trips
    );
    if canonical {
        let started = Instant::now();
        match canonicalize_schema(&mut client, &comparable(schema)) {
            Ok(result) => println!(
                "canonicalize_millis={:.1} failures={}",
                started.elapsed().as_secs_f64() * 1000.0,
                result.failures.len()
            ),
            Err(error) => {
                eprintln!("{error}");
                std::process::exit(1);
            }
        }
    }
    if show_warnings {
        for warning in &result.warnings {
            println!("warning: {warning}");
        }
    }
    if dump {
        println!("{schema:#?}");
    }
}
