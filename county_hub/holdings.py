"""What each desk holds: recorded from its ``X-Desk-Holds`` header, compared with what the hub serves.

A desk names its program version, catalog version and calendar years (each with the version of the calendar
file giving it) on its timer round's ``GET /catalog`` (clerk_desk.domain.desk_holdings; never on a push). The
hub keeps the latest per device in ``device_holdings`` (migration 0008). It writes only when the header
differs from the last this worker recorded for that token, or that was more than :data:`REFRESH_S` ago, so a
hall of desks asking every 30 s costs a row write per desk per ten minutes. A header that is not exactly the
format is ignored (logged without its content, the same one again from that token once per ten minutes): the
answer to the request is the same with or without it.

``county-hub device list`` shows it; :func:`behind` says what a desk lacks of what the hub serves (a calendar
year, or a year's newer version; a newer catalog), and :func:`calendar_warnings` what to tell IT about this
year's and, in December, next year's calendar.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from clerk_desk.domain import desk_holdings
from clerk_desk.domain.desk_holdings import Holdings
from county_hub import publications
from county_hub.db import write_engine
from county_hub.models import DeviceHoldings, utcnow
from county_hub.schemas import iso_utc

if TYPE_CHECKING:
    from county_hub.auth import DeviceContext

log = logging.getLogger(__name__)

HEADER = desk_holdings.HEADER
REFRESH_S = 600.0  # an unchanged report is written again after this long (IT sees the desk is alive)
_CACHE_MAX = 20_000
_recorded: dict[str, tuple[str, float]] = {}  # token id -> (header, monotonic time written or refused), per worker
_lock = threading.Lock()


def record(engine: Engine, device: DeviceContext, headers: Iterable[str]) -> bool:
    """Keep what the desk says it holds. Returns whether a row was written. Never raises for the header's
    content, nor for the database (the request it came with is answered as usual)."""
    values = list(headers)
    if not values:
        return False
    raw = values[0]
    now = time.monotonic()
    with _lock:
        seen = _recorded.get(device.token_id)
    if seen is not None and seen[0] == raw and now - seen[1] < REFRESH_S and len(values) == 1:
        return False
    try:
        if len(values) > 1:
            raise ValueError("the header given more than once")
        held = desk_holdings.decode(raw)
    except ValueError as exc:
        log.warning("device %s sent an unreadable %s header (%d characters): %s; ignored",
                    device.device_code, HEADER, len(raw), exc)  # fmt: skip
        if len(values) == 1:  # the same again is skipped, unlogged, for as long as a good one would be
            _remember(device.token_id, raw, now)
        return False
    try:
        with write_engine(engine).begin() as conn:
            _store(conn, device, held)
    except IntegrityError:  # another worker wrote the device's first row at the same moment: it said the same
        return False
    except SQLAlchemyError:
        log.warning("could not record what device %s holds", device.device_code, exc_info=True)
        return False
    _remember(device.token_id, raw, now)
    return True


def _remember(token_id: str, raw: str, now: float) -> None:
    with _lock:
        if len(_recorded) >= _CACHE_MAX:
            _recorded.clear()
        _recorded[token_id] = (raw, now)


def _store(conn: Connection, device: DeviceContext, held: Holdings) -> None:
    values: dict[str, Any] = {
        "os_account": device.os_account[:200],
        "app_version": held.app,
        "catalog_version": held.catalog,
        "catalog_source": held.catalog_source,
        "calendar": {str(y): v for y, v in sorted(held.calendar.items())},
    }
    at = utcnow()
    row = conn.execute(
        select(DeviceHoldings.__table__).where(DeviceHoldings.device_code == device.device_code)
    ).first()
    if row is None:
        conn.execute(
            insert(DeviceHoldings).values(device_code=device.device_code, changed_at=at, reported_at=at, **values)
        )
        return
    same = all(getattr(row, k) == v for k, v in values.items())
    conn.execute(
        update(DeviceHoldings)
        .where(DeviceHoldings.device_code == device.device_code)
        .values(reported_at=at, **({} if same else {**values, "changed_at": at}))
    )


# ---- compared with what the hub serves -------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """The publications desks get now: the catalog's version, the calendar's version and years."""

    catalog: str | None
    calendar: str | None
    calendar_years: tuple[int, ...]


def served(conn: Connection) -> Served:
    catalog = publications.latest(conn, "catalog")
    calendar = publications.latest(conn, "calendar")
    years: tuple[int, ...] = ()
    if calendar is not None:
        try:
            years = tuple(sorted(int(y) for y in json.loads(bytes(calendar.content).decode("utf-8-sig"))["years"]))
        except (ValueError, KeyError, TypeError):
            years = ()
    return Served(
        catalog.label if catalog is not None else None, calendar.label if calendar is not None else None, years
    )


def _older(kind: str, have: str, than: str) -> bool:
    """``have`` is older than ``than`` by the files' own rule; a version that cannot be read counts as older."""
    try:
        return publications.version_key(kind, have) < publications.version_key(kind, than)
    except ValueError:
        return True


def behind(held: dict[str, Any] | None, now_served: Served) -> list[dict[str, Any]]:
    """What a desk lacks of what the hub serves, each as ``{"what": …}``: ``unreported`` (no report yet: a
    desk older than this hub, or not synced since its upgrade), ``catalog`` (none, the demo one, or older:
    ``have`` and ``served``), ``calendar`` (a ``year`` of the served file it lacks or holds in an older
    version: ``have``, ``served``)."""
    if held is None:
        return [{"what": "unreported"}]
    out: list[dict[str, Any]] = []
    if now_served.catalog is not None:
        have = held.get("catalog")
        if have is None or held.get("catalog_source") == "demo" or _older("catalog", have, now_served.catalog):
            out.append({"what": "catalog", "have": have, "served": now_served.catalog})
    if now_served.calendar is not None:
        years = held.get("calendar") or {}
        for year in now_served.calendar_years:
            have = years.get(str(year))
            if have is None or _older("calendar", have, now_served.calendar):
                out.append({"what": "calendar", "year": year, "have": have, "served": now_served.calendar})
    return out


def held_by(conn: Connection) -> dict[str, dict[str, Any]]:
    """Each device's last report, as ``device list`` shows it (times in UTC, ISO)."""
    return {
        r.device_code: {
            "app": r.app_version,
            "catalog": r.catalog_version,
            "catalog_source": r.catalog_source,
            "calendar": dict(sorted((r.calendar or {}).items())),
            "os_account": r.os_account,
            "changed_at": iso_utc(r.changed_at),
            "reported_at": iso_utc(r.reported_at),
        }
        for r in conn.execute(select(DeviceHoldings.__table__))
    }


def calendar_warnings(devices: list[dict[str, Any]], now_served: Served, today: date) -> list[str]:
    """Chinese lines for IT: desks in use lacking this year's calendar, and in December next year's (and
    whether the hub has published next year yet). ``devices`` as ``device list`` gives them."""
    in_use = [d for d in devices if not d["revoked"]]
    wanted = [today.year] + ([today.year + 1] if today.month == 12 else [])
    lines = []
    for year in wanted:
        lacking = [d["code"] for d in in_use if d["holds"] is not None and str(year) not in d["holds"]["calendar"]]
        unknown = [d["code"] for d in in_use if d["holds"] is None]  # not reported: cannot tell
        published = year in now_served.calendar_years
        if published and (lacking or (unknown and year > today.year)):
            said = [f"{len(lacking)} 台电脑尚未取得：{_names(lacking)}"] if lacking else []
            if unknown:
                said.append(f"{len(unknown)} 台电脑未报告所持版本（程序较旧或升级后尚未同步）：{_names(unknown)}")
            lines.append(
                f"注意：县级平台已发布 {year} 年的节假日安排（{now_served.calendar}），{'；'.join(said)}。"
                "它们下次同步时自动取得；长期未取得的请检查其网络和同步状态（在该电脑上运行 clerk-desk sync status）"
            )
        elif not published and lacking and year > today.year:
            lines.append(
                f"注意：县级平台尚未发布 {year} 年的节假日安排，{len(lacking)} 台电脑没有该年的节假日安排（{_names(lacking)}），"
                "其办结时限按双休日推算。国务院公布后请用 county-hub calendar publish 文件 发布"
            )
        elif not published and lacking:
            lines.append(
                f"注意：{len(lacking)} 台电脑没有 {year} 年的节假日安排（{_names(lacking)}），县级平台也未发布该年："
                "办结时限按双休日推算。请用 county-hub calendar publish 文件 发布"
            )
    return lines


def _names(codes: list[str]) -> str:
    return "、".join(codes[:20]) + (f" 等 {len(codes)} 台" if len(codes) > 20 else "")


def china_today(moment: datetime | None = None) -> date:
    from clerk_desk.domain.workdays import SHANGHAI

    return (moment or utcnow()).astimezone(SHANGHAI).date()


def annotate(conn: Connection, devices: list[dict[str, Any]], *, only_behind: bool = False) -> list[dict[str, Any]]:
    """``device list``'s devices (county_hub.devices.list_devices) with what each desk last said it holds
    (``holds``, None before its first report) and what it lacks of what the hub serves (``behind``). With
    ``only_behind``: only the devices in use (not revoked) that lack something."""
    held = held_by(conn)
    now_served = served(conn)
    out = []
    for d in devices:
        lacks = behind(held.get(d["code"]), now_served)
        if only_behind and (d["revoked"] or not lacks):
            continue
        tokens = d.pop("tokens")
        out.append({**d, "holds": held.get(d["code"]), "behind": lacks, "tokens": tokens})
    return out
