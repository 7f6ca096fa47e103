//! Locating the installed PostgreSQL client and server programs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where distributions install versioned PostgreSQL binaries (Debian/Ubuntu layout).
const VERSIONED_ROOT: &str = "/usr/lib/postgresql";

/// `/usr/lib/postgresql/<major>/bin` directories, highest major first.
pub(crate) fn versioned_bin_dirs() -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(VERSIONED_ROOT) else {
        return Vec::new();
    };
    let mut dirs: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.is_dir().then_some((major, bin))
        })
        .collect();
    dirs.sort_by_key(|dir| std::cmp::Reverse(dir.0));
    dirs
}

/// Directories of `PATH` that hold `program`, in `PATH` order.
pub(crate) fn path_dirs_with(program: &str) -> Vec<PathBuf> {
    let Some(path) = std::env::var_os("PATH") else {
        return Vec::new();
    };
    std::env::split_paths(&path)
        .filter(|dir| dir.join(program).is_file())
        .collect()
}

/// The directory to start a throwaway cluster from: the highest versioned install, else `PATH`.
pub(crate) fn cluster_bin_dir() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    versioned_bin_dirs()
        .into_iter()
        .map(|(_, dir)| dir)
        .chain(path_dirs_with("initdb"))
        .find(|dir| has_both(dir))
}

/// The directories searched by [`cluster_bin_dir`], for error messages.
pub(crate) fn searched_dirs() -> Vec<PathBuf> {
    vec![PathBuf::from(VERSIONED_ROOT).join("*").join("bin")]
}

/// The major version a PostgreSQL program reports with `--version` (`pg_dump (PostgreSQL) 15.20`).
pub(crate) fn program_major(program: &Path) -> Option<u32> {
    let output = Command::new(program).arg("--version").output().ok()?;
    parse_major(&String::from_utf8_lossy(&output.stdout))
}

/// Extracts the major version from a `--version` line or a `server_version` string.
pub(crate) fn parse_major(text: &str) -> Option<u32> {
    text.split_whitespace().find_map(|word| {
        let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_major_from_version_output() {
        assert_eq!(
            parse_major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(parse_major("pg_dump (PostgreSQL) 17beta1"), Some(17));
        assert_eq!(parse_major("9.6.24"), Some(9));
        assert_eq!(parse_major("16.4 (Homebrew)"), Some(16));
    }

    #[test]
    fn versioned_dirs_are_sorted_highest_first() {
        let dirs = versioned_bin_dirs();
        assert!(dirs.windows(2).all(|pair| pair[0].0 > pair[1].0));
    }
}
