#!/usr/bin/env bash
# Builds the nslab that users get, installs it as .build/install/nslab and prints that path.
#
# How it is built, and why: start-up is what `nslab run` is measured on (benchmarks/run-bench.sh).
# - One static, position-independent executable (static-pie: the Swift runtime, ncursesw, libvterm and toml++
#   inside). No dynamic loader and no symbol lookups: about 3 ms less per start than `--static-swift-stdlib`.
#   It runs as root and parses bytes from children through libvterm, so its image is placed at a random
#   address like the rest of its memory (DESIGN.md's safety rules; readelf -h says DYN, checked below).
#   Every static library here is built position independent, so clang's -static-pie links them with glibc's
#   rcrt1.o, whose start code relocates the image before anything else runs. Two things made an earlier
#   attempt crash at start: `-Xlinker -pie` alone keeps crt1.o, whose relocation step is an empty stub; and
#   SwiftPM writes a RUNPATH of $ORIGIN into every executable, which glibc's static-pie start asserts is absent
#   (the failed assert then crashes in gettext, before relocation is done). --disable-local-rpath drops it.
#   The price is the relocation at each start: 42,600 pointers, most in Swift metadata, on about 130 pages
#   that each start copies (about 110 more page faults). Packed (-z pack-relative-relocs, DT_RELR, which
#   glibc 2.36 reads) the table is 8 KB instead of 1 MB. In one side-by-side run here (benchmarks/run-bench.sh
#   with the old binary as OTHER_NSLAB), `nslab run` took 1.04x unshare as static-pie and 1.01x as the
#   non-PIE static executable it replaced (-static-executable alone), 0.25 ms apart; `nslab --version`
#   took about 0.8 ms more.
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
flags=(-c release --product nslab --disable-local-rpath
    -Xswiftc -static-executable -Xswiftc -Xclang-linker -Xswiftc -static-pie
    -Xlinker -z -Xlinker pack-relative-relocs
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections
    -Xswiftc -use-ld=lld -Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order"
    -Xlinker --no-warn-symbol-ordering)
# SwiftPM does not know the order file is a link input: relink when it changed.
built="$(swift build "${flags[@]}" --show-bin-path 2>/dev/null)/nslab"
if [[ -e $built && scripts/startup.order -nt $built ]]; then rm -f "$built"; fi
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
status=0
swift build "${flags[@]}" 2>&1 | show_when_building >&2 || status=$?
if [ "$status" != 0 ]; then
    cat "$log" >&2
    echo "build-release: swift build failed (status $status)" >&2
    exit "$status"
fi
# The promise of the first point above, checked: a build that lost -static-pie would still run.
readelf -h "$built" | grep -q 'Type: *DYN' ||
    { echo "build-release: $built is not position independent (readelf -h: not DYN)" >&2; exit 1; }
installed=.build/install/nslab
mkdir -p "$(dirname "$installed")"
# A new file renamed into place: a running nslab keeps its own copy, and the page cache holds a fresh one.
install -m 755 "$built" "$installed.new"
mv -f "$installed.new" "$installed"
echo "$PWD/$installed"
