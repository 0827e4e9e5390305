"""The holiday calendar file (docs/calendar-format.md): parsing, validation and conversion.

The file is data, not code, so next year's State Council arrangement (published each winter) can be
shipped by the county hub without a new release. Reading the file from disk is the caller's job;
everything here works on already-decoded JSON values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

FORMAT = "clerk-desk-calendar"
FORMAT_VERSION = 1
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CalendarFormatError(ValueError):
    """The file is unusable; ``problems`` lists every problem found, not just the first, in Chinese
    (county IT reads them at the hub, a clerk may see them on a desk)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"节假日文件有 {len(problems)} 个问题：" + "；".join(problems))


_LABEL_ZH = {"name": "节日名称", "for": "所调休的节日"}


def _shown(value: Any) -> str:
    """A value from the file as the message shows it (cut short: a file may hold anything)."""
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass(frozen=True)
class YearCalendar:
    """One year's holidays and make-up working days, as the State Council published them."""

    year: int
    holidays: Mapping[date, str]  # 放假日 -> holiday name
    makeup_workdays: Mapping[date, str]  # 调休上班日 (a Saturday or Sunday) -> the holiday it makes up for
    source: Mapping[str, Any] = field(default_factory=dict)

    def is_workday(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


@dataclass(frozen=True)
class CalendarData:
    """A holiday calendar file: its version, when it was published, and its years."""

    version: str  # the publisher's version string, stored beside every due date computed from it
    published_at: str | None
    years: Mapping[int, YearCalendar]


def _parse_date(value: Any, where: str, problems: list[str]) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        problems.append(f"{where}：日期 {_shown(value)} 应写成 年-月-日（如 2027-01-01）")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}：{value} 不是实际存在的日期")
        return None


def _parse_entries(
    entries: Any, year: int, kind: str, label_key: str, problems: list[str]
) -> dict[date, str]:
    out: dict[date, str] = {}
    if not isinstance(entries, list):
        problems.append(f"years.{year}.{kind}：应为列表")
        return out
    for i, entry in enumerate(entries):
        where = f"years.{year}.{kind}[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}：应为含 date 和 {label_key} 的对象")
            continue
        day = _parse_date(entry.get("date"), where, problems)
        label = entry.get(label_key)
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{where}：{label_key} 应为非空文字（{_LABEL_ZH[label_key]}）")
        if day is None:
            continue
        if day.year != year:
            problems.append(f"{where}：{day.isoformat()} 不在 {year} 年内")
        if day in out:
            problems.append(f"{where}：{day.isoformat()} 重复列出")
        out[day] = label if isinstance(label, str) else ""
    return out


def parse_calendar(data: Any) -> CalendarData:
    """Validate decoded calendar JSON and return it as :class:`CalendarData`."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CalendarFormatError(["节假日文件应为一个 JSON 对象"])
    if data.get("format") != FORMAT:
        problems.append(f"format 应为 {FORMAT}，实为 {_shown(data.get('format'))}")
    fv = data.get("format_version")
    if type(fv) is not int or fv != FORMAT_VERSION:
        # A newer format may change meanings; refusing is safer than guessing due dates.
        problems.append(f"format_version {_shown(fv)} 不受支持（本程序读取 {FORMAT_VERSION}）")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append("version（版本）应为非空文字，如 2027-1")
    elif not re.search(r"\d", version):
        problems.append(f"version（版本）{_shown(version)} 应含数字（如 2027-1），以便判断新旧")
    published_at = data.get("published_at")
    if published_at is not None and not isinstance(published_at, str):
        problems.append("published_at（发布日期）应为文字，如 2026-11-04")
    raw_years = data.get("years")
    years: dict[int, YearCalendar] = {}
    if not isinstance(raw_years, dict) or not raw_years:
        problems.append('years 应为按年份列出的非空对象，如 {"2027": {...}}')
        raw_years = {}
    for key, body in raw_years.items():
        if not (isinstance(key, str) and re.fullmatch(r"\d{4}", key)):
            problems.append(f"years：{_shown(key)} 不是四位数的年份")
            continue
        year = int(key)
        if not isinstance(body, dict):
            problems.append(f"years.{year}：应为对象")
            continue
        holidays = _parse_entries(body.get("holidays"), year, "holidays", "name", problems)
        makeup = _parse_entries(body.get("makeup_workdays"), year, "makeup_workdays", "for", problems)
        for day in sorted(holidays.keys() & makeup.keys()):
            problems.append(f"years.{year}：{day.isoformat()} 既列为放假日又列为调休上班日")
        for day in sorted(makeup):
            if day.weekday() < 5:
                problems.append(
                    f"years.{year}.makeup_workdays：{day.isoformat()} 是工作日（周一至周五），"
                    "调休上班日只能是周六或周日"
                )
        source = body.get("source", {})
        if not isinstance(source, dict):
            problems.append(f"years.{year}.source：应为对象")
            source = {}
        years[year] = YearCalendar(year, holidays, makeup, source)
    if problems:
        raise CalendarFormatError(problems)
    assert isinstance(version, str)
    return CalendarData(version, published_at, years)


def calendar_to_dict(cal: CalendarData) -> dict[str, Any]:
    """The file form of ``cal`` (dates sorted), so a parsed file can be written back unchanged."""
    years: dict[str, Any] = {}
    for year in sorted(cal.years):
        yc = cal.years[year]
        years[str(year)] = {
            "holidays": [{"date": d.isoformat(), "name": n} for d, n in sorted(yc.holidays.items())],
            "makeup_workdays": [
                {"date": d.isoformat(), "for": n} for d, n in sorted(yc.makeup_workdays.items())
            ],
            "source": dict(yc.source),
        }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": cal.version,
        "published_at": cal.published_at,
        "years": years,
    }


def _from_blocks(blocks: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    # Fallback when a year lists only its blocks (start..end plus make-up days), not each day.
    holidays: list[dict[str, str]] = []
    makeup: list[dict[str, str]] = []
    for b in blocks:
        day, end = date.fromisoformat(b["start"]), date.fromisoformat(b["end"])
        while day <= end:
            holidays.append({"date": day.isoformat(), "name": b["name"]})
            day += timedelta(days=1)
        makeup += [{"date": d, "for": b["name"]} for d in b.get("makeup_workdays", [])]
    return holidays, makeup


def convert_state_council_file(
    data: Mapping[str, Any], version: str | None = None, published_at: str | None = None
) -> dict[str, Any]:
    """Convert the gathered State Council notice file (catalog/holidays-YYYY.json) to the calendar format.

    Years marked ``"published": false`` are left out, so they fall through to the next source.
    ``version`` defaults to "<last year>-1"; ``published_at`` to the latest notice date. The result is
    validated with :func:`parse_calendar` before it is returned.
    """
    years: dict[str, Any] = {}
    notice_dates: list[str] = []
    for key, body in sorted(data.get("years", {}).items()):
        if not body.get("published", False):
            continue
        try:
            if "holidays" in body or "makeup_workdays" in body:
                holidays = [{"date": h["date"], "name": h["name"]} for h in body.get("holidays", [])]
                makeup = [{"date": m["date"], "for": m["for"]} for m in body.get("makeup_workdays", [])]
            else:
                holidays, makeup = _from_blocks(body.get("blocks", []))
        except (KeyError, TypeError, ValueError) as exc:
            raise CalendarFormatError([f"years.{key}：无法读取通知数据（{exc!r}）"]) from exc
        source = dict(body.get("source", {}))
        if isinstance(source.get("date"), str):
            notice_dates.append(source["date"])
        years[key] = {"holidays": holidays, "makeup_workdays": makeup, "source": source}
    if not years:
        raise CalendarFormatError(["国务院通知文件中没有已公布的年份"])
    out = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": version or f"{max(years)}-1",
        "published_at": published_at or (max(notice_dates) if notice_dates else None),
        "years": years,
    }
    parse_calendar(out)
    return out


def version_key(version: str) -> tuple[int, ...]:
    """A calendar version as numbers, to tell newer from older: "2026-1" < "2027-1" < "2027-2".
    Raises ValueError for a version with no digits (it cannot be ordered)."""
    parts = tuple(int(p) for p in re.findall(r"\d+", version))
    if not parts:
        raise ValueError(f"calendar version {version!r} has no number")
    return parts
