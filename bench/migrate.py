#!/usr/bin/env python3
"""Benchmark the migration runner (crates/drizzle-migrate) against `psql -f` of the same SQL.

    python3 bench/migrate.py            (RUNS=5, DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres)

Workloads, both from gen.py's deterministic schema:
  - initial: the 1000-table schema.sql as ONE migration (statements separated by
    `--> statement-breakpoint`, as drizzle-kit writes them);
  - small:   the 200-table schema.sql cut into 200 small migrations (one per table: its
    CREATE TABLE and its indexes; the enums go with the first table).
Each run starts from a fresh database. Compared:
  - runner:    `apply <folder> <url>` (examples/apply.rs, release build): advisory lock,
               checksum verification, one transaction + tracking row per migration;
  - psql -f:   the same statements concatenated in one file, autocommit (psql's default);
  - psql -1 -f: the same file in a single transaction.
Reported: median wall time of the whole process (connect included). Not a timed test.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(os.environ.get("RUNS", "5"))
ADMIN_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BREAKPOINT = "\n--> statement-breakpoint\n"


def build():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "drizzle-migrate", "--example", "apply"],
        cwd=ROOT,
        check=True,
    )
    return os.path.join(ROOT, "target", "release", "examples", "apply")


def statements(schema_sql):
    """The statements of gen.py's schema.sql: each ends with `;` at the end of a line."""
    out, current = [], []
    for line in schema_sql.splitlines():
        if not current and (not line.strip() or line.startswith("--")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(current))
            current = []
    assert not current, "unterminated statement at the end of schema.sql"
    return out


def per_table(stmts):
    """Groups statements into one migration per table (enums join the first table)."""
    groups, by_table, head = [], {}, []
    for s in stmts:
        if s.startswith("CREATE TYPE"):
            head.append(s)
        elif s.startswith("CREATE TABLE"):
            table = re.match(r'CREATE TABLE ("[^"]+"\."[^"]+")', s).group(1)
            by_table[table] = head + [s]
            groups.append(by_table[table])
            head = []
        else:
            table = re.search(r' ON ("[^"]+"\."[^"]+")', s).group(1)
            by_table[table].append(s)
    return groups


def write_folder(folder, migrations):
    """A drizzle-kit 0.31 folder: journal plus <tag>.sql (no trailing newline)."""
    os.makedirs(os.path.join(folder, "meta"))
    entries = []
    for i, stmts in enumerate(migrations):
        tag = "%04d_m%d" % (i, i)
        with open(os.path.join(folder, tag + ".sql"), "w") as f:
            f.write(BREAKPOINT.join(stmts))
        entries.append(
            '    {\n      "idx": %d,\n      "version": "7",\n      "when": %d,\n      "tag": "%s",\n      "breakpoints": true\n    }'
            % (i, 1700000000000 + i * 1000, tag)
        )
    with open(os.path.join(folder, "meta", "_journal.json"), "w") as f:
        f.write('{\n  "version": "7",\n  "dialect": "postgresql",\n  "entries": [\n%s\n  ]\n}' % ",\n".join(entries))
    # The same SQL in one file for psql: migrations in order, breakpoints are `--` comments.
    script = os.path.join(folder, "all.sql")
    with open(script, "w") as f:
        f.write(BREAKPOINT.join(BREAKPOINT.join(stmts) for stmts in migrations))
    return script


def db_url(name):
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def psql_admin(sql):
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", ADMIN_URL, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL, env=env)


def timed_on_fresh_db(cmd_for_url, label, run):
    """Wall time of one command on a new database (dropped afterwards)."""
    name = "bench_migrate_%d_%d" % (os.getpid(), run)
    psql_admin('DROP DATABASE IF EXISTS "%s"' % name)
    psql_admin('CREATE DATABASE "%s"' % name)
    try:
        cmd = cmd_for_url(db_url(name))
        start = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if p.returncode != 0 or "ERROR" in p.stderr:
            sys.exit("%s failed:\n%s\n%s" % (label, p.stdout, p.stderr))
        return elapsed
    finally:
        psql_admin('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def bench(title, folder, script, runner):
    psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    tools = [
        ("drizzle-migrate", lambda url: [runner, folder, url]),
        ("psql -f", lambda url: psql + ["-f", script, url]),
        ("psql -1 -f", lambda url: psql + ["-1", "-f", script, url]),
    ]
    # Round-robin, so that a burst of load on the machine hits every tool alike.
    times = {label: [] for label, _ in tools}
    for run in range(RUNS):
        for label, cmd in tools:
            times[label].append(timed_on_fresh_db(cmd, label, run))
    print(title)
    for label, _ in tools:
        ts = sorted(times[label])
        print("  %-16s median %8.1f ms   (min %.1f, max %.1f)" % (label, statistics.median(ts) * 1000,
                                                                 ts[0] * 1000, ts[-1] * 1000))
    return times


def main():
    runner = build()
    work = tempfile.mkdtemp(prefix="bench-migrate-")
    try:
        gen = os.path.join(HERE, "gen.py")
        for n in (1000, 200):
            subprocess.run([sys.executable, gen, str(n), os.path.join(work, "gen%d" % n)], check=True,
                           stdout=subprocess.DEVNULL)
        with open(os.path.join(work, "gen1000", "schema.sql")) as f:
            initial = statements(f.read())
        with open(os.path.join(work, "gen200", "schema.sql")) as f:
            small = per_table(statements(f.read()))
        assert len(small) == 200, len(small)

        one = os.path.join(work, "initial")
        script = write_folder(one, [initial])
        print("runs per measurement: %d (median), fresh database each run" % RUNS)
        bench("1000-table initial migration (%d statements, 1 migration)" % len(initial), one, script, runner)

        many = os.path.join(work, "small")
        script = write_folder(many, small)
        total = sum(len(m) for m in small)
        bench("200 small migrations (%d statements)" % total, many, script, runner)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
