#!/usr/bin/env python3
"""Times commands alternately in one run and prints their medians and ratios against the first.

usage: timing.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]
The first command is the reference. Each round runs every command once, in turn, so drift in the
machine's load hits all of them alike. Output goes to /dev/null; a failing command stops the run.
"""
import shlex
import statistics
import subprocess
import sys
import time


def main() -> int:
    rounds = int(sys.argv[1])
    commands = [arg.split("=", 1) for arg in sys.argv[2:]]
    samples = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, command in commands:
            start = time.perf_counter()
            result = subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            if result.returncode != 0:
                print(f"{name} failed ({result.returncode}): {result.stderr.decode().strip()}", file=sys.stderr)
                return 1
            samples[name].append(elapsed)
    reference = statistics.median(samples[commands[0][0]])
    for name, _ in commands:
        median = statistics.median(samples[name])
        print(f"{name:<28} median {median * 1000:8.3f} ms   ratio {median / reference:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
