"""The 督办 list of this site: the cases at risk or late (domain/supervision.py says the rules), read in
plain SQL from the desk's file, with who holds each and by how much.

Per watched status, the oldest cases first (a case waiting longest is the likeliest to be late), at most
``cap`` of them, then one query for the few events the rules read (the latest hand-over, 签收, the pause,
the result's return, the pledge, how it closed). A hall has a few dozen open cases; a database with more
than ``cap`` in one status says so (``Scan.capped``), and the page tells the supervisor the list shows the
oldest ``cap`` of them. docs/supervision.md has the figures.

The same rules run over a case view (:func:`watched_from_view`): the tests compare this list with a fold of
every case, and the county hub can compute the same list from its own log.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.lifecycle import EventType, Status
from clerk_desk.domain.workdays import CalendarLike
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db, to_db

E = EventType
CAP = 500  # cases read per watched status (a hall has a few dozen open; the page says when there are more)
SIGN_MINUTES_KEY = "supervision.sign_minutes"
RESULT_DAYS_KEY = "supervision.result_days"

STAGE_ZH = {
    sv.Stage.TRANSFER: "受理后未流转",
    sv.Stage.SIGN: "流转后未签收",
    sv.Stage.DECISION: "后台审批时限",
    sv.Stage.RESULT: "结果未领取",
    sv.Stage.PLEDGE: "容缺承诺逾期",
    sv.Stage.ARCHIVE: "材料未归档",
}
LEVEL_ZH = {sv.Level.AMBER: "将到期", sv.Level.RED: "已超期"}

_CLOSING = (E.COMPLETED_ON_SPOT.value, E.REFUSED.value, E.DELIVERED.value, E.WITHDRAWN.value)
_READ = (E.ACCEPTED.value, E.TRANSFERRED.value, E.RETRANSFERRED.value, E.RECEIVED.value, E.CLOCK_PAUSED.value,
         E.RESULT_RETURNED.value, E.PLEDGE_RECORDED.value, *_CLOSING)  # fmt: skip
_NOT_IN_CASE = ("rejected", "held", "set_aside")
_CHUNK = 500  # uuids per IN (...) (SQLite's default limit of bound parameters is far above)


@dataclass(frozen=True)
class Row:
    """An alert with the names a list shows."""

    alert: sv.Alert
    department_name: str
    window_name: str
    holder_name: str

    @property
    def uuid(self) -> str:
        """The row's key in a list (a case late at two stages is two rows)."""
        return f"{self.alert.case_uuid}:{self.alert.stage.value}"

    @property
    def stage_zh(self) -> str:
        return STAGE_ZH[self.alert.stage]

    @property
    def level_zh(self) -> str:
        return LEVEL_ZH[self.alert.level]


@dataclass(frozen=True)
class Scan:
    rows: tuple[Row, ...]
    capped: tuple[Status, ...] = ()  # statuses with more than ``cap`` cases: only the oldest were read
    cap: int = CAP
    whole: bool = True  # no case was left out by ``cap`` (neither of a status nor of the 容缺 owed)
    departments: dict[str, str] = field(default_factory=dict)  # every department and window, for the filters
    windows: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Filter:
    """What the supervisor narrows the list to (empty: everything)."""

    department_code: str = ""
    window_id: str = ""
    holder: str = ""  # a username
    stage: sv.Stage | None = None
    late_only: bool = False

    def keeps(self, row: Row) -> bool:
        a = row.alert
        return ((not self.department_code or a.department_code == self.department_code)
                and (not self.window_id or a.window_id == self.window_id)
                and (not self.holder or a.holder == self.holder)
                and (self.stage is None or a.stage is self.stage)
                and (not self.late_only or a.level is sv.Level.RED))  # fmt: skip


def rules(db: Database) -> sv.Rules:
    """The county's minutes for 签收 and days for a result waiting (the defaults until the county sets them)."""
    with db.plain_reading() as c:
        found = dict(c.execute("SELECT key, value FROM settings WHERE key IN (?, ?)",
                               (SIGN_MINUTES_KEY, RESULT_DAYS_KEY)).fetchall())  # fmt: skip
    return sv.Rules(_int(found.get(SIGN_MINUTES_KEY), sv.DEFAULT_RULES.sign_minutes),
                    _int(found.get(RESULT_DAYS_KEY), sv.DEFAULT_RULES.result_days))  # fmt: skip


def save_rules(db: Database, new: sv.Rules) -> None:
    if not 1 <= new.sign_minutes <= 24 * 60 or not 1 <= new.result_days <= 365:
        from clerk_desk.domain.errors import InputError

        raise InputError("签收时限应在 1 至 1440 分钟之间，结果领取期限应在 1 至 365 天之间")
    with db.plain_transaction() as c:
        for key, value in ((SIGN_MINUTES_KEY, new.sign_minutes), (RESULT_DAYS_KEY, new.result_days)):
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                      (key, str(value), str(value)))  # fmt: skip


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def scan(db: Database, now: datetime | None = None, *, calendar: CalendarLike | None = None,
         site_code: str | None = None, cap: int = CAP, given: sv.Rules | None = None) -> Scan:  # fmt: skip
    """Every alert at this desk at ``now`` (domain/supervision.scan's order), with names."""
    now = now or datetime.now(UTC)
    calendar = calendar or work_calendar(db.data_dir)
    given = given or rules(db)
    with db.plain_reading() as c:
        found, capped, whole = _candidates(c, now, calendar, site_code, cap)
        # an accepted case is judged by its columns alone, unless a pledge is open (its date is in the event)
        told = _events(c, [u for u, r in found.items() if r[5] != Status.ACCEPTED.value or r[10]])
        watched = [_watched(r, told.get(r["uuid"], [])) for r in found.values()]
        alerts = sv.scan(watched, now, calendar, given)
        departments = dict(c.execute("SELECT code, name FROM departments ORDER BY sort_order, code").fetchall())
        windows = dict(c.execute("SELECT id, name FROM windows ORDER BY sort_order, name").fetchall())
        holders = sorted({a.holder for a in alerts if a.holder})
        names: dict[str, str] = {r[0]: r[1] for r in _in(c, "SELECT username, display_name FROM users WHERE username IN ({})", holders)}
    rows = tuple(Row(a, departments.get(a.department_code, a.department_code),
                     windows.get(a.window_id or "", ""), names.get(a.holder, a.holder)) for a in alerts)  # fmt: skip
    return Scan(rows, capped, cap, whole, departments, windows)


_COLUMNS = ("c.uuid, c.case_number, c.site_code, c.department_code, c.item_name, c.status, c.urgent, c.window_id,"
            " c.transfer_due_at, c.due_at, c.pledge_open, u.username AS clerk")


def _candidates(c: sqlite3.Connection, now: datetime, calendar: CalendarLike, site_code: str | None,
                cap: int) -> tuple[dict[str, sqlite3.Row], tuple[Status, ...], bool]:  # fmt: skip
    """The cases a rule may flag, per status the oldest first (the status index, in date order); whether
    ``cap`` left none out."""
    found: dict[str, sqlite3.Row] = {}
    capped: list[Status] = []
    site = " AND c.site_code = ?" if site_code else ""
    site_params: tuple[Any, ...] = (site_code,) if site_code else ()
    # Bounds the columns give for free: a hand-over not yet within its last minutes, a due date more than
    # a working day away, cannot be flagged (a pause is measured where it began: paused cases are all read).
    soon = to_db(now + timedelta(minutes=sv.warn_minutes(15)))
    second = sv.day_start(sv.next_working_day(sv.next_working_day(now.astimezone(sv.SHANGHAI).date(), calendar),
                                              calendar))  # fmt: skip
    bound: dict[Status, tuple[str, tuple[Any, ...]]] = {
        Status.ACCEPTED: (" AND c.transfer_due_at <= ?", (soon,)),
        Status.IN_REVIEW: (" AND c.due_at < ?", (to_db(second),)),
    }
    for status in sorted(sv.WATCHED_STATUSES):
        extra, params = bound.get(status, ("", ()))
        rows = c.execute(
            f"SELECT {_COLUMNS} FROM cases AS c LEFT JOIN users AS u ON u.id = c.clerk_user_id"
            f" WHERE c.status = ?{site}{extra} ORDER BY c.created_at LIMIT ?",
            (status.value, *site_params, *params, cap + 1)).fetchall()  # fmt: skip
        if len(rows) > cap:
            capped.append(status)
        for r in rows[:cap]:
            found[r["uuid"]] = r
    rows = c.execute(  # 容缺 owed at any open status (the partial index of the follow-up list)
        f"SELECT {_COLUMNS} FROM cases AS c LEFT JOIN users AS u ON u.id = c.clerk_user_id"
        f" WHERE c.pledge_open = 1{site} ORDER BY c.created_at LIMIT ?", (*site_params, cap + 1)).fetchall()
    for r in rows[:cap]:
        found.setdefault(r["uuid"], r)
    return found, tuple(capped), not capped and len(rows) <= cap


def _in(c: sqlite3.Connection, sql: str, values: Sequence[Any], *params: Any) -> Iterable[sqlite3.Row]:
    for i in range(0, len(values), _CHUNK):
        part = values[i : i + _CHUNK]
        yield from c.execute(sql.format(", ".join("?" * len(part))), (*part, *params))


def _events(c: sqlite3.Connection, uuids: list[str]) -> dict[str, list[sqlite3.Row]]:
    out: dict[str, list[sqlite3.Row]] = {}
    marks_types = ", ".join("?" * len(_READ))
    sql = (f"SELECT case_uuid, type, occurred_at, actor, payload FROM case_events WHERE case_uuid IN ({{}})"
           f" AND type IN ({marks_types}) AND push_state NOT IN ('rejected', 'held', 'set_aside')"
           " ORDER BY case_uuid, case_version")  # fmt: skip
    for r in _in(c, sql, uuids, *_READ):
        out.setdefault(r[0], []).append(r)
    return out


_ACCEPTED, _RECEIVED, _PAUSED, _RETURNED, _PLEDGED = (E.ACCEPTED.value, E.RECEIVED.value, E.CLOCK_PAUSED.value,
                                                     E.RESULT_RETURNED.value, E.PLEDGE_RECORDED.value)
_HANDED = (E.TRANSFERRED.value, E.RETRANSFERRED.value)
_STATUS = {s.value: s for s in Status}


def _watched(r: sqlite3.Row, events: list[sqlite3.Row]) -> sv.Watched:
    """The facts of one row of _COLUMNS (by position: a page of the list builds thousands) and its events."""
    status = _STATUS[r[5]]
    latest: dict[str, sqlite3.Row] = {}
    handed: sqlite3.Row | None = None
    closing: sqlite3.Row | None = None
    for e in events:
        kind = e[1]
        latest[kind] = e
        if kind in _HANDED:
            handed = e
        elif kind in _CLOSING:
            closing = e
    pledge = latest.get(_PLEDGED)
    pledge_due = _date(json.loads(pledge[4]).get("due")) if pledge is not None and pledge[4] else None
    accepted = latest.get(_ACCEPTED)
    paused = latest.get(_PAUSED)
    received = latest.get(_RECEIVED)
    returned = latest.get(_RETURNED)
    return sv.Watched(
        r[0], r[1] or "", r[2], r[3], r[4], status, bool(r[6]), r[7],
        accepted[3] if accepted is not None else (r[11] or ""), from_db(r[8]),
        from_db(handed[2]) if handed is not None else None, received[3] if received is not None else "",
        from_db(r[9]), from_db(paused[2]) if paused is not None and status is Status.PAUSED else None,
        from_db(returned[2]) if returned is not None else None, bool(r[10]), pledge_due,
        from_db(closing[2]) if closing is not None else None, closing[3] if closing is not None else "",
    )  # fmt: skip


def _date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def watched_from_view(view: CaseView) -> sv.Watched:
    """The same facts from a folded case (the tests' brute force; the hub folds its log the same way)."""
    transfer_due = view.transfer.due_at if view.transfer else None
    if transfer_due is None and view.accepted_at is not None:
        transfer_due = view.accepted_at + timedelta(minutes=sv.TRANSFER_MINUTES[view.item.urgent])
    return sv.Watched(
        view.uuid, view.case_number, view.site_code, view.item.department_code, view.item.name, view.status,
        view.item.urgent, view.intake.window_id, view.intake.act.actor if view.intake.act else "", transfer_due,
        view.transfer.last_at if view.transfer else None, view.received.act.actor if view.received else "",
        view.due_at, view.paused_since,
        view.decision.returned.at if view.decision and view.decision.returned else None,
        view.pledge_open, view.pledge.due if view.pledge else None,
        view.closed.at if view.closed else None, view.closed.actor if view.closed else "",
    )  # fmt: skip
