"""The county figures as a projection of the log (docs/hub.md, "County figures"). Pure: no database.

A push's plan (county_hub.push_plan) hands its stored events, in log order, to :func:`project` together
with what the hub held for their cases (:class:`CaseFigures`, read with the plan's other reads). Out come
the cases' new rows and the counters to add per (township, department, Shanghai day, item, channel); each
writer in county_hub.storage writes both in the same transaction as the events. ``county-hub county
rebuild`` runs the same function over the whole log, so a rebuild equals what the pushes kept.

What is counted, on the Shanghai day of the event's ``occurred_at`` (the desk's clock):

* an intake (受理, 即办件 done on the spot, 一次性告知, 不予受理): ``intakes`` and its own counter;
* a case's first transfer: ``transfers``, and ``transfers_on_time`` when it came within 5 minutes of
  acceptance for an urgent case, 15 otherwise (clerk_desk.domain.lifecycle.TRANSFER_MINUTES);
* a decision: ``decisions``; ``decided_in_time`` when it came by the due date the case's events last
  carried (acceptance, 签收, a resumed clock, the return from 补正); ``decision_seconds`` from acceptance.

Each case also keeps the moments its 督办 stages are timed from (county_hub.county_supervision judges
them when asked), and every item code an intake names keeps the name it came with (``county_items``): the
latest intake by ``occurred_at`` names it, log order breaking a tie, so a desk that pushes a week-old intake
under an older catalog does not bring back an older name.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, TRANSITIONS, EventType
from clerk_desk.domain.workdays import SHANGHAI

E = EventType
INTAKES = {
    E.ACCEPTED.value: "accepted",
    E.COMPLETED_ON_SPOT.value: "on_spot",
    E.SUPPLEMENT_NOTIFIED.value: "notified",
    E.REFUSED.value: "refused",
}
COUNTERS = (
    "intakes", "accepted", "on_spot", "notified", "refused", "transfers", "transfers_on_time", "decisions",
    "decided_in_time", "decision_seconds",
)  # fmt: skip
# The 督办 list is not kept here: each case keeps the moments its stages are timed from, and
# county_hub.county_supervision judges them at query time by the rules of the site's 督办 page
# (clerk_desk.domain.supervision) with the county's published values and calendar, so changing a value
# or the calendar needs no rebuild.
CLOSING = frozenset({E.COMPLETED_ON_SPOT.value, E.REFUSED.value, E.DELIVERED.value, E.WITHDRAWN.value})
HANDED = frozenset({E.TRANSFERRED.value, E.RETRANSFERRED.value})
# The status each event type that moves a case moves it to (clerk_desk.domain.lifecycle.TRANSITIONS).
MOVES = {
    t.value: rule.target.value
    for t, rule in TRANSITIONS.items()
    if rule.target is not None and rule.changes_case
}

DailyKey = tuple[str, str, str, str, str]  # site, department, day, item, channel
DurationKey = tuple[str, str, str, int]  # day, site, department, bucket
Named = tuple[str, str]  # an item's name and the occurred_at (the log's text) of the intake that named it
ITEM_NAME_MAX = 256  # as the desk keeps an item's name (clerk_desk.store.models.Case.item_name)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def item_name(value: Any) -> str:
    """The name an intake's payload gives its item, as plain one-line text ("" for none): control
    characters are spaces (PostgreSQL refuses NUL in text), runs of spaces one, at most 256 characters."""
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL.sub(" ", value).split())[:ITEM_NAME_MAX]


def _no_nul(text: str) -> str:
    """A payload's text as a column can hold it: PostgreSQL refuses NUL in text (a desk's NUL in an item code
    made every push of that event fail), so it stands as U+FFFD there, as on SQLite."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def name_item(items: dict[str, Named], code: str, name: str, at: str) -> None:
    """``code`` named ``name`` at ``at``: it replaces a name given at the same moment or earlier."""
    held = items.get(code)
    if held is None or at >= held[1]:
        items[code] = (name, at)


# Decision times are kept as a histogram per day (county_durations): bucket b holds the times t with
# GROWTH**(b-1) < t <= GROWTH**b seconds (bucket 0: a second or less), so a period's p90 is a sum over its
# days and is told as its bucket's upper edge: never below the exact p90, at most 1 % (and a second) above.
GROWTH = 1.01
_LOG_GROWTH = math.log(GROWTH)


def duration_bucket(seconds: int) -> int:
    if seconds <= 1:
        return 0
    return max(1, math.ceil(math.log(seconds) / _LOG_GROWTH - 1e-9))


def bucket_edge(bucket: int) -> int:
    """The largest time (whole seconds) a bucket holds."""
    return 1 if bucket <= 0 else math.floor(GROWTH**bucket + 1e-6)


class EventLike(Protocol):
    """What the projection reads of an event (county_hub.schemas.WireEvent has these)."""

    @property
    def case_uuid(self) -> str: ...
    @property
    def site_code(self) -> str: ...
    @property
    def department_code(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def occurred_at(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...

    @property
    def type(self) -> Any: ...  # an EventType (the wire model) or its text (a log row)


@dataclass(slots=True)
class CaseFigures:
    """A row of ``county_cases`` (county_hub.models.CountyCase), column for column."""

    site_code: str
    department_code: str
    case_number: str = ""
    item_code: str = ""
    channel: str = ""
    urgent: bool = False
    status: str = "new"
    clerk: str = ""  # who accepted it (the account of the accepted event)
    accepted_at: datetime | None = None
    transferred_at: datetime | None = None
    due_at: datetime | None = None
    decided_at: datetime | None = None
    decided_day: str | None = None
    decision_seconds: int | None = None
    # The moments and people the 督办 stages are timed from (clerk_desk.domain.supervision.Watched).
    handed_at: datetime | None = None  # the latest hand-over (a re-transfer after 补正 counts anew)
    received_by: str = ""  # who signed for it last (签收)
    paused_since: datetime | None = None  # while a 特别程序 stops the clock
    returned_at: datetime | None = None  # the result came back to the window
    pledge_open: bool = False
    pledge_due: str | None = None  # the 容缺 pledge's promised day (ISO date) while it is open
    closed_at: datetime | None = None  # closed at the window: on the spot, refused, delivered, withdrawn
    closed_by: str = ""

    # Copies and column values through one attrgetter: a push projects every case it touches, and
    # dataclasses.replace / a getattr per field cost about eight times as much (docs/hub.md).
    def values(self) -> dict[str, Any]:
        return dict(zip(CASE_COLUMNS, _COLUMN_VALUES(self), strict=True))

    def row(self) -> tuple[Any, ...]:
        """The values in CASE_COLUMNS order."""
        values: tuple[Any, ...] = _COLUMN_VALUES(self)
        return values

    def copy(self) -> CaseFigures:
        return CaseFigures(*_COLUMN_VALUES(self))


CASE_COLUMNS = tuple(f.name for f in fields(CaseFigures))
_COLUMN_VALUES = operator.attrgetter(*CASE_COLUMNS)


@dataclass
class Projection:
    """What one push (or a rebuild's chunk) changes: the cases' rows and the counters to add."""

    cases: dict[str, CaseFigures]
    known: frozenset[str]  # the cases that had a row before (an update, not an insert)
    daily: dict[DailyKey, dict[str, int]]
    durations: dict[DurationKey, int]
    items: dict[str, Named] = field(default_factory=dict)  # item code -> its latest name in these events

    def item_rows(self) -> list[dict[str, str]]:
        return [{"item_code": code, "item_name": name, "named_at": at}
                for code, (name, at) in sorted(self.items.items())]  # fmt: skip

    def duration_rows(self) -> list[dict[str, Any]]:
        keys = ("day", "site_code", "department_code", "bucket")
        return [dict(zip(keys, key, strict=True)) | {"n": n} for key, n in sorted(self.durations.items())]

    def daily_rows(self) -> list[dict[str, Any]]:
        keys = ("site_code", "department_code", "day", "item_code", "channel")
        return [dict(zip(keys, key, strict=True)) | counts for key, counts in sorted(self.daily.items())]

    # The same sums per month (county_monthly, county_durations_monthly): a period's whole months are read
    # there, its other days in the day tables (county_hub.county_figures), so a year costs twelve months.
    def monthly_rows(self) -> list[dict[str, Any]]:
        months: dict[tuple[str, str, str, str, str], dict[str, int]] = {}
        for (site, dept, day, item, channel), counts in self.daily.items():
            into = months.setdefault((site, dept, day[:7], item, channel), dict.fromkeys(COUNTERS, 0))
            for name, n in counts.items():
                into[name] += n
        keys = ("site_code", "department_code", "month", "item_code", "channel")
        return [dict(zip(keys, key, strict=True)) | counts for key, counts in sorted(months.items())]

    def monthly_duration_rows(self) -> list[dict[str, Any]]:
        months: dict[tuple[str, str, str, int], int] = {}
        for (day, site, dept, bucket), n in self.durations.items():
            key = (day[:7], site, dept, bucket)
            months[key] = months.get(key, 0) + n
        keys = ("month", "site_code", "department_code", "bucket")
        return [dict(zip(keys, key, strict=True)) | {"n": n} for key, n in sorted(months.items())]

    @classmethod
    def empty(cls) -> Projection:
        return cls({}, frozenset(), {}, {}, {})


def parse_moment(text: Any) -> datetime | None:
    if not text:
        return None
    if isinstance(text, datetime):
        return text
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def shanghai_day(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).date().isoformat()


def project(known: Mapping[str, CaseFigures], events: Iterable[EventLike]) -> Projection:
    """The rows and counters after ``events`` (stored, in log order) over the cases as ``known``."""
    cases: dict[str, CaseFigures] = {}
    daily: dict[DailyKey, dict[str, int]] = {}
    durations: dict[DurationKey, int] = {}
    items: dict[str, Named] = {}
    for event in events:
        row = cases.get(event.case_uuid)
        if row is None:
            held = known.get(event.case_uuid)
            row = held.copy() if held is not None else CaseFigures(event.site_code, event.department_code)
            cases[event.case_uuid] = row
        _step(row, event, daily, durations, items)
    return Projection(cases, frozenset(u for u in cases if u in known), daily, durations, items)


def _add(daily: dict[DailyKey, dict[str, int]], row: CaseFigures, at: datetime, **counts: int) -> None:
    key = (row.site_code, row.department_code, shanghai_day(at), row.item_code, row.channel)
    bucket = daily.setdefault(key, dict.fromkeys(COUNTERS, 0))
    for name, n in counts.items():
        bucket[name] += n


def _step(
    row: CaseFigures,
    event: EventLike,
    daily: dict[DailyKey, dict[str, int]],
    durations: dict[DurationKey, int],
    items: dict[str, Named],
) -> None:
    kind = str(getattr(event.type, "value", event.type))
    at = parse_moment(event.occurred_at)
    assert at is not None  # the hub normalised it (county_hub.schemas)
    p = event.payload or {}
    if kind in INTAKES or kind == E.INTAKE_SAVED.value:
        # Every intake event says what the window recorded: the latest wins (domain/case_facts.py).
        row.case_number = _no_nul(str(p.get("case_number") or row.case_number))[:64]
        row.item_code = _no_nul(str(p.get("item_code") or row.item_code))[:64]
        row.channel = _no_nul(str(p.get("channel") or row.channel))[:32]
        row.urgent = bool(p.get("urgent", row.urgent))
        name = item_name(p.get("item_name"))
        if name and p.get("item_code"):  # the name of the code the same payload gives
            name_item(items, row.item_code, name, event.occurred_at)
    due = parse_moment(p.get("due_at"))
    if due is not None:
        row.due_at = due
    if kind in INTAKES:
        _add(daily, row, at, intakes=1, **{INTAKES[kind]: 1})
        if kind == E.ACCEPTED.value:
            row.accepted_at, row.clerk = at, event.actor[:64]
    elif kind == E.TRANSFERRED.value and row.transferred_at is None:
        row.transferred_at = at
        in_time = row.accepted_at is not None and at - row.accepted_at <= timedelta(
            minutes=TRANSFER_MINUTES[row.urgent]
        )
        _add(daily, row, at, transfers=1, transfers_on_time=int(in_time))
    elif kind == E.DECIDED.value:
        row.decided_at, row.decided_day = at, shanghai_day(at)
        took = int((at - row.accepted_at).total_seconds()) if row.accepted_at is not None else 0
        row.decision_seconds = took
        in_time = row.due_at is not None and at <= row.due_at
        _add(daily, row, at, decisions=1, decided_in_time=int(in_time), decision_seconds=took)
        key = (row.decided_day, row.site_code, row.department_code, duration_bucket(took))
        durations[key] = durations.get(key, 0) + 1
    if kind in HANDED:
        row.handed_at = at
    elif kind == E.RECEIVED.value:
        row.received_by = event.actor[:64]
    elif kind == E.RESULT_RETURNED.value:
        row.returned_at = at
    elif kind == E.PLEDGE_RECORDED.value:
        row.pledge_open, row.pledge_due = True, _day(p.get("due"))
    elif kind == E.PLEDGE_FULFILLED.value:
        row.pledge_open, row.pledge_due = False, None
    if kind in CLOSING:
        row.closed_at, row.closed_by = at, event.actor[:64]
    target = MOVES.get(kind)
    if target is not None:
        row.status = target
        row.paused_since = at if kind == E.CLOCK_PAUSED.value else None


def _day(value: Any) -> str | None:
    """The ISO date a payload gives (``2026-10-09`` or a moment), else None."""
    text = str(value or "")[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None
