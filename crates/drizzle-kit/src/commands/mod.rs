//! The commands; each takes the resolved `Settings` and nothing else from the outside.

mod export;
mod generate;
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
    }
}

/// `path` relative to `cwd` when it is below it, for messages.
pub fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
