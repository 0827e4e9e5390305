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

The 督办 list reads each case's open stage: its ``deadline`` and ``risk_at`` (amber from then on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
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
# How long the back office may take to sign for (签收) a transferred case, and how long a result may wait
# at the window before it is listed: the defaults of the site's 督办 page (issue #13). The county sets
# them here; after a change, ``county-hub county rebuild`` recounts the deadlines of the cases already open.
# A stage turns amber in the last quarter of its minutes (the transfer, 签收) or one day before its due date.
SIGN_FOR = timedelta(minutes=30)
RESULT_WAITING = timedelta(days=5)
DECISION_WARNING = timedelta(days=1)


def last_quarter(span: timedelta) -> timedelta:
    return span / 4


# Stages of the 督办 list by case status; a paused clock (特别程序) or a case back at the window for
# 补正 has none.
STAGES = {
    "accepted": "transfer",
    "transferred": "sign_for",
    "in_review": "decision",
    "result_at_window": "collect",
}

DailyKey = tuple[str, str, str, str, str]  # site, department, day, item, channel


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
    holder: str = ""
    stage_since: datetime | None = None
    accepted_at: datetime | None = None
    transferred_at: datetime | None = None
    due_at: datetime | None = None
    decided_at: datetime | None = None
    decided_day: str | None = None
    decision_seconds: int | None = None
    deadline: datetime | None = None
    risk_at: datetime | None = None

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


CASE_COLUMNS = tuple(f.name for f in fields(CaseFigures))


@dataclass
class Projection:
    """What one push (or a rebuild's chunk) changes: the cases' rows and the counters to add."""

    cases: dict[str, CaseFigures]
    known: frozenset[str]  # the cases that had a row before (an update, not an insert)
    daily: dict[DailyKey, dict[str, int]]

    def daily_rows(self) -> list[dict[str, Any]]:
        keys = ("site_code", "department_code", "day", "item_code", "channel")
        return [dict(zip(keys, key, strict=True)) | counts for key, counts in sorted(self.daily.items())]

    @classmethod
    def empty(cls) -> Projection:
        return cls({}, frozenset(), {})


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
    for event in events:
        row = cases.get(event.case_uuid)
        if row is None:
            held = known.get(event.case_uuid)
            row = replace(held) if held is not None else CaseFigures(event.site_code, event.department_code)
            cases[event.case_uuid] = row
        _step(row, event, daily)
    return Projection(cases, frozenset(u for u in cases if u in known), daily)


def _add(daily: dict[DailyKey, dict[str, int]], row: CaseFigures, at: datetime, **counts: int) -> None:
    key = (row.site_code, row.department_code, shanghai_day(at), row.item_code, row.channel)
    bucket = daily.setdefault(key, dict.fromkeys(COUNTERS, 0))
    for name, n in counts.items():
        bucket[name] += n


def _step(row: CaseFigures, event: EventLike, daily: dict[DailyKey, dict[str, int]]) -> None:
    kind = str(getattr(event.type, "value", event.type))
    at = parse_moment(event.occurred_at)
    assert at is not None  # the hub normalised it (county_hub.schemas)
    p = event.payload or {}
    if kind in INTAKES or kind == E.INTAKE_SAVED.value:
        # Every intake event says what the window recorded: the latest wins (domain/case_facts.py).
        row.case_number = str(p.get("case_number") or row.case_number)[:64]
        row.item_code = str(p.get("item_code") or row.item_code)[:64]
        row.channel = str(p.get("channel") or row.channel)[:32]
        row.urgent = bool(p.get("urgent", row.urgent))
    due = parse_moment(p.get("due_at"))
    if due is not None:
        row.due_at = due
    if kind in INTAKES:
        _add(daily, row, at, intakes=1, **{INTAKES[kind]: 1})
        if kind == E.ACCEPTED.value:
            row.accepted_at = at
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
    rule = TRANSITIONS.get(EventType(kind)) if kind in EventType._value2member_map_ else None
    if rule is not None and rule.target is not None and rule.changes_case:
        row.status, row.holder, row.stage_since = rule.target.value, event.actor[:64], at
    row.deadline, row.risk_at = stage_deadline(row)


def stage_deadline(row: CaseFigures) -> tuple[datetime | None, datetime | None]:
    """(deadline, the moment it turns amber) of the case's open stage; (None, None) when none runs."""
    stage = STAGES.get(row.status)
    if stage == "transfer" and row.accepted_at is not None:
        allowed = timedelta(minutes=TRANSFER_MINUTES[row.urgent])
        deadline = row.accepted_at + allowed
        return deadline, deadline - last_quarter(allowed)
    if stage == "sign_for" and row.stage_since is not None:
        deadline = row.stage_since + SIGN_FOR
        return deadline, deadline - last_quarter(SIGN_FOR)
    if stage == "decision" and row.due_at is not None:
        return row.due_at, row.due_at - DECISION_WARNING
    if stage == "collect" and row.stage_since is not None:
        deadline = row.stage_since + RESULT_WAITING
        return deadline, deadline
    return None, None
