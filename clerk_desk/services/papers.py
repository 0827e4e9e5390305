"""What the papers after the decision need to know of a case: the decision (审批决定书 / 不予许可决定书)
and the hand-over (出件回执 / 送达回证), read from the case's events, with who acted and where.

:func:`paper_case` is :func:`case_queries.get_case` plus ``decision``, ``handover`` and ``window_name``;
``forms.case_documents.build_document`` turns it into the document. No personal data travels in the
events: the person who collected the result is read from the ``persons`` table by id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from clerk_desk.domain.lifecycle import EventType
from clerk_desk.services import case_queries
from clerk_desk.store.data_keys import PURGED
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Person, User, Window

_KINDS = (EventType.DECIDED.value, EventType.DELIVERED.value)


def paper_case(db: Database, case_uuid: str) -> dict[str, Any]:
    case = case_queries.get_case(db, case_uuid)
    with db.reading() as s:
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == case_uuid, CaseEvent.type.in_(_KINDS))
                                .order_by(CaseEvent.case_version)))
        actors = {e.actor for e in events}
        names = dict(s.execute(select(User.username, User.display_name).where(User.username.in_(actors))).all())
        latest: dict[str, dict[str, Any]] = {}
        for e in events:  # the last of each kind wins
            latest[e.type] = {**e.payload, "at": e.occurred_at, "by": names.get(e.actor, e.actor)}
        handed = latest.get(EventType.DELIVERED.value)
        if handed and handed.get("recipient_id"):
            p = s.get(Person, handed["recipient_id"])
            handed["recipient_person"] = (
                None if p is None else {"name": PURGED, "id_number": ""} if p.purged_at is not None
                else {"name": p.name or "", "id_number": p.id_number or ""}
            )  # fmt: skip
        row = s.get(Case, case_uuid)
        window = s.get(Window, row.window_id) if row is not None and row.window_id else None
    case["decision"] = latest.get(EventType.DECIDED.value)
    case["handover"] = handed
    case["window_name"] = window.name if window else ""
    return case
