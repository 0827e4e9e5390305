#!/usr/bin/env bash
# Install, upgrade and uninstall the MSI silently under wine, and check what each step leaves behind.
#
#   bash installer/check-with-wine.sh OLD.msi NEW.msi      (NEW: the same product, a higher version)
#
# 1. msiexec /i OLD /qn HUB_URL=… SITE_CODE=… DEVICE_CODE=…: every file of the MSI under
#    C:\Program Files\Clerk Desk, the values in HKLM\Software\ClerkDesk (64-bit view), the Start-menu
#    shortcut, C:\ProgramData\ClerkDesk; then a stand-in database is written there (a PC in use).
# 2. msiexec /i NEW /qn without properties: OLD's product is gone from Add/Remove Programs, NEW is there,
#    the registry values are kept (remembered from the registry), the database is untouched.
# 3. msiexec /i OLD /qn again: refused (a newer version is installed), NEW stays.
# 0. msiexec /i OLD /qn DATADIR=…: refused (the data folder is fixed; the desk would never look elsewhere).
# 4. repair (Windows: msiexec /fa NEW; here /i NEW REINSTALL=ALL REINSTALLMODE=amus, wine has no /f): a
#    deleted program file is back, the values kept, the rights step ran again, the database untouched.
# 5. msiexec /x NEW /qn: the program folder, the values and the shortcut are gone; the data folder and
#    the database stay.
# 6. msiexec /i OLD /qn INSTALLDIR=C:\Apps\Clerk Desk\, then NEW without it: the upgrade stays in that folder
#    (remembered from the registry's InstallDir), nothing lands in C:\Program Files; uninstall leaves neither.
# Wine: WINEARCH=win64, no Mono/Gecko prompts (docs/architecture.md §9); a fresh prefix unless WINEPREFIX is given.
# msiexec's exit code comes back truncated to 8 bits (1603 -> 67). Exit 0 when every check passed.
# What wine cannot show: NTFS rights (the icacls step runs, its effect is Windows-only) — docs/installer.md.
set -euo pipefail

OLD="$(realpath "${1:?usage: check-with-wine.sh OLD.msi NEW.msi}")"
NEW="$(realpath "${2:?usage: check-with-wine.sh OLD.msi NEW.msi}")"
command -v wine >/dev/null || { echo "check-with-wine: wine is not installed" >&2; exit 2; }
command -v msiinfo >/dev/null || { echo "check-with-wine: msiinfo (msitools) is not installed" >&2; exit 2; }

export WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml=" WINEDEBUG=-all DISPLAY=
if [[ -z "${WINEPREFIX:-}" ]]; then
    WINEPREFIX="$(mktemp -d "${TMPDIR:-/tmp}/clerk-desk-wine.XXXXXX")"
    trap 'wineserver -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT
fi
export WINEPREFIX
LOGS="${LOGS:-$WINEPREFIX/logs}"
mkdir -p "$LOGS"

HUB="https://hub.tongshan.example:8765"
SITE=421224100
DEVICE=03
C="$WINEPREFIX/drive_c"
APP="$C/Program Files/Clerk Desk"
DATA="$C/ProgramData/ClerkDesk"
# Windows resolves ProgramMenuFolder to the all-users Start menu when ALLUSERS=1; wine 8 resolves it to the
# installing account's own Start menu, so the shortcut is looked for in both.
LINK="Microsoft/Windows/Start Menu/Programs/Clerk Desk.lnk"
shortcut() { ls "$C/ProgramData/$LINK" "$C"/users/*/AppData/Roaming/"$LINK" 2>/dev/null | head -1; }
failures=0

say() { printf '[wine-check] %s\n' "$*"; }
ok() { printf '[wine-check]   ok: %s\n' "$*"; }
bad() { printf '[wine-check]   FAILED: %s\n' "$*" >&2; failures=$((failures + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
prop() { msiinfo export "$1" Property | tr -d '\r' | awk -F'\t' -v k="$2" '$1 == k { print $2 }'; }

msiexec() {  # msiexec ARGS...; prints and returns the (8-bit) exit code
    local rc=0
    wine msiexec "$@" >/dev/null 2>&1 || rc=$?
    wineserver -w
    return "$rc"
}

# reg_value 'Software\ClerkDesk' NAME: a REG_SZ value of HKLM (64-bit view) from the prefix's system.reg,
# where backslashes are doubled
reg_value() {
    KEY="${1//\\/\\\\}" NAME="$2" awk '
        BEGIN { section = "[" ENVIRON["KEY"] "]"; name = "\"" ENVIRON["NAME"] "\"=" }
        index($0, "[") == 1 { inside = (index($0, section " ") == 1 || $0 == section); next }
        inside && index($0, name) == 1 {
            v = substr($0, length(name) + 1); sub(/^"/, "", v); sub(/"$/, "", v); gsub(/\\\\/, "\\", v)
            print v; exit
        }
    ' "$WINEPREFIX/system.reg"
}
uninstall_key() {  # how many times the product's Add/Remove Programs key is in the registry (0 or 1)
    grep -cF "[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\$1]" "$WINEPREFIX/system.reg" || true
}

all_files_installed() {
    local rel missing=0
    while IFS= read -r rel; do
        [[ -f "$C/Program Files/$rel" ]] || { echo "missing: $rel" >&2; missing=$((missing + 1)); }
    done < <(msiextract -l "$1")
    ((missing == 0))
}

old_version="$(prop "$OLD" ProductVersion)"; new_version="$(prop "$NEW" ProductVersion)"
old_code="$(prop "$OLD" ProductCode)"; new_code="$(prop "$NEW" ProductCode)"
say "prefix $WINEPREFIX; OLD $old_version $old_code; NEW $new_version $new_code"

t0=$SECONDS
wineboot --init >/dev/null 2>&1 || true
wineserver -w
say "wine prefix ready in $((SECONDS - t0)) s ($(wine --version))"

say "0. a data folder chosen on the command line (DATADIR) is refused: the desk would not look there"
rc=0; msiexec /i "$OLD" /qn /l*v "$LOGS/0-datadir.log" 'DATADIR=C:\Hall Data\ClerkDesk' || rc=$?
check "msiexec refused DATADIR (exit $rc, 1603 -> 67)" test "$rc" -ne 0
check "nothing was installed" test "$(uninstall_key "$old_code")" -eq 0
check "no folder was made at C:\Hall Data" test ! -e "$C/Hall Data"
# (Windows logs the condition's message; wine 8 logs only that LaunchConditions failed)
check "the launch condition refused it" grep -aq 'LaunchConditions. Return value [^1]' "$LOGS/0-datadir.log"

say "1. silent install of $old_version with HUB_URL, SITE_CODE, DEVICE_CODE"
t=$SECONDS
rc=0; msiexec /i "$OLD" /qn /l*v "$LOGS/1-install.log" HUB_URL="$HUB" SITE_CODE="$SITE" DEVICE_CODE="$DEVICE" || rc=$?
check "msiexec exit 0 (was $rc, $((SECONDS - t)) s)" test "$rc" -eq 0
check "every file of the MSI is under C:\\Program Files\\Clerk Desk" all_files_installed "$OLD"
check "HubUrl = $HUB" test "$(reg_value 'Software\ClerkDesk' HubUrl)" = "$HUB"
check "SiteCode = $SITE" test "$(reg_value 'Software\ClerkDesk' SiteCode)" = "$SITE"
check "DeviceCode = $DEVICE" test "$(reg_value 'Software\ClerkDesk' DeviceCode)" = "$DEVICE"
check "InstallDir points at the program folder" \
    test "$(reg_value 'Software\ClerkDesk' InstallDir)" = 'C:\Program Files\Clerk Desk\'
check "Start-menu shortcut ($(shortcut | sed "s|^$C|C:|"))" test -n "$(shortcut)"
check "data folder C:\\ProgramData\\ClerkDesk" test -d "$DATA"
check "the data-folder rights step (icacls, deferred) ran and succeeded" \
    test "$(grep -ac 'GrantDataFolder. Return value 1' "$LOGS/1-install.log")" -ge 2
check "registered in Add/Remove Programs as $old_code" test "$(uninstall_key "$old_code")" -ge 1
printf 'stand-in database\n' >"$DATA/clerk_desk.sqlite3"
mkdir -p "$DATA/logs" && printf 'log\n' >"$DATA/logs/clerk-desk.log"

say "2. silent upgrade to $new_version without properties"
t=$SECONDS
rc=0; msiexec /i "$NEW" /qn /l*v "$LOGS/2-upgrade.log" || rc=$?
check "msiexec exit 0 (was $rc, $((SECONDS - t)) s)" test "$rc" -eq 0
check "the old product $old_code is removed" test "$(uninstall_key "$old_code")" -eq 0
check "the new product $new_code is registered" test "$(uninstall_key "$new_code")" -ge 1
check "every file of the new MSI is installed" all_files_installed "$NEW"
check "HubUrl kept = $HUB" test "$(reg_value 'Software\ClerkDesk' HubUrl)" = "$HUB"
check "SiteCode kept = $SITE" test "$(reg_value 'Software\ClerkDesk' SiteCode)" = "$SITE"
check "DeviceCode kept = $DEVICE" test "$(reg_value 'Software\ClerkDesk' DeviceCode)" = "$DEVICE"
check "the database is untouched" grep -q "stand-in database" "$DATA/clerk_desk.sqlite3"

say "3. installing $old_version over $new_version is refused"
rc=0; msiexec /i "$OLD" /qn /l*v "$LOGS/3-downgrade.log" || rc=$?
check "msiexec refused the downgrade (exit $rc, 1603 -> 67)" test "$rc" -ne 0
check "$new_version stays installed" test "$(uninstall_key "$new_code")" -ge 1
check "and $old_version was not installed" test "$(uninstall_key "$old_code")" -eq 0

say "4. repair: a deleted program file comes back, the values and the data stay"
rm -f "$APP/_internal/base_library.zip"
t=$SECONDS
# Windows: msiexec /fa NEW.msi; wine 8's msiexec does not implement /f, so the same reinstall is asked for
# through its properties (every file, the machine's registry values, the shortcut)
rc=0; msiexec /i "$NEW" /qn REINSTALL=ALL REINSTALLMODE=amus /l*v "$LOGS/4-repair.log" || rc=$?
check "msiexec exit 0 (was $rc, $((SECONDS - t)) s)" test "$rc" -eq 0
check "the deleted file is back" test -f "$APP/_internal/base_library.zip"
check "every file of the MSI is installed" all_files_installed "$NEW"
check "HubUrl kept = $HUB" test "$(reg_value 'Software\ClerkDesk' HubUrl)" = "$HUB"
check "SiteCode kept = $SITE" test "$(reg_value 'Software\ClerkDesk' SiteCode)" = "$SITE"
check "DeviceCode kept = $DEVICE" test "$(reg_value 'Software\ClerkDesk' DeviceCode)" = "$DEVICE"
check "the data-folder rights step ran again" \
    test "$(grep -ac 'GrantDataFolder. Return value 1' "$LOGS/4-repair.log")" -ge 2
check "the database is untouched" grep -q "stand-in database" "$DATA/clerk_desk.sqlite3"
check "still one product registered, $new_code" test "$(uninstall_key "$new_code")" -ge 1

say "5. silent uninstall"
t=$SECONDS
rc=0; msiexec /x "$NEW" /qn /l*v "$LOGS/5-uninstall.log" || rc=$?
check "msiexec exit 0 (was $rc, $((SECONDS - t)) s)" test "$rc" -eq 0
check "the program folder is gone" test ! -e "$APP/_internal"
check "no program file is left" test -z "$(find "$APP" -type f 2>/dev/null | head -1)"
check "the registry values are gone" test -z "$(reg_value 'Software\ClerkDesk' HubUrl)"
check "the shortcut is gone" test -z "$(shortcut)"
check "the product is unregistered" test "$(uninstall_key "$new_code")" -eq 0
check "the data folder and the database stay" grep -q "stand-in database" "$DATA/clerk_desk.sqlite3"
check "the data folder's logs stay" test -f "$DATA/logs/clerk-desk.log"

say "6. a program folder chosen at install (INSTALLDIR) is kept by an upgrade without it"
OWN="$C/Apps/Clerk Desk"
OWN_WIN='C:\Apps\Clerk Desk\'
rc=0; msiexec /i "$OLD" /qn /l*v "$LOGS/6-installdir.log" "INSTALLDIR=$OWN_WIN" || rc=$?
check "msiexec exit 0 (was $rc)" test "$rc" -eq 0
check "installed under $OWN_WIN" test -d "$OWN/_internal"
rc=0; msiexec /i "$NEW" /qn /l*v "$LOGS/6-upgrade.log" || rc=$?
check "upgrade exit 0 (was $rc)" test "$rc" -eq 0
check "InstallDir still $OWN_WIN" test "$(reg_value 'Software\ClerkDesk' InstallDir)" = "$OWN_WIN"
check "every file of the new MSI there" test -z "$(msiextract -l "$NEW" | sed 's|^Clerk Desk/||' | while IFS= read -r rel; do
    [[ -f "$OWN/$rel" ]] || echo "$rel"; done | head -1)"
check "nothing installed beside it in C:\Program Files\Clerk Desk" \
    test -z "$(find "$APP" -type f 2>/dev/null | head -1)"
rc=0; msiexec /x "$NEW" /qn /l*v "$LOGS/6-uninstall.log" || rc=$?
check "uninstall exit 0 (was $rc); no program file left in either folder" \
    test "$rc" -eq 0 -a -z "$(find "$OWN" "$APP" -type f 2>/dev/null | head -1)"

say "done in $((SECONDS - t0)) s: $failures failed check(s); msiexec logs in $LOGS"
exit $((failures > 0))
