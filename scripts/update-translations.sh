#!/bin/sh
# Refresh the zh_CN translation source from the code, then compile it.
#   scripts/update-translations.sh          # lupdate + lrelease
#   scripts/update-translations.sh --check  # lrelease only (what the test compares against)
# Translate new entries with pyside6-linguist (or by editing the .ts), then run this again and commit
# both resources/translations/clerk_desk_zh_CN.ts and the .qm.
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
TS=resources/translations/clerk_desk_zh_CN.ts
QM=resources/translations/clerk_desk_zh_CN.qm
if [ "${1:-}" != "--check" ]; then
    SOURCES=$(find clerk_desk/ui clerk_desk/app.py -name '*.py' | sort)
    # shellcheck disable=SC2086
    "$BIN/pyside6-lupdate" -locations none -no-obsolete $SOURCES -ts "$TS"
fi
"$BIN/pyside6-lrelease" -nounfinished "$TS" -qm "$QM"
