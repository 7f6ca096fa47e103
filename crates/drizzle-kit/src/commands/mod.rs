//! The commands; each takes the resolved `Settings` and nothing else from the outside.

mod check;
mod export;
mod generate;
mod migrate;
mod pull;
mod push;
mod renames;
mod risk;
mod schema;
mod summary;

use std::path::Path;

use crate::cli::Command;
use crate::failure::Failure;
use crate::settings::Settings;

/// Runs `command` with `settings`; `cwd` only shortens the paths shown to the user.
pub fn run(command: &Command, settings: &Settings, cwd: &Path) -> Result<(), Failure> {
    match command {
        Command::Generate(args) => generate::run(args, settings, cwd),
        Command::Export(args) => export::run(args, settings, cwd),
        Command::Check(args) => check::run(args, settings, cwd),
        Command::Pull(args) => pull::run(args, settings, cwd),
        Command::Push(args) => push::run(args, settings, cwd),
        Command::Migrate(args) => migrate::run(args, settings, cwd),
    }
}

/// `path` relative to `cwd` when it is below it, for messages.
pub fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
