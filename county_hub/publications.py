"""Catalog, calendar and supervision-values publications: checked like the desk checks them, kept version by version.

A file is refused whole when the desk's own validation finds any error (``clerk_desk.catalog.validate``
for the catalog, ``clerk_desk.domain.calendar_file`` for the calendar): every problem is listed in
Chinese and nothing is stored. A published file is stored byte for byte with its publication number, its
ETag (sha256), its own version label, when and by whom. The hub serves the newest publication; a file
whose version is older than the one served is refused unless forced, and then it is a rollback: a new
publication (so every desk's ETag changes and it follows), recorded in the audit trail. docs/hub.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from county_hub import audit
from county_hub.devices import AdminError
from county_hub.models import Publication, utcnow

KINDS = ("catalog", "calendar", "supervision")
KIND_ZH = {"catalog": "事项目录", "calendar": "节假日安排", "supervision": "督办时限"}


class FileRefused(AdminError):
    """The file has errors (listed in ``problems``, in Chinese); nothing was published."""

    def __init__(self, kind: str, problems: list[str], warnings: int = 0) -> None:
        self.kind, self.problems = kind, problems
        more = f"（另有 {warnings} 个警告）" if warnings else ""
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{KIND_ZH[kind]}文件有 {len(problems)} 个错误{more}，未发布：\n{lines}")


@dataclass(frozen=True)
class Checked:
    label: str  # the file's own version (catalog_version / version)
    key: tuple[int, ...]  # the label as numbers, for "older" and "newer"
    count: int  # items (catalog) or years (calendar)
    warnings: tuple[str, ...]


def version_key(kind: str, label: str) -> tuple[int, ...]:
    if kind == "catalog":
        from clerk_desk.catalog.format import version_key as catalog_key

        return catalog_key(label)
    if kind == "supervision":
        from clerk_desk.domain.supervision_settings import version_key as settings_key

        return settings_key(label)
    from clerk_desk.domain.calendar_file import version_key as calendar_key

    return calendar_key(label)


TOO_DEEP = "文件不是有效的 JSON：列表或对象套了上千层，无法读取"


def check(kind: str, content: bytes) -> Checked:
    """The desk's own validation of the file; raises FileRefused listing every error."""
    if kind == "catalog":
        from clerk_desk.catalog.format import parse
        from clerk_desk.catalog.validate import validate_bytes

        raw, _checksum, problems = validate_bytes(content)
        errors = [str(p) for p in problems if p.is_error]
        warnings = tuple(str(p) for p in problems if not p.is_error)
        if errors:
            raise FileRefused(kind, errors, len(warnings))
        doc = parse(raw)
        return Checked(doc.version, version_key(kind, doc.version), len(doc.items), warnings)
    if kind == "supervision":
        return _check_settings(content)
    from clerk_desk.domain.calendar_file import CalendarFormatError, parse_calendar

    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FileRefused(kind, [f"文件不是 UTF-8 编码（第 {exc.start + 1} 个字节起无法解码）"]) from None
    except json.JSONDecodeError as exc:
        raise FileRefused(kind, [f"文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列有误"]) from None
    except RecursionError:  # [[[[… a thousand deep: a traceback before
        raise FileRefused(kind, [TOO_DEEP]) from None
    try:
        cal = parse_calendar(data)
    except CalendarFormatError as exc:
        raise FileRefused(kind, list(exc.problems)) from None
    return Checked(cal.version, version_key(kind, cal.version), len(cal.years), ())


def _check_settings(content: bytes) -> Checked:
    from clerk_desk.domain.supervision_settings import SettingsFormatError, parse_settings

    try:
        settings = parse_settings(json.loads(content.decode("utf-8-sig")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FileRefused("supervision", ["文件不是有效的 UTF-8 JSON"]) from None
    except SettingsFormatError as exc:
        raise FileRefused("supervision", list(exc.problems)) from None
    return Checked(settings.version, version_key("supervision", settings.version), 2, ())


def _rows(conn: Connection, kind: str) -> list[Any]:
    return list(
        conn.execute(
            select(Publication.__table__).where(Publication.kind == kind).order_by(Publication.version)
        )
    )


def publish(
    conn: Connection, kind: str, content: bytes, actor: str = "admin", *, force: bool = False
) -> dict[str, Any]:
    """Check and store ``content`` as the newest publication of ``kind``. An older version than the one
    served is refused unless ``force`` (a rollback); the same version with other content is refused."""
    if kind not in KINDS:
        raise AdminError(f"发布类型须为 {'、'.join(KINDS)} 之一")
    checked = check(kind, content)
    etag = hashlib.sha256(content).hexdigest()
    rows = _rows(conn, kind)
    served = rows[-1] if rows else None
    result = {"kind": kind, "etag": etag, "label": checked.label, "warnings": list(checked.warnings)}
    if served is not None and served.etag == etag:
        return {**result, "version": served.version, "unchanged": True, "rollback": False, "notes": []}
    notes: list[str] = []
    dropped: list[int] = []
    if kind == "calendar":
        notes, dropped = _calendar_against_served(content, checked.label, served, force=force)
    rollback = False
    if served is not None and served.label:
        served_key = version_key(kind, served.label)
        if checked.key == served_key:
            raise AdminError(
                f"{KIND_ZH[kind]}版本 {checked.label} 已发布（第 {served.version} 次发布），而本文件内容不同："
                "请提高文件中的版本号后再发布"
            )
        if checked.key < served_key:
            if not force:
                raise AdminError(
                    f"{KIND_ZH[kind]}版本 {checked.label} 比当前发布的版本 {served.label} 旧，未发布。"
                    "如确需回退到这一版本，请加 --force（将记入审计日志）"
                )
            rollback = True
    version = (rows[-1].version if rows else 0) + 1
    conn.execute(
        insert(Publication).values(
            kind=kind,
            version=version,
            etag=etag,
            label=checked.label[:100],
            content=content,
            published_at=utcnow(),
            published_by=actor[:200],
        )
    )
    detail: dict[str, Any] = {"etag": etag, "label": checked.label, "size": len(content), "count": checked.count}
    if dropped:
        detail.update(dropped_years=dropped)
    if rollback:
        assert served is not None
        detail.update(rolled_back_from=served.label, rolled_back_from_publication=served.version)
        audit.record(conn, f"{kind}_rolled_back", actor, f"{kind} v{version}", **detail)
    else:
        audit.record(conn, f"{kind}_published", actor, f"{kind} v{version}", **detail)
    return {**result, "version": version, "unchanged": False, "rollback": rollback, "notes": notes}


def _calendar_against_served(
    content: bytes, label: str, served: Any, *, force: bool
) -> tuple[list[str], list[int]]:
    """A calendar file against itself and against the calendar desks hold now: (notes for county IT, the
    years it leaves out). Refused: a version naming a year the file does not list (a file for the wrong
    year), and, unless forced, a file leaving out a year the served one lists (every desk replaces its
    file whole, so that year would be lost on every desk). A year both list with other days is noted."""
    from clerk_desk.domain.calendar_file import parse_calendar

    new = parse_calendar(json.loads(content.decode("utf-8-sig")))
    years = sorted(new.years)
    named = re.match(r"\s*(\d{4})(?!\d)", label)
    if named and 2000 <= int(named.group(1)) <= 2099 and int(named.group(1)) not in new.years:
        listed = "、".join(str(y) for y in years)
        raise FileRefused(
            "calendar",
            [
                f"version：版本号 {label} 指 {named.group(1)} 年，而文件只列出 {listed} 年："
                "请检查文件中的年份（years）或版本号"
            ],
        )
    shipped = _shipped_years()
    before = {year: (f"随程序安装的 {version}", cal) for year, (version, cal) in shipped.items()}
    old = None
    if served is not None:
        try:
            old = parse_calendar(json.loads(bytes(served.content).decode("utf-8-sig")))
        except ValueError:  # a stored file this program cannot read (an older format): nothing to compare
            old = None
    if old is not None:
        before.update({year: (f"当前发布的 {served.label}", cal) for year, cal in old.years.items()})
    notes = _changed_days(before, new.years)
    if old is None:
        return notes, []
    left_out = sorted(set(old.years) - set(new.years))
    # a year the installed file holds with the served days: every desk counts it by that file, unchanged
    kept = [y for y in left_out if y in shipped and _same_days(shipped[y][1], old.years[y])]
    notes[:0] = [
        f"{y} 年不在本文件中：各电脑改用随程序安装的 {shipped[y][0]}，与当前发布的 {served.label} 相同" for y in kept
    ]
    dropped = [y for y in left_out if y not in kept]
    lost = "、".join(str(y) for y in dropped)
    if dropped and not force:
        raise AdminError(
            f"当前发布的节假日安排 {served.label}（第 {served.version} 次发布）含 {lost} 年，本文件没有，未发布："
            f"各电脑收到新文件后整体替换旧文件，将失去 {lost} 年的节假日安排（改按随程序安装的日历或双休日推算）。"
            f"请把 {lost} 年一并写入文件后再发布；确需去掉请加 --force（将记入审计日志）"
        )
    if dropped:
        notes.insert(0, f"已按 --force 去掉 {lost} 年：各电脑收到后不再有该年的节假日安排")
    return notes, dropped


def _same_days(a: Any, b: Any) -> bool:
    """Two arrangements of one year count the same working days (the names may differ)."""
    return set(a.holidays) == set(b.holidays) and set(a.makeup_workdays) == set(b.makeup_workdays)


def _shipped_years() -> dict[int, tuple[str, Any]]:
    """The years of the calendar file every desk has from its installation (the hub runs the same program)."""
    from clerk_desk.domain.calendar_file import parse_calendar
    from clerk_desk.paths import resources_dir

    try:
        shipped = parse_calendar(json.loads((resources_dir() / "calendar" / "calendar.json").read_bytes()))
    except (OSError, ValueError):
        return {}
    return {year: (shipped.version, cal) for year, cal in shipped.years.items()}


def _changed_days(before: dict[int, tuple[str, Any]], years: Any) -> list[str]:
    """For each year the new file lists that desks already count by (the served file or the shipped one):
    the days it adds and takes away."""
    notes = []
    for year in sorted(set(before) & set(years)):
        (where, a), b = before[year], years[year]
        changes = [
            (what, sorted(days))
            for what, days in (
                ("新增放假日", set(b.holidays) - set(a.holidays)),
                ("不再放假", set(a.holidays) - set(b.holidays)),
                ("新增调休上班日", set(b.makeup_workdays) - set(a.makeup_workdays)),
                ("取消调休上班日", set(a.makeup_workdays) - set(b.makeup_workdays)),
            )
            if days
        ]
        if changes:
            text = "；".join(f"{what} {'、'.join(d.isoformat() for d in days)}" for what, days in changes)
            notes.append(f"{year} 年与{where} 不同：{text}")
    if notes:
        notes.append(
            "注意：各电脑已按旧安排算出的办结时限不会因此改变（只有按双休日推算的会复核）；如需更正请逐件核对"
        )
    return notes


@dataclass(frozen=True)
class Listed:
    version: int  # publication number
    label: str | None
    published_at: datetime
    published_by: str
    size: int
    count: int | None  # items or years; None when the stored file cannot be read
    rollback: bool  # older than a publication before it
    served: bool  # what desks get now
    years: tuple[str, ...] = ()  # calendar: the years the file lists


def _years(kind: str, content: bytes) -> tuple[str, ...]:
    if kind != "calendar":
        return ()
    try:
        return tuple(sorted(str(y) for y in json.loads(content.decode("utf-8-sig"))["years"]))
    except (ValueError, KeyError, TypeError):
        return ()


def _count(kind: str, content: bytes) -> int | None:
    try:
        data = json.loads(content.decode("utf-8-sig"))
        if kind == "supervision":
            return 2  # the two values
        return len(data["items"] if kind == "catalog" else data["years"])
    except (ValueError, KeyError, TypeError):
        return None


def list_publications(conn: Connection, kind: str) -> list[Listed]:
    rows = _rows(conn, kind)
    out: list[Listed] = []
    newest: tuple[int, ...] | None = None
    for i, r in enumerate(rows):
        try:
            key = version_key(kind, r.label) if r.label else None
        except ValueError:
            key = None
        rollback = key is not None and newest is not None and key < newest
        if key is not None and (newest is None or key > newest):
            newest = key
        out.append(
            Listed(
                r.version, r.label, r.published_at, r.published_by, len(r.content), _count(kind, r.content),
                rollback, i == len(rows) - 1, _years(kind, r.content),
            )
        )
    return out


def latest(conn: Connection, kind: str) -> Any:
    return conn.execute(
        select(Publication.__table__)
        .where(Publication.kind == kind)
        .order_by(Publication.version.desc())
        .limit(1)
    ).first()
