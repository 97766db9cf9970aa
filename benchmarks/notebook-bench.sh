#!/usr/bin/env bash
# The lab notebook's cost, in one run (DESIGN.md bars): 16 MB of coloured UTF-8 text `cat` in nslab's child pane
#   - with the notebook on (`--notebook DIR`: lab.cast records every byte, notebook.md is written),
#   - with it off,
#   - recorded by `asciinema rec` (what a teacher would use otherwise) in a tmux pane of the child pane's size,
#   - in a plain tmux pane of that size.
# Time until a marker printed after the cat shows on screen, each observed the same way (tmux capture-pane);
# then key echo with the notebook on against a plain tmux pane of the same size.
# Bars: on <= 1.1x off; on <= 1.0x asciinema rec; on <= 1.0x tmux; echo on <= tmux + 1 ms.
#
# Usage: benchmarks/notebook-bench.sh              (builds the release binary first; needs root for --ns uts)
#        NO_BUILD=1 ROUNDS=3 WIDTH=160 HEIGHT=50 benchmarks/notebook-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ECHOES=${ECHOES:-60}
WIDTH=${WIDTH:-160}
HEIGHT=${HEIGHT:-50}
NSLAB=${NSLAB:-.build/install/nslab}

[ "$(id -u)" = 0 ] || { echo "notebook-bench: needs root (the child gets a new UTS namespace)" >&2; exit 1; }
command -v asciinema >/dev/null || { echo "notebook-bench: asciinema is missing (scripts/setup.sh installs it)" >&2; exit 1; }
if [[ -z "${NO_BUILD:-}" ]]; then
    scripts/build-release.sh >/dev/null
fi
[[ -x $NSLAB ]] || { echo "notebook-bench: $NSLAB is missing; build it or unset NO_BUILD" >&2; exit 1; }

work=$(mktemp -d)
socket="notebook-bench-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

python3 - "$work" "$NSLAB" "$socket" "$ROUNDS" "$WIDTH" "$HEIGHT" "$ECHOES" <<'PY'
import os, random, re, statistics, subprocess, sys, time

work, nslab, socket, rounds, width, height, echoes = sys.argv[1:]
rounds, width, height, echoes = int(rounds), int(width), int(height), int(echoes)
data = os.path.join(work, "colour.txt")

# 16 MB of lines mixing ASCII, CJK (two columns each), accents and 16/256/RGB colours (as pane-bench.sh).
rng = random.Random(5)
words = ["namespace", "hostname", "clone", "unshare", "设置主机名", "命名空间", "進程", "café", "naïve", "ＦＵＬＬ", "λx.x"]
with open(data, "w", encoding="utf-8") as out:
    size = 0
    while size < 16 * 1024 * 1024:
        parts = []
        for _ in range(rng.randint(4, 12)):
            colour = rng.choice(["31", "1;32", "38;5;%d" % rng.randint(16, 231), "38;2;%d;%d;%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)), "4;36", "7"])
            parts.append("\x1b[%sm%s\x1b[0m" % (colour, rng.choice(words)))
        line = " ".join(parts) + "\n"
        out.write(line)
        size += len(line.encode())
mb = os.path.getsize(data) / 1e6

def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True, text=True).stdout

def screen(target):
    return tmux("capture-pane", "-p", "-t", target)

def wait_for(target, predicate, timeout=180.0, interval=0.002):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = screen(target)
        if predicate(text):
            return time.monotonic()
        time.sleep(interval)
    raise SystemExit("notebook-bench: timed out waiting on %s; screen:\n%s" % (target, screen(target)))

shell = "env PS1='$ ' TERM=tmux-256color "
notebook = os.path.join(work, "notebook")
tmux("new-session", "-d", "-s", "off", "-x", str(width), "-y", str(height),
     shell + "%s --ns uts --launch --shell /bin/sh" % nslab)
tmux("new-session", "-d", "-s", "on", "-x", str(width), "-y", str(height),
     shell + "%s --notebook %s --ns uts --launch --shell /bin/sh" % (nslab, notebook))
off_screen = screen("off") if wait_for("off", lambda s: "launched pid" in s, timeout=10) else ""
wait_for("on", lambda s: "launched pid" in s and "REC" in s, timeout=10)

def child_pane_size(text):
    lines = text.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌  1 Child" in line)
    left = lines[top].index("┌  1 Child")
    right = lines[top].index("┐", left)
    bottom = next(i for i in range(top + 1, len(lines)) if len(lines[i]) > left and lines[i][left] == "└")
    return right - left - 1, bottom - top - 1

pane_w, pane_h = child_pane_size(off_screen)
tmux("new-session", "-d", "-s", "plain", "-x", str(pane_w), "-y", str(pane_h), shell + "/bin/sh")
cast = os.path.join(work, "asciinema.cast")
tmux("new-session", "-d", "-s", "rec", "-x", str(pane_w), "-y", str(pane_h),
     shell + "asciinema rec --quiet --overwrite --command /bin/sh %s" % cast)
wait_for("plain", lambda s: "$" in s, timeout=10)
wait_for("rec", lambda s: "$" in s, timeout=10)
time.sleep(0.5)

# nslab's own CPU time (user + system, from /proc/PID/stat) during each cat: what the notebook costs nslab,
# which a loaded machine does not blur as it blurs the wall-clock times.
tick = os.sysconf("SC_CLK_TCK")
pane_pid = {name: int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()) for name in ("off", "on")}
cpu = {"off": [], "on": []}

def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

def cat_once(target, n):
    mark = "DONE-MARK-%d" % n
    tmux("send-keys", "-t", target, "clear", "Enter")
    wait_for(target, lambda s: "clear" not in s)
    before = cpu_seconds(pane_pid[target]) if target in cpu else 0
    start = time.monotonic()
    # The typed line shows $((...)) unexpanded, so only the echo's output matches.
    tmux("send-keys", "-t", target, "-l", "cat %s; echo DONE-MARK-$((%d+0))" % (data, n))
    tmux("send-keys", "-t", target, "Enter")
    end = wait_for(target, lambda s: mark in s, interval=0.005)
    if target in cpu:
        cpu[target].append(cpu_seconds(pane_pid[target]) - before)
    return end - start

order = ["off", "on", "rec", "plain"]
times = {name: [] for name in order}
for n in range(rounds):  # interleaved, so drift hits all alike
    for index, name in enumerate(order):
        times[name].append(cat_once(name, n * len(order) + index))

median = {name: statistics.median(values) for name, values in times.items()}
cast_size = os.path.getsize(os.path.join(notebook, "lab.cast")) / 1e6
print("notebook-bench: nslab in %dx%d, child pane and tmux panes %dx%d; %.1f MB file, %d rounds; lab.cast %.1f MB"
      % (width, height, pane_w, pane_h, mb, rounds, cast_size))
labels = {"off": "nslab, notebook off", "on": "nslab, notebook on", "rec": "asciinema rec in tmux", "plain": "tmux pane"}
for name in order:
    print("cat  %-22s median %8.1f ms  (%s)" % (labels[name], median[name] * 1e3,
          ", ".join("%.0f" % (x * 1e3) for x in times[name])))
def ratio(a, b, bar):
    value = median[a] / median[b]
    print("ratio %-13s / %-22s %.2fx   bar <= %.2fx   %s" % (labels[a], labels[b], value, bar, "PASS" if value <= bar else "FAIL"))
for name in ("off", "on"):
    print("cpu  %-22s median %8.1f ms  (%s)" % (labels[name], statistics.median(cpu[name]) * 1e3,
          ", ".join("%.0f" % (x * 1e3) for x in cpu[name])))
print("cpu  nslab's own time, notebook on / off: %.2fx" % (statistics.median(cpu["on"]) / statistics.median(cpu["off"])))
ratio("on", "off", 1.10)
ratio("on", "rec", 1.00)
ratio("on", "plain", 1.00)

# Key echo: one character typed, the screen polled until it shows after the prompt, then erased.
typed = re.compile(r"(^|│)\$ q *(│|$)", re.M)
tmux("send-keys", "-t", "on", "clear", "Enter")
tmux("send-keys", "-t", "plain", "clear", "Enter")
wait_for("on", lambda s: "clear" not in s)
wait_for("plain", lambda s: "clear" not in s)

def echo_once(target):
    start = time.monotonic()
    tmux("send-keys", "-t", target, "-l", "q")
    end = wait_for(target, lambda s: typed.search(s) is not None, interval=0)
    tmux("send-keys", "-t", target, "BSpace")
    wait_for(target, lambda s: typed.search(s) is None)
    return end - start

echo = {"on": [], "plain": []}
for _ in range(echoes):
    echo["plain"].append(echo_once("plain"))
    echo["on"].append(echo_once("on"))
echo_on, echo_plain = statistics.median(echo["on"]), statistics.median(echo["plain"])
print("echo %-22s median %8.2f ms" % (labels["plain"], echo_plain * 1e3))
print("echo %-22s median %8.2f ms" % (labels["on"], echo_on * 1e3))
print("echo notebook on - tmux pane  %+.2f ms   bar <= +1.00 ms   %s"
      % ((echo_on - echo_plain) * 1e3, "PASS" if echo_on - echo_plain <= 0.001 else "FAIL"))
PY
