#!/usr/bin/env bash
# nslab net --json against what a person would run to see the same with iproute2: `ip -j -n NAME addr` once for
# every namespace. The lab: 2 x PAIRS network namespaces (default 500 pairs: 1,000 namespaces), each pair joined by
# a veth with an address at each end, all made by `ip` inside a mount namespace of this script's own (`unshare -m`
# with a private tmpfs on /run/netns), so that not even the names are seen outside; the namespaces are deleted at
# the end, and would go with that mount namespace anyway. Bar (DESIGN.md): nslab net --json <= 0.5x.
# Usage: benchmarks/net-bench.sh [PAIRS] [ROUNDS]   (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "net-bench: needs root (ip netns add)" >&2; exit 1; }
pairs=${1:-500}
rounds=${2:-3}
nslab=${NSLAB_BENCH_BINARY:-$(scripts/build-release.sh)}
exec unshare -m --propagation private -- bash -s "$pairs" "$rounds" "$nslab" <<'INNER'
set -euo pipefail
pairs=$1 rounds=$2 nslab=$3
work=$(mktemp -d /tmp/net-bench.XXXXXX)
mkdir -p /run/netns
mount -t tmpfs -o mode=755 net-bench /run/netns
names=()
cleanup() {
    for name in "${names[@]}"; do ip netns delete "$name" 2>/dev/null || true; done
    umount -l /run/netns 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
start=$(date +%s.%N)
source benchmarks/netns-pairs.sh
make_netns_pairs nb "$pairs" "$work"
made=$(date +%s.%N)
printf '%s\n' "${names[@]}" >"$work/names"
echo "made $((pairs * 2)) network namespaces and $pairs veth pairs in $(echo "$made - $start" | bc) s"
# A check that nslab saw the lab before timing it: every name, every pair resolved.
"$nslab" net --json | python3 -c '
import json, sys
document = json.load(sys.stdin)
names = {n for ns in document["namespaces"] for n in ns["netns_names"] if n.startswith("nb")}
pairs = [l for l in document["links"] if l["kind"] == "veth" and all(e["ns"] for e in l["ends"])
         and {e["name"] for e in l["ends"]} == {"va", "vb"}]
print(f"nslab net --json: {len(names)} of the lab namespaces, {len(pairs)} veth pairs with both ends resolved")
if len(names) != 2 * int(sys.argv[1]) or len(pairs) != int(sys.argv[1]):
    sys.exit("net-bench: nslab did not see the whole lab")
' "$pairs"
echo "nslab net --json vs ip -j -n NAME addr for each of $((pairs * 2)) namespaces, $rounds rounds"
python3 benchmarks/timing.py "$rounds" \
    "ip -j -n NAME addr x$((pairs * 2))=bash -c 'while read -r name; do ip -j -n \$name addr; done <$work/names'" \
    "nslab net --json=$nslab net --json"
INNER
