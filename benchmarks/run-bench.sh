#!/usr/bin/env bash
# nslab run into six namespaces vs unshare --fork with the same flags, alternating, in one run.
# Bar (DESIGN.md): nslab / unshare <= 1.2. Needs root. Usage: benchmarks/run-bench.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-300}
[ "$(id -u)" = 0 ] || { echo "run-bench: needs root (it creates PID, mount and net namespaces)" >&2; exit 1; }
nslab=$(scripts/build-release.sh)
flags="--uts --ipc --pid --mount --net --cgroup --mount-proc"
echo "nslab run vs unshare --fork, $rounds rounds, flags: $flags"
python3 benchmarks/timing.py "$rounds" \
    "unshare --fork=unshare --fork $flags /bin/true" \
    "nslab run=$nslab run $flags -- /bin/true"
