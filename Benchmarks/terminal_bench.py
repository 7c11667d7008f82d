#!/usr/bin/env python3
"""Terminal benchmark: runs the real cockpit binary in a pseudo-terminal and measures what a
person (and the wire) would: time to first frame, bytes sent while idle, bytes for a key
press, and resident memory. Prints a table; not a timed test.

usage: python3 Benchmarks/terminal_bench.py --db STORE [--bin .build/release/cockpit]
                                            [--size 200x60] [--idle 10] [--runs 5]

The store is copied first: the "one new case" step ingests a new overdue case into the copy (in
wulin-zhuganxiang) while the district screen is open, and counts the bytes of the redraw that
follows (every figure that moved, drawn highlighted) and of the one that ends the highlight. The
"one changed figure alone" step does the same on a screen whose layout is a single tile
(cases.open), so that exactly one figure (and the data's time in the title bar) moves.
"""
import argparse, fcntl, os, pty, select, shutil, signal, struct, subprocess, sys, tempfile, termios, time


def spawn(binary, db, cols, rows, extra):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
        os.execve(binary, [binary, "--db", db] + extra, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def read_for(fd, seconds, until=None):
    """Reads for `seconds` (or until `until` bytes appear); returns (bytes, elapsed)."""
    start = time.monotonic()
    buf = b""
    while True:
        left = seconds - (time.monotonic() - start)
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if until is not None and until in buf:
                break
    return buf, time.monotonic() - start


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", default=".build/release/cockpit")
    ap.add_argument("--size", default="200x60")
    ap.add_argument("--idle", type=float, default=10)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--at", default=None, help="pass --at to the cockpit (fixed clock)")
    ap.add_argument("--soak", type=float, default=0,
                    help="also drive the screen for this many seconds (drill down, up, filter, refresh, "
                         "resize, a key every 50 ms) and report memory and descriptors before and after")
    a = ap.parse_args()
    cols, rows = map(int, a.size.split("x"))
    extra = ["--at", a.at] if a.at else []
    marker = "各街道对比".encode()  # drawn once the first frame is complete

    firsts = []
    for _ in range(a.runs):
        t0 = time.monotonic()
        pid, fd = spawn(a.bin, a.db, cols, rows, extra)
        out, _ = read_for(fd, 10, until=marker)
        first = time.monotonic() - t0
        if marker not in out:
            sys.exit(f"no first frame within 10 s; got {out[:200]!r}")
        read_for(fd, 0.3)  # the rest of the frame
        firsts.append(first)
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)

    work = tempfile.mkdtemp(prefix="cockpit-bench-")
    db = os.path.join(work, "store.sqlite")
    shutil.copyfile(a.db, db)
    pid, fd = spawn(a.bin, db, cols, rows, extra)
    read_for(fd, 10, until=marker)
    read_for(fd, 1.0)
    idle, secs = read_for(fd, a.idle)
    os.write(fd, b"j")  # one key: the selection moves one row
    key, _ = read_for(fd, 1.0)
    csv = os.path.join(work, "one.csv")
    with open(csv, "w") as f:
        f.write("id,unit,department,item_code,item_name,channel,accepted_at,promised_days,status,completed_at,suspensions\n")
        f.write("BENCH-1,wulin-zhuganxiang,区民政局,X1,基准测试事项,hall,2026-10-01T09:00:00+08:00,1,accepted,,\n")
    subprocess.run([a.bin, "ingest", "--db", db, "--kind", "cases", csv], check=True, capture_output=True)
    change, _ = read_for(fd, 2.0)     # the poll (≤ 1 s) and the highlighted redraw
    unhighlight, _ = read_for(fd, 3.0)  # the highlight ends after 3 s
    rss = rss_kb(pid)
    nfd = fds(pid)
    os.write(fd, b"q")
    read_for(fd, 1.0)
    _, status = os.waitpid(pid, 0)

    # One changed figure alone: a district layout of a single tile (cases.open), a fresh copy of the
    # store, the same new case. What moves is that figure (highlighted) and the data's time in the
    # title bar: the smallest real change a screen can show.
    layouts = os.path.join(work, "layouts")
    os.makedirs(layouts)
    with open(os.path.join(layouts, "district.yaml"), "w") as f:
        # A tile of ordinary height (a tall one draws its value in block digits) above a still text.
        f.write("title: bench\nrows:\n  - widget: kpi\n    metric: cases.open\n    size: 4\n    priority: 100\n"
                "  - widget: banner\n    text: bench\n")
    shutil.copyfile(a.db, db)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    pid, fd = spawn(a.bin, db, cols, rows, extra + ["--layouts", layouts])
    read_for(fd, 10, until="bench".encode())
    read_for(fd, 1.0)
    subprocess.run([a.bin, "ingest", "--db", db, "--kind", "cases", csv], check=True, capture_output=True)
    one, _ = read_for(fd, 2.0)
    one_back, _ = read_for(fd, 3.0)
    os.write(fd, b"q")
    read_for(fd, 1.0)
    os.waitpid(pid, 0)
    shutil.rmtree(work, ignore_errors=True)

    soak = None
    if a.soak > 0:
        soak = run_soak(a, cols, rows, extra, marker)

    firsts.sort()
    print(f"terminal benchmark: {a.bin} --db {a.db} at {cols}x{rows}")
    print(f"| measure                         | value |")
    print(f"|---------------------------------|-------|")
    print(f"| first frame (median of {a.runs})      | {firsts[len(firsts)//2]*1000:.0f} ms (min {firsts[0]*1000:.0f}, max {firsts[-1]*1000:.0f}) |")
    print(f"| idle output over {a.idle:.0f} s           | {len(idle)} bytes ({len(idle)/secs:.1f} bytes/s) |")
    print(f"| one key (selection moves a row) | {len(key)} bytes |")
    print(f"| one new case (figures change)   | {len(change)} bytes, then {len(unhighlight)} bytes when the highlight ends |")
    print(f"| one changed figure alone        | {len(one)} bytes, then {len(one_back)} bytes when the highlight ends |")
    print(f"| resident memory                 | {rss/1024:.1f} MB |")
    print(f"| open file descriptors           | {nfd} |")
    print(f"| exit status after q             | {os.waitstatus_to_exitcode(status)} |")
    if soak:
        print(f"| soak: {soak['keys']} keys, {soak['resizes']} resizes in {a.soak:.0f} s | "
              f"RSS {' → '.join(f'{k/1024:.1f}' for k in [soak['rss0']] + soak['samples'] + [soak['rss1']])} MB, fds {soak['fd0']} → {soak['fd1']} |")


def run_soak(a, cols, rows, extra, marker):
    """Drives the screen hard for a while: what a week of a wall or a leader's console does."""
    pid, fd = spawn(a.bin, a.db, cols, rows, extra)
    read_for(fd, 10, until=marker)
    read_for(fd, 2.0)
    rss0, fd0 = rss_kb(pid), fds(pid)
    script = [b"j", b"\r", b"j", b"\r", b"\x1b", b"\x1b", b"/", b"s", b"q", b"\r", b"\x1b", b"5", b"\t", b"j",
              b"\t", b"\x7f", b"r", b"?", b" ", b":", b"t", b"o", b"p", b"\r"]
    keys = resizes = 0
    start = time.monotonic()
    end = start + a.soak
    # RSS at each quarter of the soak: growth that levels off is warm-up, growth that goes on is a leak.
    samples, next_sample = [], start + a.soak / 4
    while time.monotonic() < end:
        if time.monotonic() >= next_sample:
            samples.append(rss_kb(pid))
            next_sample += a.soak / 4
        for k in script:
            os.write(fd, k)
            keys += 1
            read_for(fd, 0.05)
        # A resize now and then, tiny included.
        w, h = [(cols, rows), (80, 24), (10, 5), (cols, rows)][resizes % 4]
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", h, w, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        resizes += 1
        read_for(fd, 0.05)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    read_for(fd, 2.0)
    rss1, fd1 = rss_kb(pid), fds(pid)
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)
    return dict(keys=keys, resizes=resizes, rss0=rss0, rss1=rss1, fd0=fd0, fd1=fd1, samples=samples)


if __name__ == "__main__":
    main()
