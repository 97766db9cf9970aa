#!/usr/bin/env bash
# Builds the Debian package .build/deb/nslab_<version>_<arch>.deb from the release binary and prints its path.
#
# What goes in, and from where:
# - /usr/bin/nslab: scripts/build-release.sh's one static-pie binary with its symbols and debug info stripped. The
#   debug info is kept beside the .deb as .build/deb/nslab.debug, and the binary names it in a .gnu_debuglink
#   section, so gdb finds it when it sits beside the binary or under /usr/lib/debug.
# - /usr/share/man/man1/nslab.1.gz: written by swift-argument-parser's generate-manual plugin from the commands'
#   own definitions, so it cannot drift from --help. The plugin builds the package first; it is told to use the
#   debug configuration, which the tests build anyway, because a release build of its own would use other flags
#   than build-release.sh's and rebuild .build/release from scratch every time.
# - bash, zsh and fish completions, from `nslab --generate-completion-script`, in each shell's vendor directory.
# - the themes in /usr/share/nslab/themes and the lessons in /usr/share/nslab/lessons.
# - /usr/share/doc/nslab: copyright (DEP-5) and changelog.Debian.gz, both from packaging/.
# - /usr/share/lintian/overrides/nslab, from packaging/lintian-overrides, which says why each override is there.
#
# The version is nslab's own (Sources/NslabCLI/Version.swift) plus the Debian revision from the top entry of
# packaging/changelog; the script stops when the two disagree on the upstream part.
#
# Depends is empty on purpose: the binary is static (no NEEDED libraries, so dpkg-shlibdeps has nothing to say),
# and the one thing it reads from the system at run time, the terminfo database, comes with ncurses-base, which
# is Essential. Built-Using names the Debian source packages whose static libraries are inside, as Debian policy
# asks for license compliance.
#
# lintian (scripts/check-package.sh runs it and fails on any error) reports no error: the one it would, that
# ncurses is linked in (embedded-library), is overridden in packaging/lintian-overrides, which says why. It still
# warns, each time on purpose:
# - shared-library-lacks-prerequisites [usr/bin/nslab]: a static-pie executable is an ELF shared object that
#   needs no library, which lintian reads as a library that forgot its dependencies. Static and position
#   independent is what build-release.sh asks for.
# - initial-upload-closes-no-bugs: the first changelog entry closes no Debian ITP bug, because this package
#   is not uploaded to Debian; it is built from this repository.
# and, as infos, spelling-error-in-binary for fragments of the runtime's and libraries' strings (none is in
# nslab's own text) and hardening-no-fortify-functions when it finds no fortified glibc call (Swift does not
# call them).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "package-deb: $*" >&2; exit 1; }

upstream=$(sed -n 's/^let nslabVersion = "\(.*\)"$/\1/p' Sources/NslabCLI/Version.swift)
[ -n "$upstream" ] || fail "no version in Sources/NslabCLI/Version.swift"
version=$(dpkg-parsechangelog -l packaging/changelog -S Version)
[ "${version%-*}" = "$upstream" ] ||
    fail "packaging/changelog's top entry is $version, but nslab is $upstream; add an entry for $upstream-1"
arch=$(dpkg --print-architecture)
# Timestamps in the package (file mtimes, the man page's date) come from the changelog entry, so that the same
# sources give the same .deb.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(dpkg-parsechangelog -l packaging/changelog -S Timestamp)}

nslab=$(scripts/build-release.sh)

out=.build/deb
root=$out/root
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/doc/nslab" \
    "$root/usr/share/nslab/themes" "$root/usr/share/bash-completion/completions" \
    "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d"

# The binary, stripped as dh_strip would, pointing at its debug info.
strip_into() {
    local from=$1 to=$2 debug=$out/$(basename "$1").debug
    objcopy --only-keep-debug "$from" "$debug"
    chmod 644 "$debug"
    objcopy --strip-all --remove-section=.comment --remove-section=.note --add-gnu-debuglink="$debug" "$from" "$to"
    chmod 755 "$to"
}
strip_into "$nslab" "$root/usr/bin/nslab"

# The man page. The plugin prints SwiftPM's progress; it is shown only when the plugin fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
swift package plugin generate-manual --configuration debug --date "$date" \
    --authors "nslab maintainers<maintainers@users.noreply.r-seed-71e48177.example>" >"$log" 2>&1 ||
    { cat "$log" >&2; fail "swift package plugin generate-manual failed"; }
manual=$(sed -n "s/^Generated manual in '\(.*\)'$/\1/p" "$log" | tail -n 1)
manual=${manual#file://}
[ -f "$manual/nslab.1" ] || { cat "$log" >&2; fail "generate-manual wrote no nslab.1"; }
# Two touches to the generated mdoc: the footer names nslab and its version (.Os, which otherwise says BSD), and
# the blank lines that help texts keep between paragraphs become .Pp, the paragraph macro (man --warnings and
# lintian's groff-message flag blank lines in mdoc).
sed -e "s/^\.Os\$/.Os nslab $upstream/" -e 's/^$/.Pp/' "$manual/nslab.1" | gzip -9n >"$root/usr/share/man/man1/nslab.1.gz"

# Completions, from the binary that is packaged.
# bash sources its completion file, so the generator's #! line is dropped (lintian: bash-completion-with-hashbang).
"$nslab" --generate-completion-script bash | sed '1{/^#!/d}' >"$root/usr/share/bash-completion/completions/nslab"
"$nslab" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_nslab"
"$nslab" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/nslab.fish"

install -m 644 themes/*.toml "$root/usr/share/nslab/themes/"
if [ -d lessons ]; then
    mkdir -p "$root/usr/share/nslab/lessons"
    install -m 644 lessons/*.toml "$root/usr/share/nslab/lessons/"
fi
install -m 644 packaging/copyright "$root/usr/share/doc/nslab/copyright"
mkdir -p "$root/usr/share/lintian/overrides"
install -m 644 packaging/lintian-overrides "$root/usr/share/lintian/overrides/nslab"
gzip -9n <packaging/changelog >"$root/usr/share/doc/nslab/changelog.Debian.gz"

# Built-Using: the source package and version of each static library linked in.
built_using=$(dpkg-query -W -f='${source:Package} (= ${source:Version})\n' \
    libc6-dev libncurses-dev libvterm-dev libnl-route-3-dev libgcc-12-dev | sort -u | paste -sd, | sed 's/,/, /g')

find "$root" -type d -exec chmod 755 {} +
find "$root/usr/share" -type f -exec chmod 644 {} +
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: nslab
Version: $version
Architecture: $arch
Maintainer: nslab maintainers <maintainers@users.noreply.r-seed-71e48177.example>
Installed-Size: $installed_size
Built-Using: $built_using
Section: admin
Priority: optional
Description: terminal lab for Linux namespaces
 nslab shows Linux namespaces at work. In its dashboard you tick the kinds
 you want (UTS, IPC, PID, mount, network, user, cgroup, time), launch, and a
 shell starts inside exactly those namespaces in a terminal pane; beside it,
 live, the host's and the child's view of each kind side by side: namespace
 ids, hostnames, PIDs, uid/gid maps, mounts, interfaces, IPC objects, cgroup
 and clocks, plus the process tree.
 .
 The same engine is there for scripts: "nslab run" launches a command in new
 namespaces as "unshare --fork" does, with checks before anything starts and
 errors that say what to do; "nslab ps", "ls" and "inspect" print the process
 tree, the namespaces and comparisons, as text or JSON.
EOF
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

deb=$out/nslab_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$PWD/$deb"
