"""The case database file and plain DB-API connections to it (no SQLAlchemy here).

The start-up path (sign-in, the window list, the first page of the case list) runs on these, so the
desk shows its case list before SQLAlchemy is loaded: importing it costs about 0.35 s, a third of the
1 s cold-start budget. Everything else goes through the ORM (store/engine.py). Both see the same file
with the same pragmas, and values are stored the way SQLAlchemy stores them, so either side can read
what the other wrote.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 5000
DB_FILENAME = "clerk_desk.sqlite3"


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def apply_pragmas(conn: sqlite3.Connection, *, foreign_keys: bool = True) -> None:
    """WAL so readers never block the writer; synchronous=FULL so a commit survives a power cut."""
    # The caller, not the driver, decides when transactions begin (so writers can say IMMEDIATE).
    conn.isolation_level = None
    cur = conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    # What is deleted (a purge, a replaced sealed value) is overwritten, not left in free pages.
    cur.execute("PRAGMA secure_delete = ON")
    cur.close()


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection for the plain-SQL path; usable from the thread that asks for it (see Database)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # columns by name as well as by position
    apply_pragmas(conn)
    return conn


# SQLAlchemy keeps DateTime on SQLite as text in this exact form (naive, UTC for our UtcDateTime
# columns); keyset comparisons are string comparisons, so parameters must use the same form.
_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def to_db(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).strftime(_DATETIME_FORMAT)


def from_db(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def date_from_db(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def json_from_db(value: str | None, default: Any) -> Any:
    return default if value is None else json.loads(value)


def json_to_db(value: Any) -> str:
    # The same text SQLAlchemy's JSON type writes (json.dumps with its defaults).
    return json.dumps(value)
