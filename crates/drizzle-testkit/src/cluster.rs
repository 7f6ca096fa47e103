//! A throwaway PostgreSQL cluster in a temporary directory, for machines without a server.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::HarnessError;

/// The OS user that owns the cluster when the tests run as root (initdb refuses root).
const SERVICE_USER: &str = "postgres";

/// A running cluster; a watcher process stops it and deletes its directory when the test
/// process exits, because statics are never dropped.
#[derive(Debug)]
pub(crate) struct Cluster {
    dir: PathBuf,
    bin_dir: PathBuf,
    port: u16,
    run_as_service_user: bool,
}

impl Cluster {
    /// Initializes and starts a cluster from `bin_dir` on a free port, then arms the watcher.
    pub(crate) fn start(bin_dir: &Path) -> Result<Cluster, HarnessError> {
        let dir = tempfile::Builder::new()
            .prefix("drizzle-testkit-pg-")
            .tempdir()
            .map_err(|source| HarnessError::Io {
                what: "creating a temporary directory for the cluster".into(),
                source,
            })?
            .keep();
        let run_as_service_user = is_root();
        if run_as_service_user {
            run(Command::new("chown").arg("-R").arg(SERVICE_USER).arg(&dir))?;
        }
        let mut cluster = Cluster {
            dir,
            bin_dir: bin_dir.to_path_buf(),
            port: 0,
            run_as_service_user,
        };
        cluster.arm_watcher()?;
        run(cluster
            .pg_command("initdb")
            .arg("-D")
            .arg(cluster.data_dir())
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
            .arg("--no-sync"))?;
        // Another process may grab the port between probing and binding; retry a few times.
        let mut last_error = None;
        for _ in 0..3 {
            cluster.port = free_port()?;
            match cluster.pg_ctl_start() {
                Ok(()) => return Ok(cluster),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.expect("the start loop ran at least once"))
    }

    /// The admin URL (TCP on 127.0.0.1, superuser `postgres`, trust auth).
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// The binaries the cluster runs on.
    pub(crate) fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// Stops the server now (immediate mode); the watcher still removes the directory later.
    #[cfg(test)]
    pub(crate) fn stop(&self) -> Result<(), HarnessError> {
        run(self.pg_command("pg_ctl").args(self.stop_args()))
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn pg_ctl_start(&self) -> Result<(), HarnessError> {
        let options = format!(
            "-p {} -k '{}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            self.dir.display()
        );
        run(self
            .pg_command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]))
    }

    fn stop_args(&self) -> Vec<String> {
        vec![
            "-D".into(),
            self.data_dir().display().to_string(),
            "-m".into(),
            "immediate".into(),
            "-w".into(),
            "stop".into(),
        ]
    }

    /// Spawns `sh` in its own process group (so Ctrl-C on the tests does not kill it) that waits
    /// for this process to exit, then stops the server and deletes the directory.
    fn arm_watcher(&self) -> Result<(), HarnessError> {
        const SCRIPT: &str = r#"pid=$1; dir=$2; shift 2
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
if [ -f "$dir/data/postmaster.pid" ]; then "$@"; fi
rm -rf "$dir""#;
        let stop = self.pg_command("pg_ctl");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(SCRIPT)
            .arg("drizzle-testkit-watcher")
            .arg(std::process::id().to_string())
            .arg(&self.dir)
            .arg(stop.get_program())
            .args(stop.get_args())
            .args(self.stop_args())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        command.spawn().map_err(|source| HarnessError::Io {
            what: "spawning the cluster watcher".into(),
            source,
        })?;
        Ok(())
    }

    /// A command for a PostgreSQL program, run as the service user when we are root.
    fn pg_command(&self, program: &str) -> Command {
        let program = self.bin_dir.join(program);
        if self.run_as_service_user {
            let mut command = Command::new("runuser");
            command.args(["-u", SERVICE_USER, "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

/// Whether this process runs as root (initdb and postgres refuse to).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// A TCP port that was free a moment ago.
fn free_port() -> Result<u16, HarnessError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|source| HarnessError::Io {
        what: "probing for a free port".into(),
        source,
    })?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|source| HarnessError::Io {
            what: "reading the probed port".into(),
            source,
        })
}

/// Runs a command to completion; a non-zero exit becomes an error carrying its output.
pub(crate) fn run(command: &mut Command) -> Result<(), HarnessError> {
    let rendered = render(command);
    // stdout is captured too: initdb reports some failures there.
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| HarnessError::Io {
            what: format!("running `{rendered}`"),
            source,
        })?;
    if output.status.success() {
        return Ok(());
    }
    Err(HarnessError::Command {
        program: rendered,
        status: output.status.to_string(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        )
        .trim()
        .to_string(),
    })
}

fn render(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binaries::cluster_bin_dir;

    #[test]
    fn throwaway_cluster_starts_answers_and_stops() {
        let Some(bin_dir) = cluster_bin_dir() else {
            // Without initdb there is nothing to start; the server tests cover DATABASE_URL setups.
            assert!(
                std::env::var_os("DATABASE_URL").is_some(),
                "no initdb and no DATABASE_URL"
            );
            return;
        };
        let cluster = Cluster::start(&bin_dir).expect("cluster starts");
        let mut client =
            postgres::Client::connect(&cluster.url(), postgres::NoTls).expect("cluster accepts");
        let one: i32 = client.query_one("SELECT 1", &[]).expect("query").get(0);
        assert_eq!(one, 1);
        drop(client);
        cluster.stop().expect("cluster stops");
        assert!(postgres::Client::connect(&cluster.url(), postgres::NoTls).is_err());
    }

    #[test]
    fn failing_command_reports_its_output() {
        let error = run(Command::new("sh").args(["-c", "echo boom >&2; exit 3"])).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("boom") && text.contains('3'), "{text}");
    }
}
