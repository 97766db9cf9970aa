#!/usr/bin/env bash
# nslab doctor vs what a person would run by hand to learn the same about the kinds: unshare --user with each
# kind, once per kind (8 runs), alternating, in one run. Bar (DESIGN.md): nslab doctor within 0.5 s.
# Usage: benchmarks/doctor-bench.sh [ROUNDS]   (as any user; root shows the fast path of every probe)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-30}
nslab=$(scripts/build-release.sh)
by_hand="for flag in --uts --ipc --pid --mount --net --cgroup --time ''; do unshare --user \$flag true; done"
echo "nslab doctor vs unshare --user once per kind (8 runs), $rounds rounds"
python3 benchmarks/timing.py "$rounds" \
    "unshare x8=sh -c \"$by_hand\"" \
    "nslab doctor=$nslab doctor" \
    "nslab doctor --json=$nslab doctor --json"
# The bar is absolute: the slowest of a few single runs of the binary users get.
python3 - "$nslab" <<'PY'
import subprocess, sys, time
worst = 0.0
for _ in range(10):
    start = time.perf_counter()
    subprocess.run([sys.argv[1], "doctor"], stdout=subprocess.DEVNULL, check=True)
    worst = max(worst, time.perf_counter() - start)
print(f"nslab doctor, slowest of 10: {worst * 1000:.1f} ms (bar 500 ms): {'ok' if worst <= 0.5 else 'OVER'}")
PY
