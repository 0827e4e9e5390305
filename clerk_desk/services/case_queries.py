"""Read side of the case list and the case page: filtered, keyset-paged rows and a case's timeline.

Pages are fetched by keyset (created_at, uuid) rather than OFFSET, so page 5,000 of a million cases
costs the same as page 1; every filter has an index to walk (see migration 0003).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from clerk_desk.domain.lifecycle import Status
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, Person, utcnow

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


_BROAD_NAME = 2000  # more matches than this: walk cases newest-first instead of sorting the matches


def _prefix_range(column: Any, text: str) -> Any:
    # A prefix as an index range: LIKE cannot use SQLite's default (case-sensitive) indexes.
    return and_(column >= text, column < text + "\U0010ffff")


def _is_broad(s: Any, ids: Select[Any]) -> bool:
    """More matches than _BROAD_NAME? Counted on the index, stopping at the threshold."""
    sub = ids.limit(_BROAD_NAME + 1).subquery()
    return int(s.scalar(select(func.count()).select_from(sub)) or 0) > _BROAD_NAME


def _base(f: CaseFilter, now: datetime) -> Select[Any]:
    applicant = aliased(Person)
    q = (
        select(Case, Department.name, applicant.name)
        .join(Department, Department.code == Case.department_code)
        .outerjoin(applicant, applicant.id == Case.applicant_id)
    )
    if f.view is CaseView.TODAY:
        q = q.where(Case.created_at >= _today_start(now), Case.created_at < _today_start(now) + timedelta(days=1))
    elif f.view in _VIEW_STATUSES:
        q = q.where(Case.status.in_([s.value for s in _VIEW_STATUSES[f.view]]))
    return q


Branch = tuple[Select[Any], bool]  # (query, narrow: few rows, so filter first and sort them)


def _branches(s: Any, f: CaseFilter, now: datetime) -> list[Branch]:
    """One query per way the search text can match. Each is planned on its own index and the pages are
    merged, because SQLite plans an OR across tables as a full scan."""
    base = _base(f, now)
    text = f.text.strip()
    if not text:
        return [(base, False)]
    compact = re.sub(r"\s+", "", text).upper()
    if _ID_RE.match(compact):
        ids = select(Person.id).where(Person.id_number == compact)
        return [(base.where(Case.applicant_id.in_(ids)), True), (base.where(Case.agent_id.in_(ids)), True)]
    codes = ([text] if _ITEM_CODE_RE.match(text) else []) + list(f.item_codes)
    branches = [(base.where(Case.item_code == code), False) for code in dict.fromkeys(codes)]
    if _CASE_NO_RE.match(text.upper()) or compact.replace("-", "").isdigit():
        # Digits alone may be the start of a case number or an item code.
        prefix = _normalise_case_number(text)
        if _is_broad(s, select(Case.uuid).where(_prefix_range(Case.case_number, prefix))):
            # Walk newest-first and test each number (an expression keeps SQLite off the number index).
            return [(base.where(_prefix_range(func.coalesce(Case.case_number, ""), prefix)), False), *branches]
        return [(base.where(_prefix_range(Case.case_number, prefix)), True), *branches]
    named_ids = select(Person.id).where(_prefix_range(Person.name, text))
    if _is_broad(s, named_ids):  # a common surname: probe each case's applicant, newest first, until the page is full
        named = base.where(named_ids.where(Person.id == Case.applicant_id).exists())
        return [(named, False), *branches]
    # A rare name: start from the few people, then sort their cases.
    return [(base.where(Case.applicant_id.in_(named_ids)), True), *branches]


def _normalise_case_number(text: str) -> str:
    """Accept the grouped reading form (``421224 03 2026 1126 000 123``) as well as the compact one."""
    parts = text.upper().replace("-", " ").split()
    if len(parts) >= 3:
        head = parts[:2]
        rest = "".join(parts[2:])
        return "-".join(head + ([rest[:8], rest[8:]] if len(rest) > 8 else [rest]))
    return text.upper().replace(" ", "")


def _newest_first(branch: Branch, after: tuple[datetime, str] | None, limit: int) -> Select[Any]:
    q, narrow = branch
    if after is not None:
        at, uid = after
        q = q.where(or_(Case.created_at < at, and_(Case.created_at == at, Case.uuid < uid)))
    # For a narrow branch, an expression the date index cannot serve stops SQLite from walking a million
    # rows in date order hoping to meet the few matches; it finds them by their own index and sorts them.
    key = func.coalesce(Case.created_at, Case.created_at) if narrow else Case.created_at
    return q.order_by(key.desc(), Case.uuid.desc()).limit(limit)


def page(
    db: Database, f: CaseFilter, *, after: tuple[datetime, str] | None = None, limit: int = 100,
    now: datetime | None = None,
) -> Page:
    now = now or utcnow()
    merged: dict[str, CaseRow] = {}
    with db.reading() as s:
        for branch in _branches(s, f, now):
            for c, dept, name in s.execute(_newest_first(branch, after, limit + 1)).all():
                merged.setdefault(c.uuid, _row(c, dept, name))
    ordered = sorted(merged.values(), key=lambda r: (r.created_at, r.uuid), reverse=True)
    rows = tuple(ordered[:limit])
    more = len(ordered) > limit
    return Page(rows, (rows[-1].created_at, rows[-1].uuid) if more and rows else None)


def _row(c: Case, dept: str, name: str | None) -> CaseRow:
    return CaseRow(
        c.uuid, c.case_number or "", c.item_name, dept, name or "", c.status, STATUS_ZH[Status(c.status)],
        c.created_at, c.transfer_due_at, c.due_at, c.urgent, c.version - c.acked_version,
    )


def count(db: Database, f: CaseFilter, *, now: datetime | None = None, cap: int = 1_000) -> int:
    """How many match, counted up to ``cap`` (the badge says "1000+" beyond; a full count of a
    million rows would cost more than the page itself)."""
    now = now or utcnow()
    seen: set[str] = set()
    with db.reading() as s:
        for q, _narrow in _branches(s, f, now):
            seen.update(s.scalars(q.with_only_columns(Case.uuid).limit(cap + 1)))
    return min(len(seen), cap + 1)


def get_case(db: Database, case_uuid: str) -> dict[str, Any]:
    """Everything the case page shows: the case, its applicant and agent, checklist as reviewed."""
    with db.reading() as s:
        c = s.get(Case, case_uuid)
        if c is None:
            from clerk_desk.domain.errors import NotFound

            raise NotFound("找不到该办件")
        people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_([c.applicant_id, c.agent_id])))}
        dept = s.get(Department, c.department_code)

        def person(pid: str | None) -> dict[str, Any] | None:
            p = people.get(pid or "")
            return None if p is None else {
                "kind": p.kind, "name": p.name, "id_number": p.id_number, "phone": p.phone,
                "address": p.address, "legal_representative": p.legal_representative,
            }

        return {
            "uuid": c.uuid, "case_number": c.case_number, "item_code": c.item_code, "item_name": c.item_name,
            "department": dept.name if dept else c.department_code, "status": c.status,
            "status_zh": STATUS_ZH[Status(c.status)], "version": c.version, "acked_version": c.acked_version,
            "accepted_at": c.accepted_at, "transfer_due_at": c.transfer_due_at, "due_at": c.due_at,
            "due_calendar_version": c.due_calendar_version, "urgent": c.urgent, "handling_kind": c.handling_kind,
            "channel": c.channel, "applicant": person(c.applicant_id), "agent": person(c.agent_id),
            "details": dict(c.details), "pledge_open": c.pledge_open, "created_at": c.created_at,
        }


def timeline(db: Database, case_uuid: str) -> list[TimelineEntry]:
    with db.reading() as s:
        events = s.scalars(
            select(CaseEvent).where(CaseEvent.case_uuid == case_uuid).order_by(CaseEvent.case_version)
        )
        return [
            TimelineEntry(e.occurred_at, e.type, EVENT_ZH.get(e.type, e.type), e.actor, e.side, e.push_state,
                          dict(e.payload))
            for e in events
        ]
