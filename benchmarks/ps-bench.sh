#!/usr/bin/env bash
# Times `nslab ps --json` against procps `ps` with every namespace column, and `nslab ls --json` (bind-mount and
# fd discovery included) against `lsns -J`, with PROCS extra idle processes alive (one run per size in SIZES).
# Runs alternate so drift hits all alike.
# Bars (issue 13): nslab ps --json <= 0.6x ps, nslab ls --json <= 0.5x lsns -J.
#
# Usage: benchmarks/ps-bench.sh            (builds the release binary first; sizes 2000 and 10000)
#        NO_BUILD=1 ROUNDS=10 SIZES=500 benchmarks/ps-bench.sh
#        NSLAB=path/to/nslab NO_BUILD=1 benchmarks/ps-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-${PROCS:-2000 10000}}
ROUNDS=${ROUNDS:-30}
NSLAB=${NSLAB:-.build/install/nslab}

if [[ -z "${NO_BUILD:-}" ]]; then
    scripts/build-release.sh >/dev/null
fi
[[ -x $NSLAB ]] || { echo "ps-bench: $NSLAB is missing; build it or unset NO_BUILD" >&2; exit 1; }

sleepers=()
cleanup() { ((${#sleepers[@]})) && kill "${sleepers[@]}" 2>/dev/null; wait 2>/dev/null || true; sleepers=(); }
trap cleanup EXIT INT TERM

# Microseconds for one run of the command, using bash's clock (no fork for the timer itself).
time_us() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    local end=$EPOCHREALTIME
    echo $(( ${end/./} - ${start/./} ))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ms() { awk "BEGIN { printf \"%.2fms\", $1 / 1000 }"; }
ratio() { awk "BEGIN { printf \"%.2fx\", $1 / $2 }"; }

status=0
for PROCS in $SIZES; do
    for ((i = ${#sleepers[@]}; i < PROCS; i++)); do
        sleep 1000 &
        sleepers+=($!)
    done
    echo "$PROCS idle processes; $(ls -d /proc/[0-9]* | wc -l) processes in total; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    nslab_ps=() ps_times=() nslab_ls=() lsns_times=()
    for ((round = 0; round < ROUNDS; round++)); do
        nslab_ps+=("$(time_us "$NSLAB" ps --json)")
        ps_times+=("$(time_us ps -eo pid,ppid,comm,utsns,ipcns,pidns,mntns,netns,userns,cgroupns,timens)")
        nslab_ls+=("$(time_us "$NSLAB" ls --json)")
        lsns_times+=("$(time_us lsns -J)")
    done
    a=$(median "${nslab_ps[@]}") b=$(median "${ps_times[@]}") c=$(median "${nslab_ls[@]}") d=$(median "${lsns_times[@]}")
    printf '%6s processes: nslab ps --json %s, ps -eo ...ns %s: %s (bar 0.6x)\n' "$PROCS" "$(ms "$a")" "$(ms "$b")" \
        "$(ratio "$a" "$b")"
    printf '%6s processes: nslab ls --json %s, lsns -J %s: %s (bar 0.5x)\n' "$PROCS" "$(ms "$c")" "$(ms "$d")" \
        "$(ratio "$c" "$d")"
    awk "BEGIN { exit !($a <= 0.6 * $b && $c <= 0.5 * $d) }" || status=2
done
cleanup
((status == 0)) && echo "bars met" || echo "bar missed"
exit $status
