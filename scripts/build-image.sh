#!/usr/bin/env bash
# Builds the OCI image `nslab` (tag: localhost/nslab:VERSION and :latest) with podman from the Containerfile, and
# prints its name. The context is made in .build/oci from files on this machine, so no registry is needed:
#   nslab          scripts/build-release.sh's static-pie binary, stripped
#   share/nslab/   themes and lessons
#   terminfo/      the terminfo entries of ncurses-base (xterm, screen, tmux, linux, vt100, rxvt, ...)
#   locale/C.utf8  glibc's C.UTF-8 locale, which the static binary loads for setlocale(LC_ALL, "")
#   sh             busybox (Debian's busybox-static) as the image's /bin/sh
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "build-image: $*" >&2; exit 1; }
command -v podman >/dev/null || fail "podman is not installed (scripts/setup.sh podman busybox-static)"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && ! readelf -l "$busybox" | grep -q INTERP || fail "needs a static busybox (busybox-static)"
[ -d /usr/lib/locale/C.utf8 ] || fail "/usr/lib/locale/C.utf8 is missing (libc-bin)"
nslab=$(scripts/build-release.sh)
version=$(sed -n 's/^let nslabVersion = "\(.*\)"$/\1/p' Sources/NslabCLI/Version.swift)
context=.build/oci
rm -rf "$context"
mkdir -p "$context/share/nslab/themes" "$context/share/nslab/lessons" "$context/terminfo" "$context/locale"
objcopy --strip-all --remove-section=.comment "$nslab" "$context/nslab"
install -m 644 themes/*.toml "$context/share/nslab/themes/"
install -m 644 lessons/*.toml "$context/share/nslab/lessons/"
cp -a /lib/terminfo/. "$context/terminfo/"
cp -a /usr/lib/locale/C.utf8 "$context/locale/"
install -m 755 "$busybox" "$context/sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
podman build --quiet -f Containerfile -t "localhost/nslab:$version" -t localhost/nslab:latest "$context" >"$log" 2>&1 ||
    { cat "$log" >&2; fail "podman build failed"; }
echo "localhost/nslab:$version"
