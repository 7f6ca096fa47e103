#!/usr/bin/env python3
"""Benchmark a no-op `drizzle-kit push` against `pg_dump --schema-only` on the same database.

    python3 bench/push.py [N ...]        (default: 100 1000)

For each N, gen_rs.py writes an N-table schema.rs (and gen.py the same schema as schema.sql);
the database is migrated with our own `generate` output for schema.rs, then we time,
alternating, RUNS runs each of:
  - push:    the release `drizzle-kit push` with the same schema.rs, whole process (parse,
             connect, introspect, server canonicalization, diff); it must report
             "No changes detected", else the benchmark stops and prints what it found;
  - pg_dump: `pg_dump --schema-only` of the same database to /dev/null, whole process.
Reported: median wall time of each and the ratio push / pg_dump; then, once, push --verbose's
own phase timings.
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


def timed(cmd, cwd=None):
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed, done.stderr


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "drizzle-kit", "--bin", "drizzle-kit"],
                   cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    kit = os.path.join(target, "release", "drizzle-kit")
    env_url = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    print(f"{'tables':>6} {'push (ms)':>10} {'pg_dump (ms)':>13} {'ratio':>6}")
    for n in sizes:
        name = f"bench_push_{n}_{os.getpid()}"
        url = with_database(ADMIN_URL, name)
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_rs.py"), str(n), out],
                           check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "drizzle.toml"), "w") as config:
                config.write(f'schema = "schema.rs"\n[db_credentials]\nurl = "{url}"\n')
            subprocess.run([kit, "generate", "--name", "init"], cwd=out, env=env_url, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            psql(ADMIN_URL, "-c", f'CREATE DATABASE "{name}"')
            try:
                with open(os.path.join(out, "drizzle", "0000_init.sql")) as migration:
                    psql(url, "-1", "-f", "-", stdin=migration)
                psql(url, "-c", "ANALYZE")
                push = [kit, "push"]
                dump = ["pg_dump", "--schema-only", "-d", url, "-f", os.devnull]
                _, said = timed(push, cwd=out)
                if "No changes detected" not in said:
                    sys.exit(f"push is not a no-op on {n} tables:\n{said}")
                timed(dump)
                mine, dumps = [], []
                # Alternate so both see the same cache state.
                for _ in range(RUNS):
                    t, _ = timed(push, cwd=out)
                    mine.append(t)
                    t, _ = timed(dump)
                    dumps.append(t)
                a, b = statistics.median(mine) * 1000, statistics.median(dumps) * 1000
                print(f"{n:>6} {a:>10.1f} {b:>13.1f} {a / b:>6.2f}")
                _, verbose = timed([kit, "push", "--verbose"], cwd=out)
                phases = [l for l in verbose.splitlines() if l.startswith("timings:")]
                print(f"{'':>6} {phases[-1] if phases else ''}")
            finally:
                psql(ADMIN_URL, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
