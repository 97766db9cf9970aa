#!/usr/bin/env python3
"""Shrinks a vterm_fuzz trace while its replay still fails with the same sanitizer signature.

usage: reduce.py BINARY TRACE OUT [SIGNATURE]
SIGNATURE is a substring of the failing replay's stderr; by default the innermost frame of the first report.
"""
import os
import re
import subprocess
import sys
import tempfile

binary, source, out = sys.argv[1:4]
env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:halt_on_error=0", UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")


def report(lines):
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".trace") as f:
        f.write("".join(lines))
    try:
        r = subprocess.run([binary, "replay", f.name], capture_output=True, text=True, env=env, timeout=20)
        return r.stderr
    except subprocess.TimeoutExpired:
        return "TIMEOUT"
    finally:
        os.unlink(f.name)


def ddmin(items, test):
    """Classic delta debugging: the smallest sublist found for which test() still holds."""
    n = 2
    while len(items) >= 2:
        size = -(-len(items) // n)
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        for i in range(len(chunks)):
            rest = [x for j, c in enumerate(chunks) if j != i for x in c]
            if test(rest):
                items, n = rest, max(n - 1, 2)
                break
        else:
            if n >= len(items):
                break
            n = min(len(items), n * 2)
    return items


lines = open(source).readlines()
first = report(lines)
if not first:
    sys.exit("the trace does not fail")
if len(sys.argv) > 4:
    signature = sys.argv[4]
else:
    m = re.search(r"#\d+ 0x[0-9a-f]+ in (\S+) \S*src/", first) or re.search(r"(runtime error: .*)", first)
    signature = m.group(1) if m else first.strip().splitlines()[-1]
print("signature:", signature, file=sys.stderr)

header = [l for l in lines if l.startswith("N")][:1]
body = [l for l in lines if l[:1] in ("F", "R", "B", "V", "K", "D", "T")]


def fails(candidate_body):
    return signature in report(header + candidate_body)


body = ddmin(body, fails)
for index in range(len(body)):
    if not body[index].startswith("F "):
        continue
    data = list(bytes.fromhex(body[index][2:].strip()))

    def test(candidate, index=index):
        trial = list(body)
        trial[index] = "F " + bytes(candidate).hex() + "\n"
        return fails(trial)

    body[index] = "F " + bytes(ddmin(data, test)).hex() + "\n"
body = ddmin(body, fails)
open(out, "w").write("".join(header + body))
print("".join(header + body))
for line in body:
    if line.startswith("F "):
        print("  bytes:", repr(bytes.fromhex(line[2:].strip())))
