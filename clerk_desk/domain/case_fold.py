"""The fold: a case's events in, what the case is now out (:class:`case_view.CaseView`). Pure: no I/O.

The state comes from the lifecycle's own :func:`lifecycle.apply_event`, in the order the desk has
always rebuilt a case (sync/outbox.py, DESIGN.md §3):

1. the history the hub confirmed (pulled events, and our own the hub stored), in case-version order;
   an event the lifecycle cannot place is skipped (the hub's log is the truth);
2. then this desk's events still waiting to be sent (pending, in flight), on top; the first that no
   longer fits stops the rest (the hub will say so).

Rejected, held and set-aside events are in the timeline but not in the case. Every other part of the
view is read from the events that were applied: "the latest event of each kind wins" is written here
once. The desk's services, sync's rebuild (the case row's columns are a projection of the view) and the
papers use it; the county hub can fold its own log the same way (:func:`from_wire`, :func:`fold_wire`).

``recorded`` is what a desk recorded at intake outside the events (its case row): it fills only what the
events do not say, for cases accepted before the events carried it. ``people`` are the persons the
reading service opened (sealed at rest); a person an event carries (pulled events name theirs) is used
when ``people`` does not have them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from clerk_desk.domain import case_view as v
from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, CaseState, EventType, TransitionError, apply_event

E = EventType
CLOSING = (E.COMPLETED_ON_SPOT.value, E.REFUSED.value, E.DELIVERED.value, E.WITHDRAWN.value)
INTAKE = {
    E.INTAKE_SAVED.value: "draft",
    E.ACCEPTED.value: "accepted",
    E.COMPLETED_ON_SPOT.value: "completed",
    E.SUPPLEMENT_NOTIFIED.value: "notified",
    E.REFUSED.value: "refused",
}
PRINTS = (E.DOCUMENT_PRINTED.value, E.REPRINTED.value)


@dataclass(frozen=True, slots=True)
class CaseKey:
    """What names a case outside its events: the desk's case row, or the hub's event envelope."""

    uuid: str
    site_code: str = ""
    department_code: str = ""
    case_number: str = ""
    item_code: str = ""
    item_name: str = ""


@dataclass(frozen=True, slots=True)
class Directory:
    """Names the events refer to by code: departments, user accounts (display names), windows."""

    departments: Mapping[str, str] = field(default_factory=dict)
    users: Mapping[str, str] = field(default_factory=dict)
    windows: Mapping[str, str] = field(default_factory=dict)


def parse_time(text: Any) -> datetime | None:
    """An ISO time from a payload or the wire ("…Z" or "+00:00"), aware; None for nothing."""
    if not text:
        return None
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=UTC)
    at = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def replay_order(events: Iterable[v.EventRecord]) -> list[v.EventRecord]:
    """Case-version order, the hub's position breaking ties (none first, as SQLite sorts NULL)."""
    return sorted(events, key=lambda e: (e.case_version, e.hub_seq is not None, e.hub_seq or 0))


def replay(events: Iterable[v.EventRecord]) -> tuple[CaseState, int, list[v.EventRecord]]:
    """(state, acknowledged version, the events applied in order): the two passes of the module doc."""
    ordered = replay_order(events)
    state, applied = CaseState(), []
    for e in ordered:
        if e.acked:
            try:
                state = apply_event(state, e.type, e.side, e.case_version)
            except TransitionError:
                continue
            applied.append(e)
    acked = state.version
    for e in ordered:
        if e.origin is v.Origin.LOCAL and e.push_state in (v.PushState.PENDING, v.PushState.IN_FLIGHT):
            try:
                state = apply_event(state, e.type, e.side, e.case_version)
            except TransitionError:
                break
            applied.append(e)
    return state, acked, applied


def transfer_facts(accepted_at: datetime | None, urgent: bool,
                   handed: Iterable[tuple[str, datetime, bool]]) -> v.Transfer:  # fmt: skip
    """The hand-over facts from (event type, when, payload's ``late``) of transfers in order."""
    limit = TRANSFER_MINUTES[bool(urgent)]
    due = accepted_at + timedelta(minutes=limit) if accepted_at else None
    first: tuple[datetime, bool] | None = None
    last: tuple[str, datetime] | None = None
    for kind, at, late in handed:
        if kind == E.TRANSFERRED.value and first is None:
            first = (at, late)
        last = (kind, at)
    if first is None:
        return v.Transfer(due, limit, last_at=last[1] if last else None, retransferred=bool(last))
    took = int((first[0] - accepted_at).total_seconds()) if accepted_at else None
    return v.Transfer(
        due,
        limit,
        first[0],
        last[1] if last else first[0],
        took,
        first[1] or (took or 0) > limit * 60,
        bool(last and last[0] == E.RETRANSFERRED.value),
    )


def _party(p: Mapping[str, Any]) -> v.Party:
    return v.Party(str(p.get("kind") or "person"), str(p.get("name") or ""), str(p.get("id_number") or ""),
                   str(p.get("phone") or ""), str(p.get("address") or ""), str(p.get("legal_representative") or ""),
                   bool(p.get("purged")))  # fmt: skip


def _material(m: Mapping[str, Any]) -> v.Material:
    return v.Material(str(m.get("name") or ""), bool(m.get("required", True)), bool(m.get("waivable")),
                      bool(m.get("provided")), m.get("form"), int(m.get("copies") or 0), bool(m.get("ok", True)),
                      m.get("problem"), bool(m.get("each")))  # fmt: skip


class _Facts:
    """The parts read from the applied events (mutable while folding, frozen into the view at the end)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.said: dict[str, Any] = {}  # intake facts: the first event that says each wins
        self.latest: dict[str, tuple[v.EventRecord, v.Act]] = {}  # the latest event of each kind
        self.intake: tuple[str, v.EventRecord, v.Act] | None = None
        self.first_at: datetime | None = None
        self.handed: list[tuple[str, datetime, bool]] = []
        self.pauses: list[v.Pause] = []
        self.due: v.Due | None = None
        self.closed: tuple[str, v.Act] | None = None

    def act(self, e: v.EventRecord) -> v.Act:
        name = self.directory.users.get(e.actor) or str(e.payload.get("actor_name") or "")
        return v.Act(e.occurred_at, e.actor, name, e.side)

    def take(self, e: v.EventRecord) -> None:
        p, a = e.payload, self.act(e)
        self.first_at = self.first_at or e.occurred_at
        if p.get("case_number"):
            self.said.setdefault("case_number", p["case_number"])
        if e.type in INTAKE:  # the intake's facts: the outcome's event says them; a draft only fills in
            given = {
                k: x for k, x in p.items() if x is not None and k not in ("summary", "note", "actor_name")
            }
            if INTAKE[e.type] == "draft":
                for k, x in given.items():
                    self.said.setdefault(k, x)
            else:
                self.said.update(given)
            if self.intake is None or self.intake[0] == "draft":
                self.intake = (INTAKE[e.type], e, a)
        self.latest[e.type] = (e, a)
        if e.type in (E.TRANSFERRED.value, E.RETRANSFERRED.value):
            self.handed.append((e.type, e.occurred_at, bool(p.get("late"))))
            self._end(v.PauseKind.SUPPLEMENT, e.occurred_at)
        elif e.type == E.CLOCK_PAUSED.value:
            self.pauses.append(
                v.Pause(
                    v.PauseKind.SPECIAL_PROCEDURE,
                    a,
                    None,
                    str(p.get("procedure") or ""),
                    str(p.get("reason") or ""),
                    summary=str(p.get("summary") or ""),
                )
            )
        elif e.type == E.CLOCK_RESUMED.value:
            self._end(v.PauseKind.SPECIAL_PROCEDURE, e.occurred_at)
        elif e.type == E.SUPPLEMENT_REQUESTED.value:
            self._end(v.PauseKind.SPECIAL_PROCEDURE, e.occurred_at)
            self.pauses.append(
                v.Pause(
                    v.PauseKind.SUPPLEMENT,
                    a,
                    None,
                    missing=tuple(map(str, p.get("missing") or ())),
                    note=str(p.get("note") or ""),
                    summary=str(p.get("summary") or ""),
                )
            )
        if e.type in CLOSING:
            self.closed = (e.type, a)
        due = parse_time(p.get("due_at"))
        if due is not None:
            before = self.due
            self.due = v.Due(
                due,
                p.get("calendar_version") or (before.calendar_version if before else None),
                bool(p.get("provisional")),
                before.days if before else None,
                before.confirmed_by_department if before else False,
            )

    def _end(self, kind: v.PauseKind, at: datetime) -> None:
        for i, pause in enumerate(self.pauses):
            if pause.kind is kind and pause.ended_at is None:
                self.pauses[i] = _replace_end(pause, at)

    def get(self, kind: EventType) -> tuple[v.EventRecord, v.Act] | None:
        return self.latest.get(kind.value)


def _replace_end(p: v.Pause, at: datetime) -> v.Pause:
    return v.Pause(
        p.kind, p.started, max(at, p.started.at), p.procedure, p.reason, p.missing, p.note, p.summary
    )


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
    facts = _Facts(directory)
    for e in applied:
        facts.take(e)
    said, rec = facts.said, recorded or {}

    def told(name: str, fallback: str | None = None) -> Any:
        value = said.get(name)
        return value if value is not None else rec.get(fallback or name)

    persons = _carried_persons(all_events)

    def person(pid: Any) -> v.Party | None:
        if not pid:
            return None
        found = (people or {}).get(pid)
        return found if found is not None else (_party(persons[pid]) if pid in persons else None)

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
        intake=_intake(facts, told, directory),
        checklist=tuple(_material(m) for m in told("checklist") or ()),
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
        received=_received(facts),
        pauses=tuple(facts.pauses),
        supplement=next((p for p in reversed(facts.pauses) if p.kind is v.PauseKind.SUPPLEMENT), None),
        due=due,
        decision=_decision(facts),
        handover=_handover(facts, person),
        withdrawal=_withdrawal(facts, state),
        pledge=_pledge(facts, state, told),
        closed=facts.closed[1] if facts.closed else None,
        closed_as=facts.closed[0] if facts.closed else None,
        archived=_archived(facts),
        papers=_papers(all_events, facts),
        events=_timeline(all_events, applied, facts),
    )


def _carried_persons(events: list[v.EventRecord]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for e in events:
        named = e.payload.get("persons")
        if isinstance(named, Mapping):
            for pid, p in named.items():
                if isinstance(p, Mapping):
                    found.setdefault(str(pid), p)
    return found


def _intake(facts: _Facts, told: Any, directory: Directory) -> v.Intake:
    if facts.intake is None:
        return v.Intake("")
    outcome, e, act = facts.intake
    p = e.payload
    delivery = told("delivery")
    window_id = told("window_id")
    notice = p.get("missing") if outcome == "notified" else None
    return v.Intake(
        outcome, act, told("channel"), told("online_application_no"), told("theme_code"), told("bundle_id"),
        told("previous_notice"), told("notes"), window_id, directory.windows.get(window_id or "", ""),
        v.DeliveryChoice(str(delivery.get("method") or "window"), str(delivery.get("address") or ""),
                         str(delivery.get("contact") or "")) if isinstance(delivery, Mapping) else None,
        str(p.get("result") or told("result") or "") if outcome == "completed" else "",
        tuple(v.NoticeLine(str(m.get("name", "")), str(m.get("reason", "")), bool(m.get("required", True)))
              for m in (notice or told("missing") or ())) if outcome == "notified" else (),
        str(p.get("reason") or told("refusal_reason") or "") if outcome == "refused" else "",
    )  # fmt: skip


def _received(facts: _Facts) -> v.Receipt | None:
    got = facts.get(E.RECEIVED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    return v.Receipt(
        act,
        bool(p.get("paper_received")),
        str(p.get("note") or ""),
        str(p.get("summary") or ""),
        bool(p.get("retransfer")),
    )


def _decision(facts: _Facts) -> v.Decision | None:
    got = facts.get(E.DECIDED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    back = facts.get(E.RESULT_RETURNED)
    returned = back[1] if back and back[0].case_version > e.case_version else None
    return v.Decision(act, str(p.get("decision") or ""), str(p.get("result_text") or ""),
                      str(p.get("document_number") or ""), str(p.get("denial_reason") or ""), str(p.get("note") or ""),
                      str(p.get("summary") or ""), returned)  # fmt: skip


def _handover(facts: _Facts, person: Any) -> v.HandOver | None:
    got = facts.get(E.DELIVERED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    return v.HandOver(act, str(p.get("method") or ""), str(p.get("recipient") or ""), person(p.get("recipient_id")),
                      bool(p.get("id_checked")), str(p.get("tracking_no") or ""), str(p.get("sent_to") or ""),
                      str(p.get("note") or ""), str(p.get("summary") or ""), p.get("window_id"))  # fmt: skip


def _withdrawal(facts: _Facts, state: CaseState) -> v.Withdrawal | None:
    asked, done = facts.get(E.WITHDRAWAL_REQUESTED), facts.get(E.WITHDRAWN)
    if asked is None and done is None:
        return None
    p = asked[0].payload if asked else (done[0].payload if done else {})
    return v.Withdrawal(
        asked[1] if asked else None,
        str(p.get("requested_by") or ""),
        str(p.get("reason") or ""),
        str(p.get("summary") or ""),
        state.withdrawal_requested,
        done[1] if done else None,
    )


def _pledge(facts: _Facts, state: CaseState, told: Any) -> v.Pledge | None:
    got = facts.get(E.PLEDGE_RECORDED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    later = [facts.get(k) for k in (E.PLEDGE_FULFILLED, E.PLEDGE_OVERDUE)]
    fulfilled, overdue = (x[1] if x and x[0].case_version > e.case_version else None for x in later)
    return v.Pledge(
        tuple(map(str, p.get("materials") or ())),
        _day(p.get("due")),
        str(p.get("text") or told("pledge_text") or ""),
        state.pledge_open,
        act,
        fulfilled,
        overdue,
    )


def _archived(facts: _Facts) -> v.Archived | None:
    got = facts.get(E.ARCHIVED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    return v.Archived(
        act, str(p.get("day") or ""), p.get("materials"), p.get("copies"), str(p.get("summary") or "")
    )


def _papers(events: list[v.EventRecord], facts: _Facts) -> tuple[v.PaperPrints, ...]:
    """Every recorded print counts, applied or not: the paper went out (the next one is 补打 N)."""
    out: dict[str, v.PaperPrints] = {}
    for e in events:
        if e.type in PRINTS:
            kind = str(e.payload.get("document") or "")
            n = out[kind].count if kind in out else 0
            out[kind] = v.PaperPrints(kind, n + 1, facts.act(e), str(e.payload.get("paper") or "a4"))
    return tuple(out.values())


def _timeline(
    events: list[v.EventRecord], applied: list[v.EventRecord], facts: _Facts
) -> tuple[v.TimelineEvent, ...]:
    used = {id(e) for e in applied}
    return tuple(v.TimelineEvent(e.uuid, e.type, facts.act(e), e.push_state, e.origin, id(e) in used, e.payload,
                                 e.hub_seq, e.last_error) for e in events)  # fmt: skip


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
