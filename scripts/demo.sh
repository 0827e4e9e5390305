#!/usr/bin/env bash
# Start the desk in demo mode with a live county hub (the README's app command):
#
#   bash scripts/demo.sh [--approver] [clerk-desk args...]
#
# --approver also opens the back office's demo PC (its own data folder <demo data>/approver-pc, device 02 in
# approver mode, enrolled with the same demo hub): sign in there as approver1 to sign for, decide and return
# what the window PC hands over. Both desks close together.
#
# Sets up .venv (scripts/setup.sh), then scripts/demo_hub.py sets up and starts a local county hub for
# the demo site on 127.0.0.1:8765 (its data in <demo data>/demo-hub) and enrols the demo desk with it,
# then `clerk-desk --demo` opens the desk, which prints the demo accounts and syncs with that hub.
# The hub is stopped when the app exits. CLERK_DEMO_HUB=0 skips the hub (the desk then shows 未注册).
#
# Keyring: the desk keeps its hub token in the OS keyring only. A headless Linux box has none (no
# Secret Service), so for the demo only this script installs the `demo` extra (keyrings.alt) and uses
# its plain-file keyring, with a warning. Production PCs use Windows Credential Manager. Display:
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
WITH_APPROVER=0
for arg in "$@"; do
    if [[ "$arg" == "--offscreen" ]]; then
        export QT_QPA_PLATFORM=offscreen
    elif [[ "$arg" == "--approver" ]]; then
        WITH_APPROVER=1
    else
        ARGS+=("$arg")
    fi
done
APP=(.venv/bin/clerk-desk --demo "${ARGS[@]}")

# The desk's data folder, if one was given, is the hub's too (demo_hub.py puts the hub in <it>/demo-hub).
HUB_ARGS=()
for ((i = 0; i < ${#ARGS[@]}; i++)); do
    case "${ARGS[$i]}" in
        --data-dir) HUB_ARGS+=(--data-dir "${ARGS[$((i + 1))]:-}") ;;
        --data-dir=*) HUB_ARGS+=(--data-dir "${ARGS[$i]#--data-dir=}") ;;
    esac
done

APPROVER_DIR_FILE=""
APPROVER_PID=""
if [[ "$WITH_APPROVER" == 1 ]]; then
    APPROVER_DIR_FILE="$(mktemp)"
    HUB_ARGS+=(--approver-pc "$APPROVER_DIR_FILE")
fi

HUB_PID_FILE=""
stop_hub() {
    if [[ -n "$APPROVER_PID" ]]; then
        kill "$APPROVER_PID" 2>/dev/null && echo "[demo] approver demo PC closed"
        APPROVER_PID=""
    fi
    if [[ -n "$HUB_PID_FILE" && -s "$HUB_PID_FILE" ]]; then
        local pid
        pid="$(cat "$HUB_PID_FILE")"
        kill "$pid" 2>/dev/null && echo "[demo] county hub stopped (pid $pid)"
        rm -f "$HUB_PID_FILE"
    fi
}

if [[ "${CLERK_DEMO_HUB:-1}" != 0 ]]; then
    if [[ -z "${PYTHON_KEYRING_BACKEND:-}" ]] \
        && .venv/bin/python -c 'import keyring, sys
module = type(keyring.get_keyring()).__module__  # no OS keyring: "fail", or keyrings.alt picked by itself
sys.exit(not module.startswith(("keyring.backends.fail", "keyrings.alt")))'; then
        if ! .venv/bin/python -c 'import keyrings.alt' 2>/dev/null; then
            echo "[demo] no OS keyring on this machine: installing the demo extra (keyrings.alt) into .venv"
            # the extra's requirements as pyproject.toml lists them (faster than reinstalling the project)
            .venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))
                ["project"]["optional-dependencies"]["demo"]))' \
                | xargs .venv/bin/python -m pip install -q --no-input --disable-pip-version-check
        fi
        export PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring
        echo "[demo] WARNING: demo only: the token is kept in a plain file in the user's home;" \
            "production PCs use Windows Credential Manager"
    fi
    # The demo hub speaks plain http on 127.0.0.1; the desk refuses http unless told on purpose that
    # this is the demo (clerk_desk/sync/hub_address.py). A real hall PC never has this set.
    export CLERK_DESK_ALLOW_LOOPBACK_HTTP=1
    echo "[demo] the demo hub speaks plain http on 127.0.0.1 (CLERK_DESK_ALLOW_LOOPBACK_HTTP=1, demo only)"
    HUB_PID_FILE="$(mktemp)"
    # From here on, leaving this script for any reason (also INT/TERM) stops the hub.
    trap stop_hub EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if ! .venv/bin/python scripts/demo_hub.py "${HUB_ARGS[@]}" --pid-file "$HUB_PID_FILE"; then
        echo "[demo] WARNING: the local county hub could not be set up; the desk works offline" >&2
    fi
fi

# Run the app as a child (not exec) so the hub and Xvfb can be stopped after it; pass INT/TERM on to it.
# With --approver, the back office's demo PC opens first, beside it.
run_app() {
    if [[ -n "$APPROVER_DIR_FILE" && -s "$APPROVER_DIR_FILE" ]]; then
        .venv/bin/clerk-desk --demo --data-dir "$(cat "$APPROVER_DIR_FILE")" </dev/null &
        APPROVER_PID=$!
        echo "[demo] approver demo PC opened (pid $APPROVER_PID): sign in there as approver1"
    elif [[ "$WITH_APPROVER" == 1 ]]; then
        echo "[demo] WARNING: the approver demo PC needs the demo hub; it was not set up" >&2
    fi
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
    return "$rc"
}

if [[ -n "${QT_QPA_PLATFORM:-}" || -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    rc=0
    run_app || rc=$?
    exit "$rc"
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
cleanup() {
    stop_hub
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    rm -f "$DISPFILE"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    [[ -s "$DISPFILE" ]] && break
    kill -0 "$XVFB_PID" 2>/dev/null || { echo "[demo] Xvfb failed to start" >&2; exit 1; }
    sleep 0.1
done
[[ -s "$DISPFILE" ]] || { echo "[demo] Xvfb did not report a display within 10 s" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' <"$DISPFILE")"
echo "[demo] no display found: started Xvfb on $DISPLAY (pid $XVFB_PID); it stops when the app exits"

rc=0
run_app || rc=$?
exit "$rc"
