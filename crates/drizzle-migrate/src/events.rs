//! What a run reports while it works, so a CLI can print progress and an application can log it.

use crate::LockHolder;
use std::time::Duration;

/// Something that happened during a run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The migration lock is held by another session; the run waits for it.
    WaitingForLock {
        /// The session holding it, when it could be found.
        holder: Option<&'a LockHolder>,
        /// How long the run will wait (`None`: until it is released).
        timeout: Option<Duration>,
    },
    /// The migration lock is ours.
    LockAcquired {
        /// How long it took.
        waited: Duration,
    },
    /// `--ignore-checksums`: an edited applied migration is treated as applied.
    ChecksumIgnored {
        /// Journal tag.
        tag: &'a str,
        /// sha256 of the file now.
        file_hash: &'a str,
        /// sha256 recorded when it was applied.
        db_hash: &'a str,
    },
    /// `--allow-out-of-order`: a migration older than the newest applied one will run.
    OutOfOrderAllowed {
        /// Journal tag.
        tag: &'a str,
    },
    /// What the run will do, once verified.
    Planned {
        /// Migrations already applied.
        applied: usize,
        /// Migrations about to run.
        pending: usize,
    },
    /// A migration starts.
    MigrationStarted {
        /// 0-based position among the pending migrations.
        index: usize,
        /// Number of pending migrations.
        total: usize,
        /// Journal tag.
        tag: &'a str,
    },
    /// A migration ran (and, unless the run is a single transaction, is committed).
    MigrationApplied {
        /// 0-based position among the pending migrations.
        index: usize,
        /// Number of pending migrations.
        total: usize,
        /// Journal tag.
        tag: &'a str,
        /// How long it took.
        duration: Duration,
    },
}

/// Receives a run's events.
pub trait Observer {
    /// Called for every event, in order.
    fn event(&mut self, event: &Event<'_>);
}

impl<F: FnMut(&Event<'_>)> Observer for F {
    fn event(&mut self, event: &Event<'_>) {
        self(event)
    }
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {
    fn event(&mut self, _: &Event<'_>) {}
}
