#!/usr/bin/env bash
# A key in the dashboard's network map (W) at 2 x PAIRS network namespaces (default 500 pairs: 1,000), joined in
# veth pairs with an address at each end, all made by `ip` inside a mount namespace of this script's own (as
# net-bench.sh makes them, so not even the names are seen outside; deleted at the end). The dashboard runs in tmux
# (120x40) in that mount namespace; the time from sending Down, Up, PgDn and PgUp until the box under the cursor changes on
# screen is taken KEYS times each; then the CPU nslab uses idle with the map open over IDLE seconds (default 30)
# against htop (-d 10, 1 s) beside it in the same run; CPU time is counted in 10 ms ticks, so the default of 30 s
# keeps a tick under 3% of either side. Bars (DESIGN.md): a key in the map <= 50 ms; the dashboard
# idle with the map on <= 1.0x htop's CPU.
# Usage: benchmarks/map-bench.sh [PAIRS] [KEYS]   (as root; needs tmux and htop)
#        NSLAB_BENCH_BINARY=path benchmarks/map-bench.sh   (skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "map-bench: needs root (ip netns add)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "map-bench: needs tmux (apt-get install tmux)" >&2; exit 1; }
command -v htop >/dev/null || { echo "map-bench: needs htop (apt-get install htop)" >&2; exit 1; }
pairs=${1:-500}
keys=${2:-20}
nslab=${NSLAB_BENCH_BINARY:-$(scripts/build-release.sh)}
exec unshare -m --propagation private -- bash -s "$pairs" "$keys" "$nslab" <<'INNER'
set -euo pipefail
pairs=$1 keys=$2 nslab=$3
work=$(mktemp -d /tmp/map-bench.XXXXXX)
socket=map-bench-$$
mkdir -p /run/netns
mount -t tmpfs -o mode=755 map-bench /run/netns
names=()
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    for name in "${names[@]}"; do ip netns delete "$name" 2>/dev/null || true; done
    umount -l /run/netns 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
source benchmarks/netns-pairs.sh
make_netns_pairs mb "$pairs" "$work"
echo "made $((pairs * 2)) network namespaces and $pairs veth pairs"
python3 - "$socket" "$nslab" "$keys" "$((pairs * 2))" <<'PY'
import os, re, subprocess, sys, time
sys.path.insert(0, "benchmarks")
from procstat import cpu_seconds

socket, nslab, samples, made = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], check=True, capture_output=True,
                          text=True).stdout

def screen():
    return tmux("capture-pane", "-p", "-t", "map")

def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = screen()
        if predicate(text):
            return time.monotonic(), text
    sys.exit(f"map-bench: timed out; screen:\n{screen()}")

# The unfolded box (the cursor's) has its title in a top border: "┌ netns mb12a ─" (tmux shows ACS as "l q").
CURSOR = re.compile(r"^.[┌l] (● HOST · )?(netns \S+|pid \d+[^─q]*?) [─q]", re.M)
MARKER = re.compile(r"(\d+)-(\d+) of (\d+)")

def cursor(text):
    match = CURSOR.search(text)
    return match.group(2) if match else None

tmux("new-session", "-d", "-s", "map", "-x", "120", "-y", "40", f"env TERM=tmux-256color {nslab}")
wait_for(lambda s: "Namespaces" in s)
tmux("send-keys", "-t", "map", "W")
_, text = wait_for(lambda s: (m := MARKER.search(s)) is not None and int(m.group(3)) >= made)
print(f"the map shows {MARKER.search(text).group(3)} namespaces ({made} made here)")
time.sleep(2.5)  # a full reading and a partial one, so keys are timed while the map reads
# Each key and its opposite in turn, so the cursor always has somewhere to go.
results = {"Down": [], "Up": [], "PgDn": [], "PgUp": []}
for _ in range(samples):
    for key, name in (("Down", "Down"), ("Up", "Up"), ("NPage", "PgDn"), ("PPage", "PgUp")):
        before = cursor(screen())
        begin = time.monotonic()
        tmux("send-keys", "-t", "map", key)
        end, _ = wait_for(lambda s, b=before: cursor(s) not in (None, b))
        results[name].append((end - begin) * 1000)
        time.sleep(0.05)
for name, values in results.items():
    values.sort()
    median = values[len(values) // 2]
    print(f"  key {name:<5} in the map at {made} namespaces: median {median:6.1f} ms, max {values[-1]:6.1f} ms"
          f"   (bar: <= 50 ms){'  OVER THE BAR' if median > 50 else ''}")
# Idle with the map open (the counters of the boxes on screen every second, a box whole when its namespace told of a
# change, everything when namespaces came or went or every 300th), htop beside it; and
# with the map closed, for what the map itself adds.
idle = float(os.environ.get("IDLE", "30"))
tmux("new-session", "-d", "-s", "htop", "-x", "120", "-y", "40", "env TERM=tmux-256color htop -d 10")
time.sleep(2)
pids = {name: int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()) for name in ("map", "htop")}

def idle_cpu(label):
    base = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(idle)
    used = {name: cpu_seconds(pid) - base[name] for name, pid in pids.items()}
    ratio = used["map"] / used["htop"] if used["htop"] > 0 else float("inf")
    print(f"  idle {idle:.0f} s, {label}: nslab {used['map']:.2f} s CPU   htop {used['htop']:.2f} s CPU"
          f"   ratio {ratio:.2f}   (bar: <= 1.0){'  OVER THE BAR' if ratio > 1.0 else ''}")

idle_cpu(f"map open at {made} namespaces")
tmux("send-keys", "-t", "map", "W")
time.sleep(2)
idle_cpu(f"map closed, {made} namespaces")
tmux("send-keys", "-t", "map", "q")
PY
INNER
