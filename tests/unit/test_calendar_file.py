from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest

from clerk_desk.domain.calendar_file import (
    CalendarFormatError,
    calendar_to_dict,
    convert_state_council_file,
    parse_calendar,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "resources" / "calendar" / "calendar.json"

STATE_COUNCIL: dict[str, Any] = {
    "years": {
        "2026": {
            "published": True,
            "source": {"title": "国务院办公厅关于2026年部分节假日安排的通知", "date": "2025-11-04"},
            "blocks": [
                {
                    "name": "国庆节",
                    "start": "2026-10-01",
                    "end": "2026-10-07",
                    "days": 7,
                    "makeup_workdays": ["2026-09-20", "2026-10-10"],
                },
            ],
            "holidays": [{"date": f"2026-10-0{d}", "name": "国庆节"} for d in range(1, 8)],
            "makeup_workdays": [
                {"date": "2026-09-20", "for": "国庆节"},
                {"date": "2026-10-10", "for": "国庆节"},
            ],
        },
        "2027": {"published": False, "note": "not yet"},
    }
}


def _valid() -> dict[str, Any]:
    return {
        "format": "clerk-desk-calendar",
        "format_version": 1,
        "version": "2026-1",
        "published_at": "2025-11-04",
        "years": {
            "2026": {
                "holidays": [
                    {"date": "2026-10-01", "name": "国庆节"},
                    {"date": "2026-10-02", "name": "国庆节"},
                ],
                "makeup_workdays": [{"date": "2026-10-10", "for": "国庆节"}],
                "source": {"title": "t"},
            }
        },
    }


def test_parse_valid_file() -> None:
    cal = parse_calendar(_valid())
    assert cal.version == "2026-1"
    assert cal.published_at == "2025-11-04"
    y = cal.years[2026]
    assert y.holidays == {date(2026, 10, 1): "国庆节", date(2026, 10, 2): "国庆节"}
    assert y.makeup_workdays == {date(2026, 10, 10): "国庆节"}
    assert y.source == {"title": "t"}
    assert not y.is_workday(date(2026, 10, 1))
    assert y.is_workday(date(2026, 10, 10))  # make-up Saturday
    assert not y.is_workday(date(2026, 10, 17))  # ordinary Saturday
    assert y.is_workday(date(2026, 10, 12))  # ordinary Monday


def test_round_trip_through_dict() -> None:
    cal = parse_calendar(_valid())
    assert parse_calendar(calendar_to_dict(cal)) == cal
    assert calendar_to_dict(cal) == _valid()


def test_empty_year_lists_are_allowed() -> None:
    data = _valid()
    data["years"]["2026"] = {"holidays": [], "makeup_workdays": []}
    assert parse_calendar(data).years[2026].holidays == {}


def _problems(data: Any) -> tuple[str, ...]:
    with pytest.raises(CalendarFormatError) as exc:
        parse_calendar(data)
    assert isinstance(exc.value, ValueError)
    return exc.value.problems


def test_every_problem_is_listed_at_once() -> None:
    data = _valid()
    y = data["years"]["2026"]
    y["holidays"] += [
        {"date": "2026-02-30", "name": "坏日期"},  # not a real date
        {"date": "2026/10/03", "name": "国庆节"},  # wrong shape
        {"date": "2027-01-01", "name": "元旦"},  # outside its year
        {"date": "2026-10-10", "name": "国庆节"},  # also a make-up workday
        {"date": "2026-10-01", "name": "国庆节"},  # listed twice
        {"date": "2026-10-05"},  # no name
    ]
    y["makeup_workdays"].append({"date": "2026-10-09", "for": "国庆节"})  # a Friday
    problems = _problems(data)
    text = "\n".join(problems)
    assert "2026-02-30 不是实际存在的日期" in text
    assert "“2026/10/03” 应写成 年-月-日" in text
    assert "2027-01-01 不在 2026 年内" in text
    assert "2026-10-10 既列为放假日又列为调休上班日" in text
    assert "2026-10-01 重复列出" in text
    assert "name 应为非空文字" in text
    assert "2026-10-09 是工作日" in text
    assert len(problems) == 7


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d.update(format="other"), "format 应为"),
        (lambda d: d.update(format_version=2), "format_version 2 不受支持"),
        (lambda d: d.update(format_version="1"), "format_version “1” 不受支持"),
        (lambda d: d.update(format_version=True), "format_version True 不受支持"),
        (lambda d: d.pop("version"), "version（版本）应为非空文字"),
        (lambda d: d.update(version=" "), "version（版本）应为非空文字"),
        (lambda d: d.update(published_at=20251104), "published_at（发布日期）应为文字"),
        (lambda d: d.update(years={}), "years 应为按年份列出的非空对象"),
        (lambda d: d.update(years=[]), "years 应为按年份列出的非空对象"),
        (lambda d: d["years"].update({"26": {}}), "“26” 不是四位数的年份"),
        (lambda d: d["years"].update({"2027": []}), "years.2027：应为对象"),
        (lambda d: d["years"]["2026"].pop("holidays"), "years.2026.holidays：应为列表"),
        (lambda d: d["years"]["2026"].update(makeup_workdays={}), "makeup_workdays：应为列表"),
        (lambda d: d["years"]["2026"]["holidays"].append("2026-10-03"), "应为含 date 和 name 的对象"),
        (lambda d: d["years"]["2026"].update(source="x"), "source：应为对象"),
        (lambda d: d["years"]["2026"]["makeup_workdays"][0].pop("for"), "for 应为非空文字"),
    ],
)
def test_single_problems(mutate: Any, fragment: str) -> None:
    data = _valid()
    mutate(data)
    assert any(fragment in p for p in _problems(data)), _problems(data)


def test_not_an_object() -> None:
    assert _problems([1, 2]) == ("节假日文件应为一个 JSON 对象",)


def test_convert_skips_unpublished_years_and_validates() -> None:
    out = convert_state_council_file(STATE_COUNCIL)
    assert out["format"] == "clerk-desk-calendar"
    assert out["format_version"] == 1
    assert out["version"] == "2026-1"
    assert out["published_at"] == "2025-11-04"
    assert list(out["years"]) == ["2026"]
    cal = parse_calendar(out)
    assert len(cal.years[2026].holidays) == 7
    assert set(cal.years[2026].makeup_workdays) == {date(2026, 9, 20), date(2026, 10, 10)}
    assert cal.years[2026].source["title"].startswith("国务院办公厅")


def test_convert_overrides_and_block_fallback() -> None:
    data = copy.deepcopy(STATE_COUNCIL)
    del data["years"]["2026"]["holidays"]
    del data["years"]["2026"]["makeup_workdays"]
    out = convert_state_council_file(data, version="2026-2", published_at="2025-12-01")
    assert (out["version"], out["published_at"]) == ("2026-2", "2025-12-01")
    from_blocks = parse_calendar(out).years[2026]
    from_lists = parse_calendar(convert_state_council_file(STATE_COUNCIL)).years[2026]
    assert from_blocks.holidays == from_lists.holidays
    assert from_blocks.makeup_workdays == from_lists.makeup_workdays


def test_convert_rejects_bad_input() -> None:
    with pytest.raises(CalendarFormatError, match="没有已公布的年份"):
        convert_state_council_file({"years": {"2027": {"published": False}}})
    bad = copy.deepcopy(STATE_COUNCIL)
    bad["years"]["2026"]["makeup_workdays"].append({"date": "2026-10-09", "for": "国庆节"})
    with pytest.raises(CalendarFormatError, match="是工作日"):
        convert_state_council_file(bad)
    broken = {"years": {"2026": {"published": True, "holidays": [{"day": "2026-10-01"}]}}}
    with pytest.raises(CalendarFormatError, match="无法读取"):
        convert_state_council_file(broken)


def test_shipped_calendar_is_valid_and_matches_the_library() -> None:
    cal = parse_calendar(json.loads(SHIPPED.read_text(encoding="utf-8")))
    assert cal.version == "2026-1"
    y = cal.years[2026]
    assert len(y.holidays) == 33
    assert len(y.makeup_workdays) == 6
    # Two independent sources for 2026 must agree on every day of the year.
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert y.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_convert_script_reproduces_the_shipped_file(tmp_path: Path) -> None:
    src = REPO.parent / "shared" / "catalog" / "holidays-2026.json"  # shared/ sits beside the checkout
    if not src.exists():
        pytest.skip("the gathered State Council file (../shared/catalog) is not beside this checkout")
    out = tmp_path / "calendar.json"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "convert_holidays.py"), str(src), "-o", str(out)], check=True
    )
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(SHIPPED.read_text(encoding="utf-8"))


def test_convert_script_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "convert_holidays.py"), str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "convert_holidays:" in proc.stderr
