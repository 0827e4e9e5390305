"""What the installer wrote for this machine: the county hub address, the site code, this PC's number.

County IT installs the MSI silently with ``HUB_URL``, ``SITE_CODE``, ``DEVICE_CODE`` and ``HUB_CA`` on the
msiexec line (docs/installer.md). The installer writes them as REG_SZ values under
``HKEY_LOCAL_MACHINE\\Software\\ClerkDesk`` (the 64-bit view): ``HubUrl``, ``SiteCode``, ``DeviceCode``,
``HubCaFile``. Elsewhere (development machines, the Linux frozen build) the same names are read from the
``[ClerkDesk]`` section of an INI file: ``$CLERK_DESK_MACHINE_CONFIG``, else ``/etc/clerk-desk/machine.ini``.

The values only pre-fill what a person confirms: the first-start site set-up (centre code, this PC's code)
and the enrolment dialog (hub address, CA file). The database and, after enrolment, the county hub stay the
authority. Reading never fails: a missing key, a missing file or an unreadable value gives empty fields.
A hub address that is not https (sync/hub_address.py) is not offered either: ``hub_url`` stays empty and
``hub_url_problem`` says why, so the enrolment dialog and ``clerk-desk enrol`` can tell IT.
No Qt here, so the CLI and tests use it too.
"""

from __future__ import annotations

import configparser
import logging
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from clerk_desk.domain.errors import InputError
from clerk_desk.sync import hub_address

log = logging.getLogger(__name__)

REGISTRY_KEY = r"Software\ClerkDesk"
INI_SECTION = "ClerkDesk"
DEFAULT_INI = Path("/etc/clerk-desk/machine.ini")
ENV_INI = "CLERK_DESK_MACHINE_CONFIG"
# field -> the registry value / INI key the installer writes (installer/clerk-desk.wxs)
VALUE_NAMES = {
    "hub_url": "HubUrl",
    "site_code": "SiteCode",
    "device_code": "DeviceCode",
    "hub_ca": "HubCaFile",
}


@dataclass(frozen=True)
class MachineConfig:
    hub_url: str = ""
    site_code: str = ""
    device_code: str = ""
    hub_ca: str = ""
    source: str = ""  # where the values came from ("" when nothing was found)
    hub_url_problem: str = ""  # why the installer's hub address is not offered (not https), in Chinese

    def __bool__(self) -> bool:
        return any((self.hub_url, self.site_code, self.device_code, self.hub_ca))


def _clean(field: str, raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    value = raw.strip()
    if any(ord(c) < 32 for c in value):
        return ""
    if field in ("site_code", "device_code"):
        return value.upper()
    if field == "hub_url":
        return value.rstrip("/")
    return value


def _hub_url_problem(url: str) -> str:
    if not url:
        return ""
    try:
        hub_address.normalise(url)
    except InputError as exc:
        log.warning("the installer's hub address %r is not used: %s", url, exc.message_zh)
        return f"安装时写入本机的县级平台地址不能使用：{exc.message_zh}"
    return ""


def from_values(values: dict[str, str], source: str) -> MachineConfig:
    """Build from {registry value name: text}; unknown names are ignored."""
    fields = {f: _clean(f, values.get(name, "")) for f, name in VALUE_NAMES.items()}
    problem = _hub_url_problem(fields["hub_url"])
    if problem:
        fields["hub_url"] = ""
    config = MachineConfig(**fields, hub_url_problem=problem)
    return replace(config, source=source) if config or problem else MachineConfig()


def read_registry(key: str = REGISTRY_KEY) -> dict[str, str]:
    """The REG_SZ values under HKLM\\<key> (64-bit view); {} when the key is absent or not on Windows."""
    if sys.platform != "win32":
        return {}
    import winreg

    found: dict[str, str] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0,
                            winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as handle:
            for name in VALUE_NAMES.values():
                try:
                    value, kind = winreg.QueryValueEx(handle, name)
                except FileNotFoundError:
                    continue
                if kind in (winreg.REG_SZ, winreg.REG_EXPAND_SZ) and isinstance(value, str):
                    found[name] = value
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.warning("cannot read HKLM\\%s: %s", key, exc)
    return found


def read_ini(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep HubUrl's case
    try:
        with open(path, encoding="utf-8") as fh:
            parser.read_file(fh)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        log.warning("cannot read machine configuration %s: %s", path, exc)
        return {}
    return dict(parser[INI_SECTION]) if parser.has_section(INI_SECTION) else {}


def load() -> MachineConfig:
    """The machine's preset: the registry on Windows, else the INI file; empty when there is none."""
    env = os.environ.get(ENV_INI, "").strip()
    if env:
        return from_values(read_ini(Path(env)), env)
    if sys.platform == "win32":
        return from_values(read_registry(), "HKLM\\" + REGISTRY_KEY)
    return from_values(read_ini(DEFAULT_INI), str(DEFAULT_INI))
