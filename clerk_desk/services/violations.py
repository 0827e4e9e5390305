"""The month's violations at this desk (domain/violations.py): the first hand-overs and the decisions made in
the month, found through the (type, occurred_at) index, judged by the shared rules, with the supervisor's
excuses. Excusing is an event of the case's log (``violation_excused``) and a line of the audit trail:
nothing is ever deleted (docs/supervision.md)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from clerk_desk.domain import violations as vi
from clerk_desk.domain.lifecycle import EventType
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db, to_db

E = EventType
_NOT_IN_CASE = ("rejected", "held", "set_aside")
_CHUNK = 500
REASON_MAX = 500


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in the hall's time (Asia/Shanghai): [first day 00:00, next month's first day 00:00)."""
    start = datetime.combine(date(year, month, 1), time(), SHANGHAI)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start, datetime.combine(nxt, time(), SHANGHAI)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    violations: tuple[vi.Violation, ...]
    names: dict[str, str]  # username -> display name
    departments: dict[str, str]

    def by_department(self) -> list[vi.Tally]:
        return vi.tally(self.violations, lambda v: v.department_code)

    def by_person(self) -> list[vi.Tally]:
        return vi.tally(self.violations, lambda v: v.person)


def _in(c: sqlite3.Connection, sql: str, values: Sequence[Any], *params: Any) -> Iterable[sqlite3.Row]:
    for i in range(0, len(values), _CHUNK):
        part = values[i : i + _CHUNK]
        yield from c.execute(sql.format(", ".join("?" * len(part))), (*part, *params))


def _acts(c: sqlite3.Connection, kind: str, start: datetime, end: datetime,
          site_code: str | None) -> list[sqlite3.Row]:  # fmt: skip
    site = " AND c.site_code = ?" if site_code else ""
    return c.execute(
        "SELECT e.case_uuid, e.occurred_at, e.actor, e.payload, c.case_number, c.site_code, c.department_code,"
        " c.item_name, c.accepted_at, c.urgent, c.due_at FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid"
        " WHERE e.type = ? AND e.occurred_at >= ? AND e.occurred_at < ?"
        f" AND e.push_state NOT IN ('rejected', 'held', 'set_aside'){site}",
        (kind, to_db(start), to_db(end), *((site_code,) if site_code else ()))).fetchall()  # fmt: skip


def month(db: Database, year: int, month_: int, *, site_code: str | None = None,
          calendar: CalendarLike | None = None) -> Month:  # fmt: skip
    """Every late transfer and late decision of the month, with its excuse if any."""
    calendar = calendar or work_calendar(db.data_dir)
    start, end = month_bounds(year, month_)
    found: list[vi.Violation] = []
    with db.plain_reading() as c:
        transfers = _acts(c, E.TRANSFERRED.value, start, end, site_code)
        accepted = {r[0]: r[1] for r in _in(
            c, "SELECT case_uuid, actor FROM case_events WHERE case_uuid IN ({}) AND type = ?"
               " AND push_state NOT IN ('rejected', 'held', 'set_aside')", [r[0] for r in transfers],
            E.ACCEPTED.value)}  # fmt: skip
        firsts: dict[str, sqlite3.Row] = {}
        for r in transfers:  # the first hand-over only (a second one would be a repeat the hub refuses)
            if r[0] not in firsts or r[1] < firsts[r[0]][1]:
                firsts[r[0]] = r
        for r in firsts.values():
            accepted_at = from_db(r[8])
            if accepted_at is None:
                continue
            body = json.loads(r[3]) if r[3] else {}
            v = vi.late_transfer(r[0], r[4] or "", r[5], r[6], r[7], accepted_at, bool(r[9]), from_db(r[1]),  # type: ignore[arg-type]
                                 bool(body.get("late")), accepted.get(r[0], ""))  # fmt: skip
            if v is not None:
                found.append(v)
        for r in _acts(c, E.DECIDED.value, start, end, site_code):
            due = from_db(r[10])
            if due is None:
                continue
            v = vi.late_decision(r[0], r[4] or "", r[5], r[6], r[7], due, from_db(r[1]), r[2], calendar)  # type: ignore[arg-type]
            if v is not None:
                found.append(v)
        excuses = _excuses(c, sorted({v.case_uuid for v in found}))
        found = [replace(v, excuse=excuses.get((v.case_uuid, v.kind.value))) for v in found]
        people = sorted({v.person for v in found} | {x.by for x in excuses.values()})
        names: dict[str, str] = {r[0]: r[1] for r in _in(c, "SELECT username, display_name FROM users WHERE username IN ({})", people)}
        departments = dict(c.execute("SELECT code, name FROM departments").fetchall())
    found.sort(key=lambda v: (v.at, v.case_uuid, v.kind.value))
    return Month(year, month_, tuple(found), names, departments)


def _excuses(c: sqlite3.Connection, uuids: list[str]) -> dict[tuple[str, str], vi.Excuse]:
    out: dict[tuple[str, str], vi.Excuse] = {}
    sql = ("SELECT case_uuid, occurred_at, actor, payload FROM case_events WHERE case_uuid IN ({}) AND type = ?"
           " AND push_state NOT IN ('rejected', 'held', 'set_aside') ORDER BY occurred_at")  # fmt: skip
    for r in _in(c, sql, uuids, E.VIOLATION_EXCUSED.value):
        body = json.loads(r[3]) if r[3] else {}
        key = (r[0], str(body.get("violation") or ""))
        out.setdefault(key, vi.Excuse(from_db(r[1]), r[2], str(body.get("reason") or "")))  # type: ignore[arg-type]
    return out


def excuse(db: Database, case_uuid: str, kind: vi.Kind, supervisor: str, *, reason: str,
           now: datetime | None = None) -> None:  # fmt: skip
    """A supervisor excuses a violation, with the reason: an event of the case's log and an audit line."""
    from sqlalchemy import select

    from clerk_desk.domain.errors import AuthError, Conflict, InputError, NotFound
    from clerk_desk.domain.lifecycle import Side
    from clerk_desk.services import audit
    from clerk_desk.services.case_events import append_event
    from clerk_desk.store.models import Case, CaseEvent, User, utcnow
    from clerk_desk.store.this_device import device_code_or_none

    reason = reason.strip()
    if not reason:
        raise InputError("请填写免责理由")
    if len(reason) > REASON_MAX:
        raise InputError(f"免责理由最多 {REASON_MAX} 字")
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.username == supervisor))
        if user is None or not user.active or not {"supervisor", "admin"} & set(user.roles or []):
            raise AuthError("只有大厅管理人员可以认定违规免责")
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        before = [e for e in s.scalars(select(CaseEvent).where(
            CaseEvent.case_uuid == case_uuid, CaseEvent.type == E.VIOLATION_EXCUSED.value,
            CaseEvent.push_state.not_in(_NOT_IN_CASE))) if (e.payload or {}).get("violation") == kind.value]  # fmt: skip
        if before:
            raise Conflict("该违规记录已经认定免责")
        append_event(s, case, E.VIOLATION_EXCUSED, Side.WINDOW, actor=supervisor,
                     device_code=device_code_or_none(s) or case.device_code, now=now or utcnow(),
                     payload={"violation": kind.value, "reason": reason, "case_number": case.case_number})  # fmt: skip
        audit.record(s, "violation_excused", supervisor, case_uuid=case_uuid, case_number=case.case_number,
                     violation=kind.value, reason=reason)  # fmt: skip
