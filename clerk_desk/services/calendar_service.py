"""The working-day calendar the desk uses: a published file in the data folder over the shipped one.

The hub publishes next year's holidays each winter; the desk saves the file as data/calendar.json
(sync/follow.py). Its years replace the shipped file's, the years it does not list keep the shipped
file's (a county may publish only the new year). Parsing happens once per file change, not per intake.
docs/calendar-format.md.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from clerk_desk import paths
from clerk_desk.domain.calendar_file import CalendarData, CalendarFormatError, parse_calendar
from clerk_desk.domain.workdays import WorkCalendar

DATA_FILE = "calendar.json"


def shipped_calendar_file() -> Path:
    return paths.resources_dir() / "calendar" / "calendar.json"


@lru_cache(maxsize=8)
def _parse(path: str, mtime_ns: int) -> CalendarData:
    return parse_calendar(json.loads(Path(path).read_text(encoding="utf-8")))


def _key(path: Path) -> tuple[str, int] | None:
    try:
        return (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def _read_key(key: tuple[str, int] | None) -> CalendarData | None:
    if key is None:
        return None
    try:
        return _parse(*key)
    except (OSError, ValueError, CalendarFormatError):
        return None  # a damaged or missing file must not stop intake; the next source is used


def _read(path: Path) -> CalendarData | None:
    return _read_key(_key(path))


@lru_cache(maxsize=8)
def _calendar(data_key: tuple[str, int] | None, shipped_key: tuple[str, int] | None) -> WorkCalendar:
    data, shipped = _read_key(data_key), _read_key(shipped_key)
    if data is None:
        return WorkCalendar(shipped)
    if shipped is None:
        return WorkCalendar(data)
    return WorkCalendar(replace(data, years={**shipped.years, **data.years}))


def work_calendar(data_dir: Path | None) -> WorkCalendar:
    """The newest usable calendar: the data folder's file, with the shipped file's other years, then the
    chinesecalendar library, then weekends only (domain/workdays.py)."""
    data_key = _key(Path(data_dir) / DATA_FILE) if data_dir else None
    return _calendar(data_key, _key(shipped_calendar_file()))


@dataclass(frozen=True)
class CalendarInfo:
    """Which holiday calendar this desk counts with: its version, where it came from, its years."""

    version: str | None  # the file's version; None: no file (the library alone)
    source: str  # data (this desk's data folder: from the hub or placed by hand) | shipped | none
    years: tuple[int, ...]  # the years the files list (other years: the library, else weekends only)
    arrived_at: float | None  # the data file's time (seconds since the epoch), None for the shipped one


def calendar_info(data_dir: Path | None) -> CalendarInfo:
    path = Path(data_dir) / DATA_FILE if data_dir else None
    data = _read(path) if path is not None else None
    shipped = _read(shipped_calendar_file())
    years = tuple(sorted({*(data.years if data else ()), *(shipped.years if shipped else ())}))
    if data is not None and path is not None:
        return CalendarInfo(data.version, "data", years, path.stat().st_mtime)
    if shipped is not None:
        return CalendarInfo(shipped.version, "shipped", years, None)
    return CalendarInfo(None, "none", (), None)


def year_versions(data_dir: Path | None) -> dict[int, str]:
    """Each year the calendar files give, with the version of the file that gives it (the data folder's
    over the shipped one, as :func:`work_calendar` reads them); years from the library alone are not listed."""
    data = _read(Path(data_dir) / DATA_FILE) if data_dir else None
    shipped = _read(shipped_calendar_file())
    out = {int(y): shipped.version for y in shipped.years} if shipped else {}
    out.update({int(y): data.version for y in data.years} if data else {})
    return out


def knows_year(data_dir: Path | None, year: int) -> bool:
    """Whether this desk has a published arrangement for ``year`` (file or library), not weekends only."""
    return work_calendar(data_dir).known(year)


def missing_years(data_dir: Path | None, today: date) -> tuple[int, ...]:
    """The years the desk should have and has not: this year, and from 1 December next year."""
    wanted = [today.year] + ([today.year + 1] if today.month == 12 else [])
    return tuple(y for y in wanted if not knows_year(data_dir, y))


def save_calendar(data_dir: Path, content: bytes) -> CalendarData:
    """Check the file and put it in the data folder (written beside, then renamed: never half a file).
    Raises CalendarFormatError (Chinese problems) or ValueError (not JSON) and leaves the old file."""
    cal = parse_calendar(json.loads(content.decode("utf-8-sig")))
    target = Path(data_dir) / DATA_FILE
    part = target.with_suffix(".part")
    part.write_bytes(content)
    os.replace(part, target)
    return cal
