#!/usr/bin/env bash
# Idempotent set-up for developers and CI (docs/dependencies.md says why each package is here).
#
#   bash scripts/setup.sh
#
# 1. As root on a Debian-like machine: installs the missing Debian packages (apt-get update runs only
#    when something is missing). Not root: prints what is missing and goes on.
# 2. Creates .venv (if absent) and installs the project editable with its test, hub and installer
#    extras (installer: PyInstaller, for tests/installer/test_frozen.py). A stamp
#    file .venv/.installed-<sha256 of pyproject.toml> makes a second run skip pip entirely.
#
# Environment: PYTHON (interpreter for the venv, default python3), CLERK_SKIP_APT=1 (skip step 1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DEBIAN_FRONTEND=noninteractive

say() { printf '[setup] %s\n' "$*"; }
warn() { printf '[setup] WARNING: %s\n' "$*" >&2; }

# --------------------------------------------------------------------------------------------------
# 1. Debian packages
# --------------------------------------------------------------------------------------------------
DEB_PACKAGES=(
    # Qt offscreen platform (tests, headless printing to PDF)
    libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
    # Qt xcb platform (real windows, also under Xvfb)
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxcb1 libx11-xcb1 libxcb-randr0 libxcb-render0 libxcb-shm0 libxcb-sync1
    libxcb-xfixes0 libxcb-glx0 libxcb-util1 xvfb xauth
    # Chinese font, so printed/exported PDFs carry real CJK glyphs
    fonts-wqy-microhei
    # pdftotext / pdftoppm for checking printed output
    poppler-utils
    # printing to a real queue: CUPS + the cups-pdf virtual printer (Debian's name for cups-pdf)
    cups cups-client cups-daemon printer-driver-cups-pdf libcups2
    # PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin) for the hub tests
    postgresql-15
    # MSI build checks
    wixl msitools
    # silent install / upgrade / uninstall of the MSI (tests/installer/test_msi.py, about a minute;
    # wine64 only: the desk's MSI is x64, no i386 multiarch needed)
    wine wine64
    # the PyInstaller freeze (tests/installer/test_frozen.py): objdump from binutils reads the
    # binaries' dependencies, and Debian's python3 needs its shared library libpython3.11
    binutils libpython3.11
    # cloning in CI, TLS for pip, pgrep (start-cups.sh)
    git ca-certificates procps
)

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    # a bare Debian machine: fall back to Debian's interpreter (installed below if root)
    PYTHON=/usr/bin/python3
    DEB_PACKAGES+=(python3)
fi
# python3-venv is only needed when the interpreter is Debian's own (pyenv/python.org builds ship venv+ensurepip)
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    DEB_PACKAGES+=(python3-venv)
fi

missing_debs() {
    # one dpkg-query for all; a package dpkg has never heard of prints nothing and counts as missing
    local installed p
    installed=" $(dpkg-query -W -f='${db:Status-Abbrev}|${Package}\n' "${DEB_PACKAGES[@]}" 2>/dev/null \
        | awk -F'|' '$1 ~ /^ii/ {printf "%s ", $2}') " || true
    for p in "${DEB_PACKAGES[@]}"; do
        [[ "$installed" == *" $p "* ]] || printf '%s\n' "$p"
    done
}

if [[ "${CLERK_SKIP_APT:-0}" == 1 ]]; then
    say "CLERK_SKIP_APT=1: not checking Debian packages"
elif ! command -v dpkg-query >/dev/null 2>&1; then
    warn "not a Debian-like system (no dpkg-query): install the equivalents of these yourself: ${DEB_PACKAGES[*]}"
else
    mapfile -t MISSING < <(missing_debs)
    if ((${#MISSING[@]} == 0)); then
        say "Debian packages: all ${#DEB_PACKAGES[@]} present"
    elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing missing Debian packages: ${MISSING[*]}"
        APT=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
        "${APT[@]}" update -q </dev/null
        "${APT[@]}" install -y -q --no-install-recommends "${MISSING[@]}" </dev/null
        mapfile -t STILL < <(missing_debs)
        if ((${#STILL[@]})); then
            echo "[setup] ERROR: still missing after apt-get install: ${STILL[*]}" >&2
            exit 1
        fi
    else
        warn "missing Debian packages (run as root, or: sudo apt-get install ${MISSING[*]}):"
        warn "  ${MISSING[*]}"
        warn "continuing; tests that need them will skip or fail with a reason"
    fi
fi

# Re-resolve after a possible install of Debian's python3.
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=/usr/bin/python3

# --------------------------------------------------------------------------------------------------
# 2. Python virtual environment
# --------------------------------------------------------------------------------------------------
# Several shells (or CI and a developer) may run this at once: one pip at a time per checkout.
LOCK="${TMPDIR:-/tmp}/clerk-desk-setup-$(printf '%s' "$ROOT" | sha256sum | cut -c1-16).lock"
exec 9>"$LOCK"
if command -v flock >/dev/null 2>&1; then
    flock -w 900 9 || { echo "[setup] ERROR: another setup.sh holds $LOCK for 15 min" >&2; exit 1; }
fi

VENV="$ROOT/.venv"
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    warn ".venv is broken (its interpreter does not start): recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating .venv with $("$PYTHON" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
    "$PYTHON" -m venv "$VENV"
fi

STAMP="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-64)"
if [[ -f "$STAMP" ]] && "$VENV/bin/python" -c 'import clerk_desk' >/dev/null 2>&1; then
    say ".venv is up to date ($(basename "$STAMP" | cut -c1-28)...)"
else
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off
    say "upgrading pip"
    "$VENV/bin/python" -m pip install -q --upgrade pip </dev/null
    say "pip install -e '.[test,hub,installer]'"
    "$VENV/bin/python" -m pip install -q -e '.[test,hub,installer]' </dev/null
    rm -f "$VENV"/.installed-*
    touch "$STAMP"
    say "installed; stamp $(basename "$STAMP")"
fi
