#!/usr/bin/env bash
# Builds the nslab that users get, installs it as .build/install/nslab and prints that path.
#
# How it is built, and why: start-up is what `nslab run` is measured on (benchmarks/run-bench.sh).
# - One static executable (Swift runtime, ncursesw, libvterm and toml++ inside): no dynamic loader and
#   no relocation of its data at every start, about 3 ms less per start than `--static-swift-stdlib`
#   in a side-by-side run here. The trade-off: the executable's own image sits at a fixed address
#   (heap, stack and mmap areas are still randomised).
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
flags=(-c release --product nslab -Xswiftc -static-executable
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections
    -Xswiftc -use-ld=lld -Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order"
    -Xlinker --no-warn-symbol-ordering)
# SwiftPM does not know the order file is a link input: relink when it changed.
built="$(swift build "${flags[@]}" --show-bin-path)/nslab"
if [[ -e $built && scripts/startup.order -nt $built ]]; then rm -f "$built"; fi
swift build "${flags[@]}" >&2 || { status=$?; echo "build-release: swift build failed (status $status)" >&2; exit "$status"; }
installed=.build/install/nslab
mkdir -p "$(dirname "$installed")"
# A new file renamed into place: a running nslab keeps its own copy, and the page cache holds a fresh one.
install -m 755 "$built" "$installed.new"
mv -f "$installed.new" "$installed"
echo "$PWD/$installed"
