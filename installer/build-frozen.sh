#!/usr/bin/env bash
# Freeze the desk with PyInstaller (one-folder build) from installer/clerk_desk.spec (docs/installer.md).
#
#   bash installer/build-frozen.sh [OUT_DIR]        default OUT_DIR: build/frozen
#
# Result: OUT_DIR/dist/clerk-desk/ with clerk-desk (GUI) and clerk-desk-cli (console) executables;
# OUT_DIR/work/ is PyInstaller's cache (a rebuild after a small change reuses it). Prints the build time
# and the folder size. Needs the `installer` extra: .venv/bin/pip install -e '.[installer]'
# (scripts/setup.sh installs it). Environment: PYTHON (default .venv/bin/python), CLEAN=1 (--clean),
# WORK_DIR (PyInstaller's cache, default OUT_DIR/work; tests/installer share one across source states).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="${1:-$ROOT/build/frozen}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
    echo "build-frozen: PyInstaller is not installed for $PY: pip install -e '.[installer]'" >&2
    exit 2
fi
WORK="${WORK_DIR:-$OUT/work}"
args=(--noconfirm --log-level "${PYI_LOG_LEVEL:-WARN}" --distpath "$OUT/dist" --workpath "$WORK")
[[ "${CLEAN:-0}" == 1 ]] && args+=(--clean)

start=$(date +%s.%N)
(cd "$ROOT" && "$PY" -m PyInstaller "${args[@]}" installer/clerk_desk.spec)
end=$(date +%s.%N)
app="$OUT/dist/clerk-desk"
printf 'build-frozen: %s in %s s, %s, %s files\n' "$app" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" \
    "$(du -sh "$app" | cut -f1)" "$(find "$app" -type f | wc -l)"
