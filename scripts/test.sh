#!/usr/bin/env bash
# Run the whole test suite (the README's test command):
#
#   bash scripts/test.sh [pytest args...]      e.g.  bash scripts/test.sh -q -k sync
#
# Sets up the machine and .venv (scripts/setup.sh), starts what fixtures do not start themselves
# (CUPS with the cups-pdf queue "PDF": scripts/start-cups.sh, as root only; otherwise the printing
# tests skip with the reason), then runs pytest offscreen. PostgreSQL is started by the pg fixtures.
# pytest's exit code 5 (no tests collected) is turned into a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

if [[ "$(id -u)" == 0 ]]; then
    if ! bash scripts/start-cups.sh; then
        echo "[test] WARNING: CUPS/cups-pdf could not be started; printing tests will skip" >&2
    fi
else
    echo "[test] WARNING: not root, so CUPS is not started here; printing tests skip unless" \
        "a cups-pdf queue 'PDF' exists (sudo bash scripts/start-cups.sh)" >&2
fi

export QT_QPA_PLATFORM=offscreen
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if ((rc == 5)); then
    echo "[test] ERROR: pytest collected no tests (exit 5): counted as a failure" >&2
    exit 1
fi
exit "$rc"
