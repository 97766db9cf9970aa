#!/usr/bin/env bash
# Sets up, builds the release binaries (self-contained static files) and starts nslab with any arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
nslab=$(./scripts/build-release.sh)
# The themes in this checkout, found by name (--theme light), after any path the user set.
export NSLAB_THEME_PATH="${NSLAB_THEME_PATH:+$NSLAB_THEME_PATH:}$PWD/themes"
exec "$nslab" "$@"
