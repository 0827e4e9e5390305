#!/usr/bin/env bash
# Run the README's test command on a fresh Debian 12 that has only python3, python3-venv, python3-pip
# and git (plus what `debootstrap --variant=minbase` always brings): the machine a new developer or IT
# starts from. This is how CI proves that scripts/setup.sh installs everything the app and the tests
# need, which a developer machine (that already has binutils, libpython3.11 ...) cannot prove.
#
#   sudo bash scripts/fresh-debian.sh                        # bash scripts/test.sh -q -p no:cacheprovider
#   sudo bash scripts/fresh-debian.sh -q -k sync             # pytest arguments for scripts/test.sh
#
# Two phases in one chroot:
#   1. with the network: `bash scripts/setup.sh` (Debian packages, .venv), as on a new machine;
#   2. without it: `bash scripts/test.sh ...` in its own network namespace (loopback only) and its own
#      process namespace, so the tests use nothing of the host (not its cupsd or PostgreSQL, not a port
#      taken on the host, not the internet) and everything they start dies with them.
#
# Needs root (debootstrap, chroot, namespaces) and Debian's package mirror. The committed HEAD is
# cloned into the chroot (uncommitted changes are not: a fresh clone is what is being proved). The
# chroot lives under ${FRESH_ROOT:-/var/tmp}/clerk-desk-fresh.XXXX and is removed afterwards
# (FRESH_KEEP=1 keeps it). TLS: the host's extra CA certificates (a proxy or a county mirror that signs
# with its own CA) are copied in, as IT would do on a hall network.
# Exit: the test command's status; 3 when the fresh system cannot be built (no mirror, no debootstrap).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
BASE_PACKAGES=python3,python3-venv,python3-pip,git,ca-certificates
REPO_IN=/root/clerk-desk
export DEBIAN_FRONTEND=noninteractive

say() { printf '[fresh] %s\n' "$*"; }

if [[ "$(id -u)" != 0 ]]; then
    echo "[fresh] ERROR: needs root (debootstrap, chroot and namespaces)" >&2
    exit 2
fi
(($#)) || set -- -q -p no:cacheprovider

if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 update -q </dev/null || exit 3
    apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 install -y -q --no-install-recommends \
        debootstrap </dev/null || exit 3
fi

CHROOT="$(mktemp -d "${FRESH_ROOT:-/var/tmp}/clerk-desk-fresh.XXXX")"
chmod 755 "$CHROOT" # it becomes /: every user (postgres, lp) must be able to walk it
NETNS="clerk-fresh-$$"
MOUNTS=()
mnt() { mount "$@"; MOUNTS+=("${!#}"); }
unmount_all() {
    local i
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -R -l "${MOUNTS[i]}" 2>/dev/null || true
    done
    MOUNTS=()
}
cleanup() {
    local pid
    # anything still running with the chroot as its root (phase 1 leaves nothing; be sure)
    for pid in /proc/[0-9]*; do
        [[ "$(readlink "$pid/root" 2>/dev/null)" == "$CHROOT" ]] && kill -9 "${pid#/proc/}" 2>/dev/null
    done
    unmount_all
    ip netns delete "$NETNS" 2>/dev/null || true
    if [[ "${FRESH_KEEP:-0}" == 1 ]]; then
        say "kept $CHROOT"
    else
        rm -rf --one-file-system "$CHROOT"
    fi
}
trap cleanup EXIT

t0=$SECONDS
say "debootstrap $SUITE (minbase + $BASE_PACKAGES) into $CHROOT"
if ! debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$CHROOT" "$MIRROR" \
    >"$CHROOT.log" 2>&1; then
    tail -30 "$CHROOT.log" >&2
    rm -f "$CHROOT.log"
    echo "[fresh] ERROR: debootstrap failed (log above)" >&2
    exit 3
fi
rm -f "$CHROOT.log"
say "base system ready after $((SECONDS - t0)) s"

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
say "cloning $(git -C "$ROOT" rev-parse --short HEAD) into the chroot"
git clone -q --no-local "$ROOT" "$CHROOT$REPO_IN"

in_chroot() { # in_chroot [launcher...] -- command...: a clean environment, as after a fresh login
    local launcher=()
    while [[ "$1" != -- ]]; do launcher+=("$1"); shift; done
    shift
    "${launcher[@]}" chroot "$CHROOT" /usr/bin/env -i \
        HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb CI="${CI:-true}" PYTHONUNBUFFERED=1 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "$1" fresh "${@:2}" </dev/null
}

# ---- phase 1: set up, with the network ------------------------------------------------------------
mnt -t proc proc "$CHROOT/proc"
mnt -t sysfs sysfs "$CHROOT/sys"
mnt --rbind /dev "$CHROOT/dev"
mount --make-rslave "$CHROOT/dev"
mnt -t tmpfs -o mode=1777 tmpfs "$CHROOT/dev/shm"
mnt -t tmpfs -o mode=1777,size=8g tmpfs "$CHROOT/tmp"
say "phase 1: bash scripts/setup.sh"
if ! in_chroot -- "cd $REPO_IN && bash scripts/setup.sh"; then
    echo "[fresh] ERROR: scripts/setup.sh failed on the fresh system" >&2
    exit 1
fi
umount -l "$CHROOT/proc" # phase 2 mounts its own, for its own process namespace
say "set up after $((SECONDS - t0)) s"

# ---- phase 2: the tests, loopback only, own processes ------------------------------------------------
launcher=(unshare --pid --fork --kill-child --mount --propagation private)
if ip netns add "$NETNS" 2>/dev/null && ip -n "$NETNS" link set lo up; then
    launcher=(ip netns exec "$NETNS" "${launcher[@]}")
else
    say "WARNING: no network namespace here; the tests share the host's network"
fi
say "phase 2: bash scripts/test.sh $*"
set +e
in_chroot "${launcher[@]}" -- \
    "mount -t proc proc /proc && cd $REPO_IN && exec bash scripts/test.sh \"\$@\"" "$@"
rc=$?
set -e
say "finished with exit $rc after $((SECONDS - t0)) s"
exit "$rc"
