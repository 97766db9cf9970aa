#!/usr/bin/env bash
# The dashboard's first frame and idle cost against htop, in one run (see dashboard-bench.py).
# Needs root and htop. Usage: benchmarks/dashboard-bench.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "dashboard-bench: needs root (the child gets a UTS namespace)" >&2; exit 1; }
command -v htop >/dev/null || { echo "dashboard-bench: needs htop (apt-get install htop)" >&2; exit 1; }
nslab=$(scripts/build-release.sh)
python3 benchmarks/dashboard-bench.py "$nslab" "${1:-10}"
