"""The desk's log: ``logs/clerk-desk.log`` in the data folder (docs/installer.md), kept to six files of 2 MB.

Python's rotating handler lives in ``logging.handlers``, which imports ``socket``, ``pickle`` and ``queue``
(~5 ms of the start that nothing else before the first case list needs: docs/performance.md, "Sixth round").
So the GUI start writes to the file through a plain handler, and :func:`rotate_from_now` puts the rotating one
in its place when the work after sign-in begins (or 10 s after the start: app.py). Nothing here ever logs a
secret (tokens go to the keyring only).
"""

from __future__ import annotations

import logging
from pathlib import Path

LOG_NAME = "clerk-desk.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_plain: logging.FileHandler | None = None  # the handler the start writes through, until rotate_from_now


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def open_log(data_dir: Path) -> None:
    """Send the root logger's INFO and above to the data folder's log (to stderr if it cannot be opened)."""
    global _plain
    handler: logging.Handler
    try:
        log_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
        handler = _plain = logging.FileHandler(log_path(data_dir), encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def rotate_from_now() -> None:
    """Put the rotating handler in the start's plain one's place, on the same file. Once; later calls do nothing."""
    global _plain
    plain, _plain = _plain, None
    if plain is None:
        return
    import logging.handlers

    try:
        rotating = logging.handlers.RotatingFileHandler(
            plain.baseFilename, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return  # the folder went away meanwhile: the plain handler goes on as it can
    rotating.setFormatter(plain.formatter)
    root = logging.getLogger()
    # One new list in the old one's place: a record logged meanwhile on another thread goes through one handler
    # or the other (removeHandler would change the list that thread may be walking).
    root.handlers = [rotating if h is plain else h for h in root.handlers]
    plain.close()
