//! The texts of a run, as pure functions of the runner's values: the status table, the
//! dry-run listing and the closing summary.

use std::time::Duration;

use drizzle_migrate::{MigrateReport, MigrationState, Status};

use crate::duration::human;

/// Printed before a run with `--ignore-checksums`, whatever it finds.
pub(super) const IGNORE_CHECKSUMS_WARNING: &str = "warning: --ignore-checksums is for emergencies: \
     an applied migration whose file was edited since is treated as applied, and the edit is \
     NOT applied to the database. Put changes in a new migration instead.";

/// `1 migration`, `3 migrations`.
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether `migrate` would stop on this status (checksum mismatch, row without file,
/// out-of-order migration), which makes `--status` exit 1.
pub(super) fn would_refuse(status: &Status) -> bool {
    !status.missing.is_empty()
        || status.migrations.iter().any(|m| {
            m.state == MigrationState::Changed
                || (m.state == MigrationState::Pending && m.out_of_order)
        })
}

/// The `--status` table: one line per migration, then the tracking rows without a file.
pub(super) fn status(status: &Status) -> String {
    let of = |state| status.in_state(state).count();
    let mut counts = vec![
        format!("{} applied", of(MigrationState::Applied)),
        format!("{} pending", of(MigrationState::Pending)),
    ];
    if of(MigrationState::Changed) > 0 {
        counts.push(format!("{} changed", of(MigrationState::Changed)));
    }
    if !status.missing.is_empty() {
        counts.push(format!("{} missing", status.missing.len()));
    }
    let mut out = format!("{}: {}", status.table, counts.join(", "));
    if !status.table_exists {
        out.push_str(" (the table does not exist yet)");
    }
    out.push('\n');
    let width = status
        .migrations
        .iter()
        .map(|m| m.tag.chars().count())
        .max()
        .unwrap_or(0);
    for m in &status.migrations {
        let (state, note) = match m.state {
            MigrationState::Applied => ("applied", String::new()),
            MigrationState::Pending if m.out_of_order => (
                "pending",
                "older than the newest applied migration: needs --allow-out-of-order".to_owned(),
            ),
            MigrationState::Pending => ("pending", String::new()),
            MigrationState::Changed => (
                "changed",
                format!(
                    "edited after it was applied: applied sha256 {}, file sha256 {}",
                    short(m.db_hash.as_deref().unwrap_or_default()),
                    short(&m.file_hash)
                ),
            ),
        };
        let note = match (m.no_transaction, note.is_empty()) {
            (true, true) => "runs outside a transaction".to_owned(),
            (true, false) => format!("{note}; runs outside a transaction"),
            (false, _) => note,
        };
        let line = format!("  {state:<8} {:<width$}  {note}", m.tag);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for row in &status.missing {
        let created = row
            .created_at
            .map_or_else(|| "null".to_owned(), |c| c.to_string());
        out.push_str(&format!(
            "  missing  tracking row {} (created_at {created}, sha256 {}): no migration in the folder\n",
            row.id,
            short(&row.hash)
        ));
    }
    out
}

/// `--dry-run` on stdout: the migrations that would run, in order.
pub(super) fn dry_run_listing(report: &MigrateReport) -> String {
    report
        .pending
        .iter()
        .map(|m| {
            if m.no_transaction {
                format!("{} (no transaction)\n", m.origin)
            } else {
                format!("{}\n", m.origin)
            }
        })
        .collect()
}

/// The last lines on stderr.
pub(super) fn summary(report: &MigrateReport) -> String {
    let already = report.already_applied;
    let mut out = if report.dry_run {
        if report.pending.is_empty() {
            format!("dry run: nothing to apply ({already} already applied)\n")
        } else {
            format!(
                "dry run: {} would be applied ({already} already applied); the database was not changed\n",
                count(report.pending.len(), "migration")
            )
        }
    } else if report.applied.is_empty() {
        if already == 0 {
            "nothing to apply: the folder has no migrations\n".to_owned()
        } else {
            format!(
                "nothing to apply: {} already applied\n",
                count(already, "migration")
            )
        }
    } else {
        let total = Duration::from_secs_f64(report.duration_ms / 1e3);
        let mut line = format!(
            "applied {} in {}",
            count(report.applied.len(), "migration"),
            human(total)
        );
        let waited = Duration::from_secs_f64(report.lock_wait_ms / 1e3);
        if waited >= Duration::from_millis(500) {
            line.push_str(&format!(", {} of it waiting for the lock", human(waited)));
        }
        line.push_str(&format!(" ({already} already applied)\n"));
        line
    };
    if !report.checksums_ignored.is_empty() {
        out.push_str(&format!(
            "warning: --ignore-checksums treated {} as applied although edited: {}\n",
            count(report.checksums_ignored.len(), "migration"),
            report.checksums_ignored.join(", ")
        ));
    }
    out
}

/// The first 12 hex digits: enough to tell hashes apart on one line.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use drizzle_migrate::{AppliedRow, Migration};

    fn m(tag: &str, when: u64, sql: &'static str) -> Migration {
        Migration::new(tag, when, sql, true, format!("drizzle/{tag}.sql"))
    }

    fn row(id: i32, m: &Migration) -> AppliedRow {
        AppliedRow {
            id,
            hash: m.hash.clone(),
            created_at: Some(m.when as i64),
        }
    }

    #[test]
    fn status_lists_every_state() {
        let a = m("0000_init", 10, "SELECT 1;");
        let b = m("0001_edited", 20, "SELECT 2;");
        let b_now = m("0001_edited", 20, "SELECT 22;");
        let late = m("0002_late_branch", 25, "SELECT 3;");
        let c = m("0003_newest", 30, "SELECT 4;");
        let d = m(
            "0004_concurrently",
            40,
            "-- drizzle:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);",
        );
        let gone = m("0009_gone", 90, "SELECT 9;");
        let status = Status::new(
            "\"drizzle\".\"__drizzle_migrations\"".into(),
            true,
            &[a.clone(), b_now, late, c.clone(), d],
            &[row(1, &a), row(2, &b), row(3, &c), row(4, &gone)],
        );
        assert!(would_refuse(&status));
        insta::assert_snapshot!(super::status(&status));
    }

    #[test]
    fn status_of_a_fresh_database() {
        let status = Status::new(
            "\"drizzle\".\"__drizzle_migrations\"".into(),
            false,
            &[m("0000_init", 10, "SELECT 1;")],
            &[],
        );
        assert!(!would_refuse(&status));
        assert_eq!(
            super::status(&status),
            "\"drizzle\".\"__drizzle_migrations\": 0 applied, 1 pending (the table does not exist yet)\n  pending  0000_init\n"
        );
    }
}
