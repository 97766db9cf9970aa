#!/usr/bin/env bash
# Renders docs/screen.png, the picture at the top of the README, from a real run: the release binary's dashboard
# in a detached tmux of 132x40, with a child launched into new UTS, PID, mount and user namespaces, a few
# commands typed into its shell, then Ctrl-] back to the dashboard, whose Host vs child panel and maps show what
# differs. tmux's capture of that screen (capture-pane -e -p: the text with its colours) is drawn cell by cell
# by scripts/render-ansi.py, with Debian's Pillow and DejaVu Sans Mono. Run it again when the screen changes.
#
# The dashboard runs in a PID namespace of its own with a fresh /proc (unshare --pid --mount-proc), so that
# the process tree in the picture holds nslab and its child, not whatever else this machine runs.
# Needs root, as the launch and unshare do.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "screenshot: needs root (it creates namespaces)" >&2; exit 1; }
./scripts/setup.sh python3-pil fonts-dejavu-core
nslab=$(scripts/build-release.sh)
columns=132
rows=40
# A tmux server of its own, so that no one else's sessions are seen or touched.
socket=nslab-screenshot-$$
work=$(mktemp -d)
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
# Started by name from PATH, so that the process tree shows "nslab", not this checkout's path.
mkdir "$work/bin"
ln -s "$nslab" "$work/bin/nslab"

tmux -L "$socket" -f /dev/null new-session -d -x "$columns" -y "$rows" -e TERM=xterm-256color \
    -e "NSLAB_THEME_PATH=$PWD/themes" \
    "env PATH='$work/bin:/usr/bin:/bin' unshare --pid --fork --mount-proc \
        nslab --ns uts,pid,mount,user --hostname lab --shell /bin/sh --launch"
tmux -L "$socket" set-option -g status off
sleep 3
tmux -L "$socket" send-keys -l 'hostname; echo "my pid: $$"; id -u'
tmux -L "$socket" send-keys Enter
sleep 2
tmux -L "$socket" send-keys C-]
sleep 2
tmux -L "$socket" capture-pane -e -p >"$work/screen.ansi"
grep -q 'Host vs child' "$work/screen.ansi" && grep -q 'my pid: 1' "$work/screen.ansi" || {
    echo "screenshot: the dashboard did not show the launched child; its screen was:" >&2
    cat "$work/screen.ansi" >&2
    exit 1
}
/usr/bin/python3 scripts/render-ansi.py "$work/screen.ansi" docs/screen.png "$columns" "$rows"
echo "$PWD/docs/screen.png"
