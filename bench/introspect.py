#!/usr/bin/env python3
"""Benchmark introspection against `pg_dump --schema-only` on the same database.

    python3 bench/introspect.py [N ...]        (default: 100 1000)

For each N, gen.py writes an N-table schema.sql; it is loaded into a fresh database, then
we time, alternating, RUNS runs each of:
  - ours:    the release example `introspect` of crates/drizzle-introspect (connect +
             one read-only repeatable-read transaction + building the model), whole process;
  - pg_dump: `pg_dump --schema-only` of the same database to /dev/null, whole process.
Reported: median wall time of each and the ratio ours / pg_dump; then, once, the time to
canonicalize every expression of the introspected model through the server (the worst case
of push's comparison: canonicalize_pair skips expressions already equal on both sides).
Server: $DATABASE_URL (an admin URL) or postgres://postgres@127.0.0.1:5432/postgres.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(os.environ.get("RUNS", "7"))
ADMIN_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def psql(url, *args, stdin=None):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args],
                   check=True, stdin=stdin, stdout=subprocess.DEVNULL)


def timed(cmd):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "drizzle-introspect",
                    "--example", "introspect"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ours = os.path.join(target, "release", "examples", "introspect")
    print(f"{'tables':>6} {'ours (ms)':>10} {'pg_dump (ms)':>13} {'ratio':>6}  model")
    for n in sizes:
        name = f"bench_introspect_{n}_{os.getpid()}"
        url = with_database(ADMIN_URL, name)
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(n), out],
                           check=True, stdout=subprocess.DEVNULL)
            psql(ADMIN_URL, "-c", f'CREATE DATABASE "{name}"')
            try:
                with open(os.path.join(out, "schema.sql")) as schema:
                    psql(url, stdin=schema)
                psql(url, "-c", "ANALYZE")
                mine, dumps, summary = [], [], ""
                # One warm-up of each, then alternate so both see the same cache state.
                timed([ours, url])
                timed(["pg_dump", "--schema-only", "-d", url, "-f", os.devnull])
                for _ in range(RUNS):
                    t, summary = timed([ours, url])
                    mine.append(t)
                    t, _ = timed(["pg_dump", "--schema-only", "-d", url, "-f", os.devnull])
                    dumps.append(t)
                a, b = statistics.median(mine) * 1000, statistics.median(dumps) * 1000
                print(f"{n:>6} {a:>10.1f} {b:>13.1f} {a / b:>6.2f}  {summary.strip()}")
                _, canonical = timed([ours, url, "--canonicalize"])
                print(f"{'':>6} {canonical.strip().splitlines()[-1]}")
            finally:
                psql(ADMIN_URL, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
