"""The one row every case list shows (the window's list, the back office's inbox, 归档, the follow-up
lists), built in plain SQL from a page of case rows and, in one more query, the few events a row tells
of (when it was handed over, since when paused, the decision, the withdrawal request, how and when it
closed, when it was archived).

Rows are built on a worker thread and handed to the GUI thread as they are (frozen). Personal data is
sealed (docs/personal-data.md): a page opens only the applicant names it shows, and ID numbers only for
the 归档 list, which prints them masked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from clerk_desk.domain.event_record import NOT_IN_CASE
from clerk_desk.domain.lifecycle import EventType, Status
from clerk_desk.domain.transfers import Transfer, transfer_facts
from clerk_desk.domain.workdays import CalendarLike, is_provisional, working_days_left
from clerk_desk.store.data_keys import PURGED, DataKeys
from clerk_desk.store.sqlite_file import from_db

E = EventType
STATUS_ZH = {
    Status.NEW: "新建",
    Status.DRAFT: "草稿",
    Status.ACCEPTED: "已受理待流转",
    Status.COMPLETED: "已当场办结",
    Status.NOTIFIED: "已一次性告知",
    Status.REFUSED: "不予受理",
    Status.TRANSFERRED: "已流转后台",
    Status.IN_REVIEW: "后台审批中",
    Status.PAUSED: "特别程序（暂停计时）",
    Status.SUPPLEMENT_REQUESTED: "退回补正",
    Status.DECIDED: "已审批",
    Status.RESULT_AT_WINDOW: "结果待领取",
    Status.DELIVERED: "已送达",
    Status.WITHDRAWN: "已撤回",
    Status.ARCHIVED: "已归档",
}
# A withdrawal the window asked for and the back office has not answered yet (services/withdrawal.py).
WITHDRAWAL_PENDING_ZH = "撤回申请中"
BACK_OFFICE_OPEN = frozenset({Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED})
CLOCK_RUNNING = frozenset({Status.TRANSFERRED, Status.IN_REVIEW, Status.DECIDED})  # the due date counts down
URGENT_DAYS = 1  # amber at this many working days left, or fewer
CLOSING = (E.COMPLETED_ON_SPOT.value, E.REFUSED.value, E.DELIVERED.value, E.WITHDRAWN.value)
CLOSED_AS_ZH = {E.COMPLETED_ON_SPOT.value: "当场办结", E.REFUSED.value: "不予受理", E.DELIVERED.value: "已送达",
                E.WITHDRAWN.value: "已撤回"}  # how a case closed at the window (归档)
# The events a row tells of; events the hub refused (or that wait behind one) are not part of the case.
_TOLD = (E.TRANSFERRED.value, E.RETRANSFERRED.value, E.CLOCK_PAUSED.value, E.DECIDED.value,
         E.WITHDRAWAL_REQUESTED.value, E.ARCHIVED.value, E.PLEDGE_RECORDED.value, E.RESULT_RETURNED.value, *CLOSING)
_PARSED = (E.TRANSFERRED.value, E.RETRANSFERRED.value, E.DECIDED.value, E.WITHDRAWAL_REQUESTED.value,
           E.PLEDGE_RECORDED.value)

# The columns of a page (the FROM part is the list's: cases c, departments d, persons a).
COLUMNS = (
    "c.uuid, c.case_number, c.item_code, c.item_name, c.department_code, d.name, c.site_code, a.name,"
    " a.purged_at, c.status, c.created_at, c.accepted_at, c.urgent, c.transfer_due_at, c.due_at,"
    " c.version - c.acked_version, c.withdrawal_requested, c.pledge_open, c.due_calendar_version"
)
ARCHIVE_COLUMNS = ", a.id_number, a.kind, c.details"  # 归档 only


class CaseRow(NamedTuple):
    """One case as a list shows it (immutable: built on a worker thread, read on the GUI thread). A tuple,
    not a dataclass: a page builds a hundred of them, and a frozen dataclass of this size costs three times
    as much to make (benchmarks/ui_cases.py)."""

    uuid: str
    case_number: str
    item_code: str
    item_name: str
    department_code: str
    department_name: str
    site_code: str
    applicant_name: str
    status: Status
    created_at: datetime
    accepted_at: datetime | None
    urgent: bool
    transfer_due_at: datetime | None  # the window's deadline for the hand-over (its countdown)
    due_at: datetime | None
    due_provisional: bool = False  # counted on weekends only over a year without its calendar (workdays.py)
    pending_events: int = 0  # changes made here the hub has not confirmed
    withdrawal_requested: bool = False  # asked by the window, not yet answered by the back office
    pledge_open: bool = False
    transfer: Transfer | None = None  # once handed over: when, how long it took, late or not
    paused_since: datetime | None = None  # while a 特别程序 stops the clock
    decision: str | None = None  # approved | denied, once decided
    withdrawal_reason: str = ""
    pledge_due: str | None = None  # the date the owed material was promised for (ISO)
    closed_as: str | None = None  # the event that closed it at the window
    closed_at: datetime | None = None
    archived_at: datetime | None = None
    archived_by: str = ""
    days_left: int | None = None  # working days to the due date (negative: overdue); with a calendar only
    overdue: bool = False
    applicant_id_number: str = ""  # 归档 only (printed masked)
    applicant_is_organisation: bool = False
    materials: int | None = None  # 归档: checklist lines provided, and their copies
    copies: int | None = None
    returned_at: datetime | None = None  # when the result came back to the window

    @property
    def status_zh(self) -> str:
        return status_text(self.status, self.withdrawal_requested)

    @property
    def archived(self) -> bool:
        return self.status is Status.ARCHIVED

    @property
    def closed_as_zh(self) -> str:
        return CLOSED_AS_ZH.get(self.closed_as or "", self.closed_as or "")

    @property
    def materials_text(self) -> str:
        """项/份 of the materials received, as the 归档 list prints them (— when not known)."""
        if self.materials is None:
            return "—"
        return f"{self.materials}项{self.copies}份" if self.copies is not None else f"{self.materials}项"

    @property
    def urgency(self) -> str:
        """"red" overdue, "amber" one working day or less left, "" otherwise (and once out of the back office)."""
        if self.days_left is None or (self.status not in CLOCK_RUNNING and self.status is not Status.PAUSED):
            return ""
        if self.overdue:
            return "red"
        return "amber" if self.days_left <= URGENT_DAYS else ""


def status_text(status: str, withdrawal_requested: bool) -> str:
    """The status as the lists show it: ``后台审批中（撤回申请中）`` while a withdrawal request waits."""
    text = STATUS_ZH[Status(status)]
    return f"{text}（{WITHDRAWAL_PENDING_ZH}）" if withdrawal_requested and status in BACK_OFFICE_OPEN else text


def applicant_name(keys: DataKeys, sealed: bytes | None, purged_at: str | None) -> str:
    """What a list shows for the applicant: the opened name, 已清除 after a purge, or 〔本机无法读取〕."""
    if purged_at is not None:
        return PURGED
    return keys.open_text(sealed, "persons.name") or ""


def build(c: sqlite3.Connection, keys: DataKeys, found: Sequence[sqlite3.Row], *, now: datetime,
          calendar: CalendarLike | None = None, archive: bool = False,
          events: bool = True) -> tuple[CaseRow, ...]:  # fmt: skip
    """Rows from a page of COLUMNS (and ARCHIVE_COLUMNS with ``archive``), with what their events tell
    (unless ``events`` is False)."""
    told = _told(c, [r[0] for r in found]) if events or archive else {}
    names = _names(c, told) if archive else {}
    return tuple(_row(keys, r, told.get(r[0], []), names, now, calendar, archive) for r in found)


def _told(c: sqlite3.Connection, uuids: list[str]) -> dict[str, list[tuple[str, str, str, str]]]:
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    if not uuids:
        return out
    marks = ", ".join("?" * len(uuids))
    for case_uuid, kind, at, actor, payload in c.execute(
        f"SELECT case_uuid, type, occurred_at, actor, payload FROM case_events WHERE case_uuid IN ({marks})"
        f" AND type IN ({', '.join('?' * len(_TOLD))}) AND push_state NOT IN ({', '.join('?' * len(NOT_IN_CASE))})"
        " ORDER BY case_uuid, case_version", (*uuids, *_TOLD, *NOT_IN_CASE),
    ):  # fmt: skip
        out.setdefault(case_uuid, []).append((kind, at, actor, payload))
    return out


def _names(c: sqlite3.Connection, told: dict[str, list[tuple[str, str, str, str]]]) -> dict[str, str]:
    actors = sorted({actor for evs in told.values() for kind, _at, actor, _p in evs if kind == _ARCHIVED})
    if not actors:
        return {}
    marks = ", ".join("?" * len(actors))
    return dict(c.execute(f"SELECT username, display_name FROM users WHERE username IN ({marks})", actors).fetchall())


# Event types as plain strings: a page builds a hundred rows, and an enum member's .value is a property call.
_TRANSFERS = (E.TRANSFERRED.value, E.RETRANSFERRED.value)
_PAUSED, _DECIDED, _ASKED = E.CLOCK_PAUSED.value, E.DECIDED.value, E.WITHDRAWAL_REQUESTED.value
_PLEDGED, _ARCHIVED, _RETURNED = E.PLEDGE_RECORDED.value, E.ARCHIVED.value, E.RESULT_RETURNED.value
_EVENT_FREE: dict[str, Any] = {}


def _row(keys: DataKeys, r: sqlite3.Row, events: list[tuple[str, str, str, str]], names: dict[str, str],
         now: datetime, calendar: CalendarLike | None, archive: bool) -> CaseRow:  # fmt: skip
    status = Status(r[9])
    created, accepted, due = from_db(r[10]), from_db(r[11]), from_db(r[14])
    assert created is not None
    requested = bool(r[16]) and status in BACK_OFFICE_OPEN
    told = _told_facts(events, status, requested, accepted or created, bool(r[12])) if events else _EVENT_FREE
    days_left, overdue = (None, False)
    if calendar is not None and due is not None:
        days_left, overdue = working_days_left(told.get("paused_since") or now, due, calendar)
    if archive:
        told = {**told, **_archive_parts(keys, r, told.pop("archived_by_actor", None), names)}
    return CaseRow(
        r[0], r[1] or "", r[2], r[3], r[4], r[5], r[6], applicant_name(keys, r[7], r[8]), status, created, accepted,
        bool(r[12]), from_db(r[13]), due, is_provisional(r[18]), r[15], requested, bool(r[17]), days_left=days_left,
        overdue=overdue,
        **{k: v for k, v in told.items() if k != "archived_by_actor"},
    )  # fmt: skip


def _told_facts(events: list[tuple[str, str, str, str]], status: Status, requested: bool,
                accepted: datetime, urgent: bool) -> dict[str, Any]:  # fmt: skip
    """What a row's events tell (the latest of each kind wins)."""
    latest: dict[str, tuple[datetime, str, dict[str, Any]]] = {}
    handed = []
    for kind, at_text, actor, payload in events:
        at = from_db(at_text)
        assert at is not None
        body = json.loads(payload) if kind in _PARSED and payload else _EVENT_FREE
        latest[kind] = (at, actor, body)
        if kind in _TRANSFERS:
            handed.append((kind, at, bool(body.get("late"))))
    out: dict[str, Any] = {}
    if handed:
        out["transfer"] = transfer_facts(accepted, urgent, handed)
    if status is Status.PAUSED and _PAUSED in latest:
        out["paused_since"] = latest[_PAUSED][0]
    if _DECIDED in latest:
        out["decision"] = latest[_DECIDED][2].get("decision")
    if requested and _ASKED in latest:
        out["withdrawal_reason"] = str(latest[_ASKED][2].get("reason") or "")
    if _PLEDGED in latest:
        out["pledge_due"] = latest[_PLEDGED][2].get("due")
    if _RETURNED in latest and _DECIDED in latest:  # as the fold's decision tells it (domain/case_facts.py)
        out["returned_at"] = latest[_RETURNED][0]
    closing = [(k, latest[k][0]) for k in CLOSING if k in latest]
    if closing:
        out["closed_as"], out["closed_at"] = max(closing, key=lambda x: x[1])
    if _ARCHIVED in latest:
        out["archived_at"], out["archived_by_actor"] = latest[_ARCHIVED][0], latest[_ARCHIVED][1]
    return out


def _archive_parts(keys: DataKeys, r: sqlite3.Row, archived_by: str | None, names: dict[str, str]) -> dict[str, Any]:
    purged = r[8] is not None
    checklist = (json.loads(r[21]) if r[21] else {}).get("checklist") or []
    got = [m for m in checklist if m.get("provided")]
    return {
        "archived_by": names.get(archived_by, archived_by) if archived_by else "",
        "applicant_id_number": "" if purged else (keys.open_text(r[19], "persons.id_number") or ""),
        "applicant_is_organisation": r[20] == "organisation",
        "materials": len(got) if checklist else None,
        "copies": sum(max(1, int(m.get("copies") or 1)) for m in got) if checklist else None,
    }
