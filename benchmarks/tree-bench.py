#!/usr/bin/env python3
"""The dashboard at scale against htop and tmux, in one run, at each process count asked for.

For each N (default 2,000, 10,000 and 20,000 extra sleeping processes, killed at the end):
1. Tree keys: nslab (1 s refresh, Processes panel focused) and htop (`-d 10`, 1 s) in tmux sessions of
   120x40, side by side. Time from sending a key until its effect is on the screen, polled with
   `tmux capture-pane`:
   - search text: `/` then `10001` typed a character at a time in nslab, until `/10001▏` shows; the
     same characters after F3 in htop, until `Search: 10001` shows (the reference, about 20 ms);
   - `n`, Down, PgDn in nslab: until the Host vs child title names another pid.
   Bar: every nslab key <= 50 ms.
2. Idle: nslab with a child running (`--ns uts --launch`, 1 s refresh) and htop, side by side for
   IDLE seconds: CPU time (own plus reaped helpers') and peak RSS (VmHWM). Bars: CPU <= 1.0x htop,
   RSS <= 2x htop at 20,000.
3. Key echo in nslab's child pane vs a plain tmux pane of nslab's outer size (both polled the same way).
   Bar: nslab <= tmux + 1 ms.

usage: tree-bench.py NSLAB [N ...]   (as root: the child gets a UTS namespace)
environment: KEYS (samples per key kind, 10), ECHOES (30), IDLE (10 seconds)
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procstat import cpu_seconds, peak_rss_kb  # noqa: E402

WIDTH, HEIGHT = 120, 40
SOCKET = f"tree-bench-{os.getpid()}"


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], check=True, capture_output=True,
                          text=True).stdout


def screen(target):
    return tmux("capture-pane", "-p", "-t", target)


def wait_for(target, predicate, timeout=10.0, interval=0.0):
    """Polls `target`'s screen until `predicate` holds; returns the time it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate(screen(target)):
            return time.monotonic()
        if interval:
            time.sleep(interval)
    raise SystemExit(f"tree-bench: timed out on {target}; screen:\n{screen(target)}")


def pane_pid(target):
    return int(tmux("display-message", "-p", "-t", target, "#{pane_pid}").strip())


def start(name, command):
    shell = "env PS1='$ ' TERM=tmux-256color "
    tmux("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), shell + command)


def spawn_sleepers(count):
    """Starts `count` sleeping processes in one process group of their own; returns its id."""
    devnull = os.open(os.devnull, os.O_RDWR)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
               (os.POSIX_SPAWN_DUP2, devnull, 2)]
    group = 0
    for index in range(count):
        pid = os.posix_spawn("/bin/sleep", ["sleep", str(100000 + index)], os.environ, file_actions=actions,
                             setpgroup=group)
        group = group or pid
    os.close(devnull)
    return group


def kill_sleepers(group, count):
    os.killpg(group, signal.SIGKILL)
    for _ in range(count):
        try:
            os.waitpid(-group, 0)
        except ChildProcessError:
            break




TITLE = re.compile(r"Host vs child: pid (\d+)")


def compared_pid(text):
    match = TITLE.search(text)
    return match.group(1) if match else None


def timed_key(target, key, predicate, literal=False):
    begin = time.monotonic()
    tmux("send-keys", "-t", target, *(["-l"] if literal else []), key)
    return (wait_for(target, predicate) - begin) * 1000


def tree_keys(samples):
    """Key latencies in ms: {kind: [samples]} for nslab, and htop's F3 search text."""
    results = {"search text": [], "n": [], "Down": [], "PgDn": [], "htop F3 text": []}
    query = "10001"  # digits only: capture-pane drops trailing spaces; matches sleep 100010-100019
    tmux("send-keys", "-t", "tree", "Tab")  # Namespaces -> Processes
    time.sleep(0.5)
    rounds = max(1, samples // len(query))
    for _ in range(rounds):
        tmux("send-keys", "-t", "tree", "-l", "/")
        wait_for("tree", lambda s: "/▏" in s)
        for length in range(1, len(query) + 1):
            typed = query[:length]
            results["search text"].append(
                timed_key("tree", query[length - 1], lambda s, t=typed: f"/{t}▏" in s, literal=True))
        tmux("send-keys", "-t", "tree", "Enter")
        for _ in range(max(1, samples // rounds)):
            before = compared_pid(screen("tree"))
            results["n"].append(timed_key("tree", "n", lambda s, b=before: compared_pid(s) not in (None, b)))
        tmux("send-keys", "-t", "tree", "Escape")
        tmux("send-keys", "-t", "htop", "F3")
        wait_for("htop", lambda s: "Search:" in s)
        for length in range(1, len(query) + 1):
            typed = query[:length]
            results["htop F3 text"].append(
                timed_key("htop", query[length - 1], lambda s, t=typed: f"Search: {t}" in s, literal=True))
        tmux("send-keys", "-t", "htop", "Escape")
        time.sleep(0.2)
    for key, name in (("Down", "Down"), ("NPage", "PgDn")):
        for _ in range(samples):
            before = compared_pid(screen("tree"))
            results[name].append(timed_key("tree", key, lambda s, b=before: compared_pid(s) not in (None, b)))
    return results


TYPED = re.compile(r"(^|│)\$ q *(│|$)", re.M)


def echo_once(target):
    begin = time.monotonic()
    tmux("send-keys", "-t", target, "-l", "q")
    end = wait_for(target, lambda s: TYPED.search(s) is not None)
    tmux("send-keys", "-t", target, "BSpace")
    wait_for(target, lambda s: TYPED.search(s) is None)
    return (end - begin) * 1000


def median(values):
    return statistics.median(values) if values else float("nan")


def run(nslab, count, samples, echoes, idle):
    print(f"== {count} extra processes")
    group = spawn_sleepers(count)
    try:
        start("tree", f"{nslab} --interval 1")
        start("htop", "htop -d 10")
        wait_for("tree", lambda s: "Launch" in s and "Processes (" in s, timeout=60, interval=0.05)
        wait_for("htop", lambda s: "Load average" in s, timeout=60, interval=0.05)
        time.sleep(2)  # past the first scans
        keys = tree_keys(samples)
        reference = median(keys["htop F3 text"])
        for name in ("search text", "n", "Down", "PgDn"):
            value = median(keys[name])
            print(f"  key {name:<12} nslab {value:7.1f} ms   htop F3 text {reference:7.1f} ms   "
                  f"ratio {value / reference:5.2f}   (bar: <= 50 ms)   max {max(keys[name]):7.1f} ms")
        tmux("kill-session", "-t", "tree")

        start("pane", f"{nslab} --ns uts --launch --interval 1 --shell /bin/sh")
        wait_for("pane", lambda s: "launched pid" in s, timeout=60, interval=0.05)
        time.sleep(2)
        nslab_pid, htop_pid = pane_pid("pane"), pane_pid("htop")
        base = {"nslab": cpu_seconds(nslab_pid), "htop": cpu_seconds(htop_pid)}
        time.sleep(idle)
        cpu = {"nslab": cpu_seconds(nslab_pid) - base["nslab"], "htop": cpu_seconds(htop_pid) - base["htop"]}
        rss = {"nslab": peak_rss_kb(nslab_pid), "htop": peak_rss_kb(htop_pid)}
        print(f"  idle {idle:.0f} s CPU   nslab {cpu['nslab']:7.3f} s    htop {cpu['htop']:7.3f} s    "
              f"ratio {cpu['nslab'] / max(cpu['htop'], 0.001):5.2f}   (bar: <= 1.0)")
        print(f"  peak RSS        nslab {rss['nslab'] / 1024:7.1f} MB   htop {rss['htop'] / 1024:7.1f} MB   "
              f"ratio {rss['nslab'] / max(rss['htop'], 1):5.2f}   (bar: <= 2.0 at 20,000)")
        tmux("kill-session", "-t", "htop")

        start("plain", "/bin/sh")
        wait_for("plain", lambda s: "$" in s, timeout=10, interval=0.05)
        echo = {"tmux": [], "nslab": []}
        for _ in range(echoes):  # alternate, so drift hits both alike
            echo["tmux"].append(echo_once("plain"))
            echo["nslab"].append(echo_once("pane"))
        tm, ns = median(echo["tmux"]), median(echo["nslab"])
        print(f"  key echo        nslab {ns:7.2f} ms   tmux {tm:7.2f} ms   difference {ns - tm:+6.2f} ms   "
              f"(bar: <= +1 ms)   nslab max {max(echo['nslab']):7.1f} ms")
        tmux("send-keys", "-t", "pane", "C-]")
        tmux("send-keys", "-t", "pane", "q")
        tmux("send-keys", "-t", "pane", "y")
        time.sleep(0.5)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        kill_sleepers(group, count)


def main():
    nslab = sys.argv[1]
    counts = [int(arg) for arg in sys.argv[2:]] or [2000, 10000, 20000]
    samples = int(os.environ.get("KEYS", "14"))
    echoes = int(os.environ.get("ECHOES", "30"))
    idle = float(os.environ.get("IDLE", "10"))
    for count in counts:
        run(nslab, count, samples, echoes, idle)


if __name__ == "__main__":
    main()
