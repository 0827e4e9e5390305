from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clerk_desk.domain.calendar_file import parse_calendar
from clerk_desk.domain.workdays import (
    SHANGHAI,
    WorkCalendar,
    add_working_days,
    working_days_between,
    working_days_left,
)

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "calendar" / "calendar.json"


def local(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture(scope="module")
def lib() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def shipped() -> WorkCalendar:
    return WorkCalendar(parse_calendar(json.loads(SHIPPED.read_text(encoding="utf-8"))))


def _file_2027(**extra: list[dict[str, str]]) -> WorkCalendar:
    year = {"holidays": [{"date": "2027-01-01", "name": "元旦"}], "makeup_workdays": []}
    year.update(extra)
    return WorkCalendar(
        parse_calendar(
            {
                "format": "clerk-desk-calendar",
                "format_version": 1,
                "version": "2027-1",
                "years": {"2027": year},
            }
        )
    )


# --- the acceptance examples --------------------------------------------------------------------------


@pytest.mark.parametrize("cal_name", ["lib", "shipped"])
@pytest.mark.parametrize("hour", [0, 8, 17, 23])
def test_national_day(cal_name: str, hour: int, request: pytest.FixtureRequest) -> None:
    cal = request.getfixturevalue(cal_name)
    due = add_working_days(local(2026, 9, 30, hour, 59), 3, cal)
    # 10-01..10-07 holidays; 10-08 Thu, 10-09 Fri, 10-10 make-up Saturday
    assert due.due_local_date == date(2026, 10, 10)
    assert due.due_at == end_of(date(2026, 10, 10))
    assert due.due_at == datetime(2026, 10, 10, 15, 59, 59, tzinfo=UTC)
    assert due.due_at.tzinfo is UTC
    assert due.weekends_only_years == ()
    assert not due.provisional


@pytest.mark.parametrize("cal_name", ["lib", "shipped"])
def test_spring_festival_makeup_saturday(cal_name: str, request: pytest.FixtureRequest) -> None:
    due = add_working_days(local(2026, 2, 13), 1, request.getfixturevalue(cal_name))
    assert due.due_local_date == date(2026, 2, 14)


def test_spring_festival_block(shipped: WorkCalendar) -> None:
    # 02-14 make-up Sat, 02-15..02-23 holidays, 02-24 Tue
    assert add_working_days(local(2026, 2, 13), 2, shipped).due_local_date == date(2026, 2, 24)


def test_unknown_year_falls_back_to_weekends_and_is_flagged(lib: WorkCalendar) -> None:
    due = add_working_days(local(2027, 3, 1), 5, lib)  # Monday
    assert due.due_local_date == date(2027, 3, 8)  # Tue..Fri + next Monday
    assert due.weekends_only_years == (2027,)
    assert due.provisional
    assert not lib.known(2027)
    assert lib.source(2027) == "weekends"


def test_year_end_crossing_flags_2027(shipped: WorkCalendar) -> None:
    due = add_working_days(local(2026, 12, 31), 3, shipped)  # Thursday
    # 2027-01-01 Fri, 01-04 Mon, 01-05 Tue on weekends only
    assert due.due_local_date == date(2027, 1, 5)
    assert due.weekends_only_years == (2027,)


def test_year_end_crossing_uses_a_loaded_2027_file() -> None:
    cal = _file_2027()
    due = add_working_days(local(2026, 12, 31), 3, cal)
    # 2027-01-01 is a holiday in the file: 01-04 Mon, 01-05 Tue, 01-06 Wed
    assert due.due_local_date == date(2027, 1, 6)
    assert due.weekends_only_years == ()
    assert cal.source(2027) == "file"
    assert cal.source(2026) == "library"
    assert due.calendar_version.startswith("file:2027-1+chinesecalendar:")


def test_file_data_wins_over_the_library() -> None:
    # A corrected arrangement must override what the installed library believes.
    data = {
        "format": "clerk-desk-calendar",
        "format_version": 1,
        "version": "2026-9",
        "years": {"2026": {"holidays": [{"date": "2026-10-08", "name": "测试"}], "makeup_workdays": []}},
    }
    cal = WorkCalendar(parse_calendar(data))
    assert not cal.is_workday(date(2026, 10, 8))
    assert not cal.is_workday(date(2026, 10, 10))  # the file for 2026 has no make-up Saturday
    assert cal.is_workday(date(2026, 10, 1))  # and does not know National Day: whole years, no mixing


def test_make_up_workday_in_file_counts() -> None:
    cal = _file_2027(makeup_workdays=[{"date": "2027-01-09", "for": "测试"}])  # Saturday
    assert cal.is_workday(date(2027, 1, 9))
    assert add_working_days(local(2027, 1, 8), 1, cal).due_local_date == date(2027, 1, 9)


# --- counting rules ------------------------------------------------------------------------------------


def test_n_zero_is_the_end_of_the_acceptance_day(lib: WorkCalendar) -> None:
    due = add_working_days(local(2026, 10, 1, 9), 0, lib)  # even on a holiday
    assert due.due_local_date == date(2026, 10, 1)
    assert due.due_at == end_of(date(2026, 10, 1))
    assert due.weekends_only_years == ()


def test_acceptance_day_never_counts_even_early_morning(lib: WorkCalendar) -> None:
    assert add_working_days(local(2026, 11, 23, 0, 0), 1, lib).due_local_date == date(2026, 11, 24)


def test_start_in_utc_is_converted_to_local_date(lib: WorkCalendar) -> None:
    # 2026-11-26 17:00 UTC is already Friday 11-27 01:00 in Shanghai
    due = add_working_days(datetime(2026, 11, 26, 17, 0, tzinfo=UTC), 1, lib)
    assert due.due_local_date == date(2026, 11, 30)  # Monday


def test_other_zone_and_tz_parameter(lib: WorkCalendar) -> None:
    start = datetime(2026, 11, 26, 23, 30, tzinfo=ZoneInfo("Europe/London"))  # Fri 07:30 in Shanghai
    assert add_working_days(start, 1, lib).due_local_date == date(2026, 11, 30)
    london = add_working_days(start, 1, lib, tz=ZoneInfo("Europe/London"))
    assert london.due_local_date == date(2026, 11, 27)
    assert london.due_at == datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC)


def test_weekend_acceptance(lib: WorkCalendar) -> None:
    assert add_working_days(local(2026, 11, 28), 1, lib).due_local_date == date(2026, 11, 30)


def test_rejects_caller_mistakes(lib: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_days(datetime(2026, 11, 26, 10), 1, lib)
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days(local(2026, 11, 26), -1, lib)
    with pytest.raises(ValueError, match="ends before"):
        add_working_days(local(2026, 11, 26), 1, lib, paused=[(local(2026, 11, 27), local(2026, 11, 26))])
    with pytest.raises(ValueError, match="aware"):
        add_working_days(local(2026, 11, 26), 1, lib, paused=[(datetime(2026, 11, 27), local(2026, 11, 28))])


def test_broken_calendar_does_not_loop_forever() -> None:
    class NeverWorks:
        version = "broken"

        def is_workday(self, day: date) -> bool:
            return False

        def known(self, year: int) -> bool:
            return True

    with pytest.raises(ValueError, match="no working day"):
        add_working_days(local(2026, 11, 26), 1, NeverWorks())


# --- pauses (特别程序) ------------------------------------------------------------------------------


def test_pause_over_two_working_days_pushes_two(lib: WorkCalendar) -> None:
    start = local(2026, 11, 2)  # Monday
    base = add_working_days(start, 5, lib).due_local_date
    assert base == date(2026, 11, 9)
    paused = [(local(2026, 11, 4, 9), local(2026, 11, 5, 16))]  # Wed 09:00 .. Thu 16:00
    assert add_working_days(start, 5, lib, paused=paused).due_local_date == date(2026, 11, 11)


def test_partial_day_pause_counts_the_day(lib: WorkCalendar) -> None:
    paused = [(local(2026, 11, 4, 15), local(2026, 11, 4, 16))]
    assert add_working_days(local(2026, 11, 2), 5, lib, paused=paused).due_local_date == date(2026, 11, 10)


def test_pause_end_is_exclusive_at_midnight(lib: WorkCalendar) -> None:
    paused = [(local(2026, 11, 4, 15), local(2026, 11, 5, 0, 0))]
    assert add_working_days(local(2026, 11, 2), 5, lib, paused=paused).due_local_date == date(2026, 11, 10)


def test_pause_over_weekend_or_holiday_changes_nothing(lib: WorkCalendar) -> None:
    start = local(2026, 9, 30)
    paused = [(local(2026, 10, 2), local(2026, 10, 6))]
    assert add_working_days(start, 3, lib, paused=paused).due_local_date == date(2026, 10, 10)


def test_pause_on_acceptance_day_or_after_deadline_changes_nothing(lib: WorkCalendar) -> None:
    start = local(2026, 11, 2, 9)
    paused = [(local(2026, 11, 2, 10), local(2026, 11, 2, 11)), (local(2026, 11, 20), local(2026, 11, 25))]
    assert add_working_days(start, 5, lib, paused=paused).due_local_date == date(2026, 11, 9)


def test_overlapping_pauses_count_each_day_once(lib: WorkCalendar) -> None:
    paused = [(local(2026, 11, 4), local(2026, 11, 5, 12)), (local(2026, 11, 5, 9), local(2026, 11, 5, 18))]
    assert add_working_days(local(2026, 11, 2), 5, lib, paused=paused).due_local_date == date(2026, 11, 11)


def test_pause_given_in_utc_uses_local_days(lib: WorkCalendar) -> None:
    # 2026-11-03 17:00 UTC .. 18:00 UTC is Wed 11-04 01:00..02:00 in Shanghai: Wednesday is lost
    paused = [(datetime(2026, 11, 3, 17, tzinfo=UTC), datetime(2026, 11, 3, 18, tzinfo=UTC))]
    assert add_working_days(local(2026, 11, 2), 1, lib, paused=paused).due_local_date == date(2026, 11, 3)
    assert add_working_days(local(2026, 11, 2), 2, lib, paused=paused).due_local_date == date(2026, 11, 5)


def test_zero_length_pause_is_ignored(lib: WorkCalendar) -> None:
    paused = [(local(2026, 11, 4, 9), local(2026, 11, 4, 9))]
    assert add_working_days(local(2026, 11, 2), 5, lib, paused=paused).due_local_date == date(2026, 11, 9)


# --- calendar sources ------------------------------------------------------------------------------------


def test_sources_and_versions() -> None:
    assert WorkCalendar(use_library=False).version == "weekends-only"
    assert not WorkCalendar(use_library=False).known(2026)
    assert WorkCalendar().known(2026)
    assert WorkCalendar().version.startswith("chinesecalendar:")
    due = add_working_days(local(2026, 9, 30), 3, WorkCalendar(use_library=False))
    assert due.due_local_date == date(2026, 10, 5)
    assert due.weekends_only_years == (2026,)
    assert due.calendar_version == "weekends-only"


def test_shipped_calendar_version_is_recorded(shipped: WorkCalendar) -> None:
    due = add_working_days(local(2026, 9, 30), 3, shipped)
    assert due.calendar_version.startswith("file:2026-1")


def test_working_days_between(lib: WorkCalendar) -> None:
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 10), lib) == 3
    assert working_days_between(date(2026, 10, 10), date(2026, 10, 1), lib) == 0


@given(
    st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 40),
)
def test_due_date_properties(day: date, hour: int, n: int) -> None:
    cal = WorkCalendar()
    start = datetime.combine(day, time(hour), tzinfo=SHANGHAI)
    due = add_working_days(start, n, cal)
    assert due.due_at.tzinfo is UTC
    assert due.due_at == end_of(due.due_local_date)
    if n == 0:
        assert due.due_local_date == day
    else:
        assert due.due_local_date > day
        assert cal.is_workday(due.due_local_date)  # a deadline always lands on a working day
        assert working_days_between(day + timedelta(days=1), due.due_local_date, cal) == n
    # one more working day never moves the deadline earlier
    assert add_working_days(start, n + 1, cal).due_local_date > due.due_local_date
    assert set(due.weekends_only_years) <= {2027, 2028}  # the library knows 2025 and 2026


def test_rule_modules_stay_pure() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import clerk_desk.domain.workdays, clerk_desk.domain.identifiers, clerk_desk.domain.case_numbers\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'PySide6', 'sqlalchemy', 'requests', 'socket'}]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@given(st.dates(date(2024, 1, 1), date(2028, 12, 31)), st.integers(-10, 900), st.sampled_from(("lib", "file")))
def test_days_left_from_running_counts_match_counting_day_by_day(day: date, span: int, source: str) -> None:
    """working_days_left counts from each year's running count (a row two years overdue is as cheap as a
    new one); it agrees with counting the days one by one."""
    cal = WorkCalendar() if source == "lib" else _shipped_once()
    due = end_of(day + timedelta(days=span))
    now = datetime.combine(day, time(9), tzinfo=SHANGHAI)
    left, overdue = working_days_left(now, due, cal)
    if now <= due:
        assert (left, overdue) == (working_days_between(day + timedelta(days=1), due.astimezone(SHANGHAI).date(), cal), False)
    else:
        passed = working_days_between(due.astimezone(SHANGHAI).date() + timedelta(days=1), day, cal)
        assert (left, overdue) == (-passed, True)


_SHIPPED: list[WorkCalendar] = []


def _shipped_once() -> WorkCalendar:
    if not _SHIPPED:
        _SHIPPED.append(WorkCalendar(parse_calendar(json.loads(SHIPPED.read_text(encoding="utf-8")))))
    return _SHIPPED[0]


def test_shanghai_is_the_iana_zone_from_1992_on() -> None:
    """The desk's fixed UTC+8 agrees with Asia/Shanghai at every hour a case can have (China has kept
    UTC+8 without daylight saving since 1991); the IANA zone is only for this check (Linux has tzdata)."""
    iana = ZoneInfo("Asia/Shanghai")
    moment = datetime(1992, 1, 1, tzinfo=UTC)
    while moment.year < 2100:
        assert moment.astimezone(SHANGHAI).utcoffset() == moment.astimezone(iana).utcoffset() == timedelta(hours=8)
        assert moment.astimezone(SHANGHAI).replace(tzinfo=None) == moment.astimezone(iana).replace(tzinfo=None)
        moment += timedelta(hours=173)  # every hour of the day comes round
