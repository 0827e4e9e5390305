"""The MSI county IT installs (installer/clerk-desk.wxs, built by installer/build-msi.sh with wixl).

Built from the frozen folder (tests/installer/frozen_build.py; a small stand-in folder when PyInstaller
is missing outside CI) and read back with msiinfo / msiextract: product and upgrade codes, the major
upgrade rows, the properties county IT passes and how they reach the registry, the shortcut, the data
folder and its rights step, and every staged file in the File table and the cabinet. The WiX 5 source
for the production build is checked to describe the same product. installer/check-with-wine.sh then
installs, upgrades and uninstalls it silently under wine (docs/installer.md). Without wixl, msitools or
wine the tests skip with the reason, except under CI, where scripts/setup.sh installs them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.installer.frozen_build import FIGURES, frozen_app, have_pyinstaller

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("msi_files", ROOT / "installer" / "msi_files.py")
assert _spec and _spec.loader
msi_files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(msi_files)

UPGRADE_CODE = "{15D767DE-6494-4D35-86E3-27051022B654}"
PROPERTIES = {"HubUrl": "HUB_URL", "SiteCode": "SITE_CODE", "DeviceCode": "DEVICE_CODE", "HubCaFile": "HUB_CA"}
GUID = re.compile(r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")
HKLM = "2"


def _need(tool: str, package: str = "wixl msitools") -> None:
    if shutil.which(tool) is None:
        reason = f"{tool} not found (apt-get install {package}; scripts/setup.sh does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def version() -> str:
    from clerk_desk import __version__

    return __version__


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the MSI carries: the real frozen build, or a stand-in without PyInstaller (not in CI)."""
    if have_pyinstaller() or os.environ.get("CI"):
        return frozen_app().folder
    print("PyInstaller missing: the MSI is built from a stand-in folder")
    folder = tmp_path_factory.mktemp("stand-in") / "clerk-desk"
    for rel in ("clerk-desk.exe", "clerk-desk-cli.exe", "_internal/base_library.zip",
                "_internal/resources/translations/clerk_desk_zh_CN.qm", "_internal/migrations/env.py"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(rel.encode() * 10)
    return folder


def build_msi(staged: Path, out: Path, ver: str) -> float:
    _need("wixl")
    _need("msiinfo")
    started = time.perf_counter()
    r = subprocess.run(["bash", str(ROOT / "installer" / "build-msi.sh"), "--frozen", str(staged),
                        "--version", ver, "--out", str(out)], capture_output=True, text=True, timeout=1200,
                       env={**os.environ, "PYTHON": sys.executable})
    assert r.returncode == 0, r.stdout + r.stderr
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def msi(staged: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("msi") / f"clerk-desk-{version()}-x64.msi"
    seconds = build_msi(staged, out, version())
    FIGURES["MSI (wixl)"] = f"{out.stat().st_size / 1e6:.0f} MB, built in {seconds:.0f} s"
    return out


def table(msi: Path, name: str) -> list[list[str]]:
    r = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True)
    return [line.split("\t") for line in r.stdout.splitlines()[3:]]


def props(msi: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in table(msi, "Property")}


def sequence(msi: Path, name: str = "InstallExecuteSequence") -> dict[str, tuple[str, int]]:
    return {row[0]: (row[1], int(row[2])) for row in table(msi, name)}


# -- the product ------------------------------------------------------------------------------------
def test_product_codes_version_and_per_machine_x64(msi: Path) -> None:
    p = props(msi)
    assert p["UpgradeCode"] == UPGRADE_CODE
    assert GUID.match(p["ProductCode"]) and p["ProductCode"] != UPGRADE_CODE
    assert p["ProductVersion"] == version()
    assert p["ProductName"] == "Clerk Desk"
    assert p["ALLUSERS"] == "1"
    info = subprocess.run(["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Template: x64;", info, re.M), info


def test_major_upgrade_removes_any_older_or_same_version_and_refuses_a_downgrade(msi: Path) -> None:
    rows = {row[-1]: row for row in table(msi, "Upgrade")}
    code, vmin, vmax, _lang, attrs, _remove, _prop = rows["WIX_UPGRADE_DETECTED"]
    assert (code, vmin, vmax) == (UPGRADE_CODE, "0.0.0", version())
    assert int(attrs) & 256 and int(attrs) & 512 and not int(attrs) & 2  # both ends inclusive, not detect-only
    code, vmin, vmax, _lang, attrs, _remove, _prop = rows["WIX_DOWNGRADE_DETECTED"]
    assert (code, vmin, vmax) == (UPGRADE_CODE, version(), "") and int(attrs) & 2  # detect only
    assert ["NOT WIX_DOWNGRADE_DETECTED", "A newer version of Clerk Desk is already installed."] in \
        table(msi, "LaunchCondition")
    seq = sequence(msi)
    assert seq["FindRelatedProducts"][1] < seq["AppSearch"][1]
    assert seq["LaunchConditions"][1] < seq["CostFinalize"][1]  # before DATADIR gets its default value
    assert seq["InstallValidate"][1] < seq["RemoveExistingProducts"][1] < seq["InstallInitialize"][1]
    secure = props(msi)["SecureCustomProperties"].split(";")
    assert {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED", *PROPERTIES.values()} <= set(secure)


def test_properties_reach_the_registry_and_survive_an_upgrade_without_them(msi: Path) -> None:
    components = {row[0]: row for row in table(msi, "Component")}
    registry = {(row[1], row[2], row[3]): (row[4], row[5]) for row in table(msi, "Registry")}
    for name, prop in PROPERTIES.items():
        value, component = registry[(HKLM, r"Software\ClerkDesk", name)]
        assert value == f"[{prop}]"
        assert int(components[component][3]) & 256, "64-bit component: the 64-bit registry view"
    assert registry[(HKLM, r"Software\ClerkDesk", "InstallDir")][0] == "[INSTALLDIR]"
    # remembered: AppSearch reads the old values (64-bit, raw) and Keep* copies them when not given
    locators = {row[0]: row for row in table(msi, "RegLocator")}
    searches = dict(table(msi, "AppSearch"))
    actions = {row[0]: row for row in table(msi, "CustomAction")}
    seq = sequence(msi)
    for name, prop in PROPERTIES.items():
        old = f"OLD_{prop}"
        _sig, root, key, value_name, kind = locators[searches[old]]
        assert (root, key, value_name, int(kind)) == (HKLM, r"Software\ClerkDesk", name, 2 | 16)
        keep = next(a for a in actions.values() if a[2] == prop)
        assert int(keep[1]) & 0x3F == 51 and keep[3] == f"[{old}]"
        condition, at = seq[keep[0]]
        assert condition == f"{old} AND NOT {prop}"
        assert seq["AppSearch"][1] < at < seq["CostFinalize"][1]
    # the program folder given at the first install is the folder of every upgrade (CostFinalize resolves it)
    _sig, root, key, value_name, kind = locators[searches["OLD_INSTALLDIR"]]
    assert (root, key, value_name, int(kind)) == (HKLM, r"Software\ClerkDesk", "InstallDir", 2 | 16)
    keep = next(a for a in actions.values() if a[2] == "INSTALLDIR")
    assert int(keep[1]) & 0x3F == 51 and keep[3] == "[OLD_INSTALLDIR]"
    condition, at = seq[keep[0]]
    assert condition == "OLD_INSTALLDIR AND NOT INSTALLDIR"
    assert seq["AppSearch"][1] < at < seq["CostFinalize"][1]
    # an MSI opened by a double click (or Apps & features' repair) runs the UI sequence first, whose CostFinalize
    # gives INSTALLDIR its default: the execute sequence's Keep then found it set, and the upgrade went to
    # C:\Program Files beside the old folder. The UI sequence keeps it too, before its CostFinalize.
    ui = sequence(msi, "InstallUISequence")
    condition, at = ui[keep[0]]
    assert condition == "OLD_INSTALLDIR AND NOT INSTALLDIR"
    assert ui["AppSearch"][1] < at < ui["CostFinalize"][1]


def test_the_data_folder_refusal_lets_an_install_with_its_ui_through(msi: Path) -> None:
    """A double-clicked MSI (full or reduced UI) runs the UI sequence, whose CostFinalize sets DATADIR to
    C:\\ProgramData\\ClerkDesk\\, and the execute sequence's launch conditions see it: ``NOT DATADIR`` refused every
    such install (wine 8 with /qr stopped at the execute sequence's LaunchConditions). The condition refuses a
    DATADIR other than the folder the desk opens, computed before LaunchConditions in both sequences."""
    (refusal,) = [row for row in table(msi, "LaunchCondition") if "DATADIR" in row[0]]
    assert refusal[0] == "NOT DATADIR OR DATADIR ~= DATADIR_DEFAULT"
    actions = {row[0]: row for row in table(msi, "CustomAction")}
    (default,) = [a for a in actions.values() if a[2] == "DATADIR_DEFAULT"]
    assert int(default[1]) & 0x3F == 51 and default[3] == "[CommonAppDataFolder]ClerkDesk\\"
    for name in ("InstallUISequence", "InstallExecuteSequence"):
        seq = sequence(msi, name)
        condition, at = seq[default[0]]
        assert condition == "" and at < seq["LaunchConditions"][1], name


def test_start_menu_shortcut_starts_the_gui(msi: Path) -> None:
    (shortcut,) = table(msi, "Shortcut")
    assert shortcut[1] == "ProgramMenuFolder"
    assert shortcut[2].split("|")[-1] == "Clerk Desk"
    assert shortcut[4] == "[INSTALLDIR]clerk-desk.exe"
    assert shortcut[11] == "INSTALLDIR"  # working folder


def test_install_and_data_folders_and_the_data_folder_rights(msi: Path) -> None:
    dirs = {row[0]: (row[1], row[2].split("|")[-1]) for row in table(msi, "Directory")}
    assert dirs["INSTALLDIR"] == ("ProgramFiles64Folder", "Clerk Desk")
    assert dirs["DATADIR"] == ("CommonAppDataFolder", "ClerkDesk")  # clerk_desk.paths.default_data_dir()
    # the desk opens no other folder: a DATADIR on the msiexec line is refused, not installed and ignored
    (refusal,) = [row for row in table(msi, "LaunchCondition") if row[0].startswith("NOT DATADIR")]
    assert "cannot be chosen" in refusal[1] and "C:\\ProgramData\\ClerkDesk" in refusal[1]
    assert ["DATADIR", "DataFolder"] in table(msi, "CreateFolder")
    actions = {row[0]: row for row in table(msi, "CustomAction")}
    grant = actions["GrantDataFolder"]
    kind = int(grant[1])
    assert kind & 0x3F == 50 and kind & 0x400 and kind & 0x800, "deferred, elevated (no impersonation) exe"
    assert grant[2] == "ICACLS_EXE" and actions["SetIcaclsPath"][3] == "[System64Folder]icacls.exe"
    assert grant[3] == '"[CommonAppDataFolder]ClerkDesk" /grant *S-1-5-32-545:(OI)(CI)M /Q'
    seq = sequence(msi)
    assert seq["CreateFolders"][1] < seq["GrantDataFolder"][1] < seq["InstallFinalize"][1]
    assert seq["GrantDataFolder"][0] == 'NOT REMOVE~="ALL"'


def installed_paths(msi: Path) -> dict[str, int]:
    """Path under INSTALLDIR -> size, from the File, Component and Directory tables."""
    dirs = {row[0]: (row[1], row[2].split("|")[-1]) for row in table(msi, "Directory")}
    components = {row[0]: row[2] for row in table(msi, "Component")}

    def path_of(d: str) -> str:
        parts = []
        while d != "INSTALLDIR":
            parent, name = dirs[d]
            parts.append(name)
            d = parent
        return "/".join(reversed(parts))

    out = {}
    for row in table(msi, "File"):
        folder = path_of(components[row[1]])
        out[f"{folder}/{row[2].split('|')[-1]}".lstrip("/")] = int(row[3])
    return out


def test_every_staged_file_is_in_the_file_table_and_the_cabinet(msi: Path, staged: Path, tmp_path: Path) -> None:
    expected = {rel: (staged / rel).stat().st_size for rel in msi_files.staged_files(staged)}
    assert installed_paths(msi) == expected
    _need("msiextract")
    subprocess.run(["msiextract", "-C", str(tmp_path), str(msi)], check=True, capture_output=True, timeout=600)
    root = tmp_path / "Clerk Desk"
    extracted = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert extracted == set(expected)
    for rel in expected:
        a, b = (hashlib.sha256((base / rel).read_bytes()).digest() for base in (staged, root))
        assert a == b, rel


def test_file_list_ids_and_guids_are_valid_and_stable(staged: Path) -> None:
    root = ET.fromstring(msi_files.fragment(staged, base=staged.parent))
    for tag in ("Component", "File", "Directory"):
        ids = [el.get("Id") or "" for el in root.iter(f"{{{msi_files.WIX3}}}{tag}")]
        assert len(ids) == len(set(ids)), tag
        assert all(len(i) <= 72 and re.match(r"^[A-Za-z_][A-Za-z0-9_.]*$", i) for i in ids), tag
    guids = [el.get("Guid") or "" for el in root.iter(f"{{{msi_files.WIX3}}}Component")]
    assert all(GUID.match(g) for g in guids) and len(guids) == len(set(guids))
    # the same path keeps its component across versions (Windows paths ignore case)
    assert msi_files.component_guid("_internal/base_library.zip") == msi_files.component_guid("_internal/BASE_library.zip")


# -- the WiX 5 source for the production build describes the same product ---------------------------
def _wix(path: str) -> ET.Element:
    root = ET.parse(ROOT / path).getroot()
    for el in root.iter():  # drop namespaces: WiX v3 and v4 use different ones
        el.tag = el.tag.split("}", 1)[-1]
    return root


def _summary(root: ET.Element) -> dict[str, object]:
    product = root.find("Product") if root.find("Product") is not None else root.find("Package")
    assert product is not None
    return {
        "upgrade_code": product.get("UpgradeCode"),
        "name": product.get("Name"),
        "manufacturer": product.get("Manufacturer"),
        "components": sorted((c.get("Id"), c.get("Guid")) for c in root.iter("Component")),
        "registry": sorted((v.get("Root"), v.get("Key"), v.get("Name"), v.get("Value"))
                           for v in root.iter("RegistryValue")),
        "searches": sorted((p.get("Id"), s.get("Key"), s.get("Name"), s.get("Type"))
                           for p in root.iter("Property") for s in p.iter("RegistrySearch")),
        "shortcut": sorted((s.get("Name"), s.get("Directory"), s.get("Target"), s.get("WorkingDirectory"))
                           for s in root.iter("Shortcut")),
        "directories": sorted((d.get("Id"), d.get("Name")) for d in root.iter("Directory")
                              if d.get("Id") in ("INSTALLDIR", "DATADIR")),
        "features": sorted(r.get("Id") for f in root.iter("Feature") for r in f),
    }


def test_wix5_source_describes_the_same_product() -> None:
    v3, v5 = _wix("installer/clerk-desk.wxs"), _wix("installer/clerk-desk.wix5.wxs")
    assert _summary(v3) == _summary(v5)
    assert _summary(v5)["upgrade_code"] == UPGRADE_CODE
    # what only WiX 5 does (docs/installer.md)
    secure = {p.get("Id") for p in v5.iter("Property") if p.get("Secure") == "yes"}
    assert secure == set(PROPERTIES.values())
    keeps = {(s.get("Id"), s.get("Value"), s.get("Condition")) for s in v5.iter("SetProperty")
             if s.get("Id") != "DATADIR_DEFAULT"}
    assert keeps == {(p, f"[OLD_{p}]", f"OLD_{p} AND NOT {p}") for p in (*PROPERTIES.values(), "INSTALLDIR")}
    launch = {(c.get("Condition"), c.get("Message")) for c in v5.iter("Launch")}
    assert launch == {(c.text, c.get("Message")) for c in v3.iter("Condition") if "DATADIR" in (c.text or "")}
    assert len(launch) == 1
    default = {(s.get("Id"), s.get("Value"), s.get("Before"), s.get("Sequence")) for s in v5.iter("SetProperty")
               if s.get("Id") == "DATADIR_DEFAULT"}
    assert default == {("DATADIR_DEFAULT", "[CommonAppDataFolder]ClerkDesk\\", "LaunchConditions", "both")}
    (major,) = v5.iter("MajorUpgrade")
    assert major.get("AllowSameVersionUpgrades") == "yes"
    data = next(c for c in v5.iter("Component") if c.get("Id") == "DataFolder")
    assert data.get("Permanent") == "yes"
    (perm,) = data.iter("PermissionEx")
    assert perm.get("User") == "[WIX_ACCOUNT_USERS]" and perm.get("GenericWrite") == "yes"


# -- install, upgrade, uninstall under wine (when installed) -------------------------------------------
@pytest.mark.slow
def test_silent_install_upgrade_and_uninstall_under_wine(msi: Path, staged: Path, tmp_path: Path) -> None:
    _need("wine", "wine wine64")
    major, minor, patch = (int(x) for x in version().split("."))
    newer = tmp_path / f"clerk-desk-{major}.{minor}.{patch + 1}-x64.msi"
    build_msi(staged, newer, f"{major}.{minor}.{patch + 1}")
    started = time.perf_counter()
    r = subprocess.run(["bash", str(ROOT / "installer" / "check-with-wine.sh"), str(msi), str(newer)],
                       capture_output=True, text=True, timeout=1800,
                       env={**os.environ, "WINEPREFIX": str(tmp_path / "wineprefix")})
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-6000:]
    FIGURES["wine install/upgrade/uninstall check"] = f"{time.perf_counter() - started:.0f} s"
