#!/usr/bin/env bash
# Regenerates scripts/startup.order: every function a `nslab run` executes, in the parent up to its
# exit and in the child up to execve(), as the linker's symbol names.
#
# scripts/build-release.sh hands the file to lld (--symbol-ordering-file), which puts those functions
# next to each other at the start of the text. The ~700 functions of a launch then share a few dozen
# pages instead of being spread over 11 MB, so a start takes fewer page faults, each mapping fewer
# pages that exit must unmap again. A name that no longer exists is skipped, so a stale file only costs
# speed; rerun this after changes to the run path, then benchmarks/run-bench.sh.
#
# Needs root (the traced launch creates namespaces) and valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "make-startup-order: needs root (the traced launch creates namespaces)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "make-startup-order: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
nslab=$(scripts/build-release.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind cannot read the compressed debug info of the static binary; it needs only the symbols.
objcopy --strip-debug "$nslab" "$work/nslab"
# The child's profile is dumped just before execve; it holds the parent's history up to clone() too. The launch
# traced has a time namespace as well: valgrind follows clone() only as fork, vfork or a thread, and a plain
# launch shares nslab's memory until execve (CLONE_VM, spawn.c), while one with a keeper takes a copy. It runs
# every function of the plain launch, plus the few of the time namespace and its keeper.
valgrind --tool=callgrind --demangle=no --dump-before=execve --callgrind-out-file="$work/out.%p" \
    "$work/nslab" run --uts --ipc --pid --mount --net --cgroup --time --mount-proc -- /bin/true 2>"$work/log" ||
    { cat "$work/log" >&2; exit 1; }
python3 - "$work" scripts/startup.order <<'EOF'
import glob, os, re, sys

work, target = sys.argv[1:]
names = []
seen = set()
# The parent's profile first, then whatever only the child ran: the child is PID 1 of its namespace,
# so its dump is out.1.1 (and an empty out.1).
child = re.compile(r"out\.1(\.\d+)?$")
for path in sorted(glob.glob(os.path.join(work, "out.*")), key=lambda p: bool(child.search(p))):
    ids = {}
    for line in open(path, errors="replace"):
        match = re.match(r"c?fn=\((\d+)\)(?: (\S+))?", line)
        if not match:
            continue
        number, name = match.groups()
        if name:
            ids[number] = name
        name = ids.get(number)
        # Code without a symbol shows as its address; there is nothing to name in the order.
        if line.startswith("fn=") and name and not name.startswith("0x") and name not in seen:
            seen.add(name)
            names.append(name)
with open(target, "w") as out:
    out.write("\n".join(names) + "\n")
print(f"make-startup-order: {len(names)} functions in {target}")
EOF
