#!/usr/bin/env bash
# Sets up, builds the release binary (one self-contained file) and starts nslab with any arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --static-swift-stdlib --product nslab >&2
exec "$(swift build -c release --static-swift-stdlib --show-bin-path)/nslab" "$@"
