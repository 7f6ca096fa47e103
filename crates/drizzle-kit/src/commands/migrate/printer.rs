//! What a run says on stderr while it works: who holds the lock, each migration with its
//! duration, and a progress bar when there are many and stderr is a terminal.

use std::io::Write;
use std::time::Duration;

use drizzle_migrate::{Event, LockHolder, Observer};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::duration::human;

/// Below this many pending migrations the lines alone show the progress well enough.
const BAR_FROM: usize = 5;

/// Lock waits shorter than this are not worth a line.
const NOTABLE_WAIT: Duration = Duration::from_millis(500);

/// The run's observer.
pub(super) struct Printer<W: Write> {
    out: W,
    dry_run: bool,
    /// Whether a bar may be drawn (stderr is a terminal).
    terminal: bool,
    bar: Option<ProgressBar>,
}

impl Printer<std::io::Stderr> {
    /// Prints on stderr; `terminal` allows the progress bar.
    pub(super) fn stderr(dry_run: bool, terminal: bool) -> Self {
        Printer::new(std::io::stderr(), dry_run, terminal)
    }
}

impl<W: Write> Printer<W> {
    pub(super) fn new(out: W, dry_run: bool, terminal: bool) -> Self {
        Printer {
            out,
            dry_run,
            terminal,
            bar: None,
        }
    }

    /// Prints a line above the bar, if one is drawn.
    pub(super) fn line(&mut self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => {
                let _ = writeln!(self.out, "{text}");
            }
        }
    }

    /// Removes the bar (after a failure it would otherwise stay half-filled above the report).
    pub(super) fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    #[cfg(test)]
    pub(super) fn into_inner(self) -> W {
        self.out
    }

    fn start_bar(&mut self, total: usize) {
        if !self.terminal || total < BAR_FROM {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} {wide_msg}")
            .expect("the template is valid")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }
}

impl<W: Write> Observer for Printer<W> {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::WaitingForLock { holder, timeout } => {
                let line = waiting_line(*holder, *timeout);
                self.line(&line);
            }
            Event::LockAcquired { waited } if *waited >= NOTABLE_WAIT => {
                self.line(&format!("got the migration lock after {}", human(*waited)));
            }
            Event::ChecksumIgnored {
                tag,
                file_hash,
                db_hash,
            } => {
                self.line(&format!(
                    "warning: {tag} was edited after it was applied and is treated as applied \
                     (--ignore-checksums): its changes are NOT in the database\n  \
                     applied sha256 {db_hash}\n  file    sha256 {file_hash}"
                ));
            }
            Event::OutOfOrderAllowed { tag } => {
                self.line(&format!(
                    "warning: {tag} is older than the newest applied migration; applying it \
                     anyway (--allow-out-of-order)"
                ));
            }
            Event::Planned { applied, pending } if *pending > 0 => {
                let verb = if self.dry_run {
                    "would apply"
                } else {
                    "applying"
                };
                self.line(&format!(
                    "{verb} {} ({applied} already applied)",
                    super::text::count(*pending, "migration")
                ));
                if !self.dry_run {
                    self.start_bar(*pending);
                }
            }
            Event::MigrationStarted { tag, .. } => {
                if let Some(bar) = &self.bar {
                    bar.set_message(tag.to_string());
                }
            }
            Event::MigrationApplied {
                index,
                total,
                tag,
                duration,
            } => {
                self.line(&format!(
                    "  [{}/{total}] {tag} ({})",
                    index + 1,
                    human(*duration)
                ));
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            _ => {}
        }
    }
}

/// "waiting for the migration lock held by pid 4242 (drizzle-kit migrate, busy for 3 s:
/// `CREATE INDEX ...`); giving up after 30 s".
fn waiting_line(holder: Option<&LockHolder>, timeout: Option<Duration>) -> String {
    let who = match holder {
        Some(h) => {
            let mut about = Vec::new();
            if !h.application_name.is_empty() {
                about.push(h.application_name.clone());
            }
            if let Some(addr) = &h.client_addr {
                about.push(format!("from {addr}"));
            }
            if let Some(secs) = h.busy_seconds {
                about.push(format!("busy for {secs:.0} s"));
            }
            let query = h.query.split_whitespace().collect::<Vec<_>>().join(" ");
            if !query.is_empty() {
                about.push(format!("running `{}`", shorten(&query, 60)));
            }
            if about.is_empty() {
                format!("held by pid {}", h.pid)
            } else {
                format!("held by pid {} ({})", h.pid, about.join(", "))
            }
        }
        None => "held by another session".to_owned(),
    };
    let until = match timeout {
        Some(t) => format!("giving up after {}", human(t)),
        None => "waiting until it is released (--lock-timeout bounds the wait)".to_owned(),
    };
    format!("waiting for the migration lock {who}; {until}")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_become_lines() {
        let holder = LockHolder {
            pid: 4242,
            application_name: "drizzle-kit migrate".into(),
            client_addr: Some("10.0.0.7/32".into()),
            busy_seconds: Some(12.4),
            query: "CREATE INDEX CONCURRENTLY \"users_email_index\"\n  ON \"users\" USING btree (\"email\") WHERE \"deleted_at\" IS NULL".into(),
        };
        let mut printer = Printer::new(Vec::new(), false, false);
        let events = [
            Event::WaitingForLock {
                holder: Some(&holder),
                timeout: Some(Duration::from_secs(30)),
            },
            Event::WaitingForLock {
                holder: None,
                timeout: None,
            },
            Event::LockAcquired {
                waited: Duration::from_millis(2_500),
            },
            Event::ChecksumIgnored {
                tag: "0001_edited",
                file_hash: "aaaa",
                db_hash: "bbbb",
            },
            Event::OutOfOrderAllowed { tag: "0002_late" },
            Event::Planned {
                applied: 2,
                pending: 2,
            },
            Event::MigrationStarted {
                index: 0,
                total: 2,
                tag: "0002_late",
            },
            Event::MigrationApplied {
                index: 0,
                total: 2,
                tag: "0002_late",
                duration: Duration::from_millis(12),
            },
        ];
        for event in &events {
            printer.event(event);
        }
        let text = String::from_utf8(printer.into_inner()).unwrap();
        insta::assert_snapshot!(text);
    }

    #[test]
    fn a_dry_run_says_would() {
        let mut printer = Printer::new(Vec::new(), true, false);
        printer.event(&Event::Planned {
            applied: 0,
            pending: 1,
        });
        printer.event(&Event::Planned {
            applied: 3,
            pending: 0,
        });
        let text = String::from_utf8(printer.into_inner()).unwrap();
        assert_eq!(text, "would apply 1 migration (0 already applied)\n");
    }
}
