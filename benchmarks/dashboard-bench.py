#!/usr/bin/env python3
"""The dashboard's start-up and idle cost, measured against htop in one run.

1. Time to first frame: nslab and htop are started alternately in a pty of 120x40 until their first
   full frame is on the pty (nslab: "Launch"; htop: its "Load average" meter); medians and ratio.
   Bar: nslab under 100 ms.
2. Idle cost: with 2,000 extra idle processes, nslab (with a child running, 1 s refresh) and htop
   (1 s delay) run side by side for 10 s in ptys of the same size. CPU time (their own plus reaped
   helpers') and peak RSS (VmHWM) of both, and the ratios. Bars: CPU <= 1.0x htop, RSS <= 4x.

usage: dashboard-bench.py NSLAB [SECONDS]   (as root: the child gets a UTS namespace)
"""
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procstat import cpu_seconds, peak_rss_kb  # noqa: E402

ROWS, COLS = 40, 120


def spawn(argv):
    """Starts argv on a new pty of ROWS x COLS; returns (pid, master fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    return pid, fd


def read_until(fd, marker, timeout):
    """Reads the pty until `marker` shows; returns True if it did within `timeout` seconds."""
    buffer = b""
    deadline = time.monotonic() + timeout
    while marker not in buffer:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                buffer = buffer[-4096:] + os.read(fd, 65536)
            except OSError:
                return False
    return True


def drain(fds, seconds):
    """Keeps reading the ptys for `seconds`, as a terminal would, so nobody blocks on output."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select(fds, [], [], left)
        for fd in ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass


def stop(pid, fd, keys):
    for key in keys:
        try:
            os.write(fd, key)
        except OSError:
            pass
        drain([fd], 0.2)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)




def first_frames(nslab, rounds=15):
    times = {"nslab": [], "htop": []}
    commands = {"nslab": ([nslab], b"Launch", [b"q"]), "htop": (["htop", "-d", "10"], b"Load average", [b"q"])}
    for _ in range(rounds):
        for name, (argv, marker, keys) in commands.items():
            start = time.perf_counter()
            pid, fd = spawn(argv)
            if not read_until(fd, marker, 5):
                print(f"{name}: no first frame within 5 s", file=sys.stderr)
                sys.exit(1)
            times[name].append((time.perf_counter() - start) * 1000)
            stop(pid, fd, keys)
    return {name: statistics.median(values) for name, values in times.items()}


def main():
    nslab = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    frames = first_frames(nslab)
    print(f"first frame     nslab {frames['nslab']:7.1f} ms   htop {frames['htop']:7.1f} ms   "
          f"ratio {frames['nslab'] / frames['htop']:.2f}   (bar: nslab < 100 ms)")

    sleepers = [subprocess.Popen(["sleep", "100000"]) for _ in range(2000)]
    try:
        nslab_pid, nslab_fd = spawn([nslab, "--ns", "uts", "--launch", "--interval", "1"])
        htop_pid, htop_fd = spawn(["htop", "-d", "10"])
        if not read_until(nslab_fd, b"Child ", 10) or not read_until(htop_fd, b"Load average", 10):
            print("a program did not start", file=sys.stderr)
            sys.exit(1)
        # The start-up is measured above; the idle cost is what the next seconds add.
        base = {"nslab": cpu_seconds(nslab_pid), "htop": cpu_seconds(htop_pid)}
        drain([nslab_fd, htop_fd], seconds)
        cpu = {"nslab": cpu_seconds(nslab_pid) - base["nslab"], "htop": cpu_seconds(htop_pid) - base["htop"]}
        rss = {"nslab": peak_rss_kb(nslab_pid), "htop": peak_rss_kb(htop_pid)}
        stop(nslab_pid, nslab_fd, [b"\x1d", b"q", b"y"])
        stop(htop_pid, htop_fd, [b"q"])
    finally:
        for sleeper in sleepers:
            sleeper.kill()
        for sleeper in sleepers:
            sleeper.wait()
    print(f"idle {seconds:.0f} s CPU   nslab {cpu['nslab']:7.3f} s    htop {cpu['htop']:7.3f} s    "
          f"ratio {cpu['nslab'] / max(cpu['htop'], 0.001):.2f}   (bar: <= 1.0)")
    print(f"peak RSS        nslab {rss['nslab'] / 1024:7.1f} MB   htop {rss['htop'] / 1024:7.1f} MB   "
          f"ratio {rss['nslab'] / max(rss['htop'], 1):.2f}   (bar: <= 4.0)")


if __name__ == "__main__":
    main()
