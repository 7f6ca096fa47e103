#!/usr/bin/env python3
"""Benchmark `drizzle-kit generate` on generated schemas (whole process, release build).

    python3 bench/generate.py [N ...]        (default: 100 1000 3000)

For each N, gen_rs.py writes an N-table schema; we then time, over several runs:
  - initial: generate from an empty folder (the first migration of the whole schema);
  - noop:    generate again on the same folder (nothing to migrate);
  - change:  generate schema_v2.rs (a 5% change) on top of the initial migration.
Reported: median wall time and peak RSS (from /usr/bin/time). Needs no database.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(os.environ.get("RUNS", "7"))


def build():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "drizzle-kit"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "drizzle-kit")


def timed(cmd):
    """Run cmd under /usr/bin/time; return (seconds, peak RSS in MB, exit code, stderr)."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    last = p.stderr.strip().splitlines()[-1]
    secs, kb = last.split()
    return float(secs), int(kb) / 1024, p.returncode, p.stderr


def precise(cmd):
    """Wall time measured here (time's %e has 10 ms resolution)."""
    import time
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t, p


def bench(binary, n, work):
    d = os.path.join(work, f"n{n}")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_rs.py"), str(n), d], check=True,
                   stdout=subprocess.DEVNULL)
    size = os.path.getsize(os.path.join(d, "schema.rs"))
    base = [binary, "generate", "--dialect", "postgresql", "--name", "bench"]
    results = {}
    for label in ("initial", "noop", "change"):
        times, rss = [], []
        for _ in range(RUNS):
            out = os.path.join(d, "out")
            shutil.rmtree(out, ignore_errors=True)
            if label != "initial":
                subprocess.run(base + ["--schema", os.path.join(d, "schema.rs"), "--out", out],
                               check=True, capture_output=True)
            schema = "schema_v2.rs" if label == "change" else "schema.rs"
            cmd = base + ["--schema", os.path.join(d, schema), "--out", out]
            secs, p = precise(cmd)
            if p.returncode != 0:
                print(f"  {label}: exit {p.returncode}: {p.stderr.strip()[:400]}")
                break
            _, mb, _, _ = timed(cmd if label != "initial" else cmd)
            if label == "initial":
                shutil.rmtree(out, ignore_errors=True)
            times.append(secs)
            rss.append(mb)
        if times:
            results[label] = (statistics.median(times), max(rss))
    print(f"N={n} ({size / 1e6:.2f} MB of Rust)")
    for label, (t, mb) in results.items():
        print(f"  {label:8} median {t * 1000:8.1f} ms   peak RSS {mb:6.1f} MB   ({RUNS} runs)")


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 3000]
    binary = build()
    with tempfile.TemporaryDirectory() as work:
        for n in sizes:
            bench(binary, n, work)


if __name__ == "__main__":
    main()
