#!/usr/bin/env bash
# The child pane against a plain tmux pane, in one run (DESIGN.md bars):
#   1. 16 MB of coloured UTF-8 text with wide characters, `cat` in nslab's pane (nslab inside a detached
#      tmux) vs the same `cat` in a plain tmux pane of similar width: time until a marker printed after
#      the cat shows on screen. Bar: nslab <= 1.0x tmux.
#   2. Keystroke echo: type one character, poll the screen until it shows. Bar: nslab <= tmux + 1 ms.
#   3. The split (F7, host shell beside the child, both live): key echo in each side (bar: <= tmux + 1 ms), and
#      16 MB through the child's side while the host side is idle against a tmux pane of one side's size
#      (bar: <= 1.0x). SPLIT=0 skips it.
# Both sides are observed the same way (tmux capture-pane of the outer pane), so the polling cost is shared.
#
# Usage: benchmarks/pane-bench.sh              (builds the release binary first; needs root for --ns uts)
#        NO_BUILD=1 ROUNDS=3 ECHOES=40 WIDTH=160 HEIGHT=50 SPLIT=0 benchmarks/pane-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ECHOES=${ECHOES:-100}
WIDTH=${WIDTH:-160}
HEIGHT=${HEIGHT:-50}
NSLAB=${NSLAB:-.build/install/nslab}

[ "$(id -u)" = 0 ] || { echo "pane-bench: needs root (the child gets a new UTS namespace)" >&2; exit 1; }
if [[ -z "${NO_BUILD:-}" ]]; then
    scripts/build-release.sh >/dev/null
fi
[[ -x $NSLAB ]] || { echo "pane-bench: $NSLAB is missing; build it or unset NO_BUILD" >&2; exit 1; }

work=$(mktemp -d)
socket="pane-bench-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

python3 - "$work" "$NSLAB" "$socket" "$ROUNDS" "$ECHOES" "$WIDTH" "$HEIGHT" "${SPLIT:-1}" <<'EOF'
import os, random, re, statistics, subprocess, sys, time

work, nslab, socket, rounds, echoes, width, height, split = sys.argv[1:]
rounds, echoes, width, height = int(rounds), int(echoes), int(width), int(height)
data = os.path.join(work, "colour.txt")

# 16 MB of lines mixing ASCII, CJK (two columns each), accents and 16/256/RGB colours.
rng = random.Random(5)
words = ["namespace", "hostname", "clone", "unshare", "设置主机名", "命名空间", "進程", "café", "naïve", "ＦＵＬＬ", "λx.x"]
with open(data, "w", encoding="utf-8") as out:
    size = 0
    while size < 16 * 1024 * 1024:
        parts = []
        for _ in range(rng.randint(4, 12)):
            colour = rng.choice(["31", "1;32", "38;5;%d" % rng.randint(16, 231), "38;2;%d;%d;%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)), "4;36", "7"])
            parts.append("\x1b[%sm%s\x1b[0m" % (colour, rng.choice(words)))
        line = " ".join(parts) + "\n"
        out.write(line)
        size += len(line.encode())
mb = os.path.getsize(data) / 1e6

def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True, text=True).stdout

def screen(target):
    return tmux("capture-pane", "-p", "-t", target)

def wait_for(target, predicate, timeout=120.0, interval=0.002):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = screen(target)
        if predicate(text):
            return time.monotonic()
        time.sleep(interval)
    raise SystemExit("pane-bench: timed out waiting on %s; screen:\n%s" % (target, screen(target)))

# The same shell and prompt on both sides.
shell = "env PS1='$ ' TERM=tmux-256color "
tmux("new-session", "-d", "-s", "pane", "-x", str(width), "-y", str(height),
     shell + "%s --ns uts --launch --shell /bin/sh" % nslab)
pane_screen = screen("pane") if wait_for("pane", lambda s: "launched pid" in s, timeout=10) else ""

# The plain tmux pane gets the size of nslab's child pane (the box whose title names the child).
def child_pane_size(text):
    lines = text.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌  1 Child" in line)
    left = lines[top].index("┌  1 Child")
    right = lines[top].index("┐", left)
    bottom = next(i for i in range(top + 1, len(lines)) if len(lines[i]) > left and lines[i][left] == "└")
    return right - left - 1, bottom - top - 1

pane_w, pane_h = child_pane_size(pane_screen)
tmux("new-session", "-d", "-s", "plain", "-x", str(pane_w), "-y", str(pane_h), shell + "/bin/sh")
wait_for("plain", lambda s: "$" in s, timeout=10)
# Echo is watched by capturing the whole outer screen, whose cost grows with its size: so the tmux side of the
# echo test is a plain pane of nslab's outer size.
tmux("new-session", "-d", "-s", "plainfull", "-x", str(width), "-y", str(height), shell + "/bin/sh")
wait_for("plainfull", lambda s: "$" in s, timeout=10)
time.sleep(0.5)

def cat_once(target, n):
    mark = "DONE-MARK-%d" % n
    tmux("send-keys", "-t", target, "clear", "Enter")
    wait_for(target, lambda s: "clear" not in s)
    start = time.monotonic()
    # The typed line shows $((...)) unexpanded, so only the echo's output matches.
    tmux("send-keys", "-t", target, "-l", "cat %s; echo DONE-MARK-$((%d+0))" % (data, n))
    tmux("send-keys", "-t", target, "Enter")
    end = wait_for(target, lambda s: mark in s, interval=0.005)
    return end - start

# A prompt line ending in the typed q (nslab's pane has a border after it).
typed = re.compile(r"(^|│)\$ q *(│|$)", re.M)

def echo_once(target, i):
    start = time.monotonic()
    tmux("send-keys", "-t", target, "-l", "q")
    end = wait_for(target, lambda s: typed.search(s) is not None, interval=0)
    tmux("send-keys", "-t", target, "BSpace")
    wait_for(target, lambda s: typed.search(s) is None)
    return end - start

cats = {"tmux": [], "nslab": []}
for n in range(rounds):  # alternate, so drift hits both alike
    cats["tmux"].append(cat_once("plain", 2 * n))
    cats["nslab"].append(cat_once("pane", 2 * n + 1))
echo = {"tmux": [], "nslab": []}
for i in range(echoes):
    echo["tmux"].append(echo_once("plainfull", i))
    echo["nslab"].append(echo_once("pane", i))

cat_t, cat_n = statistics.median(cats["tmux"]), statistics.median(cats["nslab"])
echo_t, echo_n = statistics.median(echo["tmux"]), statistics.median(echo["nslab"])
print("pane-bench: nslab in %dx%d, its child pane and the plain tmux pane %dx%d; %.1f MB file, %d cat rounds, %d echoes"
      % (width, height, pane_w, pane_h, mb, rounds, echoes))
print("cat  tmux   median %8.1f ms  (%s)" % (cat_t * 1e3, ", ".join("%.0f" % (x * 1e3) for x in cats["tmux"])))
print("cat  nslab  median %8.1f ms  (%s)" % (cat_n * 1e3, ", ".join("%.0f" % (x * 1e3) for x in cats["nslab"])))
print("cat  ratio nslab/tmux  %.2fx   bar <= 1.00x   %s" % (cat_n / cat_t, "PASS" if cat_n <= cat_t else "FAIL"))
print("echo tmux   median %8.2f ms" % (echo_t * 1e3))
print("echo nslab  median %8.2f ms" % (echo_n * 1e3))
print("echo nslab - tmux  %+.2f ms   bar <= +1.00 ms   %s" % ((echo_n - echo_t) * 1e3, "PASS" if echo_n - echo_t <= 0.001 else "FAIL"))

if split == "1":
    # The split: nslab again, F7 puts the host shell on the left; the keys start on the child's side (right).
    tmux("new-session", "-d", "-s", "split", "-x", str(width), "-y", str(height),
         shell + "%s --ns uts --launch --shell /bin/sh" % nslab)
    wait_for("split", lambda s: "launched pid" in s, timeout=10)
    tmux("send-keys", "-t", "split", "F7")
    split_screen = screen("split") if wait_for("split", lambda s: "HOST shell" in s, timeout=10) else ""
    lines = split_screen.split("\n")
    top = next(i for i, line in enumerate(lines) if "HOST shell" in line)
    corners = [i for i, c in enumerate(lines[top]) if c == "┌"]
    ends = [i for i, c in enumerate(lines[top]) if c == "┐"]
    bottom = next(i for i in range(top + 1, len(lines)) if len(lines[i]) > corners[0] and lines[i][corners[0]] == "└")
    side_w, side_h = ends[1] - corners[1] - 1, bottom - top - 1
    tmux("new-session", "-d", "-s", "plainside", "-x", str(side_w), "-y", str(side_h), shell + "/bin/sh")
    wait_for("plainside", lambda s: "$" in s, timeout=10)
    time.sleep(0.5)
    # Each side against tmux echoes interleaved with it, so a change in the machine's load hits both alike.
    sides = {"tmux": [], "right": [], "tmux2": [], "left": []}
    for i in range(echoes):
        sides["tmux"].append(echo_once("plainfull", i))
        sides["right"].append(echo_once("split", i))
    tmux("send-keys", "-t", "split", "F9")  # the keys to the host side
    time.sleep(0.2)
    for i in range(echoes):
        sides["tmux2"].append(echo_once("plainfull", i))
        sides["left"].append(echo_once("split", i))
    tmux("send-keys", "-t", "split", "F9")  # back to the child's side, for the cat
    time.sleep(0.2)
    side_cats = {"tmux": [], "nslab": []}
    for n in range(rounds):
        side_cats["tmux"].append(cat_once("plainside", 2 * n + 100))
        side_cats["nslab"].append(cat_once("split", 2 * n + 101))
    st, st2 = statistics.median(sides["tmux"]), statistics.median(sides["tmux2"])
    sr, sl = statistics.median(sides["right"]), statistics.median(sides["left"])
    ct, cn = statistics.median(side_cats["tmux"]), statistics.median(side_cats["nslab"])
    print("split: nslab in %dx%d, F7: each side %dx%d, both shells live; tmux pane %dx%d for the cat"
          % (width, height, side_w, side_h, side_w, side_h))
    print("split echo tmux        median %8.2f ms (beside the child side), %.2f ms (beside the host side)"
          % (st * 1e3, st2 * 1e3))
    print("split echo child side  median %8.2f ms   %+.2f ms   bar <= +1.00 ms   %s"
          % (sr * 1e3, (sr - st) * 1e3, "PASS" if sr - st <= 0.001 else "FAIL"))
    print("split echo host side   median %8.2f ms   %+.2f ms   bar <= +1.00 ms   %s"
          % (sl * 1e3, (sl - st2) * 1e3, "PASS" if sl - st2 <= 0.001 else "FAIL"))
    print("split cat  tmux   median %8.1f ms  (%s)" % (ct * 1e3, ", ".join("%.0f" % (x * 1e3) for x in side_cats["tmux"])))
    print("split cat  nslab  median %8.1f ms  (%s)" % (cn * 1e3, ", ".join("%.0f" % (x * 1e3) for x in side_cats["nslab"])))
    print("split cat  ratio nslab/tmux  %.2fx   bar <= 1.00x   %s" % (cn / ct, "PASS" if cn <= ct else "FAIL"))
EOF
