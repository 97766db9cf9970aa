#!/usr/bin/env bash
# Builds the Debian package (scripts/package-deb.sh) and checks it as a user would get it: lintian must report no
# error, and the files unpacked into a throwaway directory must work: the binary runs (--version, a launch into
# a new UTS namespace, which needs root), the man page renders without warnings and each completion script parses
# in its shell. scripts/test.sh runs this last.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-package: $*" >&2; exit 1; }

deb=$(scripts/package-deb.sh)
echo "check-package: $deb"
# Warnings and infos are shown; package-deb.sh explains each one that is left.
lintian --display-info --fail-on error "$deb" || fail "lintian reports errors on $deb"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
nslab=$tmp/usr/bin/nslab
version=$(dpkg-deb -f "$deb" Version)

# One binary, position independent and static.
[ "$(find "$tmp" -type f -perm -u+x | wc -l)" = 1 ] || fail "the package carries more than one executable"
readelf -h "$nslab" | grep -q 'Type: *DYN' || fail "the packaged nslab is not position independent (readelf -h)"
! readelf -l "$nslab" | grep -q INTERP || fail "the packaged nslab asks for a dynamic loader (readelf -l)"
"$nslab" ps --flat --json >/dev/null || fail "the packaged nslab ps failed"
[ "$("$nslab" --version)" = "${version%-*}" ] || fail "the packaged nslab --version does not print ${version%-*}"
[ "$("$nslab" run --uts --hostname nslab-deb -- hostname)" = nslab-deb ] ||
    fail "the packaged nslab run --uts --hostname nslab-deb -- hostname did not print nslab-deb"
"$nslab" run --uts -- hostname >/dev/null || fail "the packaged nslab run --uts -- hostname failed"

manpage=$tmp/usr/share/man/man1/nslab.1.gz
warnings=$(MANWIDTH=80 man --warnings -l "$manpage" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man -l $manpage warns: $warnings"
MANWIDTH=80 MAN_KEEP_FORMATTING=0 man -l "$manpage" | grep -q 'nslab run' || fail "the man page does not describe nslab run"

bash -n "$tmp/usr/share/bash-completion/completions/nslab" || fail "the bash completion script does not parse"
if command -v zsh >/dev/null; then
    zsh -n "$tmp/usr/share/zsh/vendor-completions/_nslab" || fail "the zsh completion script does not parse"
else
    echo "check-package: zsh is not installed; its completion script is not checked"
fi
if command -v fish >/dev/null; then
    fish -n "$tmp/usr/share/fish/vendor_completions.d/nslab.fish" || fail "the fish completion script does not parse"
else
    echo "check-package: fish is not installed; its completion script is not checked"
fi
echo "check-package: $deb is good"
