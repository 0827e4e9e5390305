"""督办单: what a case's log says of the orders a supervisor issued on it and the holders' answers. Pure.

An order is the ``supervision_issued`` event (its uuid names the order); its answer is the first
``supervision_answered`` event whose payload names that uuid (``order``). Both are annotations of the
case's log (domain/lifecycle.py), so every desk holding the case and the county hub read the same
orders from the same events (docs/supervision.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clerk_desk.domain.lifecycle import EventType

ISSUED = EventType.SUPERVISION_ISSUED.value
ANSWERED = EventType.SUPERVISION_ANSWERED.value
REASON_MAX = 500
REPLY_MAX = 1000


@dataclass(frozen=True, slots=True)
class Said:
    """One event as the orders read it."""

    uuid: str
    case_uuid: str
    type: str
    at: datetime
    actor: str
    side: str
    payload: Mapping[str, Any]
    actor_name: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """The department's answer to a 督办单: when, by whom, from which side, and what it says."""

    at: datetime
    actor: str
    actor_name: str
    side: str
    text: str


@dataclass(frozen=True, slots=True)
class Order:
    """A 督办单: the case, who issued it and why, the date it is to be answered by, and the answer."""

    uuid: str
    case_uuid: str
    issued_at: datetime
    issued_by: str
    issued_by_name: str
    reason: str
    reply_by: date | None
    stage: str = ""  # the 督办 stage it was issued from (domain/supervision.Stage), "" if none
    answer: Answer | None = None

    @property
    def open(self) -> bool:
        return self.answer is None

    def reply_overdue(self, today: date) -> bool:
        return self.answer is None and self.reply_by is not None and today > self.reply_by


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def orders(events: Iterable[Said]) -> list[Order]:
    """The orders of these events (any number of cases), in the order issued, each with its answer."""
    issued: dict[str, Order] = {}
    answers: dict[str, Answer] = {}
    for e in sorted(events, key=lambda e: e.at):
        if e.type == ISSUED:
            p = e.payload
            issued[e.uuid] = Order(e.uuid, e.case_uuid, e.at, e.actor, str(p.get("actor_name") or e.actor_name),
                                   str(p.get("reason") or ""), _day(p.get("reply_by")), str(p.get("stage") or ""))  # fmt: skip
        elif e.type == ANSWERED:
            key = str(e.payload.get("order") or "")
            if key and key not in answers:
                answers[key] = Answer(e.at, e.actor, str(e.payload.get("actor_name") or e.actor_name), e.side,
                                      str(e.payload.get("summary") or ""))  # fmt: skip
    out = []
    for uuid, order in issued.items():
        answer = answers.get(uuid)
        if answer is not None:
            order = Order(order.uuid, order.case_uuid, order.issued_at, order.issued_by, order.issued_by_name,
                          order.reason, order.reply_by, order.stage, answer)  # fmt: skip
        out.append(order)
    return out


def from_timeline(case_uuid: str, events: Iterable[Any]) -> list[Order]:
    """The orders of one case from its view's timeline (domain/case_view.TimelineEvent, applied ones)."""
    return orders(Said(e.uuid, case_uuid, e.type, e.act.at, e.act.actor, e.act.side, e.payload, e.act.actor_name)
                  for e in events if e.applied and e.type in (ISSUED, ANSWERED))  # fmt: skip
