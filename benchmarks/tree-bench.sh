#!/usr/bin/env bash
# The dashboard at 2,000, 10,000 and 20,000 processes against htop and tmux, in one run (tree-bench.py):
# tree keys on screen vs htop's F3 search, idle CPU and peak RSS vs htop, key echo vs a tmux pane.
# Needs root, tmux and htop. Usage: benchmarks/tree-bench.sh [N ...]
#        NO_BUILD=1 NSLAB=path KEYS=14 ECHOES=30 IDLE=10 benchmarks/tree-bench.sh 20000
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "tree-bench: needs root (the child gets a UTS namespace)" >&2; exit 1; }
command -v htop >/dev/null || { echo "tree-bench: needs htop (apt-get install htop)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tree-bench: needs tmux (apt-get install tmux)" >&2; exit 1; }
NSLAB=${NSLAB:-.build/install/nslab}
if [[ -z "${NO_BUILD:-}" ]]; then
    NSLAB=$(scripts/build-release.sh)
fi
[[ -x $NSLAB ]] || { echo "tree-bench: $NSLAB is missing; build it or unset NO_BUILD" >&2; exit 1; }
python3 benchmarks/tree-bench.py "$NSLAB" "$@"
