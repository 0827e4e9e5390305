"""Results back at the window: who to tell, and the calls made (docs/hall-operations.md, "Results ready").

A case whose result came back (``result_returned``, status 结果待领取) waits for the applicant. The window
calls them; each call is an ``applicant_notified`` event with its outcome, ``reached`` (已通知) or
``no_answer`` (未接通), and flows to the hub like every event. The call list is the results at the window
not yet reached (or all of them), the longest waiting first, with the phone to call, the item and since when;
the few rows are read from the one list service (follow_up.results_to_hand_over) and their case views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.services import case_queries as q
from clerk_desk.services import follow_up
from clerk_desk.services.case_read import read_cases
from clerk_desk.store.database import Database

REACHED, NO_ANSWER = "reached", "no_answer"
OUTCOME_ZH = {REACHED: "已通知", NO_ANSWER: "未接通"}
NOTE_MAX = 200
_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Call:
    at: datetime
    outcome: str  # reached | no_answer
    by: str  # the clerk's name
    note: str = ""

    @property
    def outcome_zh(self) -> str:
        return OUTCOME_ZH.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class CallLine:
    uuid: str
    case_number: str
    item_name: str
    applicant_name: str
    phone: str  # the applicant's, else the contact given for the result, else the agent's ("" when none)
    since: datetime | None  # when the result came back to the window
    window_name: str  # the window that accepted the case
    calls: tuple[Call, ...]

    @property
    def reached(self) -> bool:
        return any(c.outcome == REACHED for c in self.calls)

    @property
    def last(self) -> Call | None:
        return self.calls[-1] if self.calls else None

    @property
    def missed(self) -> int:
        return sum(1 for c in self.calls if c.outcome == NO_ANSWER)


class Waiting(NamedTuple):
    """A result waiting at the window with nobody reached yet, as the results notice names it."""

    uuid: str
    case_number: str
    item_name: str
    applicant_name: str
    since: datetime | None  # when the result came back to the window

    @classmethod
    def of(cls, line: CallLine) -> Waiting:
        return cls(line.uuid, line.case_number, line.item_name, line.applicant_name, line.since)


def line_of(view: CaseView) -> CallLine:
    p = view.parties
    delivery = view.intake.delivery
    phone = (
        (p.applicant.phone if p.applicant else "")
        or (delivery.contact if delivery else "")
        or (p.agent.phone if p.agent else "")
    )
    calls = tuple(
        Call(e.act.at, str(e.payload.get("outcome") or ""), e.act.actor_name or e.act.actor,
             str(e.payload.get("note") or ""))
        for e in view.events
        if e.type == EventType.APPLICANT_NOTIFIED.value and e.applied
    )  # fmt: skip
    returned = view.decision.returned if view.decision else None
    return CallLine(view.uuid, view.case_number, view.item.name, p.applicant.name if p.applicant else "",
                    phone, returned.at if returned else None, view.intake.window_name, calls)  # fmt: skip


def call_list(db: Database, *, include_reached: bool = False, site_code: str | None = None,
              now: datetime | None = None) -> list[CallLine]:  # fmt: skip
    """The results waiting at the window (not yet reached unless ``include_reached``), the longest waiting
    first."""
    uuids: list[str] = []
    after = None
    while True:
        page = q.page(db, follow_up.results_to_hand_over(site_code=site_code), after=after, limit=500, now=now,
                      events=False)  # fmt: skip
        uuids += [r.uuid for r in page.rows]
        if page.next_key is None:
            break
        after = page.next_key
    lines = [line_of(v) for v in read_cases(db, uuids) if v.status is Status.RESULT_AT_WINDOW]
    if not include_reached:
        lines = [line for line in lines if not line.reached]
    return sorted(lines, key=lambda line: (line.since is None, line.since or _EARLIEST))


def waiting(db: Database, *, site_code: str | None = None, now: datetime | None = None) -> list[Waiting]:
    """The results waiting at the window that nobody has reached yet, the longest waiting first: what
    ``call_list(db)`` lists, read in plain SQL from the case rows and the events a list row reads (keyset
    pages of the one list service), without folding each case (docs/performance.md: 16,700 cases waiting
    took seconds of CPU that way). tests/services/test_result_calls.py keeps the two equal."""
    out: list[Waiting] = []
    after = None
    while True:
        page = q.page(db, follow_up.results_to_notify(site_code=site_code), after=after, limit=500, now=now)
        out += [Waiting(r.uuid, r.case_number, r.item_name, r.applicant_name, r.returned_at) for r in page.rows]
        if page.next_key is None:
            break
        after = page.next_key
    return sorted(out, key=lambda w: (w.since is None, w.since or _EARLIEST))


def arrived(db: Database, uuids: Iterable[str]) -> list[CallLine]:
    """Among ``uuids`` (cases that just changed), the results now waiting at the window that nobody has reached
    yet: what the window is told of (ui/results/results_notice.py)."""
    views = read_cases(db, sorted(set(uuids)))
    return [line_of(v) for v in views if v.status is Status.RESULT_AT_WINDOW and not line_of(v).reached]


def record_call(db: Database, case_uuid: str, *, actor: str, outcome: str, note: str = "",
                now: datetime | None = None) -> None:  # fmt: skip
    """One call to the applicant about the result: reached (已通知) or no answer (未接通)."""
    from clerk_desk.services.case_events import append_event  # the ORM: the reads above run without it
    from clerk_desk.store import this_device
    from clerk_desk.store.models import Case, utcnow

    if outcome not in OUTCOME_ZH:
        raise InputError("请选择通知结果：已通知或未接通")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InputError(f"备注不能超过 {NOTE_MAX} 个字")
    with db.transaction() as s:
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        if case.status != Status.RESULT_AT_WINDOW.value:
            raise Conflict("只有结果已返回窗口、尚未出件的办件需要通知申请人")
        device = this_device.device_code(s)
        append_event(
            s,
            case,
            EventType.APPLICANT_NOTIFIED,
            Side.WINDOW,
            actor=actor,
            device_code=device,
            now=now or utcnow(),
            payload={"case_number": case.case_number, "outcome": outcome, "note": note or None},
        )
