"""The fold: a case's events in, what the case is now out (:class:`case_view.CaseView`). Pure: no I/O.

The state comes from the lifecycle's own :func:`lifecycle.apply_event`, in the order the desk has
always rebuilt a case (sync/outbox.py, docs/architecture.md §3):

1. the history the hub confirmed (pulled events, and our own the hub stored), in case-version order;
   an event the lifecycle cannot place is skipped (the hub's log is the truth);
2. then this desk's events still waiting to be sent (pending, in flight), on top; the first that no
   longer fits stops the rest (the hub will say so).

Rejected, held and set-aside events are in the timeline but not in the case. Every other part of the
view is read from the events that were applied (domain/case_facts.py: "the latest event of each kind
wins" is written there once). The desk's services, sync's rebuild (the case row's columns are a projection of the view) and the
papers use it; the county hub can fold its own log the same way (:func:`from_wire`, :func:`fold_wire`).

``recorded`` is what a desk recorded at intake outside the events (its case row): it fills only what the
events do not say, for cases accepted before the events carried it. ``people`` are the persons the
reading service opened (sealed at rest); a person an event carries (pulled events name theirs) is used
when ``people`` does not have them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clerk_desk.domain import case_facts as f
from clerk_desk.domain import case_view as v
from clerk_desk.domain.case_facts import Directory, parse_time
from clerk_desk.domain.lifecycle import OWNER, CaseState, EventType, Side, TransitionError, apply_event
from clerk_desk.domain.transfers import transfer_facts
from clerk_desk.domain.workdays import is_provisional

__all__ = ["CaseKey", "Directory", "RowFacts", "fold", "fold_wire", "from_wire", "parse_time", "replay", "row_facts",
           "step", "transfer_facts"]
E = EventType


@dataclass(frozen=True, slots=True)
class CaseKey:
    """What names a case outside its events: the desk's case row, or the hub's event envelope."""

    uuid: str
    site_code: str = ""
    department_code: str = ""
    case_number: str = ""
    item_code: str = ""
    item_name: str = ""


def replay_order(events: Iterable[v.EventRecord]) -> list[v.EventRecord]:
    """Case-version order, the hub's position breaking ties (none first, as SQLite sorts NULL)."""
    return sorted(events, key=lambda e: (e.case_version, e.hub_seq is not None, e.hub_seq or 0))


def step(state: CaseState, event_type: str, side: Side | str, case_version: int) -> CaseState:
    """One event more: the fold's step, the lifecycle's transition (raises TransitionError). The hub moves
    its ``cases`` rows on with this same step (county_hub/case_state.py)."""
    return apply_event(state, event_type, side, case_version)


def replay(events: Iterable[v.EventRecord]) -> tuple[CaseState, int, list[v.EventRecord]]:
    """(state, acknowledged version, the events applied in order): the two passes of the module doc."""
    ordered = replay_order(events)
    state, applied = CaseState(), []
    for e in ordered:
        if e.acked:
            try:
                state = step(state, e.type, e.side, e.case_version)
            except TransitionError:
                continue
            applied.append(e)
    acked = state.version
    for e in ordered:
        if e.origin is v.Origin.LOCAL and e.push_state in (v.PushState.PENDING, v.PushState.IN_FLIGHT):
            try:
                state = step(state, e.type, e.side, e.case_version)
            except TransitionError:
                break
            applied.append(e)
    return state, acked, applied


def fold(
    events: Iterable[v.EventRecord],
    key: CaseKey,
    *,
    people: Mapping[str, v.Party] | None = None,
    directory: Directory | None = None,
    recorded: Mapping[str, Any] | None = None,
) -> v.CaseView:
    """What the case is now (see the module docstring)."""
    all_events = replay_order(events)
    state, acked, applied = replay(all_events)
    directory = directory or Directory()
    facts = f.Facts(directory)
    for e in applied:
        facts.take(e)
    said, rec = facts.said, recorded or {}

    def told(name: str, fallback: str | None = None) -> Any:
        value = said.get(name)
        return value if value is not None else rec.get(fallback or name)

    persons = f.carried_persons(all_events)

    def person(pid: Any) -> v.Party | None:
        if not pid:
            return None
        found = (people or {}).get(pid)
        return found if found is not None else (f.party(persons[pid]) if pid in persons else None)

    urgent = bool(told("urgent"))
    accepted = facts.get(E.ACCEPTED)
    accepted_at = accepted[0].occurred_at if accepted else None
    dept = key.department_code
    item = v.Item(str(told("item_code") or key.item_code), str(told("item_name") or key.item_name), dept,
                  directory.departments.get(dept, dept), told("catalog_version"), told("handling_kind"), urgent,
                  told("legal_days"), told("promised_days"))  # fmt: skip
    due = facts.due
    if due is not None:
        due = v.Due(
            due.due_at,
            due.calendar_version,
            due.provisional,
            told("days"),
            bool(told("days_confirmed", "days_confirmed_by_department")),
        )
        due = recounted(due, rec.get("due_recomputed"))
    return v.CaseView(
        uuid=key.uuid,
        case_number=str(told("case_number") or key.case_number),
        site_code=key.site_code,
        state=state,
        acked_version=acked,
        item=item,
        parties=v.Parties(
            person(told("applicant_id")), person(told("agent_id")), str(told("agent_relation") or "")
        ),
        intake=f.intake(facts, told, directory),
        checklist=tuple(f.material(m) for m in told("checklist") or ()),
        situations=tuple(
            v.SituationAnswer(
                str(s.get("code", "")),
                str(s.get("question", "")),
                str(s.get("answer", "")),
                str(s.get("label", "")),
            )
            for s in told("situations") or ()
        ),  # fmt: skip
        created_at=facts.first_at,
        accepted_at=accepted_at,
        transfer=transfer_facts(accepted_at or facts.first_at, urgent, facts.handed) if accepted_at else None,
        received=f.received(facts),
        pauses=tuple(facts.pauses),
        supplement=next((p for p in reversed(facts.pauses) if p.kind is v.PauseKind.SUPPLEMENT), None),
        due=due,
        decision=f.decision(facts),
        handover=f.handover(facts, person),
        withdrawal=f.withdrawal(facts, state),
        pledge=f.pledge(facts, state, told),
        closed=facts.closed[1] if facts.closed else None,
        closed_as=facts.closed[0] if facts.closed else None,
        archived=f.archived(facts),
        papers=f.papers(all_events, facts),
        events=f.timeline(all_events, applied, facts),
    )


# -- the hub's log -------------------------------------------------------------------------------------
def from_wire(ev: Mapping[str, Any]) -> v.EventRecord:
    """An event as the hub serves it (docs/sync-protocol.md, with its ``seq``): stored in the hub's log."""
    at = parse_time(ev["occurred_at"])
    assert at is not None
    return v.EventRecord(str(ev["uuid"]), str(ev["type"]), str(ev["side"]), int(ev["case_version"]), at,
                         str(ev["actor"]), dict(ev.get("payload") or {}), v.Origin.HUB, v.PushState.STORED,
                         ev.get("seq"), str(ev.get("device_code") or ""))  # fmt: skip


def fold_wire(events: Iterable[Mapping[str, Any]], *, directory: Directory | None = None) -> v.CaseView:
    """The view of one case from the hub's log entries (``GET /cases/{uuid}/events``)."""
    entries = list(events)
    if not entries:
        raise ValueError("a case has at least one event")
    first = entries[0]
    key = CaseKey(str(first["case_uuid"]), str(first["site_code"]), str(first["department_code"]))
    return fold([from_wire(e) for e in entries], key, directory=directory)


def recounted(due: v.Due, recount: Mapping[str, Any] | None) -> v.Due:
    """The due date as this desk counted it again once the year's calendar arrived (``details["due_recomputed"]``,
    services/due_dates.py), while the events still carry the weekends-only date it replaced."""
    if not recount or not is_provisional(due.calendar_version) or parse_time(recount.get("from")) != due.due_at:
        return due
    to = parse_time(recount.get("to"))
    if to is None:
        return due
    return v.Due(to, recount.get("calendar_version"), False, due.days, due.confirmed_by_department, due.due_at)


@dataclass(frozen=True, slots=True)
class RowFacts:
    """What the case row's state columns hold (sync/outbox.project): the same attributes as the view's,
    by the same replay and the same due-date step, without building the rest of the view (a catch-up
    rebuilds thousands of cases). ``tests/unit/test_case_fold.py`` keeps the two equal."""

    state: CaseState
    acked_version: int
    due: v.Due | None

    @property
    def status(self) -> v.Status:
        return self.state.status

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def pledge_open(self) -> bool:
        return self.state.pledge_open

    @property
    def withdrawal_requested(self) -> bool:
        return self.state.withdrawal_requested and OWNER[self.state.status] is Side.BACK_OFFICE

    @property
    def due_at(self) -> datetime | None:
        return self.due.due_at if self.due else None


def row_facts(events: Iterable[v.EventRecord], *, recorded: Mapping[str, Any] | None = None) -> RowFacts:
    """The projection of :func:`fold` the case row stores (its state, acknowledged version and due date)."""
    state, acked, applied = replay(events)
    due: v.Due | None = None
    for e in applied:
        due = f.next_due(due, e.payload)
    if due is not None:
        due = recounted(due, (recorded or {}).get("due_recomputed"))
    return RowFacts(state, acked, due)
