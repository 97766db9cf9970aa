#!/usr/bin/env bash
# Builds the OCI image (scripts/build-image.sh) and checks it as a node-debugging image is used, with podman:
# the binary starts from the image; under --pid=host its `ps` lists this script's own process (the host's PID
# namespace) and names a container running on the host from the engine's state under /host; `run` launches the
# image's busybox in new namespaces. scripts/test.sh runs this after the Debian package. Needs root.
# Podman on this project's machines (cgroup v1) needs runc and explicit ulimits; they are harmless elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (rootful podman, --pid=host)"
image=$(scripts/build-image.sh)
echo "check-image: $image"
podman_run=(podman run --rm --network none --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
version=$(sed -n 's/^let nslabVersion = "\(.*\)"$/\1/p' Sources/NslabCLI/Version.swift)
[ "$("${podman_run[@]}" "$image" --version)" = "$version" ] || fail "nslab --version in the image does not print $version"

# A container to find: the image itself, running busybox's sh as a sleeper under a known name.
name=nslab-check-image-$$
listing=$(mktemp)
cleanup() {
    podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
    rm -f "$listing"
}
trap cleanup EXIT
podman run -d -i --network none --name "$name" --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
    --entrypoint /bin/sh "$image" -c 'read line' >/dev/null || fail "the sleeper container did not start"
"${podman_run[@]}" --pid=host --privileged -v /:/host:ro "$image" ps --flat --json >"$listing" ||
    fail "nslab ps --flat --json in the image failed"
python3 - "$$" "$name" "$listing" <<'PY' || fail "the image's ps did not list the host's processes and the named container"
import json, sys
own, name = int(sys.argv[1]), sys.argv[2]
processes = json.load(open(sys.argv[3]))["processes"]
pids = {p["pid"] for p in processes}
assert own in pids, f"pid {own} (this script, on the host) is not listed"
labels = [p.get("container") for p in processes if p.get("container")]
named = [l for l in labels if l.get("name") == name]
assert named and named[0]["engine"] == "podman", f"no podman container named {name}: {labels[:5]}"
PY
# The text form names it too.
text=$("${podman_run[@]}" --pid=host --privileged -v /:/host:ro "$image" ps) || fail "nslab ps in the image failed"
[[ $text == *"$name"* ]] || fail "nslab ps in the image does not show the container name $name"
# A launch inside the image: busybox's sh in new UTS and PID namespaces.
out=$("${podman_run[@]}" --privileged "$image" run --uts --pid --hostname inside -- /bin/sh -c 'echo $$; read name </proc/sys/kernel/hostname; echo $name') ||
    fail "nslab run in the image failed"
[ "$out" = "$(printf '1\ninside')" ] || fail "nslab run in the image printed '$out', not 1 and inside"
echo "check-image: $image is good"
