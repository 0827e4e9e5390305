"""A push's plan: the answer to each event of a batch and what is to be written, decided once, in Python,
by code that knows no database (docs/hub.md, "Storage").

The plan is made from what the hub held for the batch's uuids and cases when it was read (:class:`Known`)
and from the facts the events are admitted by (county_hub.admission.Gate). Each event, in batch order:

1. **Seen before?** A uuid stored (in the log, or earlier in this batch) with the same body is a
   ``duplicate`` with its seq; one rejected before gets the same rejection again; the same uuid with
   another body is a ``uuid_conflict``. Nothing else is checked for these.
2. **Admitted?** Who acted, when, under which device counter (county_hub.admission).
3. **Allowed?** The case stays at its site and department (``case_moved``), and the lifecycle takes the
   event from the case's state so far, this batch's earlier events included (county_hub.case_state).

Stored events are numbered 1, 2, ... within the push; a writer (county_hub.storage) gives each its seq by
adding the log's head, read under the append lock. The writer also checks under the lock that what the
plan was made from still holds, and if it does not, reads again and has the plan made again
(:func:`make_plan` with the same :class:`Push`) before it writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from clerk_desk.domain.hall_streams import Stream, StreamError, check
from clerk_desk.domain.lifecycle import CaseState, TransitionError
from county_hub import case_state, county_projection
from county_hub.admission import NO_FACTS, Gate, Grant, RouteFacts, refuse_route
from county_hub.county_projection import CaseFigures, Projection
from county_hub.schemas import WireEvent

# What the log keeps and hashes: the wire fields but the stream, which the event's type implies.
_WIRE_FIELDS = tuple(name for name in WireEvent.model_fields if name != "stream")

Grants = Mapping[str, Sequence[Grant]]  # actor -> role periods; an actor the hub does not know is absent


def wire_dict(event: WireEvent) -> dict[str, Any]:
    """The event's fields as plain JSON values (faster than model_dump: the payload is already plain JSON)."""
    out = {name: getattr(event, name) for name in _WIRE_FIELDS}
    out["type"], out["side"] = event.type.value, event.side.value
    return out


def _canonical(event: WireEvent | dict[str, Any]) -> bytes:
    dumped = event if isinstance(event, dict) else wire_dict(event)
    return json.dumps(dumped, sort_keys=True, separators=(",", ":")).encode()


def body_hash(event: WireEvent | dict[str, Any]) -> str:
    """A fingerprint of everything the desk sent (after normalising the timestamp); key order does not matter."""
    return hashlib.sha256(_canonical(event)).hexdigest()


@dataclass(frozen=True)
class Answer:
    uuid: str
    status: str  # stored | duplicate | rejected
    code: str | None = None
    reason: str | None = None
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class CaseRow:
    """A case as the plan sees it: its place, its state, and where it lies in the log."""

    site_code: str
    department_code: str
    state: CaseState
    first_seq: int  # existing case: as stored; new case: the number within this push of its first event
    last_seq: int  # existing case: as read (what the check under the lock compares); new case: 0
    is_new: bool
    last_ord: int = 0  # the number within this push of the last event applied to it; 0: untouched


@dataclass(frozen=True)
class Batch:
    """The pushed events with what is computed from them before anything is read."""

    events: Sequence[WireEvent]
    hashes: list[str]
    uuids: list[str]  # distinct, sorted
    case_uuids: list[str]  # distinct, sorted
    actors: list[str]  # distinct, sorted
    # Each event's size as hashed (compact JSON, non-ASCII escaped): what the hub bounds (county_hub.admission).
    sizes: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, events: Sequence[WireEvent]) -> Batch:
        canonical = [_canonical(e) for e in events]
        return cls(
            events,
            [hashlib.sha256(c).hexdigest() for c in canonical],
            sorted({e.uuid for e in events}),
            sorted({e.case_uuid for e in events}),
            sorted({e.actor for e in events}),
            [len(c) for c in canonical],
        )


@dataclass
class Known:
    """What the hub held for a batch's uuids and cases when it was read."""

    stored: dict[str, tuple[str, int]]  # uuid -> (body hash, seq)
    rejected: dict[str, tuple[str, str, str]]  # uuid -> (body hash, code, reason)
    cases: dict[str, CaseRow]
    # The cases' rows of the county figures (county_hub.county_projection), read with the rest.
    figures: dict[str, CaseFigures] = field(default_factory=dict)


@dataclass(frozen=True)
class Push:
    """What a plan is made for: the batch, the facts it is admitted by, who pushes it and when."""

    batch: Batch
    gate: Gate
    device_code: str
    token_id: str
    now: datetime  # the hub's clock for this push: received_at, rejected_at, updated_at
    routes: RouteFacts = NO_FACTS  # the site's window directory and the published items (county_hub.windows)
    # The records (not cases) the batch names that the log holds: uuid -> (stream, events stored), i.e. the
    # record's version (county_hub.record_state): a record's events are taken in version order only.
    records: Mapping[str, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    index: int  # in the batch
    code: str
    reason: str


@dataclass
class Plan:
    """The answers and the writes of one push; numbers within the push until a writer places them."""

    push: Push
    read: Known  # what the plan was made from: the writer checks under the lock that it still holds
    answers: list[Answer] = field(default_factory=list)  # a stored event's seq: its number in the push
    numbered: list[bool] = field(default_factory=list)  # whether answers[i].seq is such a number
    stored: list[int] = field(default_factory=list)  # indexes of the events to store; the k-th is number k+1
    rejections: list[Rejection] = field(default_factory=list)  # new rejections, in batch order
    touched: list[tuple[str, CaseRow]] = field(default_factory=list)  # cases this push moves, by uuid
    max_device_seq: int = 0  # the highest device_seq among the stored events
    # The county figures after the stored events, written by the writer in the same transaction.
    projection: Projection = field(default_factory=county_projection.Projection.empty)

    @property
    def new_uuids(self) -> list[str]:
        """The batch's uuids the hub knew nothing of when read (under the lock: still nothing)."""
        return [u for u in self.push.batch.uuids if u not in self.read.stored and u not in self.read.rejected]

    def placed(self, head: int) -> list[Answer]:
        """The answers with the stored events' seqs, the log's head being ``head`` before this push."""
        return [
            replace(a, seq=head + a.seq) if numbered and a.seq is not None else a
            for a, numbered in zip(self.answers, self.numbered, strict=True)
        ]


Replan = Callable[[Known], Plan]  # the same push planned again, from what a writer read under the lock
Hook = Callable[[], None]


def make_plan(push: Push, known: Known) -> Plan:
    """Check the batch in order against what the hub held (no database access)."""
    cases = {uuid: replace(row) for uuid, row in known.cases.items()}  # a plan made again starts afresh
    records = dict(push.records)  # uuid -> (stream, version), this push's stored events included
    in_push: dict[str, tuple[str, int]] = {}  # uuid -> (hash, number) of the events this push stores
    new_rejections: dict[str, tuple[str, str, str]] = {}
    plan = Plan(push, known)
    batch = push.batch
    for index, (event, digest) in enumerate(zip(batch.events, batch.hashes, strict=True)):
        answer, numbered = _seen(event.uuid, digest, known, in_push, new_rejections)
        if answer is None:
            number = len(plan.stored) + 1
            size = batch.sizes[index] if batch.sizes else 0
            refusal = push.gate.refuse(event, plan.max_device_seq, size) or refuse_route(event, push.routes)
            if refusal is not None:
                answer = Answer(event.uuid, "rejected", refusal.code, refusal.reason)
            else:
                answer = _apply(event, cases, records, number)
            if answer.status == "stored":
                numbered = True
                in_push[event.uuid] = (digest, number)
                plan.stored.append(index)
                plan.max_device_seq = max(plan.max_device_seq, event.device_seq)
            else:
                assert answer.code is not None and answer.reason is not None
                new_rejections[event.uuid] = (digest, answer.code, answer.reason)
                plan.rejections.append(Rejection(index, answer.code, answer.reason))
        plan.answers.append(answer)
        plan.numbered.append(numbered)
    plan.touched = [(uuid, c) for uuid, c in sorted(cases.items()) if c.last_ord]
    if plan.stored:
        plan.projection = county_projection.project(known.figures, [batch.events[i] for i in plan.stored])
    return plan


def _seen(
    uuid: str,
    digest: str,
    known: Known,
    in_push: dict[str, tuple[str, int]],
    new_rejections: dict[str, tuple[str, str, str]],
) -> tuple[Answer | None, bool]:
    """The answer for a uuid seen before (in the log, among rejections, or earlier in this batch)."""
    stored = known.stored.get(uuid)
    numbered = False
    if stored is None and uuid in in_push:
        stored, numbered = in_push[uuid], True
    if stored is not None:
        if stored[0] == digest:
            return Answer(uuid, "duplicate", seq=stored[1]), numbered
        return Answer(
            uuid, "rejected", "uuid_conflict", "an event with this uuid was stored with a different body"
        ), False
    previous = new_rejections.get(uuid) or known.rejected.get(uuid)
    if previous is not None:
        if previous[0] == digest:
            return Answer(uuid, "rejected", previous[1], previous[2]), False
        return Answer(
            uuid, "rejected", "uuid_conflict", "an event with this uuid was rejected with a different body"
        ), False
    return None, False


def _apply(event: WireEvent, cases: dict[str, CaseRow], records: dict[str, tuple[str, int]], number: int) -> Answer:
    if event.stream is not Stream.CASE:
        return _apply_record(event, cases, records, number)
    row = cases.get(event.case_uuid)
    if row is not None and (row.site_code, row.department_code) != (event.site_code, event.department_code):
        return Answer(
            event.uuid,
            "rejected",
            "case_moved",
            f"the case belongs to site {row.site_code}, department {row.department_code}; "
            "an event cannot move it elsewhere",
        )
    state = row.state if row is not None else CaseState()
    try:
        new_state = case_state.advance(state, event.type, event.side, event.case_version)
    except TransitionError as exc:
        return Answer(event.uuid, "rejected", exc.code, exc.message)
    if row is None:
        row = CaseRow(event.site_code, event.department_code, new_state, number, 0, is_new=True)
        cases[event.case_uuid] = row
    row.state, row.last_ord = new_state, number
    return Answer(event.uuid, "stored", seq=number)


def _apply_record(event: WireEvent, cases: dict[str, CaseRow], records: dict[str, tuple[str, int]],
                  number: int) -> Answer:  # fmt: skip
    """An event of a record that is not a case (a consultation, a 帮办代办, a stint on a window): admitted
    like any event, judged by its stream's rules (clerk_desk/domain/hall_streams.py) and by the record's
    state at the hub: it stays in its stream, and each event is made against the version the hub holds
    (the events stored before it), so a later event arriving before an earlier one is refused
    (``stale_version``) rather than taken on the device's order alone. It moves no case."""
    if event.case_uuid in cases:
        return Answer(event.uuid, "rejected", "not_a_record", "this uuid is a case, not a record of a stream")
    try:
        kind = check(event.stream.value, event.type.value, event.side.value, event.department_code,
                     event.case_version)  # fmt: skip
    except StreamError as exc:
        return Answer(event.uuid, "rejected", exc.code, exc.message)
    stream, version = records.get(event.case_uuid, (kind.value, 0))
    if stream != kind.value:
        return Answer(event.uuid, "rejected", "wrong_stream", f"this uuid is a record of the {stream} stream")
    if event.case_version != version:
        return Answer(event.uuid, "rejected", "stale_version",
                      f"event made against record version {event.case_version}, the record is at version {version}")
    records[event.case_uuid] = (stream, version + 1)
    return Answer(event.uuid, "stored", seq=number)
