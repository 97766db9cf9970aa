#!/usr/bin/env bash
# Builds the nslab that users get, installs it as .build/install/nslab (with its twin .build/install/nslab-aslr)
# and prints that path.
#
# How it is built, and why: start-up is what `nslab run` is measured on (benchmarks/run-bench.sh).
# - Static executables (the Swift runtime, ncursesw, libvterm and toml++ inside). No dynamic loader and no
#   symbol lookups: about 3 ms less per start than `--static-swift-stdlib`.
# - Two of them, from one compile: `nslab` at a fixed address, and `nslab-aslr`, position independent
#   (static-pie), whose image the kernel places at a random address at each start. nslab runs what launches
#   (run, enter, export); the commands that parse bytes other processes control, a child's terminal output
#   through libvterm or their /proc files (the dashboard, lessons, ps, ls, inspect), are handed to nslab-aslr
#   with execv before they do anything (Sources/NslabCLI/Randomised.swift). The reason is the price of
#   position independence at each start: glibc's start code relocates 43,000 pointers, mostly Swift metadata,
#   on 134 pages, and each of those pages is copied on write. On the reference machine (a VM, where a page
#   copied costs about 4 us) that is 0.64 ms and 114 more page faults per start: `nslab run` as static-pie
#   took 1.17x `unshare --fork`, the fixed build 1.00x, side by side (benchmarks/run-bench.sh shows both).
#   Every static library here is built position independent, so clang's -static-pie (given to nslab-aslr's
#   link only, through NSLAB_STATIC_PIE in Package.swift) links them with glibc's rcrt1.o, whose start code
#   relocates the image before anything else runs. Two things made an earlier attempt crash at start:
#   `-Xlinker -pie` alone keeps crt1.o, whose relocation step is an empty stub; and SwiftPM writes a RUNPATH of
#   $ORIGIN into every executable, which glibc's static-pie start asserts is absent (the failed assert then
#   crashes in gettext, before relocation is done). --disable-local-rpath drops it. The relocations are packed
#   (-z pack-relative-relocs, DT_RELR, which glibc 2.36 reads): 8 KB instead of 1 MB of table.
# - Concrete generic metadata is reached through direct accessors, not by mangled name. By name, the
#   runtime checks each generic requirement (Set<NamespaceKind> needs NamespaceKind: Hashable) by
#   scanning every protocol conformance in the binary, about 0.07 ms of each `nslab run`.
# - The functions a launch runs come first in the text, in the order scripts/startup.order gives
#   (lld's --symbol-ordering-file; every function in its own section so that it can be moved). A
#   start then touches a few dozen text pages instead of pages spread over 11 MB. Regenerate the file
#   with scripts/make-startup-order.sh; a name that no longer exists is only skipped.
# - The result is installed by copying, as a package would be. The linker writes its output through
#   a shared mapping, which leaves it in the page cache as 4 KiB pages; a file written with write()
#   is cached in large folios (Linux 6.16+ on ext4), which page faults map many pages at a time and
#   exit unmaps as fast. Side by side, the copy starts `nslab run` about 0.3 ms sooner.
set -euo pipefail
cd "$(dirname "$0")/.."
export NSLAB_STATIC_PIE=1
flags=(-c release --disable-local-rpath
    -Xswiftc -static-executable
    -Xlinker -z -Xlinker pack-relative-relocs
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections
    -Xswiftc -use-ld=lld -Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order"
    -Xlinker --no-warn-symbol-ordering)
# SwiftPM does not know the order file is a link input: relink when it changed.
bin="$(swift build "${flags[@]}" --product nslab --show-bin-path 2>/dev/null)"
for built in "$bin/nslab" "$bin/nslab-aslr"; do
    if [[ -e $built && scripts/startup.order -nt $built ]]; then rm -f "$built"; fi
done
# SwiftPM's output is shown from the first line that says it compiles or links something, so that a start with
# nothing to build stays quiet; the lines before it are held back, and shown too when the build fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
show_when_building() {
    local line shown=false
    while IFS= read -r line; do
        if ! $shown && [[ $line == *Compiling* || $line == *Linking* || $line == *error:* ]]; then
            shown=true
            cat "$log"
        fi
        if $shown; then printf '%s\n' "$line"; else printf '%s\n' "$line" >>"$log"; fi
    done
    if $shown; then : >"$log"; fi
}
# One product at a time: a build of every target would also compile swift-argument-parser's plugins, every time.
for product in nslab nslab-aslr; do
    status=0
    swift build "${flags[@]}" --product "$product" 2>&1 | show_when_building >&2 || status=$?
    if [ "$status" != 0 ]; then
        cat "$log" >&2
        echo "build-release: swift build of $product failed (status $status)" >&2
        exit "$status"
    fi
done
# The promise of the second point above, checked: builds that lost their link flags would still run.
readelf -h "$bin/nslab-aslr" | grep -q 'Type: *DYN' ||
    { echo "build-release: $bin/nslab-aslr is not position independent (readelf -h: not DYN)" >&2; exit 1; }
readelf -h "$bin/nslab" | grep -q 'Type: *EXEC' ||
    { echo "build-release: $bin/nslab is not a fixed-address executable (readelf -h: not EXEC)" >&2; exit 1; }
mkdir -p .build/install
# New files renamed into place: a running nslab keeps its own copy, and the page cache holds a fresh one. The
# twin sits beside nslab, where nslab looks for it first.
for name in nslab-aslr nslab; do
    install -m 755 "$bin/$name" ".build/install/$name.new"
    mv -f ".build/install/$name.new" ".build/install/$name"
done
echo "$PWD/.build/install/nslab"
