"""Hub settings: where the data lives and the limits the API enforces."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import URL

MIB = 1024 * 1024
LIMITS_ENV = "COUNTY_HUB_LIMITS"


def default_data_dir() -> Path:
    """The data folder when none is given: COUNTY_HUB_DATA_DIR, else a per-platform default."""
    env = os.environ.get("COUNTY_HUB_DATA_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "county-hub"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "county-hub"


DB_FILE = "hub.sqlite3"


def sqlite_url(data_dir: Path) -> str:
    # Rendered by SQLAlchemy, which escapes a "?", "#" or "%" in the folder's name (written as they are, the
    # URL's parser cut the file name at the "?")
    return URL.create("sqlite", database=str((data_dir / DB_FILE).resolve())).render_as_string(hide_password=False)


def owner_only(folder: Path) -> None:
    """The data folder 0700 and the database 0600 on POSIX, made before SQLite opens it: the file holds
    every pushed case with its people, the users' verifiers and the token hashes, and SQLite gives its
    -wal and -shm the database's own mode. What an older hub left readable is mended here too. On
    Windows the folder's ACL decides (docs/hub.md, "Run it")."""
    if os.name != "posix":
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    db = folder / DB_FILE
    if not db.exists():
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT, 0o600))
    for f in (db, *folder.glob(DB_FILE + "-*")):
        if f.is_file():
            f.chmod(0o600)


@dataclass(frozen=True)
class Settings:
    db_url: str
    max_body_bytes: int = 8 * MIB  # decompressed request body
    max_compressed_bytes: int = 8 * MIB  # request body as sent (gzip or plain)
    max_batch: int = 500  # events per push
    max_pull_limit: int = 1000  # events per pull page
    default_pull_limit: int = 500
    enrol_code_hours: float = 72.0
    # POST /enrol carries a code, an account name and a little device info.
    max_enrol_body_bytes: int = 16 * 1024
    # POST /enrol, per client address and overall (county_hub.limits): a burst, then so many a minute.
    enrol_per_client_burst: int = 10
    enrol_per_client_per_minute: float = 10.0
    enrol_overall_burst: int = 60
    enrol_overall_per_minute: float = 120.0
    refusal_audits_per_minute: int = 30  # audit rows of refused enrolments; the rest are counted
    # A request body must keep arriving: no byte for body_idle_timeout_s, or not all of it within
    # body_total_timeout_s, and the request gets 408 and its connection is closed (county_hub.gzip_body).
    body_idle_timeout_s: float = 5.0
    body_total_timeout_s: float = 30.0
    # How far a desk's clock may be off: occurred_at may lie this far after the hub's clock, before the
    # device's enrolment, and outside a role's period (county_hub.admission).
    clock_skew_s: float = 600.0
    max_device_seq_jump: int = 100_000  # past the highest device_seq the hub stored from the device
    # One event, as compact JSON with non-ASCII escaped (a Chinese character counts 6): the largest a desk
    # makes is a few KB; the bound keeps a pull page of 1,000 events in the tens of MB (county_hub.admission).
    max_event_bytes: int = 128 * 1024
    # GET /events/wait (county_hub.live): desks held open per worker process, how often a worker reads the
    # log's head for pushes stored by other workers, and the longest a desk may ask to be held.
    max_waiters: int = 800
    max_waits_per_token: int = 2  # a desk holds one; a newer one lets the token's oldest go (county_hub.live)
    live_poll_s: float = 0.2
    max_wait_s: float = 60.0

    @classmethod
    def resolve(
        cls, db_url: str | None = None, data_dir: Path | str | None = None, **limits: Any
    ) -> Settings:
        """--db wins, then COUNTY_HUB_DB, then an SQLite file in the data folder (created if missing)."""
        url = db_url or os.environ.get("COUNTY_HUB_DB")
        if not url:
            folder = Path(data_dir) if data_dir else default_data_dir()
            folder.mkdir(parents=True, exist_ok=True)
            owner_only(folder)
            url = sqlite_url(folder)
        if not limits and os.environ.get(LIMITS_ENV):  # worker processes of `serve --workers N`
            limits = json.loads(os.environ[LIMITS_ENV])
        return cls(db_url=url, **limits)

    def limits_env(self) -> str:
        """The limits that differ from the defaults, for the environment of worker processes."""
        changed = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "db_url"
                   and getattr(self, f.name) != f.default}  # fmt: skip
        return json.dumps(changed)
