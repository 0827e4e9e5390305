"""Finish a wixl-built MSI where wixl ignores the source (installer/build-msi.sh runs it after wixl).

    python installer/msi_fixup.py PACKAGE.msi

1. Upgrade table: wixl drops ``IncludeMaximum="yes"`` and ``MigrateFeatures``; the row that finds the
   versions to remove gets attributes 769 (MigrateFeatures 1 + VersionMinInclusive 256 +
   VersionMaxInclusive 512), so a rebuilt MSI of the same version replaces the installed one. WiX 5 writes
   the same with ``<MajorUpgrade AllowSameVersionUpgrades="yes"/>``.
2. SecureCustomProperties: wixl ignores ``Property/@Secure`` and writes only its own upgrade properties;
   HUB_URL, SITE_CODE, DEVICE_CODE and HUB_CA are added so msiexec hands them to the elevated install
   even when a non-administrator starts it (an administrator's install passes them anyway).

Tables are exported with ``msiinfo export``, edited as text and imported back with ``msibuild -i``
(libmsi cannot UPDATE a primary-key column such as Upgrade.Attributes).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

SECURE = ("HUB_URL", "SITE_CODE", "DEVICE_CODE", "HUB_CA")
UPGRADE_PROPERTY = "WIX_UPGRADE_DETECTED"
UPGRADE_ATTRIBUTES = 1 + 256 + 512


def export(msi: Path, table: str) -> list[str]:
    out = subprocess.run(["msiinfo", "export", str(msi), table], check=True, capture_output=True, text=True)
    return out.stdout.splitlines()


def fix_upgrade(lines: list[str]) -> list[str]:
    head, rows = lines[:3], lines[3:]
    fixed = []
    for row in rows:
        cols = row.split("\t")
        if cols[-1] == UPGRADE_PROPERTY:
            cols[4] = str(UPGRADE_ATTRIBUTES)
        fixed.append("\t".join(cols))
    if not any(r.split("\t")[-1] == UPGRADE_PROPERTY for r in rows):
        raise SystemExit(f"no Upgrade row for {UPGRADE_PROPERTY}")
    return head + fixed


def fix_property(lines: list[str]) -> list[str]:
    head, rows = lines[:3], lines[3:]
    fixed, seen = [], False
    for row in rows:
        name, _, value = row.partition("\t")
        if name == "SecureCustomProperties":
            seen = True
            names = [n for n in value.split(";") if n]
            value = ";".join([*SECURE, *(n for n in names if n not in SECURE)])
        fixed.append(f"{name}\t{value}")
    if not seen:
        fixed.append("SecureCustomProperties\t" + ";".join(SECURE))
    return head + fixed


def fixup(msi: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        idts = []
        for table, fix in (("Upgrade", fix_upgrade), ("Property", fix_property)):
            idt = Path(tmp) / f"{table}.idt"
            idt.write_text("\n".join(fix(export(msi, table))) + "\n", encoding="utf-8")
            idts += ["-i", str(idt)]
        subprocess.run(["msibuild", str(msi), *idts], check=True, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    fixup(Path(args[0]))
    print(f"{args[0]}: Upgrade attributes {UPGRADE_ATTRIBUTES}, secure properties {', '.join(SECURE)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
