#!/bin/bash
# Builds the libvterm fuzz harness with ASan and UBSan and runs seeds; see vterm_fuzz.c.
#   Tests/VTermFuzz/run.sh FIRST COUNT [OPS]
# With LIBVTERM_SRC set to an unpacked libvterm 0.1.4 source (apt-get source libvterm), libvterm is compiled with
# the sanitizers too, so reports point at its lines; otherwise the system library is linked.
# Build products go to ${VTFUZZ_OUT:-/tmp/vtfuzz}, never into the checkout.
# Coverage-guided instead: compile libvterm with clang -fsanitize=fuzzer-no-link,address,undefined, then
#   clang -fsanitize=fuzzer,address,undefined -DNSLAB_LIBFUZZER -I Sources/CVTerm -I Sources/CVTermGuard/include \
#     vterm_fuzz.c Sources/CVTermGuard/vterm_guard.c libvterm objects
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${VTFUZZ_OUT:-/tmp/vtfuzz}
mkdir -p "$out"
flags=(-fsanitize=address,undefined -fno-omit-frame-pointer -g -O1)
if [ -n "${LIBVTERM_SRC:-}" ]; then
    mkdir -p "$out/obj"
    for source in "$LIBVTERM_SRC"/src/*.c; do
        gcc "${flags[@]}" -std=c99 -I"$LIBVTERM_SRC/include" -c "$source" -o "$out/obj/$(basename "$source" .c).o"
    done
    ar rcs "$out/libvterm_asan.a" "$out"/obj/*.o
    vterm=("$out/libvterm_asan.a")
    include=(-I"$LIBVTERM_SRC/include")
else
    vterm=(-lvterm)
    include=()
fi
sources=$here/../../Sources
# The guard as TerminalKit links it, and once more with every libvterm workaround compiled out (as a newer libvterm
# would have it), only to check that this configuration still compiles.
gcc -Wall -Wextra -Werror -fsyntax-only -DNSLAB_GUARD_PRETEND_NEWER_VTERM "${include[@]}" \
    -I"$sources/CVTermGuard/include" "$sources/CVTermGuard/vterm_guard.c"
gcc "${flags[@]}" -Wall -Wextra "${include[@]}" -I"$sources/CVTerm" -I"$sources/CVTermGuard/include" \
    "$here/vterm_fuzz.c" "$sources/CVTermGuard/vterm_guard.c" "${vterm[@]}" -o "$out/vterm_fuzz"
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$out/vterm_fuzz" run "${1:-1}" "${2:-100}" "${3:-3000}"
echo "seeds ${1:-1}..$(( ${1:-1} + ${2:-100} - 1 )): no sanitizer report"
