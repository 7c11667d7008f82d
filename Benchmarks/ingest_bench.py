#!/usr/bin/env python3
"""Ingest benchmark (issue 4): N case rows from CSV into a cockpit store, side by side with the
sqlite3 shell's `.import` of the same file into a plain table.

    swift build -c release --product cockpit
    python3 Benchmarks/ingest_bench.py [--cases 1000000] [--data DIR] [--runs 3] [--binary PATH]

Generates the data with SampleData/generate.py into DIR when DIR/cases.csv is missing (the same
file is reused afterwards). Each run starts from a fresh store that already holds the units and
calendars; only the cases ingest is timed (wall clock around the child process, which includes
opening the store and building the indexes at the end). Prints both rates and their ratio, each
run's CPU time (user + system, every thread) and the load average: on a busy machine the wall
times move a lot, and the cockpit ingest's two threads only pay when a core is free.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, **kw)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return p


def timed(cmd):
    """Wall seconds, CPU seconds (user + system, all threads) of the child, and its result."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = run(cmd)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), p


def count_rows(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--data", default=None, help="data directory (default: /tmp/cockpit-ingest-bench-N)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "cockpit"))
    args = ap.parse_args()
    data = args.data or f"/tmp/cockpit-ingest-bench-{args.cases}"
    cases = os.path.join(data, "cases.csv")
    if not os.path.exists(cases):
        print(f"generating {args.cases:,} cases into {data} …", flush=True)
        run([sys.executable, os.path.join(ROOT, "SampleData", "generate.py"), "--cases", str(args.cases), "--out", data])
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary}: missing (swift build -c release --product cockpit)")
    if not shutil.which("sqlite3"):
        sys.exit("sqlite3 shell not found (apt-get install sqlite3)")
    rows = count_rows(cases)
    size = os.path.getsize(cases)
    print(f"{cases}: {rows:,} rows, {size / 1e6:.1f} MB; {args.runs} runs each, best and median")

    sq, ck, sq_cpu, ck_cpu = [], [], [], []
    work = tempfile.mkdtemp(prefix="cockpit-ingest-bench-")
    try:
        for i in range(args.runs):
            # sqlite3 shell: .import into a plain table (created from the header), one file.
            db = os.path.join(work, f"plain-{i}.sqlite")
            secs, cpu, _ = timed(["sqlite3", db, "-cmd", ".mode csv", f".import {cases} cases"])
            sq.append(secs)
            sq_cpu.append(cpu)
            os.remove(db)
            # cockpit: units and calendars first (not timed), then the cases.
            store = os.path.join(work, f"store-{i}.sqlite")
            run([args.binary, "ingest", "--db", store, "--kind", "units", os.path.join(data, "units.csv")])
            for y in ("2025", "2026"):
                run([args.binary, "ingest", "--db", store, "--kind", "calendar", os.path.join(data, f"calendar-{y}.csv")])
            secs, cpu, p = timed([args.binary, "ingest", "--db", store, "--kind", "cases", cases])
            ck.append(secs)
            ck_cpu.append(cpu)
            last = (p.stdout.strip().splitlines() or [""])[-1]
            print(f"  run {i + 1} (load {os.getloadavg()[0]:.1f}): sqlite3 .import {sq[-1]:.2f} s, CPU {sq_cpu[-1]:.2f} s "
                  f"({rows / sq[-1]:,.0f} rows/s); cockpit ingest {secs:.2f} s, CPU {cpu:.2f} s ({rows / secs:,.0f} rows/s): {last}",
                  flush=True)
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(store + suffix):
                    os.remove(store + suffix)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def med(v):
        return sorted(v)[len(v) // 2]
    s_best, c_best = min(sq), min(ck)
    print()
    print("| | best s | median s | CPU s (best) | rows/s (best) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| sqlite3 .import (plain table) | {s_best:.2f} | {med(sq):.2f} | {min(sq_cpu):.2f} | {rows / s_best:,.0f} |")
    print(f"| cockpit ingest --kind cases | {c_best:.2f} | {med(ck):.2f} | {min(ck_cpu):.2f} | {rows / c_best:,.0f} |")
    ratio = s_best / c_best
    print(f"\ncockpit / sqlite3 speed ratio (best runs): {ratio:.2f}  (goal: >= 0.50, and >= 300,000 rows/s)")
    ok = ratio >= 0.5 and rows / c_best >= 300_000
    print("goal met" if ok else "goal NOT met")


if __name__ == "__main__":
    main()
