"""Where the app finds its shipped files (resources/, migrations/) and keeps its data.

resources/ and migrations/ sit at the repository top level; in a wheel they are mapped into
``clerk_desk._resources`` / ``clerk_desk._migrations`` and in the frozen app they sit beside the
executable (PyInstaller's ``sys._MEIPASS``).  One function each hides the difference.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent


def _shipped(top: str, mapped: str) -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / top] if frozen else []
    candidates += [_REPO / top, _PKG / mapped]
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(f"shipped folder {top!r} not found (looked in {', '.join(map(str, candidates))})")


def resources_dir() -> Path:
    return _shipped("resources", "_resources")


def migrations_dir() -> Path:
    return _shipped("migrations", "_migrations")


def default_data_dir() -> Path:
    """Per machine, not per OS user (docs/architecture.md §5): ProgramData on Windows."""
    env = os.environ.get("CLERK_DESK_DATA")
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "ClerkDesk"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "clerk-desk"


def data_dir_for(data_dir: Path | None, demo: bool) -> Path:
    """The data folder a start opens: ``--data-dir`` as given, else the default (its demo/ for ``--demo``)."""
    if data_dir is not None:
        return Path(data_dir)
    base = default_data_dir()
    return base / "demo" if demo else base
