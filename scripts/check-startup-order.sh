#!/usr/bin/env bash
# Checks that scripts/startup.order still matches the code: at least 90% of the functions it lists must exist in
# the release binary (scripts/build-release.sh builds it with symbols). lld skips a name it does not find, so a
# stale order file only costs speed, silently; this makes it loud. Fix: scripts/make-startup-order.sh.
# Usage: scripts/check-startup-order.sh [BINARY]   (default: the release build, built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-$(scripts/build-release.sh)}
python3 - "$binary" scripts/startup.order <<'PY'
import subprocess, sys
binary, order = sys.argv[1:]
wanted = [line.strip() for line in open(order) if line.strip() and not line.startswith("#")]
names = set(subprocess.run(["nm", "--defined-only", "-j", binary], capture_output=True, text=True, check=True).stdout.split())
found = sum(name in names for name in wanted)
share = found / len(wanted) if wanted else 0
print(f"check-startup-order: {found} of {len(wanted)} functions of scripts/startup.order are in {binary} ({share:.0%})")
if share < 0.9:
    print("check-startup-order: the order file no longer matches the code; regenerate it with "
          "scripts/make-startup-order.sh", file=sys.stderr)
    sys.exit(1)
PY
