"""Write the WiX fragment that lists every file of the frozen folder (wixl has no `heat`).

    python installer/msi_files.py STAGED_DIR OUT.wxs [--wix5]

One component per file, the file its key path, under ``<DirectoryRef Id="INSTALLDIR">``, gathered in
``<ComponentGroup Id="FrozenFiles">``. Ids and component GUIDs are derived from the file's path inside
the install folder (uuid5), so the same path keeps the same component across versions, as WiX's own
``Guid="*"`` would. ``--wix5`` writes the WiX 4/5 namespace (installer/build-msi.ps1 on Windows); the
default is WiX v3 syntax for wixl.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

# Fixed namespace for component GUIDs: changing it would orphan components of installed versions.
COMPONENT_NAMESPACE = uuid.UUID("6c3f0a52-3e55-4c55-9b1e-2f6b8e0c7d10")
WIX3 = "http://schemas.microsoft.com/wix/2006/wi"
WIX4 = "http://wixtoolset.org/schemas/v4/wxs"


def ident(prefix: str, rel: str) -> str:
    """A valid MSI identifier (letters, digits, _ and ., at most 72 characters) for a relative path."""
    return prefix + hashlib.sha1(rel.encode("utf-8")).hexdigest()[:32]


def component_guid(rel: str) -> str:
    return "{" + str(uuid.uuid5(COMPONENT_NAMESPACE, rel.lower())).upper() + "}"


def staged_files(staged: Path) -> list[str]:
    """Relative POSIX paths of every file under ``staged``, sorted."""
    return sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())


def fragment(staged: Path, wix5: bool = False, base: Path | None = None) -> str:
    """The fragment's text. Sources are absolute, or relative to ``base`` (wixl refuses absolute paths and
    looks files up from the folder of the .wxs that names them)."""
    files = staged_files(staged)
    if not files:
        raise SystemExit(f"no files under {staged}")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<Wix xmlns="{WIX4 if wix5 else WIX3}">', "  <Fragment>"]
    win64 = "" if wix5 else ' Win64="yes"'  # WiX 5 takes the bitness from -arch x64

    # Directory tree
    dirs: dict[str, list[str]] = {}
    for rel in files:
        parts = rel.split("/")[:-1]
        for i in range(len(parts)):
            parent, child = "/".join(parts[:i]), "/".join(parts[: i + 1])
            dirs.setdefault(parent, [])
            if child not in dirs[parent]:
                dirs[parent].append(child)
    by_dir: dict[str, list[str]] = {}
    for rel in files:
        by_dir.setdefault(rel.rpartition("/")[0], []).append(rel)

    def emit(d: str, depth: int) -> None:
        pad = "  " * depth
        for rel in by_dir.get(d, []):
            source = quoteattr(os.path.relpath(staged / rel, base) if base else str(staged / rel))
            name = quoteattr(rel.rpartition("/")[2])
            lines.append(f'{pad}<Component Id="{ident("c", rel)}" Guid="{component_guid(rel)}"{win64}>')
            lines.append(f'{pad}  <File Id="{ident("f", rel)}" Name={name} Source={source} KeyPath="yes"/>')
            lines.append(f"{pad}</Component>")
        for sub in sorted(dirs.get(d, [])):
            name = quoteattr(sub.rpartition("/")[2])
            lines.append(f'{pad}<Directory Id="{ident("d", sub)}" Name={name}>')
            emit(sub, depth + 1)
            lines.append(f"{pad}</Directory>")

    lines.append('    <DirectoryRef Id="INSTALLDIR">')
    emit("", 3)
    lines.append("    </DirectoryRef>")
    lines.append('    <ComponentGroup Id="FrozenFiles">')
    lines += [f'      <ComponentRef Id="{ident("c", rel)}"/>' for rel in files]
    lines.append("    </ComponentGroup>")
    lines += ["  </Fragment>", "</Wix>", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("staged", type=Path, help="the frozen folder (dist/clerk-desk)")
    parser.add_argument("out", type=Path, help="the .wxs fragment to write")
    parser.add_argument("--wix5", action="store_true", help="WiX 4/5 namespace instead of WiX v3 (wixl)")
    args = parser.parse_args(argv)
    out_dir = args.out.resolve().parent
    text = fragment(args.staged.resolve(), wix5=args.wix5, base=None if args.wix5 else out_dir)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count('<File ')} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
