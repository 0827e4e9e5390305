#!/usr/bin/env bash
# Run a command from the README on a fresh Debian 12 that has only python3, python3-venv, python3-pip and
# git (plus what `debootstrap --variant=minbase` always brings): the machine a new developer or IT
# starts from. This is how CI proves that scripts/setup.sh installs everything the app and the tests
# need, which a developer machine (that already has binutils, libpython3.11 ...) cannot prove.
#
#   sudo bash scripts/fresh-debian.sh                      # the README's test command: bash scripts/test.sh
#   sudo bash scripts/fresh-debian.sh bash scripts/test.sh -q -k sync
#
# Needs root (debootstrap, chroot, mounts) and Debian's package mirror. The repository's committed
# HEAD is cloned into the chroot (uncommitted changes are not: a fresh clone is what is being proved).
# The chroot lives under ${FRESH_ROOT:-/var/tmp}/clerk-desk-fresh.XXXX and is removed afterwards
# (FRESH_KEEP=1 keeps it for a look). TLS: the host's extra CA certificates (a proxy or a county
# mirror that signs with its own CA) are copied in, as IT would do on a hall network.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
BASE_PACKAGES=python3,python3-venv,python3-pip,git,ca-certificates
export DEBIAN_FRONTEND=noninteractive

say() { printf '[fresh] %s\n' "$*"; }

if [[ "$(id -u)" != 0 ]]; then
    echo "[fresh] ERROR: needs root (debootstrap, chroot and mounts)" >&2
    exit 2
fi
(($#)) || set -- bash scripts/test.sh -q -p no:cacheprovider

if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 update -q </dev/null
    apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 install -y -q --no-install-recommends debootstrap </dev/null
fi

CHROOT="$(mktemp -d "${FRESH_ROOT:-/var/tmp}/clerk-desk-fresh.XXXX")"
chmod 755 "$CHROOT"  # it becomes /: every user (postgres, lp) must be able to walk it
MOUNTS=()
cleanup() {
    local i pid
    # stop what the tests left running inside (cupsd, a PostgreSQL a killed test did not stop): the
    # processes whose root directory is the chroot (never `fuser -m`: the chroot shares the host's disk)
    for pid in /proc/[0-9]*; do
        [[ "$(readlink "$pid/root" 2>/dev/null)" == "$CHROOT" ]] && kill -9 "${pid#/proc/}" 2>/dev/null
    done
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -R -l "${MOUNTS[i]}" 2>/dev/null || true
    done
    if [[ "${FRESH_KEEP:-0}" == 1 ]]; then
        say "kept $CHROOT"
    else
        rm -rf --one-file-system "$CHROOT"
    fi
}
trap cleanup EXIT

t0=$SECONDS
say "debootstrap $SUITE (minbase + $BASE_PACKAGES) into $CHROOT"
debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$CHROOT" "$MIRROR" >"$CHROOT.debootstrap.log" 2>&1 || {
    tail -30 "$CHROOT.debootstrap.log" >&2
    echo "[fresh] ERROR: debootstrap failed (log above)" >&2
    exit 3
}
rm -f "$CHROOT.debootstrap.log"
say "base system ready in $((SECONDS - t0)) s"

# The same mirror list the host uses (security updates included), name resolution, extra CAs.
cat >"$CHROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
    chroot "$CHROOT" update-ca-certificates >/dev/null
fi

mnt() { mount "$@"; MOUNTS+=("${!#}"); }
mnt -t proc proc "$CHROOT/proc"
mnt -t sysfs sysfs "$CHROOT/sys"
mnt --rbind /dev "$CHROOT/dev"
mount --make-rslave "$CHROOT/dev"
mnt -t tmpfs -o mode=1777 tmpfs "$CHROOT/dev/shm"
mnt -t tmpfs -o mode=1777,size=8g tmpfs "$CHROOT/tmp"

say "cloning $(git -C "$ROOT" rev-parse --short HEAD) into the chroot"
git clone -q --no-local "$ROOT" "$CHROOT/root/clerk-desk"

say "running in the fresh system: $*"
set +e
chroot "$CHROOT" /usr/bin/env -i \
    HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb CI="${CI:-true}" PYTHONUNBUFFERED=1 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c 'cd /root/clerk-desk && exec "$@"' fresh "$@" </dev/null
rc=$?
set -e
say "finished with exit $rc after $((SECONDS - t0)) s"
exit "$rc"
