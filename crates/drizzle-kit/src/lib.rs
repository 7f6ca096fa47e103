//! The drizzle-kit command line as a library: settings resolution, the commands and
//! their diagnostics. `main.rs` only calls [`main`]; tests and tools can call the pieces.

pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod duration;
pub mod env;
pub mod failure;
pub mod schema_files;
pub mod settings;
pub mod suggest;
pub mod values;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::diagnostics::Problem;
use crate::failure::{Failure, INTERNAL};
use crate::settings::Settings;

/// Runs the command line: parses the arguments, runs the command, reports failures on
/// stderr and returns the exit code (0 ok, 1 rejected input, 2 usage or internal error).
pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = std::io::stderr().write_all(failure.report().as_bytes());
            ExitCode::from(failure.code)
        }
    }
}

/// Resolves the settings for `cli` in the current directory and runs its command.
pub fn run(cli: Cli) -> Result<(), Failure> {
    let cwd = std::env::current_dir().map_err(|e| {
        Failure::internal(Problem::new(format!(
            "cannot read the working directory: {e}"
        )))
    })?;
    let settings = Settings::resolve(&cli.command.overrides(), &cwd)?;
    commands::run(&cli.command, &settings, &cwd)
}

/// A bug must still end in a readable message and exit code 2, never a Rust backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let detail = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error{location}: {detail}\nThis is a bug in drizzle-kit; please report it."
        );
        std::process::exit(i32::from(INTERNAL));
    }));
}
