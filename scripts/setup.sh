#!/usr/bin/env bash
# Installs the Debian packages nslab needs to build and test, if any is missing, and any package named as an
# argument (scripts/screenshot.sh asks for its image renderer that way).
# Swift itself (6.x) must already be on PATH; see the README.
set -euo pipefail
packages=(gcc libncurses-dev libvterm-dev libtomlplusplus-dev pkg-config tmux util-linux iproute2 procps python3 bubblewrap
    # the Debian package and its checks (scripts/package-deb.sh, scripts/check-package.sh)
    dpkg-dev binutils lintian man-db groff-base zsh fish
    # real containers and sandboxes for the container-label tests (ContainerCommandTests)
    runc bubblewrap
    # the network map's rtnetlink messages (libnl-route-3, static libraries included), and ethtool, whose veth
    # statistics (peer_ifindex) the network map's differential test compares with (NetCommandTests)
    libnl-route-3-dev ethtool
    # ping between the two network namespaces of the veth lesson's end-to-end test (LessonEndToEndTests)
    iputils-ping
    # busybox sh, one of the shells whose prompt marks are tested (ShellMarksTests), and the OCI image's /bin/sh
    # (scripts/build-image.sh); the static build, since the image has no libraries (it conflicts with busybox)
    busybox-static
    # the OCI image: podman builds and runs it (scripts/check-image.sh); rootless podman's container names
    # (EngineLabelTests, as a user the test makes)
    podman
    # containerd's ctr, run on a private daemon for its container labels (EngineLabelTests)
    containerd
    # plays back the lab notebook's recording in its end-to-end test (NotebookEndToEndTests), and is what
    # benchmarks/notebook-bench.sh compares nslab's recording with
    asciinema
    "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6 first" >&2; exit 1; }
