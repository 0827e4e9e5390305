"""The working-day calendar the desk uses: a published file in the data folder beats the shipped one.

The hub publishes next year's holidays each winter; the desk saves the file as data/calendar.json.
Parsing happens once per file change, not per intake.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from clerk_desk import paths
from clerk_desk.domain.calendar_file import CalendarFormatError, parse_calendar
from clerk_desk.domain.workdays import WorkCalendar

DATA_FILE = "calendar.json"


def shipped_calendar_file() -> Path:
    return paths.resources_dir() / "calendar" / "calendar.json"


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> WorkCalendar:
    return WorkCalendar(parse_calendar(json.loads(Path(path).read_text(encoding="utf-8"))))


def work_calendar(data_dir: Path | None) -> WorkCalendar:
    """The newest usable calendar: data folder first, then the shipped file, then the library alone."""
    candidates = ([Path(data_dir) / DATA_FILE] if data_dir else []) + [shipped_calendar_file()]
    for c in candidates:
        if c.exists():
            try:
                return _load(str(c), c.stat().st_mtime_ns)
            except (OSError, ValueError, CalendarFormatError):
                continue  # a damaged download must not stop intake; fall back to the next source
    return WorkCalendar()
