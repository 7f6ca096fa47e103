//! `pg_dump --schema-only` of a test database, normalized for comparison.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::binaries::{path_dirs_with, program_major, versioned_bin_dirs};
use crate::error::HarnessError;
use crate::server::server;

/// The `pg_dump` to use: the server's own major version when installed, else the lowest
/// installed one that is not older than the server (pg_dump refuses newer servers), else `PATH`.
pub fn pg_dump_path() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let server = server();
        if let Some(own) = server.bin_dir().map(|dir| dir.join("pg_dump"))
            && own.is_file()
        {
            return own;
        }
        let major = server.major_version();
        let newer_install = versioned_bin_dirs()
            .into_iter()
            .rev()
            .filter(|(version, _)| *version >= major)
            .map(|(_, dir)| dir.join("pg_dump"))
            .find(|path| path.is_file());
        let on_path = || {
            path_dirs_with("pg_dump")
                .into_iter()
                .map(|dir| dir.join("pg_dump"))
                .find(|path| program_major(path).is_some_and(|version| version >= major))
        };
        newer_install
            .or_else(on_path)
            .unwrap_or_else(|| PathBuf::from("pg_dump"))
    })
    .clone()
}

/// Dumps the schema of the database at `url` and normalizes it.
pub(crate) fn dump_schema(url: &str) -> Result<String, HarnessError> {
    let program = pg_dump_path();
    let output = Command::new(&program)
        .args(["--schema-only", "--no-owner", "--no-privileges", "--dbname"])
        .arg(url)
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .map_err(|source| HarnessError::Io {
            what: format!("running {}", program.display()),
            source,
        })?;
    if !output.status.success() {
        return Err(HarnessError::Command {
            program: format!("{} --schema-only {url}", program.display()),
            status: output.status.to_string(),
            output: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(normalize_dump(&String::from_utf8_lossy(&output.stdout)))
}

/// Removes what differs between dumps of equal schemas: comments (they carry versions and
/// object headers), session `SET`s, `\restrict` keys (random per dump since 17.6/16.10/15.14)
/// and runs of blank lines.
pub fn normalize_dump(dump: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in dump.lines() {
        let noise = line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config(")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict");
        let blank = line.trim().is_empty();
        if noise || (blank && lines.last().is_none_or(|last| last.is_empty())) {
            continue;
        }
        lines.push(if blank { "" } else { line });
    }
    while lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    let mut normalized = lines.join("\n");
    normalized.push('\n');
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::database::fresh_database;

    #[test]
    fn normalization_drops_noise_and_blank_runs() {
        let dump = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\
                    -- Dumped from database version 15.20\n\
                    SET statement_timeout = 0;\n\
                    SELECT pg_catalog.set_config('search_path', '', false);\n\n\n\
                    CREATE TABLE public.t (\n    id integer\n);\n\n\n\n\
                    ALTER TABLE public.t OWNER TO x;\n\n\\unrestrict abc123\n\n";
        assert_eq!(
            normalize_dump(dump),
            "CREATE TABLE public.t (\n    id integer\n);\n\nALTER TABLE public.t OWNER TO x;\n"
        );
    }

    #[test]
    fn dump_of_a_created_table_contains_it() {
        let database = fresh_database();
        database
            .execute_script(
                "CREATE TYPE mood AS ENUM ('sad', 'ok'); \
                 CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, m mood)",
            )
            .expect("create schema");
        let dump = database.pg_dump_schema();
        assert!(dump.contains("CREATE TABLE public.people (\n    id integer NOT NULL,\n    name text NOT NULL,\n    m public.mood\n);"), "{dump}");
        assert!(
            dump.contains("CREATE TYPE public.mood AS ENUM (\n    'sad',\n    'ok'\n);"),
            "{dump}"
        );
        assert!(!dump.contains("--") && !dump.contains("SET "), "{dump}");
    }

    #[test]
    fn dumps_of_equal_schemas_are_equal() {
        let first = fresh_database();
        let second = fresh_database();
        first
            .execute_script("CREATE TABLE b (id integer); CREATE TABLE a (id integer)")
            .expect("first schema");
        second
            .execute_script("CREATE TABLE a (id integer); CREATE TABLE b (id integer)")
            .expect("second schema");
        assert_eq!(first.pg_dump_schema(), second.pg_dump_schema());
    }

    #[test]
    fn pg_dump_is_not_older_than_the_server() {
        let path = pg_dump_path();
        let major = program_major(&path).expect("pg_dump --version");
        assert!(
            major >= server().major_version(),
            "{} is {major}",
            path.display()
        );
    }
}
