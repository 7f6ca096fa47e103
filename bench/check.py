#!/usr/bin/env python3
"""Benchmark `drizzle-kit check` without a database (whole process, release build).

    python3 bench/check.py [MIGRATIONS] [TABLES]      (default: 100 1000)

Two projects, each checked RUNS times (median and max wall time reported):
  - example: examples/saas with one migration generated from its schema;
  - large:   a TABLES-table schema from gen_rs.py, whose folder holds MIGRATIONS migrations:
             the first creates the whole schema, each next one adds a small table with an
             index (repeated `generate` runs), so every check reads MIGRATIONS SQL files and
             snapshots, lints every statement and diffs the schema against the last snapshot.
Needs no database.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(os.environ.get("RUNS", "9"))

EXTRA = '''
#[derive(Table)]
#[drizzle(name = "bench_extra_{k}")]
pub struct BenchExtra{k} {{
    #[drizzle(primary_key)]
    pub id: i32,
    #[drizzle(index)]
    pub label: Option<String>,
}}
'''


def build():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "drizzle-kit"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "drizzle-kit")


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    return p


def timed_checks(binary, cwd):
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        p = run([binary, "check", "--json"], cwd)
        times.append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            sys.exit(f"check failed in {cwd}:\n{p.stderr}")
    return times, p


def report(label, times, p):
    import json
    doc = json.loads(p.stdout)
    print(f"{label:<9} median {statistics.median(times) * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms"
          f"   ({doc['migrations']} migrations, {doc['errors']} errors, {doc['warnings']} warnings, exit {p.returncode})")


def example(binary, work):
    d = os.path.join(work, "example")
    shutil.copytree(os.path.join(ROOT, "examples", "saas"), d, ignore=shutil.ignore_patterns("target"))
    shutil.rmtree(os.path.join(d, "migrations"), ignore_errors=True)
    p = run([binary, "generate", "--name", "init"], d)
    if p.returncode != 0:
        sys.exit(p.stderr)
    report("example", *timed_checks(binary, d))


def large(binary, work, migrations, tables):
    d = os.path.join(work, "large")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_rs.py"), str(tables), d], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(d, "drizzle.toml"), "w") as f:
        f.write('dialect = "postgresql"\nschema = "schema.rs"\nout = "drizzle"\n')
    schema = os.path.join(d, "schema.rs")
    t = time.perf_counter()
    for k in range(migrations):
        if k:
            with open(schema, "a") as f:
                f.write(EXTRA.format(k=k))
        p = run([binary, "generate", "--name", f"step{k}"], d)
        if p.returncode != 0:
            sys.exit(f"generate {k}: {p.stderr}")
    print(f"(built {migrations} migrations of a {tables}-table schema in {time.perf_counter() - t:.1f} s)")
    report("large", *timed_checks(binary, d))


def main():
    migrations = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    tables = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    binary = build()
    with tempfile.TemporaryDirectory() as work:
        example(binary, work)
        large(binary, work, migrations, tables)


if __name__ == "__main__":
    main()
