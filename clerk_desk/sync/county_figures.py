"""The county's figures and 督办 list from the hub (GET /county/figures, /county/overdue; docs/hub.md),
for a county supervisor device. Every answer is checked field by field before a screen sees it: a value of
the wrong type is a :class:`~clerk_desk.sync.hub_client.BadAnswer`, never a crash in a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clerk_desk.store.database import Database
from clerk_desk.sync.enrolment import client_for
from clerk_desk.sync.hub_address import InsecureHubAddress
from clerk_desk.sync.hub_client import BadAnswer, HubClient, HubRefused, HubUnreachable, parse_time

COUNTS = ("intakes", "accepted", "on_spot", "notified", "refused", "transfers", "transfers_on_time",
          "decisions", "decided_in_time", "results_waiting")  # fmt: skip
RATES = ("transfer_on_time_rate", "decided_in_time_rate", "notified_rate", "refused_rate", "on_spot_share")


@dataclass(frozen=True)
class TownshipFigures:
    """One township and department over the period (counts, rates 0..1 or None, seconds or None)."""

    site_code: str
    department_code: str
    counts: Mapping[str, int]
    rates: Mapping[str, float | None]
    avg_decision_seconds: float | None
    p90_decision_seconds: int | None


@dataclass(frozen=True)
class Volume:
    site_code: str
    key: str  # the day, the department and item ("rs / rs-001"), or the channel
    intakes: int


@dataclass(frozen=True)
class CountyFigures:
    first: date
    last: date
    townships: tuple[TownshipFigures, ...]
    by_day: tuple[Volume, ...]
    by_item: tuple[Volume, ...]
    by_channel: tuple[Volume, ...]
    names: Mapping[str, str]  # township code -> name, as the hub knows them
    # item code -> the name the townships' intakes gave it (a hub before names sends none: empty)
    item_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OverdueCase:
    site_code: str
    department_code: str
    case_number: str
    item_code: str
    stage: str  # transfer | sign | decision | result | pledge | archive (clerk_desk.domain.supervision.Stage)
    level: str  # amber (nearly late) | red (late)
    holder: str  # who must act (username); "" when the department as a whole holds it (签收)
    deadline: datetime
    late: bool
    late_seconds: int  # negative: time still left
    over_days: int | None  # the days stages: working or calendar days late (negative: left)


@dataclass(frozen=True)
class CountyOverdue:
    at: datetime
    total: int
    cases: tuple[OverdueCase, ...]
    names: Mapping[str, str]
    item_names: Mapping[str, str] = field(default_factory=dict)  # as CountyFigures.item_names


def _get(obj: Any, name: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if not isinstance(obj, dict) or name not in obj:
        raise BadAnswer(f"missing {name}")
    value = obj[name]
    if value is None and optional:
        return None
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise BadAnswer(f"{name} is not {kind}")
    return value


def _rows(body: Any, name: str, parse: Callable[[Any], Any]) -> tuple[Any, ...]:
    return tuple(parse(r) for r in _get(body, name, list))


def _names(body: Any, key: str = "township_names") -> dict[str, str]:
    names = _get(body, key, dict)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise BadAnswer(f"{key} is not text by text")
    return dict(names)


def _item_names(body: Any) -> dict[str, str]:
    """The items' names the hub sends (since its migration 0007); a hub before them sends none."""
    return _names(body, "item_names") if isinstance(body, dict) and "item_names" in body else {}


def parse_figures(body: Any) -> CountyFigures:
    def township(r: Any) -> TownshipFigures:
        return TownshipFigures(
            _get(r, "site_code", str), _get(r, "department_code", str),
            {n: _get(r, n, int) for n in COUNTS},
            {n: (None if (v := _get(r, n, (int, float), optional=True)) is None else float(v)) for n in RATES},
            _get(r, "avg_decision_seconds", (int, float), optional=True),
            _get(r, "p90_decision_seconds", int, optional=True),
        )  # fmt: skip

    def volume(*keys: str) -> Callable[[Any], Volume]:
        return lambda r: Volume(
            _get(r, "site_code", str), " / ".join(_get(r, k, str) for k in keys), _get(r, "intakes", int)
        )

    try:
        first, last = date.fromisoformat(_get(body, "from", str)), date.fromisoformat(_get(body, "to", str))
    except ValueError as exc:
        raise BadAnswer(f"period: {exc}") from None
    return CountyFigures(
        first, last, _rows(body, "by_township", township), _rows(body, "by_day", volume("day")),
        _rows(body, "by_item", volume("department_code", "item_code")), _rows(body, "by_channel", volume("channel")),
        _names(body), _item_names(body),
    )  # fmt: skip


def parse_overdue(body: Any) -> CountyOverdue:
    def case(r: Any) -> OverdueCase:
        try:
            deadline = parse_time(_get(r, "deadline", str))
        except ValueError as exc:
            raise BadAnswer(f"deadline: {exc}") from None
        return OverdueCase(
            _get(r, "site_code", str), _get(r, "department_code", str), _get(r, "case_number", str),
            _get(r, "item_code", str), _get(r, "stage", str), _get(r, "level", str), _get(r, "holder", str),
            deadline, _get(r, "late", bool), _get(r, "late_seconds", int), _get(r, "over_days", int, optional=True),
        )  # fmt: skip

    try:
        at = parse_time(_get(body, "at", str))
    except ValueError as exc:
        raise BadAnswer(f"at: {exc}") from None
    return CountyOverdue(at, _get(body, "total", int), _rows(body, "cases", case), _names(body), _item_names(body))


def figures(client: HubClient, first: date, last: date, site: str | None = None) -> CountyFigures:
    params: dict[str, Any] = {"from": first.isoformat(), "to": last.isoformat()}
    if site:
        params["site"] = site
    return parse_figures(client._object("GET", "/county/figures", params=params))


def overdue(client: HubClient, site: str | None = None) -> CountyOverdue:
    return parse_overdue(client._object("GET", "/county/overdue", params={"site": site} if site else None))


class CountyUnavailable(Exception):
    """The county's figures cannot be shown now; the message (Chinese) says why and what to do."""


def load(
    db: Database, first: date, last: date, site: str | None = None
) -> tuple[CountyFigures, CountyOverdue]:
    """Both answers for the county page, asked with this PC's device token (a worker thread calls this)."""
    try:
        client = client_for(db)
    except InsecureHubAddress as exc:
        raise CountyUnavailable(f"县级平台地址不安全：{exc}") from exc
    if client is None:
        raise CountyUnavailable("本机尚未注册到县级平台：请联系县级信息技术人员注册为县级督查设备")
    try:
        return figures(client, first, last, site), overdue(client, site)
    except HubRefused as exc:
        if exc.code == "county_device_required":
            raise CountyUnavailable("本机不是县级督查设备：全县数据只在县级督查设备上查看") from exc
        raise CountyUnavailable(f"县级平台拒绝了查询：{exc.message}") from exc
    except HubUnreachable as exc:
        raise CountyUnavailable(f"暂时无法连接县级平台，请稍后重试（{exc}）") from exc
    finally:
        client.close()
