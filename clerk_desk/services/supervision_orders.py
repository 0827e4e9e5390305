"""督办单: a supervisor issues one on a case (the reason, the date to answer by); the window or the approver
of that department answers it (说明). Both are events of the case's log (domain/lifecycle.py), so they go to
the hub through the outbox and reach every desk holding the case; the hub takes an order only from a
supervisor of the case's site and department (county_hub/admission.py). docs/supervision.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from clerk_desk.domain.errors import AuthError, Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db

if TYPE_CHECKING:
    from clerk_desk.domain import supervision_orders as so

# The writing half (issue, answer) loads SQLAlchemy and the models when first used: the home page lists the
# open orders on the plain-SQL path (store/sqlite_file.py).

# The orders' fold (domain/supervision_orders.py, three classes) loads when an order is there to fold: the home
# page reads the open orders at every start, and most halls have none (docs/performance.md, "Twelfth round").
SUPERVISING = ("supervisor", "admin")
_KINDS = (EventType.SUPERVISION_ISSUED.value, EventType.SUPERVISION_ANSWERED.value)  # so.ISSUED, so.ANSWERED
# The same literal as the index's leading column: SQLite walks ix_case_events_type_at for each kind.
_NOT_IN_CASE = ("rejected", "held", "set_aside")


@dataclass(frozen=True)
class OrderRow:
    """An order with what a list shows of its case."""

    order: so.Order
    case_number: str
    item_name: str
    department_code: str
    department_name: str
    site_code: str

    @property
    def uuid(self) -> str:
        return self.order.uuid


def _device(s: Any, case: Any) -> str:
    from clerk_desk.store.this_device import device_code_or_none

    return device_code_or_none(s) or str(case.device_code)


def _roles(s: Any, username: str) -> list[str]:
    from sqlalchemy import select

    from clerk_desk.store.models import User

    user = s.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise AuthError("找不到该账号或账号已停用")
    return list(user.roles or [])


def issue(db: Database, case_uuid: str, supervisor: str, *, reason: str, reply_by: date, stage: str = "",
          now: datetime | None = None) -> str:  # fmt: skip
    """Record a 督办单 on the case; returns its uuid. Only a supervisor (or an administrator) may."""
    from clerk_desk.domain import supervision_orders as so
    from clerk_desk.services import audit
    from clerk_desk.services.case_events import append_event
    from clerk_desk.store.models import Case, utcnow

    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise InputError("请填写督办事由")
    if len(reason) > so.REASON_MAX:
        raise InputError(f"督办事由最多 {so.REASON_MAX} 字")
    if reply_by < now.astimezone(SHANGHAI).date():
        raise InputError("答复期限不能早于今天")
    with db.transaction() as s:
        if not set(_roles(s, supervisor)) & set(SUPERVISING):
            raise AuthError("只有大厅管理人员可以发出督办单")
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        event = append_event(s, case, EventType.SUPERVISION_ISSUED, Side.WINDOW, actor=supervisor,
                             device_code=_device(s, case), now=now,
                             payload={"reason": reason, "reply_by": reply_by.isoformat(), "stage": stage,
                                      "case_number": case.case_number})  # fmt: skip
        audit.record(s, "supervision_issued", supervisor, case_uuid=case.uuid, case_number=case.case_number,
                     order=event.uuid, reply_by=reply_by.isoformat())  # fmt: skip
        s.flush()
        return event.uuid


def answer(db: Database, order_uuid: str, username: str, side: Side, *, text: str,
           now: datetime | None = None) -> None:  # fmt: skip
    """Record the holder's 说明 on an open order (the window, or the back office in approver mode). The answer
    drafts kept of this order go in the same transaction (services/answer_drafts.py): it is answered."""
    from sqlalchemy import delete, select

    from clerk_desk.domain import supervision_orders as so
    from clerk_desk.services import audit
    from clerk_desk.services.case_events import append_event
    from clerk_desk.store.models import Case, CaseEvent, OrderAnswerDraft, User, utcnow

    now = now or utcnow()
    text = text.strip()
    if not text:
        raise InputError("请填写说明")
    if len(text) > so.REPLY_MAX:
        raise InputError(f"说明最多 {so.REPLY_MAX} 字")
    with db.transaction() as s:
        issued = s.get(CaseEvent, order_uuid)
        if issued is None or issued.type != so.ISSUED:
            raise NotFound("找不到该督办单")
        case = s.get(Case, issued.case_uuid)
        assert case is not None
        if side is Side.BACK_OFFICE:
            user = s.scalar(select(User).where(User.username == username))
            served = {(x.site_code, x.department_code) for x in user.serves} if user is not None else set()
            if (case.site_code, case.department_code) not in served:
                raise AuthError("您不负责该部门的办件，不能答复此督办单")
        answered = [e for e in s.scalars(select(CaseEvent).where(
            CaseEvent.case_uuid == case.uuid, CaseEvent.type == so.ANSWERED,
            CaseEvent.push_state.not_in(_NOT_IN_CASE))) if (e.payload or {}).get("order") == order_uuid]  # fmt: skip
        if answered:
            raise Conflict("该督办单已经答复")
        append_event(s, case, EventType.SUPERVISION_ANSWERED, side, actor=username, device_code=_device(s, case),
                     now=now, payload={"order": order_uuid, "summary": text, "case_number": case.case_number})  # fmt: skip
        audit.record(s, "supervision_answered", username, case_uuid=case.uuid, order=order_uuid)
        s.execute(delete(OrderAnswerDraft).where(OrderAnswerDraft.order_uuid == order_uuid))


def list_orders(db: Database, *, open_only: bool = False, site_code: str | None = None,
                serves: tuple[tuple[str, str], ...] | None = None, case_uuid: str | None = None,
                since: datetime | None = None) -> list[OrderRow]:  # fmt: skip
    """Orders (the newest first) of this site, of the departments an approver serves (``serves``), or of a
    case, each with its answer; ``open_only`` keeps the ones not answered yet."""
    where = [f"e.type IN ({', '.join('?' * len(_KINDS))})",
             f"e.push_state NOT IN ({', '.join('?' * len(_NOT_IN_CASE))})"]  # fmt: skip
    params: list[object] = [*_KINDS, *_NOT_IN_CASE]
    if site_code is not None:
        where.append("c.site_code = ?")
        params.append(site_code)
    if case_uuid is not None:
        where.append("e.case_uuid = ?")
        params.append(case_uuid)
    if since is not None:
        from clerk_desk.store.sqlite_file import to_db

        where.append("e.occurred_at >= ?")
        params.append(to_db(since))
    if serves is not None:
        where.append("(" + (" OR ".join("(c.site_code = ? AND c.department_code = ?)" for _ in serves) or "0") + ")")
        params.extend(x for pair in serves for x in pair)
    with db.plain_reading() as c:
        found = c.execute(
            "SELECT e.uuid, e.case_uuid, e.type, e.occurred_at, e.actor, e.side, e.payload, c.case_number,"
            " c.item_name, c.department_code, d.name, c.site_code, coalesce(u.display_name, '')"
            # 督办 events are few among millions: found by their type first, whatever ANALYZE guessed (a
            # plan that walked the site's cases instead took 270 ms at 200,000 cases, each time the home
            # page was read; docs/performance.md)
            " FROM case_events AS e INDEXED BY ix_case_events_type_at JOIN cases AS c ON c.uuid = e.case_uuid"
            " JOIN departments AS d ON d.code = c.department_code LEFT JOIN users AS u ON u.username = e.actor"
            f" WHERE {' AND '.join(where)}", params).fetchall()  # fmt: skip
    if not found:
        return []
    from clerk_desk.domain import supervision_orders as so

    said = [so.Said(r[0], r[1], r[2], from_db(r[3]), r[4], r[5], json.loads(r[6]) if r[6] else {}, r[12])  # type: ignore[arg-type]
            for r in found]  # fmt: skip
    cases = {r[1]: (r[7] or "", r[8], r[9], r[10], r[11]) for r in found}
    rows = [OrderRow(o, *cases[o.case_uuid]) for o in so.orders(said) if o.open or not open_only]
    return sorted(rows, key=lambda r: r.order.issued_at, reverse=True)
