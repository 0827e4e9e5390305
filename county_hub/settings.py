"""Hub settings: where the data lives and the limits the API enforces."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024


def default_data_dir() -> Path:
    """The data folder when none is given: COUNTY_HUB_DATA_DIR, else a per-platform default."""
    env = os.environ.get("COUNTY_HUB_DATA_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "county-hub"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "county-hub"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'hub.sqlite3').resolve()}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    max_body_bytes: int = 8 * MIB  # decompressed request body
    max_compressed_bytes: int = 8 * MIB  # request body as sent (gzip or plain)
    max_batch: int = 500  # events per push
    max_pull_limit: int = 1000  # events per pull page
    default_pull_limit: int = 500
    enrol_code_hours: float = 72.0

    @classmethod
    def resolve(
        cls, db_url: str | None = None, data_dir: Path | str | None = None, **limits: int
    ) -> Settings:
        """--db wins, then COUNTY_HUB_DB, then an SQLite file in the data folder (created if missing)."""
        url = db_url or os.environ.get("COUNTY_HUB_DB")
        if not url:
            folder = Path(data_dir) if data_dir else default_data_dir()
            folder.mkdir(parents=True, exist_ok=True)
            url = sqlite_url(folder)
        return cls(db_url=url, **limits)

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")
