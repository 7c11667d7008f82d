#!/usr/bin/env python3
"""Many walls, one store: N `cockpit wall` processes, each in its own pseudo-terminal, read a store
that a writer keeps committing to. Measures how soon after each commit every wall sends its new
frame, and watches for "database is locked" on any side.

    swift build -c release
    python3 Benchmarks/walls_bench.py --db STORE.sqlite [--walls 64] [--rate 1000] [--seconds 60]

The store is copied first; the copy is what the walls read and the writer writes. The writer is
`cockpit engine` with a simulator source (--writer engine, the default; --feeds picks what it sends),
else one `cockpit ingest` of RATE new cases per second. Walls are pinned round-robin to the 8 streets
and rotate slowly (1 h), so each shows its street's screen, whose figures every commit changes.

Latency at a wall = time of the wall's first output byte after a commit became visible to readers
(the writer's data_version moved, polled here every 10 ms) minus the moment of the earliest commit the
wall had not yet shown.
"""
import argparse, fcntl, os, pty, select, shutil, signal, sqlite3, statistics, struct, subprocess, sys, tempfile, termios, threading, time

STREETS = ["changqing", "wulin", "tianshui", "chaoming", "zhaohui", "wenhui", "dongxin", "shiqiao"]


def spawn_wall(binary, db, scope, cols, rows):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
        env.pop("NO_COLOR", None)
        os.execve(binary, [binary, "wall", "--scope", scope, "--db", db, "--rotate", "1h", "--no-quit"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.set_blocking(fd, False)
    return pid, fd


def leaf_units(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("SELECT id FROM units u WHERE NOT EXISTS (SELECT 1 FROM units c WHERE c.parent = u.id)").fetchall()
    con.close()
    return [r[0] for r in rows]


class EngineWriter:
    """`cockpit engine` with one simulator source at `rate` records a second (cases, tickets, calls,
    series), history and the sample alert rules on: the production writer."""

    def __init__(self, binary, db, rate, seconds, tmp, feeds):
        self.binary, self.db, self.rate, self.seconds, self.tmp, self.feeds = binary, db, rate, seconds, tmp, feeds
        self.errors = []
        self.durations = []
        self.rows = 0
        self.proc = None

    def start(self):
        sources = os.path.join(self.tmp, "sources.yaml")
        with open(sources, "w") as f:
            f.write(f"sources:\n  - name: live\n    kind: simulator\n    seed: 7\n    rate: {self.rate}\n"
                    f"    interval: 1s\n    feeds: [{', '.join(self.feeds)}]\n")
        rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleData", "alerts.yaml")
        self.log = open(os.path.join(self.tmp, "engine.log"), "w+")
        # Without history and alerts every commit is a batch of records, which every wall must show;
        # with them (--derived) some commits change nothing a wall draws, and their latency runs on
        # to the wall's next frame (an overestimate).
        extra = ["--rules", rules] if self.derived else ["--no-history"]
        self.proc = subprocess.Popen([self.binary, "engine", "--db", self.db, "--sources", sources] + extra,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def join(self, timeout=None):
        time.sleep(max(0, self.seconds - (time.time() - self.started)))
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.seek(0)
        text = self.log.read()
        self.errors = [l for l in text.splitlines() if "locked" in l or " error " in l]
        for line in text.splitlines():
            if "committed" in line:
                try:
                    self.rows += int(line.split("committed ")[1].split(" accepted")[0])
                except (IndexError, ValueError):
                    pass


class IngestWriter(threading.Thread):
    """One `cockpit ingest` of `rate` new open cases every second."""

    def __init__(self, binary, db, rate, seconds, tmp):
        super().__init__(daemon=True)
        self.binary, self.db, self.rate, self.seconds, self.tmp = binary, db, rate, seconds, tmp
        self.units = leaf_units(db)
        self.errors = []
        self.durations = []
        self.rows = 0

    def run(self):
        seq = 0
        t0 = time.time()
        tick = 0
        while time.time() - t0 < self.seconds:
            path = os.path.join(self.tmp, f"chunk-{tick}.csv")
            now = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600))
            with open(path, "w") as f:
                f.write("id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions\n")
                for _ in range(self.rate):
                    u = self.units[seq % len(self.units)]
                    f.write(f"WB{os.getpid()}-{seq},{u},区市场监管局,MB{seq % 97:03d},食品经营许可,hall,{now},{seq % 9},accepted,,\n")
                    seq += 1
            start = time.time()
            p = subprocess.run([self.binary, "ingest", "--db", self.db, "--kind", "cases", path], capture_output=True, text=True)
            self.durations.append(time.time() - start)
            if p.returncode != 0 or "locked" in p.stderr:
                self.errors.append(p.stderr.strip()[:200])
            self.rows += self.rate
            os.unlink(path)
            tick += 1
            time.sleep(max(0, t0 + tick - time.time()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--binary", default=".build/release/cockpit")
    ap.add_argument("--walls", type=int, default=64)
    ap.add_argument("--rate", type=int, default=1000, help="records per second")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--size", default="120x40")
    ap.add_argument("--writer", choices=["engine", "ingest"], default="engine")
    # At 1,000 records/s a quarter of them tickets would be a whole hall's day every few seconds:
    # by default the simulator sends cases and sharing calls, the high-volume kinds.
    ap.add_argument("--feeds", default="cases,calls", help="simulator feeds (cases, tickets, calls, series)")
    ap.add_argument("--derived", action="store_true", help="the engine also keeps history and evaluates the sample alert rules")
    args = ap.parse_args()
    cols, rows = map(int, args.size.split("x"))

    tmp = tempfile.mkdtemp(prefix="walls-bench-")
    db = os.path.join(tmp, "store.sqlite")
    src = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close(); dst.close()

    walls = [spawn_wall(args.binary, db, STREETS[i % len(STREETS)], cols, rows) for i in range(args.walls)]
    fds = {fd: i for i, (_, fd) in enumerate(walls)}
    outputs = [bytearray() for _ in walls]

    # Let every wall draw its first frame and settle.
    settle = time.time() + 5
    while time.time() < settle:
        r, _, _ = select.select(list(fds), [], [], 0.1)
        for fd in r:
            try:
                outputs[fds[fd]] += os.read(fd, 65536)
            except OSError:
                pass

    watch = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    version = watch.execute("PRAGMA data_version").fetchone()[0]
    if args.writer == "engine":
        writer = EngineWriter(args.binary, db, args.rate, args.seconds, tmp, args.feeds.split(","))
        writer.derived = args.derived
    else:
        writer = IngestWriter(args.binary, db, args.rate, args.seconds, tmp)
    writer.started = time.time()
    writer.start()
    # Per wall, the earliest commit it has not shown yet: its next frame shows that commit (or a
    # newer one), and the latency is counted from the earliest. A commit a wall never shows before
    # the end is counted as unanswered, so an overloaded wall cannot hide behind a later frame.
    commits = 0
    waiting_since = [None] * len(walls)
    latencies = []
    end = time.time() + args.seconds + 3
    next_poll = 0.0
    while time.time() < end:
        now = time.time()
        if now >= next_poll:
            next_poll = now + 0.01
            v = watch.execute("PRAGMA data_version").fetchone()[0]
            if v != version:
                version = v
                commits += 1
                for i in range(len(walls)):
                    if waiting_since[i] is None:
                        waiting_since[i] = now
        r, _, _ = select.select(list(fds), [], [], 0.005)
        t = time.time()
        for fd in r:
            i = fds[fd]
            try:
                data = os.read(fd, 65536)
            except OSError:
                continue
            outputs[i] += data
            if waiting_since[i] is not None:
                latencies.append(t - waiting_since[i])
                waiting_since[i] = None
    unanswered = sum(1 for w in waiting_since if w is not None and time.time() - w > 1.0)
    writer.join(timeout=5)

    text = b"".join(outputs).decode("utf-8", "replace")
    locked_on_screen = text.count("数据库不可用") + text.count("locked")
    alive = 0
    for pid, fd in walls:
        try:
            os.kill(pid, 0); alive += 1
        except OSError:
            pass
    for pid, fd in walls:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    for pid, fd in walls:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
    shutil.rmtree(tmp, ignore_errors=True)

    lat = sorted(latencies)
    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    print(f"walls                     {args.walls} ({alive} alive at the end)")
    kind = (f"cockpit engine (simulator: {args.feeds}" + (", history and alerts" if args.derived else "") + ")"
            if args.writer == "engine" else "cockpit ingest")
    print(f"writer                    {kind}, {args.rate} records/s asked, {writer.rows} records committed in {args.seconds} s")
    print(f"ingest time per commit    median {statistics.median(writer.durations) * 1000:.0f} ms, max {max(writer.durations) * 1000:.0f} ms" if writer.durations else "")
    print(f"commits seen by readers   {commits}")
    print(f"wall frames measured      {len(lat)} (walls still waiting > 1 s at the end: {unanswered})")
    print(f"latency commit → frame    median {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms, max {lat[-1] * 1000 if lat else float('nan'):.0f} ms")
    print(f"within 1 s                {sum(1 for x in lat if x <= 1.0) / len(lat) * 100 if lat else 0:.1f} %")
    print(f"'locked' on any screen    {locked_on_screen}")
    print(f"writer errors             {len(writer.errors)}" + (f": {writer.errors[0]}" if writer.errors else ""))


if __name__ == "__main__":
    main()
