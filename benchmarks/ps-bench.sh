#!/usr/bin/env bash
# Times `nslab ps --json` against procps `ps` with the namespace columns and against `lsns -J`,
# with 2,000 extra idle processes alive. Runs alternate so drift hits all three alike.
# Bar (DESIGN.md): nslab ps --json <= 1.0x ps.
#
# Usage: benchmarks/ps-bench.sh            (builds the release binary first)
#        NO_BUILD=1 ROUNDS=10 PROCS=500 benchmarks/ps-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PROCS=${PROCS:-2000}
ROUNDS=${ROUNDS:-30}
NSLAB=.build/install/nslab

if [[ -z "${NO_BUILD:-}" ]]; then
    scripts/build-release.sh >/dev/null
fi
[[ -x $NSLAB ]] || { echo "ps-bench: $NSLAB is missing; build it or unset NO_BUILD" >&2; exit 1; }

sleepers=()
cleanup() { ((${#sleepers[@]})) && kill "${sleepers[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
for ((i = 0; i < PROCS; i++)); do
    sleep 1000 &
    sleepers+=($!)
done
echo "started $PROCS idle processes; $(ls -d /proc/[0-9]* | wc -l) processes in total" >&2

# Microseconds for one run of the command, using bash's clock (no fork for the timer itself).
time_us() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    local end=$EPOCHREALTIME
    echo $(( ${end/./} - ${start/./} ))
}

nslab_times=() ps_times=() lsns_times=()
for ((round = 0; round < ROUNDS; round++)); do
    nslab_times+=("$(time_us "$NSLAB" ps --json)")
    ps_times+=("$(time_us ps -eo pid,ppid,comm,ipcns,mntns,netns,pidns,userns,utsns,cgroupns)")
    lsns_times+=("$(time_us lsns -J)")
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
nslab_median=$(median "${nslab_times[@]}")
ps_median=$(median "${ps_times[@]}")
lsns_median=$(median "${lsns_times[@]}")

printf '%-22s %10s %8s\n' "command" "median" "vs ps"
printf '%-22s %8.2fms %7.2fx\n' "nslab ps --json" "$(awk "BEGIN { print $nslab_median / 1000 }")" \
    "$(awk "BEGIN { print $nslab_median / $ps_median }")"
printf '%-22s %8.2fms %7.2fx\n' "ps -eo ...ns" "$(awk "BEGIN { print $ps_median / 1000 }")" 1
printf '%-22s %8.2fms %7.2fx\n' "lsns -J" "$(awk "BEGIN { print $lsns_median / 1000 }")" \
    "$(awk "BEGIN { print $lsns_median / $ps_median }")"
awk "BEGIN { exit !($nslab_median <= $ps_median) }" && echo "bar met: nslab ps --json <= 1.0x ps" \
    || { echo "bar missed: nslab ps --json > 1.0x ps"; exit 2; }
