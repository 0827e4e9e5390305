"""The parts of a case view read from its applied events (domain/case_fold.py folds; this module reads).
Pure: no I/O. "The latest event of each kind wins" is written here once, for every desk and the hub.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from clerk_desk.domain import case_view as v
from clerk_desk.domain.lifecycle import CaseState, EventType, Side

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


def party(p: Mapping[str, Any]) -> v.Party:
    return v.Party(str(p.get("kind") or "person"), str(p.get("name") or ""), str(p.get("id_number") or ""),
                   str(p.get("phone") or ""), str(p.get("address") or ""), str(p.get("legal_representative") or ""),
                   bool(p.get("purged")))  # fmt: skip


def material(m: Mapping[str, Any]) -> v.Material:
    return v.Material(str(m.get("name") or ""), bool(m.get("required", True)), bool(m.get("waivable")),
                      bool(m.get("provided")), m.get("form"), int(m.get("copies") or 0), bool(m.get("ok", True)),
                      m.get("problem"), bool(m.get("each")))  # fmt: skip


def next_due(before: v.Due | None, p: Mapping[str, Any]) -> v.Due | None:
    """The due date after an event: the latest event that carries one wins (acceptance, 签收, a resumed
    clock, the return from 补正), keeping the calendar version when the event does not say it."""
    due = parse_time(p.get("due_at"))
    if due is None:
        return before
    return v.Due(
        due,
        p.get("calendar_version") or (before.calendar_version if before else None),
        bool(p.get("provisional")),
        before.days if before else None,
        before.confirmed_by_department if before else False,
    )


class Facts:
    """The parts read from the applied events (mutable while folding, frozen into the view at the end)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.said: dict[str, Any] = {}  # intake facts: the outcome event says them, a draft only fills in
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
        self.due = next_due(self.due, p)

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


def carried_persons(events: list[v.EventRecord]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for e in events:
        named = e.payload.get("persons")
        if isinstance(named, Mapping):
            for pid, p in named.items():
                if isinstance(p, Mapping):
                    found.setdefault(str(pid), p)
    return found


def intake(facts: Facts, told: Any, directory: Directory) -> v.Intake:
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


def received(facts: Facts) -> v.Receipt | None:
    got = facts.get(E.RECEIVED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    checked = facts.get(E.MATERIALS_VERIFIED)
    verified: tuple[v.Verified, ...] = ()
    if checked is not None and checked[0].case_version > e.case_version:
        verified = tuple(
            v.Verified(str(m.get("name") or ""), bool(m.get("verified")), str(m.get("note") or ""))
            for m in checked[0].payload.get("materials") or ()
            if isinstance(m, dict)
        )
    return v.Receipt(
        act,
        bool(p.get("paper_received")),
        str(p.get("note") or ""),
        str(p.get("summary") or ""),
        bool(p.get("retransfer")),
        verified,
    )


def decision(facts: Facts) -> v.Decision | None:
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


def handover(facts: Facts, person: Any) -> v.HandOver | None:
    got = facts.get(E.DELIVERED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    return v.HandOver(act, str(p.get("method") or ""), str(p.get("recipient") or ""), person(p.get("recipient_id")),
                      bool(p.get("id_checked")), str(p.get("tracking_no") or ""), str(p.get("sent_to") or ""),
                      str(p.get("note") or ""), str(p.get("summary") or ""), p.get("window_id"))  # fmt: skip


def withdrawal(facts: Facts, state: CaseState) -> v.Withdrawal | None:
    asked, done = facts.get(E.WITHDRAWAL_REQUESTED), facts.get(E.WITHDRAWN)
    if asked is None and done is None:
        return None
    p = asked[0].payload if asked else (done[0].payload if done else {})
    pending = state.withdrawal_requested and state.owner is Side.BACK_OFFICE  # answered once out of its hands
    return v.Withdrawal(
        asked[1] if asked else None,
        str(p.get("requested_by") or ""),
        str(p.get("reason") or ""),
        str(p.get("summary") or ""),
        pending,
        done[1] if done else None,
    )


def pledge(facts: Facts, state: CaseState, told: Any) -> v.Pledge | None:
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


def archived(facts: Facts) -> v.Archived | None:
    got = facts.get(E.ARCHIVED)
    if got is None:
        return None
    e, act = got
    p = e.payload
    return v.Archived(
        act, str(p.get("day") or ""), p.get("materials"), p.get("copies"), str(p.get("summary") or "")
    )


def papers(events: list[v.EventRecord], facts: Facts) -> tuple[v.PaperPrints, ...]:
    """Every recorded print counts, applied or not: the paper went out (the next one is 补打 N)."""
    out: dict[str, v.PaperPrints] = {}
    for e in events:
        if e.type in PRINTS:
            kind = str(e.payload.get("document") or "")
            n = out[kind].count if kind in out else 0
            out[kind] = v.PaperPrints(kind, n + 1, facts.act(e), str(e.payload.get("paper") or "a4"))
    return tuple(out.values())


def timeline(
    events: list[v.EventRecord], applied: list[v.EventRecord], facts: Facts
) -> tuple[v.TimelineEvent, ...]:
    used = {id(e) for e in applied}
    return tuple(v.TimelineEvent(e.uuid, e.type, facts.act(e), e.push_state, e.origin, id(e) in used, e.payload,
                                 e.hub_seq, e.last_error) for e in events)  # fmt: skip
