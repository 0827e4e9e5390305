#!/usr/bin/env bash
# Start the desk in demo mode (the README's app command):
#
#   bash scripts/demo.sh [clerk-desk args...]
#
# Sets up .venv (scripts/setup.sh), then runs `clerk-desk --demo`, which creates a demo site in its
# data folder and prints the demo accounts. Display:
#   - DISPLAY or WAYLAND_DISPLAY set: the app uses it.
#   - QT_QPA_PLATFORM set (e.g. QT_QPA_PLATFORM=offscreen), or --offscreen given (taken by this script,
#     it sets QT_QPA_PLATFORM=offscreen): the app uses that platform; no display is needed.
#   - otherwise (a headless machine): Xvfb is started on a free display number for the app's lifetime
#     (to see it, point a VNC server such as x11vnc at that display).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

# --offscreen is this script's option (the same as QT_QPA_PLATFORM=offscreen); the rest go to the app.
ARGS=()
for arg in "$@"; do
    if [[ "$arg" == "--offscreen" ]]; then
        export QT_QPA_PLATFORM=offscreen
    else
        ARGS+=("$arg")
    fi
done
APP=(.venv/bin/clerk-desk --demo "${ARGS[@]}")

if [[ -n "${QT_QPA_PLATFORM:-}" || -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    exec "${APP[@]}"
fi

command -v Xvfb >/dev/null || {
    echo "[demo] no display (DISPLAY unset) and Xvfb is not installed: run bash scripts/setup.sh as root," \
        "or use QT_QPA_PLATFORM=offscreen / --offscreen" >&2
    exit 1
}

# Xvfb picks a free display number itself and writes it to the -displayfd file descriptor.
DISPFILE="$(mktemp)"
Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$DISPFILE" >/dev/null 2>&1 &
XVFB_PID=$!
cleanup() { kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; rm -f "$DISPFILE"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    [[ -s "$DISPFILE" ]] && break
    kill -0 "$XVFB_PID" 2>/dev/null || { echo "[demo] Xvfb failed to start" >&2; exit 1; }
    sleep 0.1
done
[[ -s "$DISPFILE" ]] || { echo "[demo] Xvfb did not report a display within 10 s" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' <"$DISPFILE")"
echo "[demo] no display found: started Xvfb on $DISPLAY (pid $XVFB_PID); it stops when the app exits"

# Run the app as a child (not exec) so Xvfb can be stopped after it; pass INT/TERM on to it.
"${APP[@]}" <&0 &
APP_PID=$!
trap 'kill -INT "$APP_PID" 2>/dev/null || true' INT
trap 'kill -TERM "$APP_PID" 2>/dev/null || true' TERM
set +e
while true; do
    wait "$APP_PID"
    rc=$?
    kill -0 "$APP_PID" 2>/dev/null || break   # wait was only interrupted by a signal: keep waiting
done
set -e
exit "$rc"
