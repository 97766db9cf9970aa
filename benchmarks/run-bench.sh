#!/usr/bin/env bash
# nslab run into six namespaces vs unshare --fork with the same flags, alternating, in one run.
# Bar (DESIGN.md): nslab / unshare <= 1.2. Needs root. Usage: benchmarks/run-bench.sh [ROUNDS] [OTHER_NSLAB]
# OTHER_NSLAB, another nslab binary (say one linked another way), is timed in the same rounds, beside the first.
#
# Two rounds of timing, because how the kernel caches the 32 MB executable changes its start-up:
#   installed  the binary as scripts/build-release.sh installs it, freshly written, so the page cache
#              holds it in large folios (as after any install or package upgrade);
#   re-read    its page cache dropped, then filled again by the page faults of one start, which leaves
#              4 KiB pages (as on the first starts after a reboot).
# unshare is a 50 KB binary on the shared libc; its cache state makes no measurable difference.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-300}
other=${2:-}
[ -z "$other" ] || [ -x "$other" ] || { echo "run-bench: $other is not an executable" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run-bench: needs root (it creates PID, mount and net namespaces)" >&2; exit 1; }
nslab=$(scripts/build-release.sh)
flags="--uts --ipc --pid --mount --net --cgroup --mount-proc"
echo "nslab run vs unshare --fork, $rounds rounds, flags: $flags"
time_both() {
    python3 benchmarks/timing.py "$rounds" \
        "unshare --fork=unshare --fork $flags /bin/true" \
        "nslab run=$nslab run $flags -- /bin/true" \
        ${other:+"nslab run ($(basename "$other"))=$other run $flags -- /bin/true"}
}

echo "installed:"
time_both

echo "re-read (page cache dropped, then filled by one start):"
python3 - "$nslab" ${other:+"$other"} <<'EOF'
import os, sys
for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
EOF
"$nslab" run -- /bin/true
[ -z "$other" ] || "$other" run -- /bin/true
time_both
