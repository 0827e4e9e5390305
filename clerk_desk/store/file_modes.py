"""Owner-only files on POSIX: the data folder 0700, the database, its -wal/-shm, backups and logs 0600.

The process umask (set at start, clerk_desk/__main__.py) makes new files owner-only; :func:`restrict`
also fixes what an older version left world-readable. On Windows the installer sets the folder's ACL
(docs/installer.md) and these calls do nothing. docs/personal-data.md, "Files".
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
_SUBFOLDERS = ("backups", "logs")


def posix() -> bool:
    return os.name == "posix"


def set_umask() -> None:
    if posix():
        os.umask(UMASK)


def _chmod(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except FileNotFoundError:
        pass
    except OSError as exc:  # not ours (another account made it): say so, do not stop the desk
        log.warning("cannot make %s owner-only: %s", path, exc)


def restrict_file(path: Path) -> None:
    if posix():
        _chmod(Path(path), FILE_MODE)


def restrict(data_dir: Path) -> None:
    """The data folder and what is in it (not deeper than backups/ and logs/) made owner-only."""
    if not posix():
        return
    data_dir = Path(data_dir)
    _chmod(data_dir, FOLDER_MODE)
    for entry in list(data_dir.iterdir()):
        if entry.is_dir() and entry.name in _SUBFOLDERS:
            _chmod(entry, FOLDER_MODE)
            for inner in list(entry.iterdir()):
                if inner.is_file():
                    _chmod(inner, FILE_MODE)
        elif entry.is_file():
            _chmod(entry, FILE_MODE)
