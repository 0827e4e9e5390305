"""Working-day deadlines on the Chinese calendar (法定节假日 and 调休上班日).

Rules (docs/architecture.md §3), chosen so the printed due date can be explained to an applicant:

* Counting starts the day after acceptance; the acceptance day itself never counts, whatever the hour.
* Each working day consumed counts one. Make-up workdays (调休 Saturdays/Sundays) are working days;
  holidays, and weekends that are not make-up days, are skipped.
* The deadline is the **end of the last counted local day**, 23:59:59 Asia/Shanghai, returned in UTC.
  The hall closes earlier, but the law says "within N working days", which includes that whole day.
* n = 0 is due at the end of the acceptance day (即办件).
* Paused time (特别程序): a working day touched by a paused interval, even partly, does not count.
  Equivalently, the due date moves later by the paused working days that fall inside the counting
  window; a pause after the deadline cannot revive an overdue case. An interval's end is exclusive,
  so a pause ending at 00:00 does not touch the day it ends on.
* Per year the source is: the calendar file if it has that year (updatable without a release), else
  the chinesecalendar library, else weekends only. Weekends-only years are reported on the result
  (``weekends_only_years``) so the UI can say the date is provisional. Unknown years never raise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Protocol

from clerk_desk.domain.calendar_file import CalendarData

try:  # pure-data library; optional so the rules still work (weekends only) without it
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover - it is a declared dependency
    _cc = None

# China has kept UTC+8 without daylight saving since 1991, and every time the desk handles is later: a fixed
# offset is exact, needs no time-zone database (Windows has none) and no zoneinfo at the start
# (tests/unit/test_workdays.py compares it with the IANA zone).
SHANGHAI = timezone(timedelta(hours=8), "CST")
END_OF_DAY = time(23, 59, 59)
_MAX_DAYS_WITHOUT_WORK = 400  # a calendar with no working day in 400 days is broken, not a long holiday


class CalendarLike(Protocol):
    """What :func:`add_working_days` needs of a calendar."""

    @property
    def version(self) -> str: ...

    def is_workday(self, day: date) -> bool: ...

    def known(self, year: int) -> bool: ...

    def __hash__(self) -> int: ...  # the running counts of working days are kept per calendar


class WorkCalendar:
    """File data first, then chinesecalendar, then weekends only; see the module docstring."""

    def __init__(self, data: CalendarData | None = None, *, use_library: bool = True) -> None:
        self._data = data
        self._lib = _cc if use_library else None
        self._lib_years: dict[int, bool] = {}

    @property
    def version(self) -> str:
        parts = []
        if self._data is not None:
            parts.append(f"file:{self._data.version}")
        if self._lib is not None:
            parts.append(f"chinesecalendar:{getattr(self._lib, '__version__', '?')}")
        return "+".join(parts) or "weekends-only"

    def _library_knows(self, year: int) -> bool:
        if self._lib is None:
            return False
        if year not in self._lib_years:
            try:
                self._lib.is_workday(date(year, 6, 1))
                self._lib_years[year] = True
            except NotImplementedError:
                self._lib_years[year] = False
        return self._lib_years[year]

    def source(self, year: int) -> str:
        """'file', 'library' or 'weekends' (no published calendar known for that year)."""
        if self._data is not None and year in self._data.years:
            return "file"
        return "library" if self._library_knows(year) else "weekends"

    def known(self, year: int) -> bool:
        return self.source(year) != "weekends"

    def is_workday(self, day: date) -> bool:
        src = self.source(day.year)
        if src == "file":
            assert self._data is not None
            return self._data.years[day.year].is_workday(day)
        if src == "library":
            try:
                return bool(self._lib.is_workday(day))  # type: ignore[union-attr]
            except NotImplementedError:  # the library may know a year only partly
                pass
        return day.weekday() < 5


@dataclass(frozen=True)
class DueDate:
    """A due date counted in working days, with the calendar it was counted on."""

    due_at: datetime  # aware, UTC: the end (23:59:59) of due_local_date in the case's time zone
    due_local_date: date
    weekends_only_years: tuple[int, ...]  # years counted without a published calendar: date is provisional
    calendar_version: str

    @property
    def provisional(self) -> bool:
        return bool(self.weekends_only_years)


def _paused_days(paused: Sequence[tuple[datetime, datetime]], tz: tzinfo) -> set[date]:
    days: set[date] = set()
    for begin, end in paused:
        _require_aware(begin, "paused interval start")
        _require_aware(end, "paused interval end")
        if end < begin:
            raise ValueError(
                f"paused interval ends before it begins: {begin.isoformat()} .. {end.isoformat()}"
            )
        if end == begin:
            continue
        first = begin.astimezone(tz).date()
        last = (end - timedelta(microseconds=1)).astimezone(tz).date()
        while first <= last:
            days.add(first)
            first += timedelta(days=1)
    return days


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be a time-zone aware datetime")


def add_working_days(
    start: datetime,
    n: int,
    calendar: CalendarLike,
    paused: Sequence[tuple[datetime, datetime]] = (),
    tz: tzinfo = SHANGHAI,
) -> DueDate:
    """The deadline ``n`` working days after the acceptance moment ``start`` (see module rules).

    Raises ValueError only for caller mistakes (naive datetimes, negative n, a reversed pause, a
    calendar with no working days); never for a year without a published calendar.
    """
    _require_aware(start, "start")
    if n < 0:
        raise ValueError("n must be zero or more working days")
    paused_days = _paused_days(paused, tz)
    day = start.astimezone(tz).date()
    unknown: set[int] = set()
    counted = idle = 0
    while counted < n:
        day += timedelta(days=1)
        if not calendar.known(day.year):
            unknown.add(day.year)
        if calendar.is_workday(day) and day not in paused_days:
            counted += 1
            idle = 0
        else:
            idle += 1
            if idle > _MAX_DAYS_WITHOUT_WORK + len(paused_days):
                raise ValueError(f"the calendar has no working day after {day - timedelta(days=idle)}")
    due_local = datetime.combine(day, END_OF_DAY, tzinfo=tz)
    years = tuple(sorted(unknown))
    return DueDate(due_local.astimezone(UTC), day, years, due_version(calendar.version, years))


WEEKENDS = "weekends"


def due_version(calendar_version: str, weekends_only_years: Sequence[int]) -> str:
    """The calendar version stored beside a due date. A date counted over a year without a published
    calendar says so in it ("weekends:2027;file:2026-1+…"): the version travels with the due date
    everywhere (the case, its events, other desks), so every screen and paper can mark the date as
    counted on weekends only, and the desk knows which dates to count again when that year arrives."""
    if not weekends_only_years or calendar_version.startswith(WEEKENDS):
        return calendar_version
    return f"{WEEKENDS}:{','.join(str(y) for y in weekends_only_years)};{calendar_version}"


def weekends_only_years_of(version: str | None) -> tuple[int, ...]:
    """The years a stored due date was counted on weekends only (its calendar version, see due_version);
    "weekends-only" (no calendar at all) is every year, given as (0,)."""
    if not version or not version.startswith(WEEKENDS):
        return ()
    head = version.split(";", 1)[0]
    if not head.startswith(WEEKENDS + ":"):
        return (0,)
    return tuple(int(y) for y in head[len(WEEKENDS) + 1 :].split(",") if y.isdigit()) or (0,)


def is_provisional(version: str | None) -> bool:
    """True when a stored due date was counted on weekends only for some year (to be checked again)."""
    return bool(weekends_only_years_of(version))


def working_days_between(first: date, last: date, calendar: CalendarLike) -> int:
    """Working days in ``first .. last`` inclusive (0 if last < first), e.g. for 剩余/超期 displays."""
    count = 0
    day = first
    while day <= last:
        count += calendar.is_workday(day)
        day += timedelta(days=1)
    return count


def working_days_left(now: datetime, due_at: datetime, calendar: CalendarLike, tz: tzinfo = SHANGHAI) -> tuple[int, bool]:
    """(working days left, overdue). Left counts the working days after today up to the due day (0 on
    the due day itself); once overdue it is minus the working days passed since the due day."""
    today = now.astimezone(tz).date()
    due_day = due_at.astimezone(tz).date()
    if now <= due_at:
        return _workdays_between(today, due_day, calendar), False
    return -_workdays_between(due_day, today, calendar), True


def _workdays_between(after: date, until: date, calendar: CalendarLike) -> int:
    """Working days in (after, until], from each year's running count: a list row that is two years
    overdue costs what a fresh one costs (the inbox counts days left for a page of rows at a time)."""
    total = 0
    for year in range(after.year, until.year + 1):
        running = _running_count(calendar, year)
        low = after.timetuple().tm_yday if after.year == year else 0
        high = until.timetuple().tm_yday if until.year == year else len(running) - 1
        total += running[high] - running[low] if high > low else 0
    return total


@lru_cache(maxsize=64)
def _running_count(calendar: CalendarLike, year: int) -> tuple[int, ...]:
    """Index n (1 = 1 January): the working days of ``year`` up to and including its n-th day."""
    day, counts, n = date(year, 1, 1), [0], 0
    while day.year == year:
        n += calendar.is_workday(day)
        counts.append(n)
        day += timedelta(days=1)
    return tuple(counts)
