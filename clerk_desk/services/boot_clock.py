"""A clock the person at the counter cannot move: seconds since this boot, and which boot it is.

The sign-in lockout counts on it (docs/personal-data.md, "Lockout"): the wall clock can be set by
anyone with the Windows date dialog, the time since boot cannot. Suspended time counts (Linux
CLOCK_BOOTTIME; Windows GetTickCount64, which time.monotonic reads). After a reboot the reading
starts again from zero, so it is stamped with the boot's id: a reading from another boot is never
compared with this one.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

_LINUX_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
_WINDOWS_BOOT_KEY = r"SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management\PrefetchParameters"


@dataclass(frozen=True)
class BootReading:
    """The time since this PC booted, and which boot it is (the lockout is counted on it)."""

    boot_id: str
    seconds: float  # since this boot, suspend included


def _boot_id() -> str:
    if sys.platform.startswith("linux"):
        try:
            return _LINUX_BOOT_ID.read_text().strip()
        except OSError:
            pass
    elif sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, _WINDOWS_BOOT_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, "BootId")  # counts up by one at every boot
                return f"win-boot-{value}"
        except OSError:
            pass
    # No boot id: the wall time of the boot, to the minute. A moved clock then looks like a new boot,
    # which restarts a lockout (never shortens it).
    return f"boot-at-{int((time.time() - time.monotonic()) // 60)}"


def read() -> BootReading:
    seconds = time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic()
    return BootReading(_boot_id(), seconds)
