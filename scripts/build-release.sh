#!/usr/bin/env bash
# Builds the nslab that users get, installs it as .build/install/nslab and prints that path. start.sh, the
# benchmarks, the second test pass, the Debian package and the OCI image all carry this one file.
#
# How it is built, and why (each speed choice with what it measured on the reference machine, side by side in
# benchmarks/run-bench.sh; `nslab run` is what start-up is measured on):
# - One static-pie executable: the Swift runtime, ncursesw, libvterm and toml++ linked in, no dynamic loader, and
#   the image placed at a random address at each start (ASLR), since nslab runs as root and parses bytes other
#   processes write (their /proc files, a child's terminal output through libvterm). Every static library here is
#   built position independent, so clang's -static-pie (given to the link through NSLAB_STATIC_PIE in
#   Package.swift) links them with glibc's rcrt1.o, whose start code relocates the image before anything else
#   runs. Two things crash such a binary at start: `-Xlinker -pie` alone keeps crt1.o, whose relocation step is an
#   empty stub; and SwiftPM writes a RUNPATH of $ORIGIN into executables, which glibc's static-pie start asserts
#   is absent (--disable-local-rpath drops it). The relocations are packed (-z pack-relative-relocs, DT_RELR,
#   which glibc 2.36 reads): 8 KB instead of 1 MB of table.
#   The price of position independence is the relocation itself, about 43,000 pointers on 134 pages copied on
#   write at each start; `nslab run` stays within DESIGN's bar of 1.2x `unshare --fork` with it.
#   Static instead of dynamic (`--static-swift-stdlib`) saves about 3 ms per start: no loader, no symbol look-ups.
# - The functions a launch runs come first in the text, in the order scripts/startup.order gives (lld's
#   --symbol-ordering-file; every function in its own section so that it can be moved). A start then touches a
#   few dozen text pages instead of pages spread over 11 MB. Measured side by side (run-bench.sh 400, the same
#   objects linked with and without the order, on a loaded machine): 16.8 against 18.8 ms per `nslab run` as
#   installed, 16.9 against 19.3 ms re-read; it pays.
# - Gone: `-disable-concrete-type-metadata-mangled-name-accessors`, a frontend-internal flag that saved about
#   0.07 ms per start (measured in the round that added it), below the 0.1 ms a moving part must pay for.
#   Regenerate the file with scripts/make-startup-order.sh; scripts/check-startup-order.sh (run by
#   scripts/test.sh) fails when too many of its names no longer exist in the binary.
# - The result is installed by copying, as a package would be: the linker writes its output through a shared
#   mapping, which leaves it in the page cache as 4 KiB pages; a file written with write() is cached in large
#   folios, which page faults map many pages at a time and exit unmaps as fast.
set -euo pipefail
cd "$(dirname "$0")/.."
export NSLAB_STATIC_PIE=1
flags=(-c release --disable-local-rpath
    -Xswiftc -static-executable
    -Xlinker -z -Xlinker pack-relative-relocs
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections
    -Xswiftc -use-ld=lld -Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order"
    -Xlinker --no-warn-symbol-ordering)
# SwiftPM does not know the order file is a link input: relink when it changed.
bin="$(swift build "${flags[@]}" --product nslab --show-bin-path 2>/dev/null)"
if [[ -e $bin/nslab && scripts/startup.order -nt $bin/nslab ]]; then rm -f "$bin/nslab"; fi
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
# The one product alone: a build of every target would also compile swift-argument-parser's plugins, every time.
status=0
swift build "${flags[@]}" --product nslab 2>&1 | show_when_building >&2 || status=$?
if [ "$status" != 0 ]; then
    cat "$log" >&2
    echo "build-release: swift build of nslab failed (status $status)" >&2
    exit "$status"
fi
# The promise of the first point above, checked: a build that lost its link flags would still run.
readelf -h "$bin/nslab" | grep -q 'Type: *DYN' ||
    { echo "build-release: $bin/nslab is not position independent (readelf -h: not DYN)" >&2; exit 1; }
if readelf -l "$bin/nslab" | grep -q 'INTERP'; then
    echo "build-release: $bin/nslab is not static (readelf -l: it asks for a dynamic loader)" >&2
    exit 1
fi
mkdir -p .build/install
# A new file renamed into place: a running nslab keeps its own copy, and the page cache holds a fresh one. A twin
# left by an older build of two binaries goes.
rm -f .build/install/nslab-aslr
install -m 755 "$bin/nslab" .build/install/nslab.new
mv -f .build/install/nslab.new .build/install/nslab
echo "$PWD/.build/install/nslab"
