"""Every document printed for a case is recorded as an event; a second print of the same paper is 补打.

The reprint count printed on the paper comes from these events, so a reprint is always labelled and
always traceable (nothing the clerk printed is lost from the record). Only what really went to a
printer (or was saved as a PDF) is recorded: the desk reads the number the paper will carry
(:func:`prints_so_far`), prints, and records the print once the printer took it
(:func:`record_print` with ``printed_as``). A preview closed without printing records nothing, so the
next real print is not a 补打.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import NotFound
from clerk_desk.domain.lifecycle import EventType, Side
from clerk_desk.services.case_events import append_event
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, utcnow

DOCUMENT_KINDS = {
    "receipt": "受理回执",
    "pledge": "容缺受理承诺书",
    "supplement_notice": "一次性告知书",
    "refusal_notice": "不予受理告知书",
    "result_slip": "即办件办结单",
    "decision_letter": "审批决定书",  # 不予许可决定书 for a denial (the paper's own title says which)
    "handover_receipt": "出件回执",  # 送达回证 when posted or sent electronically
}


def _count(s: Session, case_uuid: str, kind: str) -> int:
    rows = s.scalars(
        select(CaseEvent.payload).where(
            CaseEvent.case_uuid == case_uuid,
            CaseEvent.type.in_([EventType.DOCUMENT_PRINTED.value, EventType.REPRINTED.value]),
        )
    )
    return sum(1 for p in rows if p.get("document") == kind)


def prints_so_far(db: Database, case_uuid: str, kind: str) -> int:
    """How many times this paper was already printed for the case (0: the next one is the original)."""
    with db.reading() as s:
        return _count(s, case_uuid, kind)


def record_print(
    db: Database, case_uuid: str, kind: str, *, actor: str, side: Side = Side.WINDOW, paper: str = "a4",
    now: datetime | None = None, printed_as: int | None = None,
) -> int:
    """Record one print; returns the reprint number it carries (0 for the original). ``printed_as`` is
    the number the paper already carries (read with :func:`prints_so_far` before printing): the record
    says what is on the paper, even if another print of it was recorded meanwhile."""
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    with db.transaction() as s:
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        device = this_device.device_code_or_none(s)
        earlier = _count(s, case_uuid, kind) if printed_as is None else printed_as
        event = EventType.REPRINTED if earlier else EventType.DOCUMENT_PRINTED
        append_event(
            s, case, event, side, actor=actor, device_code=device or case.device_code,
            now=now or utcnow(), payload={"document": kind, "reprint": earlier, "paper": paper},
        )
        return earlier
