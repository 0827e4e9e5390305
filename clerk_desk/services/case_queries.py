"""Read side of the case list and the case page: filtered, keyset-paged rows and a case's timeline.

Pages are fetched by keyset (created_at, uuid) rather than OFFSET, so page 5,000 of a million cases
costs the same as page 1; every filter has an index to walk (see migrations 0003 and 0004).

Personal data is sealed (docs/personal-data.md): the exact ID number and the name prefix are found
through their blind indexes, and a page opens the applicant's name of the rows it shows, nothing else.
A purged applicant shows as 已清除.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from clerk_desk.domain.lifecycle import CaseState, EventType, Side, Status, allowed_events
from clerk_desk.domain.workdays import SHANGHAI, is_provisional
from clerk_desk.store.data_keys import PURGED, DataKeys
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db, to_db

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

EVENT_ZH = {
    "intake_saved": "保存草稿", "accepted": "受理", "completed_on_spot": "当场办结",
    "supplement_notified": "一次性告知", "refused": "不予受理", "pledge_recorded": "容缺承诺",
    "pledge_fulfilled": "容缺材料已补齐", "pledge_overdue": "容缺材料逾期", "transferred": "流转后台",
    "retransferred": "补正后重新流转", "received": "后台签收", "clock_paused": "暂停计时",
    "clock_resumed": "恢复计时", "supplement_requested": "退回补正", "decided": "审批决定",
    "result_returned": "结果返回窗口", "delivered": "送达", "withdrawal_requested": "申请撤回",
    "withdrawn": "撤回", "archived": "归档", "document_printed": "打印文书", "reprinted": "补打文书",
}


# A withdrawal the window asked for and the back office has not answered yet (services/withdrawal.py).
WITHDRAWAL_PENDING_ZH = "撤回申请中"
_BACK_OFFICE_OPEN = frozenset({Status.TRANSFERRED.value, Status.IN_REVIEW.value, Status.PAUSED.value,
                               Status.DECIDED.value})


def status_text(status: str, withdrawal_requested: bool) -> str:
    """The status as the lists show it: ``后台审批中（撤回申请中）`` while a withdrawal request waits."""
    text = STATUS_ZH[Status(status)]
    return f"{text}（{WITHDRAWAL_PENDING_ZH}）" if withdrawal_requested and status in _BACK_OFFICE_OPEN else text


def withdrawal_act(status: str, version: int, pledge_open: bool, requested: bool) -> str | None:
    """What the window may offer for a withdrawal, by the shared lifecycle: "withdraw" (the window holds
    the case), "request" (the back office holds it and nobody has asked yet), or None."""
    allowed = allowed_events(CaseState(Status(status), version, pledge_open, requested), Side.WINDOW)
    if EventType.WITHDRAWN in allowed:
        return "withdraw"
    return "request" if EventType.WITHDRAWAL_REQUESTED in allowed else None


class CaseView(StrEnum):
    TODAY = "today"
    TO_TRANSFER = "to_transfer"  # accepted (or back from 补正) and not yet handed over
    BACK_OFFICE = "back_office"
    RESULTS = "results"  # result at the window, waiting for hand-over
    ALL = "all"


_VIEW_STATUSES: dict[CaseView, tuple[Status, ...]] = {
    CaseView.TO_TRANSFER: (Status.ACCEPTED, Status.SUPPLEMENT_REQUESTED),
    CaseView.BACK_OFFICE: (Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED),
    CaseView.RESULTS: (Status.RESULT_AT_WINDOW,),
}

_ID_RE = re.compile(r"^\d{17}[\dXx]$")
_CASE_NO_RE = re.compile(r"^[A-Z0-9]{3,12}[- ]")
_ITEM_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]*$")


@dataclass(frozen=True)
class CaseFilter:
    view: CaseView = CaseView.ALL
    text: str = ""  # case number, applicant name, exact ID number or item name/code
    item_codes: tuple[str, ...] = ()  # items the text matched in the catalog (resolved by the caller)


@dataclass(frozen=True)
class CaseRow:
    uuid: str
    case_number: str
    item_name: str
    department_name: str
    applicant_name: str
    status: str
    status_zh: str
    created_at: datetime
    transfer_due_at: datetime | None
    due_at: datetime | None
    urgent: bool
    pending_events: int = 0
    withdrawal_requested: bool = False  # asked by the window, not yet answered by the back office
    due_provisional: bool = False  # counted on weekends only over a year without its calendar (workdays.py)


@dataclass(frozen=True)
class Page:
    rows: tuple[CaseRow, ...]
    next_key: tuple[datetime, str] | None  # pass back as ``after`` for the next page


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    type: str
    type_zh: str
    actor: str
    side: str
    push_state: str
    payload: dict[str, Any] = field(default_factory=dict)


def _today_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


# The list is read with plain SQL (no ORM): the first page is on the desk's start-up path, which must
# not wait for SQLAlchemy to load (store/sqlite_file.py), and rows are built straight from tuples.
_COLUMNS = (
    "SELECT c.uuid, c.case_number, c.item_name, d.name, a.name, c.status, c.created_at, c.transfer_due_at,"
    " c.due_at, c.urgent, c.version - c.acked_version, c.withdrawal_requested, a.purged_at, c.due_calendar_version"
)
_FROM = (
    " FROM cases AS c JOIN departments AS d ON d.code = c.department_code"
    " LEFT OUTER JOIN persons AS a ON a.id = c.applicant_id"
)
# Bound, never written into the SQL: told a small literal LIMIT, SQLite's planner may prefer a
# multi-index OR plan for the keyset condition (8 s on a million cases, against 1 ms walking the date index).
_LIMIT = " LIMIT ? OFFSET ?"
_BROAD_NAME = 2000  # more matches than this: walk cases newest-first instead of sorting the matches
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class Branch:
    """One way the search can match: WHERE conditions and their parameters. ``narrow``: few rows, so
    find them by their own index and sort them, instead of walking every case in date order."""

    where: tuple[str, ...]
    params: tuple[Any, ...]
    narrow: bool = False

    def also(self, condition: str, *params: Any, narrow: bool | None = None) -> Branch:
        return Branch((*self.where, condition), (*self.params, *params),
                      self.narrow if narrow is None else narrow)  # fmt: skip

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.where) if self.where else ""


def _prefix(column: str, text: str) -> tuple[str, tuple[str, str]]:
    # A prefix as an index range: LIKE cannot use SQLite's default (case-sensitive) indexes.
    return f"{column} >= ? AND {column} < ?", (text, text + _TOP)


def _is_broad(c: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> bool:
    """More matches than _BROAD_NAME? Counted on the index, stopping at the threshold."""
    found = c.execute(f"SELECT count(*) FROM ({sql}{_LIMIT})", (*params, _BROAD_NAME + 1, 0)).fetchone()[0]
    return int(found) > _BROAD_NAME


def applicant_name(keys: DataKeys, sealed: bytes | None, purged_at: str | None) -> str:
    """What a list shows for the applicant: the opened name, 已清除 after a purge, or 〔本机无法读取〕."""
    if purged_at is not None:
        return PURGED
    return keys.open_text(sealed, "persons.name") or ""


def _base(f: CaseFilter, now: datetime) -> Branch:
    if f.view is CaseView.TODAY:
        start = _today_start(now)
        return Branch(("c.created_at >= ?", "c.created_at < ?"), (to_db(start), to_db(start + timedelta(days=1))))
    if f.view in _VIEW_STATUSES:
        statuses = tuple(s.value for s in _VIEW_STATUSES[f.view])
        return Branch((f"c.status IN ({', '.join('?' * len(statuses))})",), statuses)
    return Branch((), ())


def _branches(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, now: datetime) -> list[Branch]:
    """One query per way the search text can match. Each is planned on its own index and the pages are
    merged, because SQLite plans an OR across tables as a full scan."""
    base = _base(f, now)
    text = f.text.strip()
    if not text:
        return [base]
    compact = re.sub(r"\s+", "", text).upper()
    if _ID_RE.match(compact):
        ids = "(SELECT p.id FROM persons AS p WHERE p.id_number_key = ?)"
        key = keys.id_number_key(compact)
        return [base.also(f"c.applicant_id IN {ids}", key, narrow=True),
                base.also(f"c.agent_id IN {ids}", key, narrow=True)]  # fmt: skip
    codes = ([text] if _ITEM_CODE_RE.match(text) else []) + list(f.item_codes)
    branches = [base.also("c.item_code = ?", code) for code in dict.fromkeys(codes)]
    if _CASE_NO_RE.match(text.upper()) or compact.replace("-", "").isdigit():
        # Digits alone may be the start of a case number or an item code.
        cond, params = _prefix("c.case_number", _normalise_case_number(text))
        if _is_broad(c, f"SELECT c.uuid FROM cases AS c WHERE {cond}", params):
            # Walk newest-first and test each number (an expression keeps SQLite off the number index).
            cond, params = _prefix("coalesce(c.case_number, '')", _normalise_case_number(text))
            return [base.also(cond, *params), *branches]
        return [base.also(cond, *params, narrow=True), *branches]
    named_ids = "SELECT k.person_id FROM person_name_keys AS k WHERE k.key = ?"
    params = (keys.name_prefix_key(text),)
    if _is_broad(c, named_ids, params):  # a common surname: probe each case's applicant, newest first, until the page is full
        return [base.also(f"EXISTS ({named_ids} AND k.person_id = c.applicant_id)", *params), *branches]
    # A rare name: start from the few people, then sort their cases.
    return [base.also(f"c.applicant_id IN ({named_ids})", *params, narrow=True), *branches]


def _normalise_case_number(text: str) -> str:
    """Accept the grouped reading form (``421224 03 2026 1126 000 123``) as well as the compact one."""
    parts = text.upper().replace("-", " ").split()
    if len(parts) >= 3:
        head = parts[:2]
        rest = "".join(parts[2:])
        return "-".join(head + ([rest[:8], rest[8:]] if len(rest) > 8 else [rest]))
    return text.upper().replace(" ", "")


def _newest_first(branch: Branch, after: tuple[datetime, str] | None, limit: int) -> tuple[str, tuple[Any, ...]]:
    if after is not None:
        at, uid = to_db(after[0]), after[1]
        # A row value, not "a < x OR (a = x AND b < y)": SQLite plans that OR as a multi-index OR and
        # sorts everything before the key (1-2 s for page 2 of a status view on a million cases).
        branch = branch.also("(c.created_at, c.uuid) < (?, ?)", at, uid)
    # For a narrow branch, an expression the date index cannot serve stops SQLite from walking a million
    # rows in date order hoping to meet the few matches; it finds them by their own index and sorts them.
    key = "coalesce(c.created_at, c.created_at)" if branch.narrow else "c.created_at"
    return f"{_COLUMNS}{_FROM}{branch.sql()} ORDER BY {key} DESC, c.uuid DESC{_LIMIT}", (*branch.params, limit, 0)


def page(
    db: Database, f: CaseFilter, *, after: tuple[datetime, str] | None = None, limit: int = 100,
    now: datetime | None = None,
) -> Page:
    now = now or datetime.now(UTC)
    keys = db.keys
    merged: dict[str, sqlite3.Row] = {}
    with db.plain_reading() as c:
        for branch in _branches(c, keys, f, now):
            for r in c.execute(*_newest_first(branch, after, limit + 1)).fetchall():
                merged.setdefault(r[0], r)
    ordered = sorted(merged.values(), key=lambda r: (r[6], r[0]), reverse=True)  # created_at text sorts as time
    rows = tuple(_row(keys, r) for r in ordered[:limit])  # only the names shown are opened
    more = len(ordered) > limit
    return Page(rows, (rows[-1].created_at, rows[-1].uuid) if more and rows else None)


def _row(keys: DataKeys, r: sqlite3.Row) -> CaseRow:
    status = r[5]
    requested = bool(r[11]) and status in _BACK_OFFICE_OPEN
    return CaseRow(
        r[0], r[1] or "", r[2], r[3], applicant_name(keys, r[4], r[12]), status, status_text(status, requested),
        from_db(r[6]), from_db(r[7]), from_db(r[8]), bool(r[9]), r[10], requested,  # type: ignore[arg-type]
        is_provisional(r[13]),
    )


def count(db: Database, f: CaseFilter, *, now: datetime | None = None, cap: int = 1_000) -> int:
    """How many match, counted up to ``cap`` (the badge says "1000+" beyond; a full count of a
    million rows would cost more than the page itself)."""
    now = now or datetime.now(UTC)
    keys = db.keys
    seen: set[str] = set()
    with db.plain_reading() as c:
        for b in _branches(c, keys, f, now):
            seen.update(r[0] for r in c.execute(f"SELECT c.uuid{_FROM}{b.sql()}{_LIMIT}", (*b.params, cap + 1, 0)))
    return min(len(seen), cap + 1)


def get_case(db: Database, case_uuid: str) -> dict[str, Any]:
    """Everything the case page shows: the case, its applicant and agent, checklist as reviewed."""
    from sqlalchemy import select

    from clerk_desk.store.models import Case, Department, Person

    with db.reading() as s:
        c = s.get(Case, case_uuid)
        if c is None:
            from clerk_desk.domain.errors import NotFound

            raise NotFound("找不到该办件")
        people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_([c.applicant_id, c.agent_id])))}
        dept = s.get(Department, c.department_code)

        def person(pid: str | None) -> dict[str, Any] | None:
            p = people.get(pid or "")
            if p is not None and p.purged_at is not None:  # emptied after the retention period
                return {"kind": p.kind, "name": PURGED, "id_number": None, "phone": None, "address": None,
                        "legal_representative": None, "purged": True}  # fmt: skip
            return None if p is None else {
                "kind": p.kind, "name": p.name, "id_number": p.id_number, "phone": p.phone,
                "address": p.address, "legal_representative": p.legal_representative,
            }

        return {
            "uuid": c.uuid, "case_number": c.case_number, "item_code": c.item_code, "item_name": c.item_name,
            "department": dept.name if dept else c.department_code, "status": c.status,
            "status_zh": status_text(c.status, c.withdrawal_requested), "version": c.version,
            "acked_version": c.acked_version,
            "withdrawal_requested": bool(c.withdrawal_requested) and c.status in _BACK_OFFICE_OPEN,
            "accepted_at": c.accepted_at, "transfer_due_at": c.transfer_due_at, "due_at": c.due_at,
            "due_calendar_version": c.due_calendar_version, "urgent": c.urgent, "handling_kind": c.handling_kind,
            "channel": c.channel, "applicant": person(c.applicant_id), "agent": person(c.agent_id),
            "details": dict(c.details), "pledge_open": c.pledge_open, "created_at": c.created_at,
        }


def timeline(db: Database, case_uuid: str) -> list[TimelineEntry]:
    from sqlalchemy import select

    from clerk_desk.store.models import CaseEvent

    with db.reading() as s:
        events = s.scalars(
            select(CaseEvent).where(CaseEvent.case_uuid == case_uuid).order_by(CaseEvent.case_version)
        )
        return [
            TimelineEntry(e.occurred_at, e.type, EVENT_ZH.get(e.type, e.type), e.actor, e.side, e.push_state,
                          dict(e.payload))
            for e in events
        ]
