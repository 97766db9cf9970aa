#!/usr/bin/env bash
# The tests that run something as uid 65534, run from a clone of this checkout that lies under a directory only root
# may enter (mode 0700, as root's home is on Debian): what the unprivileged side reads (the binary, lessons, themes,
# shell start-up files) must be copied where it can read it, not be read from the clone.
#
# Quick: nothing is rebuilt. The clone is made in a fresh 0700 directory; then, in a mount namespace of this
# script's own (private, so the host sees none of it), this checkout's .build is bound into the clone and the 0700
# directory is bound over the checkout's parent, so that the clone sits at the checkout's own path. The test bundle
# built here (whose source paths are that path) then runs against the clone's files, and uid 65534 cannot enter the
# checkout's parent, as it could not enter /root.
#
# Usage: scripts/test-private-clone.sh (as root, after swift build --build-tests); scripts/test.sh runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd -P)
parent=$(dirname "$checkout")
fail() {
    echo "test-private-clone.sh: $*" >&2
    exit 1
}
[ "$(id -u)" = 0 ] || fail "needs root (setpriv, mount namespaces)"
case "$parent" in
/ | /tmp) fail "the checkout's parent is $parent, which the test cannot cover; use a checkout elsewhere" ;;
esac
[ -d .build/debug ] || fail "no debug build here: run swift build --build-tests first"

# Every test that runs nslab (or a shell, or a program nslab exported) as uid 65534.
tests=(
    'UnprivilegedRunTests'
    'UnprivilegedInspectTests'
    'LessonEndToEndTests/heldLesson'
    'ShellMarksEndToEndTests/unprivilegedDashboard'
    'ComparisonEndToEndTests/unprivilegedMaps'
    'DashboardEndToEndTests/failedLaunchKeepsDashboard'
    'DifferentialTests/(lsAgreesWithLsnsAsNobody|psAgreesWithPsAsNobody|namespacesHeldWithoutProcesses)'
    'DoctorRestrictionTests/(textReport|unprivileged)'
    'EnterCommandTests/unprivileged'
    'ExportCommandTests/unprivileged'
    'PsCommandTests/unprivilegedGetsUnknownNotErrors'
    'PsMarksTests/unreadableIsQuestionMarksAndNull'
    'RunRefusalTests/refusesSetuid'
    'RunInsideTests/(nestedUnprivileged|unprivilegedIntoRoot)'
    'ContainerCommandTests/newUserNamespaceHasEveryCapability'
    'ShellMarksTests/unprivilegedInUserNamespace'
    'ComparisonLiveTests/mapsFromBothReaders'
    'NetCommandTests/unprivilegedUnknownIsNotEmpty'
    'NetworkMapEndToEndTests/unprivilegedWiring'
)
filters=()
for test in "${tests[@]}"; do filters+=(--filter "$test"); done

private=$(mktemp -d /tmp/nslab-private-XXXXXX)  # mktemp makes it 0700
trap 'rm -rf "$private"' EXIT
chmod 0700 "$private"
clone="$private/$(basename "$checkout")"
git clone --quiet "$checkout" "$clone"
# Package.resolved is not committed; the build's dependencies are already in .build.
[ -f Package.resolved ] && cp Package.resolved "$clone/"
mkdir -p "$clone/.build"

echo "test-private-clone.sh: the uid-65534 tests from a clone under a 0700 directory ($private)"
# The bind of .build comes first: once the parent is covered, the checkout's own .build is out of sight.
# The NSLAB_* variables are only read by the shell below. A skipped test is a failure, as in scripts/test.sh.
log=$(mktemp)
trap 'rm -rf "$private" "$log"' EXIT
unshare --mount --propagation private env NSLAB_CHECKOUT="$checkout" NSLAB_PRIVATE="$private" \
    NSLAB_CLONE="$clone" NSLAB_PARENT="$parent" /bin/sh -c '
    set -e
    mount --bind "$NSLAB_CHECKOUT/.build" "$NSLAB_CLONE/.build"
    mount --rbind "$NSLAB_PRIVATE" "$NSLAB_PARENT"
    cd "$NSLAB_CHECKOUT"
    [ . -ef "$NSLAB_CLONE" ] && [ "$(stat -c %a "$NSLAB_PARENT")" = 700 ] || {
        echo "the clone is not in place" >&2
        exit 1
    }
    if setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$NSLAB_CHECKOUT/lessons/01-uts.toml"; then
        echo "uid 65534 can still read the checkout" >&2
        exit 1
    fi
    exec swift test --skip-build "$@"' sh "${filters[@]}" 2>&1 | tee "$log"
if grep -qE 'Test .* skipped' "$log"; then
    fail "some tests were skipped; every test must run"
fi
