"""Appending pushed events to the log, with the shared lifecycle rules.

A push is answered per event, in batch order, in one transaction, and the time it holds the append lock
(county_hub.ordering) is kept short, because every other push waits for it:

1. Without any lock: each event's fingerprint and JSON text; one read of what the hub already knows of
   the batch's uuids (stored or rejected) and of the current state of its cases; then the plan: each event
   checked in order against that state (stored, duplicate or rejected, and the cases' new state), with the
   stored events numbered 1, 2, ... within the push.
2. Under the lock, re-check what the plan read, write, commit. On PostgreSQL this is a single pipelined
   round trip: take the counter row ``FOR UPDATE``, check that no event or rejection with the plan's new
   uuids appeared and that every case it read is still at the ``last_seq`` read and none it found missing
   exists (a failed check aborts the transaction), insert the events with seq = counter + their number
   (computed by the server from the locked row), insert and update the cases, advance the counter and
   COMMIT. The lock is held for the server's own work only, never across a client round trip. If the
   check fails (another push stored something for the same cases or uuids in between) the push starts
   again with the lock taken first, and the plan is made under it.
   On SQLite ``BEGIN IMMEDIATE`` takes the database write lock; the plan's reads are repeated under it
   (in process, cheap) and the plan is made again if they differ.

Rejected events take no seq, so the log has no gaps; a rolled-back push takes its numbers back with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, literal_column, select, union_all, update

from clerk_desk.domain.lifecycle import CaseState, Status, TransitionError, apply_event
from county_hub import grants, ordering
from county_hub.admission import DEFAULT_LIMITS, Gate, Grant, Limits
from county_hub.audit import audit_rows
from county_hub.auth import DeviceContext
from county_hub.db import json_text, write_engine
from county_hub.models import AuditEntry, Case, Device, Event, RejectedEvent, utcnow
from county_hub.schemas import WireEvent

_WIRE_FIELDS = tuple(WireEvent.model_fields)


def wire_dict(event: WireEvent) -> dict[str, Any]:
    """The event's fields as plain JSON values (faster than model_dump: the payload is already plain JSON)."""
    out = {name: getattr(event, name) for name in _WIRE_FIELDS}
    out["type"], out["side"] = event.type.value, event.side.value
    return out


def body_hash(event: WireEvent | dict[str, Any]) -> str:
    """A fingerprint of everything the desk sent (after normalising the timestamp); key order does not matter."""
    dumped = event if isinstance(event, dict) else wire_dict(event)
    canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class _CaseRow:
    site_code: str
    department_code: str
    state: CaseState
    first_seq: int  # existing case: as stored; new case: the number within this push of its first event
    last_seq: int  # existing case: as read (what the check under the lock compares); new case: 0
    is_new: bool
    last_ord: int = 0  # the number within this push of the last event applied to it; 0: untouched


@dataclass(frozen=True)
class Answer:
    uuid: str
    status: str  # stored | duplicate | rejected
    code: str | None = None
    reason: str | None = None
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class _Batch:
    """The pushed events with what is computed from them before any lock."""

    events: Sequence[WireEvent]
    hashes: list[str]
    payloads: list[str]  # the payloads' JSON text, as stored
    uuids: list[str]  # distinct, sorted
    case_uuids: list[str]  # distinct, sorted
    actors: list[str]  # distinct, sorted

    @classmethod
    def of(cls, events: Sequence[WireEvent]) -> _Batch:
        return cls(
            events,
            [body_hash(wire_dict(e)) for e in events],
            [json_text(e.payload) for e in events],
            sorted({e.uuid for e in events}),
            sorted({e.case_uuid for e in events}),
            sorted({e.actor for e in events}),
        )


def make_gate(device: DeviceContext, held: dict[str, list[Grant]], limits: Limits) -> Gate:
    """What the batch's new events are admitted by (county_hub.admission): read before any lock."""
    return Gate(
        device.site_code,
        device.enrolled_at,
        device.max_device_seq,
        held,
        utcnow(),
        limits.skew,
        limits.max_seq_jump,
    )


@dataclass
class _Known:
    """What the hub held for a batch's uuids and cases when it was read."""

    stored: dict[str, tuple[str, int]]  # uuid -> (body hash, seq)
    rejected: dict[str, tuple[str, str, str]]  # uuid -> (body hash, code, reason)
    cases: dict[str, _CaseRow]


@dataclass
class _Plan:
    answers: list[Answer]  # a stored event's seq is its number within the push until placed
    numbered: list[bool]  # whether answers[i].seq is such a number
    stored: list[int]  # indexes of the events to store, in order (the k-th gets number k + 1)
    rejections: list[tuple[int, str, str]]  # (index, code, reason) of new rejections
    cases: dict[str, _CaseRow]
    new_uuids: list[str]  # uuids the hub knew nothing of when read (the check: still nothing)
    max_device_seq: int = 0
    touched: list[tuple[str, _CaseRow]] = field(default_factory=list)

    def placed(self, head: int) -> list[Answer]:
        """The answers with the stored events' seqs, the counter being at ``head`` before this push."""
        return [
            replace(a, seq=head + a.seq) if numbered and a.seq is not None else a
            for a, numbered in zip(self.answers, self.numbered, strict=True)
        ]


def _make_plan(batch: _Batch, known: _Known, gate: Gate) -> _Plan:
    """Check the batch in order against what the hub held (no database access): each new event is first
    admitted (who acted, when, its device counter), then checked by the lifecycle rules."""
    cases = {uuid: replace(row) for uuid, row in known.cases.items()}  # a plan made again starts afresh
    in_push: dict[str, tuple[str, int]] = {}  # uuid -> (hash, number) for events stored by this push
    new_rejections: dict[str, tuple[str, str, str]] = {}
    new_uuids = [u for u in batch.uuids if u not in known.stored and u not in known.rejected]
    plan = _Plan([], [], [], [], cases, new_uuids)
    for index, (event, digest) in enumerate(zip(batch.events, batch.hashes, strict=True)):
        answer, numbered = _known(event.uuid, digest, known, in_push, new_rejections)
        if answer is None:
            number = len(plan.stored) + 1
            refusal = gate.refuse(event, plan.max_device_seq)
            if refusal is not None:
                answer = Answer(event.uuid, "rejected", refusal.code, refusal.reason)
            else:
                answer = _apply(event, cases, number)
            if answer.status == "stored":
                numbered = True
                in_push[event.uuid] = (digest, number)
                plan.stored.append(index)
                plan.max_device_seq = max(plan.max_device_seq, event.device_seq)
            else:
                assert answer.code is not None and answer.reason is not None
                new_rejections[event.uuid] = (digest, answer.code, answer.reason)
                plan.rejections.append((index, answer.code, answer.reason))
        plan.answers.append(answer)
        plan.numbered.append(numbered)
    plan.touched = [(uuid, c) for uuid, c in sorted(cases.items()) if c.last_ord]
    return plan


def _known(
    uuid: str,
    digest: str,
    known: _Known,
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


def _apply(event: WireEvent, cases: dict[str, _CaseRow], number: int) -> Answer:
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
        new_state = apply_event(state, event.type, event.side, event.case_version)
    except TransitionError as exc:
        return Answer(event.uuid, "rejected", exc.code, exc.message)
    if row is None:
        row = _CaseRow(event.site_code, event.department_code, new_state, number, 0, is_new=True)
        cases[event.case_uuid] = row
    row.state, row.last_ord = new_state, number
    return Answer(event.uuid, "stored", seq=number)


def _case_row(r: Any) -> _CaseRow:
    return _CaseRow(
        r.site_code,
        r.department_code,
        CaseState(Status(r.status), r.version, r.pledge_open, r.withdrawal_requested),
        r.first_seq,
        r.last_seq,
        is_new=False,
    )


def push_events(
    engine: Engine,
    device: DeviceContext,
    events: Sequence[WireEvent],
    *,
    before_commit: Callable[[], None] | None = None,
    after_plan: Callable[[], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Answer]:
    """Apply a batch in order in one transaction; answer per event. The device's right to the batch as a
    whole (its code, side and scope) is checked by the caller; each event's actor, time and counter here.

    ``before_commit`` runs with the append lock held and the rows written but not committed (tests use it
    to hold the transaction open); ``after_plan`` runs once the plan is made, before the lock is taken
    (tests use it to change the log under the plan's feet).
    """
    batch = _Batch.of(events)
    if engine.dialect.name == "postgresql":
        from county_hub import store_pg

        return store_pg.push(engine, device, batch, before_commit, after_plan, limits)
    return _push_sql(engine, device, batch, before_commit, after_plan, limits)


# --- any database, through SQLAlchemy (the embedded SQLite file) ---------------------------------------


def _read(conn: Connection, batch: _Batch) -> _Known:
    seen = conn.execute(
        union_all(
            select(
                Event.uuid, Event.body_hash, Event.seq, literal_column("NULL").label("code"),
                literal_column("NULL").label("reason"),
            ).where(Event.uuid.in_(batch.uuids)),
            select(
                RejectedEvent.uuid, RejectedEvent.body_hash, literal_column("NULL"), RejectedEvent.code,
                RejectedEvent.reason,
            ).where(RejectedEvent.uuid.in_(batch.uuids)),
        )
    ).all()  # fmt: skip
    cases = conn.execute(select(Case.__table__).where(Case.case_uuid.in_(batch.case_uuids)))
    return _Known(
        {r[0]: (r[1], r[2]) for r in seen if r[2] is not None},
        {r[0]: (r[1], r[3], r[4]) for r in seen if r[2] is None},
        {c.case_uuid: _case_row(c) for c in cases},
    )


def _push_sql(
    engine: Engine,
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None,
    after_plan: Callable[[], None] | None,
    limits: Limits,
) -> list[Answer]:
    with engine.connect() as conn, conn.begin():
        known = _read(conn, batch)
        gate = make_gate(device, grants.grants_of(conn, batch.actors), limits)
    plan = _make_plan(batch, known, gate)
    if after_plan is not None:
        after_plan()
    now = utcnow()
    with write_engine(engine).begin() as conn:
        head = ordering.lock_counter(conn)
        fresh = _read(conn, batch)
        if fresh != known:  # another push wrote these uuids or cases meanwhile: plan again, under the lock
            plan = _make_plan(batch, fresh, gate)
        _write_sql(conn, device, batch, plan, head, now)
        if before_commit is not None:
            before_commit()
    return plan.placed(head)


def _write_sql(
    conn: Connection, device: DeviceContext, batch: _Batch, plan: _Plan, head: int, now: datetime
) -> None:
    if plan.stored:
        event_rows = []
        for number, index in enumerate(plan.stored, start=1):
            e = batch.events[index]
            event_rows.append(
                {
                    **wire_dict(e),
                    "seq": head + number,
                    "body_hash": batch.hashes[index],
                    "received_at": now,
                    "token_id": device.token_id,
                }
            )
        conn.execute(insert(Event), event_rows)
        fresh = [_case_values(uuid, c, head, now) for uuid, c in plan.touched if c.is_new]
        old = [_case_values(uuid, c, head, now) for uuid, c in plan.touched if not c.is_new]
        if fresh:
            conn.execute(insert(Case), fresh)
        if old:
            conn.execute(
                update(Case)
                .where(Case.case_uuid == bindparam("b_uuid"))
                .values(
                    status=bindparam("status"),
                    version=bindparam("version"),
                    owner=bindparam("owner"),
                    pledge_open=bindparam("pledge_open"),
                    withdrawal_requested=bindparam("withdrawal_requested"),
                    last_seq=bindparam("last_seq"),
                    updated_at=bindparam("updated_at"),
                )
                .execution_options(synchronize_session=False),
                [
                    {"b_uuid": r["case_uuid"]}
                    | {k: v for k, v in r.items() if k not in ("case_uuid", "site_code", "department_code", "first_seq")}
                    for r in old
                ],
            )  # fmt: skip
        ordering.advance_counter(conn, head + len(plan.stored))
        greatest = func.greatest if conn.dialect.name == "postgresql" else func.max
        conn.execute(
            update(Device)
            .where(Device.code == device.device_code)
            .values(max_device_seq=greatest(Device.max_device_seq, plan.max_device_seq), last_push_at=now)
        )
    if plan.rejections:
        rows = [
            {
                "uuid": batch.events[index].uuid,
                "body_hash": batch.hashes[index],
                "case_uuid": batch.events[index].case_uuid,
                "code": code,
                "reason": reason,
                "device_code": device.device_code,
                "rejected_at": now,
            }
            for index, code, reason in plan.rejections
        ]
        conn.execute(insert(RejectedEvent), rows)
        conn.execute(
            insert(AuditEntry), audit_rows("event_rejected", device.device_code, _audit_items(rows), now)
        )


def _audit_items(rows: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (r["uuid"], {"case_uuid": r["case_uuid"], "code": r["code"], "reason": r["reason"]}) for r in rows
    ]


def _case_values(case_uuid: str, c: _CaseRow, head: int, now: datetime) -> dict[str, Any]:
    s = c.state
    return {
        "case_uuid": case_uuid,
        "site_code": c.site_code,
        "department_code": c.department_code,
        "status": s.status.value,
        "version": s.version,
        "owner": s.owner.value if s.owner is not None else None,
        "pledge_open": s.pledge_open,
        "withdrawal_requested": s.withdrawal_requested,
        "first_seq": head + c.first_seq if c.is_new else c.first_seq,
        "last_seq": head + c.last_ord,
        "updated_at": now,
    }
