#!/usr/bin/env bash
# Sets up and runs every test. Integration tests launch real namespaces and need root; run as root
# (CI does). Without root those tests fail rather than skip, by design.
#
# Two passes: the whole suite on the debug build, then the end-to-end tests of the nslab executable
# (nslabTests) again on the release binary users get from scripts/build-release.sh, which is linked
# differently (static, lld, functions reordered). Last, the Debian package built from that binary is checked
# (scripts/check-package.sh: lintian, then the unpacked binary, man page and completions), the start-up order file
# against the binary's symbols (scripts/check-startup-order.sh), and the OCI image (scripts/check-image.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build --build-tests
# The libvterm input guard under ASan and UBSan, a few fixed seeds (Tests/VTermFuzz; seconds, not minutes).
VTFUZZ_OUT=.build/vtermfuzz Tests/VTermFuzz/run.sh 1 6 3000
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs `swift test` with the given arguments; any skip counts as a failure, because a root-only test
# that skipped would hide a missing privilege.
run_tests() {
    local status=0
    swift test --skip-build "$@" 2>&1 | tee "$log" || status=$?
    if grep -qE 'Test .* skipped' "$log"; then
        echo "test.sh: some tests were skipped; every test must run (run as root)" >&2
        return 1
    fi
    return "$status"
}

run_tests
echo "test.sh: the uid-65534 tests again, from a clone under a 0700 directory"
scripts/test-private-clone.sh
release=$(scripts/build-release.sh)
echo "test.sh: the nslab end-to-end tests again, on the release binary $release"
NSLAB_TEST_BINARY=$release run_tests --filter nslabTests
echo "test.sh: the start-up order file"
scripts/check-startup-order.sh "$release"
echo "test.sh: the Debian package"
scripts/check-package.sh
echo "test.sh: the OCI image"
scripts/check-image.sh
