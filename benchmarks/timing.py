#!/usr/bin/env python3
"""Times commands alternately in one run and prints their medians and ratios against the first.

usage: timing.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]
The first command is the reference. Each round runs every command once, in turn, so drift in the
machine's load hits all of them alike. Commands start through posix_spawn with output to /dev/null
(the least overhead Python offers, the same for every command); a failing command stops the run.
"""
import os
import shlex
import shutil
import statistics
import sys
import time


def main() -> int:
    rounds = int(sys.argv[1])
    commands = []
    for arg in sys.argv[2:]:
        name, command = arg.split("=", 1)
        argv = shlex.split(command)
        argv[0] = shutil.which(argv[0]) or argv[0]
        commands.append((name, argv))
    samples = {name: [] for name, _ in commands}
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    for _ in range(rounds):
        for name, argv in commands:
            start = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
            _, status = os.waitpid(pid, 0)
            elapsed = time.perf_counter() - start
            if status != 0:
                print(f"{name} failed (wait status {status}): {' '.join(argv)}", file=sys.stderr)
                return 1
            samples[name].append(elapsed)
    reference = statistics.median(samples[commands[0][0]])
    for name, _ in commands:
        median = statistics.median(samples[name])
        print(f"{name:<28} median {median * 1000:8.3f} ms   ratio {median / reference:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
