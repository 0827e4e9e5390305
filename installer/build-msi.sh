#!/usr/bin/env bash
# Build the Clerk Desk MSI with wixl (msitools) from a frozen folder (docs/installer.md).
#
#   bash installer/build-msi.sh [--frozen DIR] [--version X.Y.Z] [--out FILE.msi]
#
#   --frozen   the one-folder build to stage (default: build/frozen/dist/clerk-desk, made by
#              installer/build-frozen.sh)
#   --version  ProductVersion (default: clerk_desk.__version__); the upgrade checks build a higher one
#   --out      the MSI (default: build/msi/clerk-desk-<version>-x64.msi)
#
# Steps: installer/msi_files.py lists every staged file as a component (wixl has no heat), wixl builds
# installer/clerk-desk.wxs + that list for x64, installer/msi_fixup.py sets what wixl ignores (inclusive
# upgrade range, secure properties). A freeze made on Linux has no clerk-desk.exe: the MSI is then good
# for the structure and install/upgrade/uninstall checks only, not for running the desk on Windows. The
# production MSI is built on Windows with WiX 5 (installer/build-msi.ps1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY=python3
FROZEN="$ROOT/build/frozen/dist/clerk-desk"
VERSION=""
OUT=""
while (($#)); do
    case "$1" in
        --frozen) FROZEN="$2"; shift 2 ;;
        --version) VERSION="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "build-msi: unknown argument $1" >&2; exit 2 ;;
    esac
done
command -v wixl >/dev/null || { echo "build-msi: wixl not found (apt-get install wixl msitools)" >&2; exit 2; }
[[ -d "$FROZEN" ]] || { echo "build-msi: no frozen folder $FROZEN (run installer/build-frozen.sh)" >&2; exit 2; }
FROZEN="$(cd "$FROZEN" && pwd)"
if [[ -z "$VERSION" ]]; then
    VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/clerk_desk/__init__.py")"
fi
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "build-msi: version must be X.Y.Z, not '$VERSION'" >&2; exit 2; }
OUT="${OUT:-$ROOT/build/msi/clerk-desk-$VERSION-x64.msi}"
mkdir -p "$(dirname "$OUT")"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
[[ -f "$FROZEN/clerk-desk.exe" ]] || echo "build-msi: note: $FROZEN has no clerk-desk.exe (a Linux freeze): check-only MSI" >&2

WORK="$(mktemp -d "${TMPDIR:-/tmp}/clerk-desk-msi.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s.%N)
"$PY" "$ROOT/installer/msi_files.py" "$FROZEN" "$WORK/files.wxs" >/dev/null
cp "$ROOT/installer/clerk-desk.wxs" "$WORK/"
# wixl finds File/@Source relative to the folder it runs in (absolute paths are refused)
(cd "$WORK" && wixl --arch x64 -D "Version=$VERSION" -o "$OUT" clerk-desk.wxs files.wxs 2>"$WORK/wixl.log") || {
    cat "$WORK/wixl.log" >&2
    exit 1
}
"$PY" "$ROOT/installer/msi_fixup.py" "$OUT" >/dev/null
end=$(date +%s.%N)
files=$(grep -c '<File ' "$WORK/files.wxs")
printf 'build-msi: %s (%s, %s files, version %s) in %.1f s\n' "$OUT" "$(du -h "$OUT" | cut -f1)" "$files" \
    "$VERSION" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
