"""The outbox side of sync: claim pending events, turn them into wire events, record the hub's answers.

States of a local event (domain/case_view.PushState): pending -> in_flight -> stored | duplicate | rejected,
or held (a later event of a case whose earlier event was rejected: it waits for the clerk, it is never sent
out of order), or set aside by the clerk.
A rejected event makes the case fall back to what the hub acknowledged (docs/architecture.md §3).

The sync's own bookkeeping commits without fsync (``durable=False``): a power cut may undo an in-flight
mark or an answer, and then the event is sent again and the hub answers ``duplicate`` (or rejects it again)
with the same seq (docs/sync-protocol.md, "What the desk fsyncs"). The clerk's acts are always fsynced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clerk_desk.domain.case_fold import RowFacts, row_facts
from clerk_desk.domain.case_view import CaseView, EventRecord, Origin, PushState
from clerk_desk.domain.hall_streams import HALL_DEPARTMENT, Stream
from clerk_desk.store import changes
from clerk_desk.store.changes import ChangeKind
from clerk_desk.store.data_keys import PersonalDataLocked
from clerk_desk.store.database import Database, rows_changed
from clerk_desk.store.models import Case, CaseEvent, HallRecord, Person, utcnow

ACKED = tuple(s.value for s in PushState if s.acked)  # stored, duplicate
WAITING = tuple(s.value for s in PushState if s.waiting)  # pending, in flight, held


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int  # pending + in flight + held
    held: int
    rejected: int


def reset_in_flight(db: Database) -> int:
    """At start: anything left in flight by a crash goes back to pending (the hub dedupes by uuid)."""
    with db.transaction(durable=False) as s:
        _mark_sending(s, CaseEvent.push_state == PushState.IN_FLIGHT)
        return rows_changed(s.execute(update(CaseEvent).where(CaseEvent.push_state == PushState.IN_FLIGHT)
                                      .values(push_state=PushState.PENDING)))


def _mark_sending(s: Session, *where: Any) -> None:
    """The cases whose events go back to pending: their timelines change (store/changes.py)."""
    changes.mark(s, ChangeKind.SENDING, set(s.scalars(select(CaseEvent.case_uuid).where(*where))))


def counts(db: Database) -> OutboxCounts:
    with db.reading() as s:
        rows = dict(s.execute(select(CaseEvent.push_state, func.count()).where(CaseEvent.origin == "local")
                              .group_by(CaseEvent.push_state)).all())
    return OutboxCounts(sum(rows.get(k, 0) for k in WAITING), rows.get(PushState.HELD, 0), rows.get(PushState.REJECTED, 0))


def _person_json(p: Person) -> dict[str, Any]:
    return {"kind": p.kind, "name": p.name, "id_number": p.id_number, "phone": p.phone, "address": p.address,
            "legal_representative": p.legal_representative}


def _person_ids(ev: Any) -> list[str]:
    return [ev.payload[k] for k in ("applicant_id", "agent_id") if ev.payload.get(k)]


def wire_event(ev: Any, case: Any, persons: dict[str, Person]) -> dict[str, Any]:
    """``ev`` and ``case``: a CaseEvent and a Case, or rows with the same column names (claim reads rows).
    An event of another stream (domain/hall_streams.py): ``case`` is its record (site_code), and the wire
    event names the stream and the hall department; a case event is sent exactly as before (no ``stream``
    key), so what the hub stored earlier keeps its body."""
    payload = dict(ev.payload)
    stream = getattr(ev, "stream", Stream.CASE.value) or Stream.CASE.value
    if stream != Stream.CASE.value:
        return {"uuid": ev.uuid, "case_uuid": ev.case_uuid, "case_version": ev.case_version, "type": ev.type,
                "side": ev.side, "site_code": case.site_code, "department_code": HALL_DEPARTMENT,
                "payload": payload, "actor": ev.actor, "device_code": ev.device_code,
                "occurred_at": ev.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "device_seq": ev.device_seq, "stream": stream}
    # Personal data travels with the event that names it (approvers need it); locally it stays in its
    # own purgeable table.
    named = {pid: _person_json(persons[pid]) for pid in _person_ids(ev) if pid in persons}
    if named:
        payload["persons"] = named
    return {
        "uuid": ev.uuid,
        "case_uuid": ev.case_uuid,
        "case_version": ev.case_version,
        "type": ev.type,
        "side": ev.side,
        "site_code": case.site_code,
        "department_code": case.department_code,
        "payload": payload,
        "actor": ev.actor,
        "device_code": ev.device_code,
        "occurred_at": ev.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "device_seq": ev.device_seq,
    }


# What a wire event needs of a local event (read as rows: no ORM objects to build for a 500-event batch).
_WIRE_COLUMNS = (CaseEvent.uuid, CaseEvent.case_uuid, CaseEvent.case_version, CaseEvent.type, CaseEvent.side,
                 CaseEvent.payload, CaseEvent.actor, CaseEvent.device_code, CaseEvent.occurred_at,
                 CaseEvent.device_seq, CaseEvent.stream)


def claim(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    """Mark the oldest pending events in flight and return them as wire events, in device order."""
    if not db.keys.readable:  # sealed with another PC's key: never send placeholders for people
        raise PersonalDataLocked()
    with db.transaction(durable=False) as s:
        events = s.execute(select(*_WIRE_COLUMNS).where(CaseEvent.origin == "local", CaseEvent.push_state == PushState.PENDING)
                           .order_by(CaseEvent.device_seq).limit(limit)).all()
        if not events:
            return []
        cases = {c.uuid: c for c in s.execute(select(Case.uuid, Case.site_code, Case.department_code)
                                              .where(Case.uuid.in_({e.case_uuid for e in events})))}
        records = {e.case_uuid for e in events if e.stream != Stream.CASE.value}
        if records:  # the one outbox holds the other streams' events too: their records give the site
            cases.update({r.uuid: r for r in s.execute(select(HallRecord.uuid, HallRecord.site_code)
                                                       .where(HallRecord.uuid.in_(records)))})
        pids = {pid for e in events if e.stream == Stream.CASE.value for pid in _person_ids(e)}
        persons = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(pids)))} if pids else {}
        s.execute(update(CaseEvent).where(CaseEvent.uuid.in_([e.uuid for e in events]))
                  .values(push_state=PushState.IN_FLIGHT, attempts=CaseEvent.attempts + 1),
                  execution_options={"synchronize_session": False})
        changes.mark(s, ChangeKind.SENDING, {e.case_uuid for e in events})  # a timeline says 上传中
        return [wire_event(ev, cases[ev.case_uuid], persons) for ev in events]


def release(db: Database, uuids: list[str], error: str) -> None:
    """The send failed before any answer: back to pending, with the reason kept for the sync panel."""
    with db.transaction(durable=False) as s:
        _mark_sending(s, CaseEvent.uuid.in_(uuids), CaseEvent.push_state == PushState.IN_FLIGHT)
        s.execute(update(CaseEvent).where(CaseEvent.uuid.in_(uuids), CaseEvent.push_state == PushState.IN_FLIGHT)
                  .values(push_state=PushState.PENDING, last_error=error[:500]))


def unclaim(db: Database, uuids: list[str]) -> None:
    """Claimed but never sent (the batch before it came back with a rejection): back to pending as if
    never claimed; rows the rejection put on hold stay held."""
    with db.transaction(durable=False) as s:
        _mark_sending(s, CaseEvent.uuid.in_(uuids), CaseEvent.push_state == PushState.IN_FLIGHT)
        s.execute(update(CaseEvent).where(CaseEvent.uuid.in_(uuids), CaseEvent.push_state == PushState.IN_FLIGHT)
                  .values(push_state=PushState.PENDING, attempts=CaseEvent.attempts - 1),
                  execution_options={"synchronize_session": False})


def record_answers(db: Database, answers: list[dict[str, Any]], now: datetime | None = None) -> list[str]:
    """Apply the hub's per-event answers; returns the uuids of cases that had an event rejected."""
    now = now or utcnow()
    acked = [a for a in answers if a["status"] in ACKED]
    refused = [a for a in answers if a["status"] not in ACKED]
    rejected_cases: list[str] = []
    with db.transaction(durable=False) as s:
        if acked:
            _record_acks(s, acked, now)
        if not refused:
            return rejected_cases
        by_uuid = {e.uuid: e for e in s.scalars(select(CaseEvent).where(
            CaseEvent.uuid.in_([a["uuid"] for a in refused])))}
        for a in refused:
            ev = by_uuid.get(a["uuid"])
            if ev is None:
                continue
            ev.push_state = PushState.REJECTED
            ev.last_error = f"{a.get('code', 'rejected')}: {a.get('reason', '')}"[:500]
            ev.acked_at = now
            # Later events of the case wait for the clerk instead of being sent against a stale state.
            s.execute(update(CaseEvent).where(
                CaseEvent.case_uuid == ev.case_uuid, CaseEvent.origin == "local",
                CaseEvent.push_state.in_((PushState.PENDING, PushState.IN_FLIGHT)), CaseEvent.device_seq > ev.device_seq,
            ).values(push_state=PushState.HELD, last_error=f"held: earlier event {ev.type} was rejected"),
                execution_options={"synchronize_session": False})
            rejected_cases.append(ev.case_uuid)
        changes.mark(s, ChangeKind.ACKED, rejected_cases)
        s.flush()
        s.expire_all()
        rebuild_cases(s, rejected_cases)
    return rejected_cases


def _record_acks(s: Session, acked: list[dict[str, Any]], now: datetime) -> None:
    """Stored or duplicate: the event is acknowledged with its log position, and its case's acknowledged
    version moves up to it (two executemany updates, not one ORM object per event)."""
    rows = s.execute(select(CaseEvent.uuid, CaseEvent.case_uuid, CaseEvent.case_version)
                     .where(CaseEvent.uuid.in_([a["uuid"] for a in acked]))).all()
    known = {r.uuid for r in rows}
    changes.mark(s, ChangeKind.ACKED, {r.case_uuid for r in rows})  # a timeline says 已上传
    updates = [{"uuid": a["uuid"], "push_state": a["status"], "hub_seq": a.get("seq"), "acked_at": now,
                "last_error": None} for a in acked if a["uuid"] in known]
    if updates:
        s.execute(update(CaseEvent), updates)
    versions: dict[str, int] = {}
    for r in rows:
        versions[r.case_uuid] = max(versions.get(r.case_uuid, 0), r.case_version + 1)
    if not versions:
        return
    current = dict(s.execute(select(Case.uuid, Case.acked_version).where(Case.uuid.in_(list(versions)))).all())
    raised = [{"uuid": u, "acked_version": v} for u, v in versions.items() if u in current and v > current[u]]
    if raised:
        s.execute(update(Case), raised)


# What rebuilding a case reads of its events (rows, in the order the lifecycle replays them).
_REPLAY_COLUMNS = (CaseEvent.uuid, CaseEvent.case_uuid, CaseEvent.type, CaseEvent.side, CaseEvent.case_version,
                   CaseEvent.occurred_at, CaseEvent.actor, CaseEvent.origin, CaseEvent.push_state, CaseEvent.hub_seq,
                   CaseEvent.payload)
_REPLAY_ORDER = (CaseEvent.case_version, CaseEvent.hub_seq)
CHUNK = 500  # cases per query when many are rebuilt at once


def rebuild_case(s: Session, case_uuid: str) -> None:
    """Case state = what the hub acknowledged, plus this desk's still-valid pending events on top."""
    rebuild_cases(s, [case_uuid])


def rebuild_cases(s: Session, case_uuids: list[str]) -> None:
    """rebuild_case for many cases: their events are read together, a few queries per 500 cases, each
    case replayed as the fold replays it (domain/case_fold.row_facts) and its row set from that projection."""
    wanted = list(dict.fromkeys(case_uuids))
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i:i + CHUNK]
        cases = {c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_(chunk)))}
        events: dict[str, list[EventRecord]] = {u: [] for u in chunk}
        for ev in s.execute(select(*_REPLAY_COLUMNS).where(CaseEvent.case_uuid.in_(chunk))
                            .order_by(CaseEvent.case_uuid, *_REPLAY_ORDER)):
            events[ev.case_uuid].append(event_record(ev))
        for case_uuid in chunk:
            case = cases.get(case_uuid)
            if case is not None:
                recount = {"due_recomputed": (case.details or {}).get("due_recomputed")}  # kept (due_dates.py)
                project(case, row_facts(events[case_uuid], recorded=recount))


def event_record(r: Any) -> EventRecord:
    """A case_events row as the fold reads it."""
    return EventRecord(r.uuid, r.type, r.side, r.case_version, r.occurred_at, r.actor, r.payload or {},
                       Origin(r.origin), PushState(r.push_state), r.hub_seq)


def project(case: Case, view: CaseView | RowFacts) -> None:
    """The case row's state columns are a projection of the view (``case_fold.row_facts``: the same
    replay, without the rest of the view): the lists read them without folding."""
    case.status = view.status.value
    case.version, case.acked_version = view.version, view.acked_version
    case.pledge_open, case.withdrawal_requested = view.pledge_open, view.withdrawal_requested
    if view.due is not None:  # a pause (特别程序) or 补正 moves the due date; the window sees it too
        case.due_at = view.due.due_at
        case.due_calendar_version = view.due.calendar_version or case.due_calendar_version


def problems(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    """Rejected and held events with their case, for the sync panel."""
    with db.reading() as s:
        rows = s.execute(
            select(CaseEvent, Case.case_number, Case.item_name).outerjoin(Case, Case.uuid == CaseEvent.case_uuid)
            .where(CaseEvent.origin == "local", CaseEvent.push_state.in_((PushState.REJECTED, PushState.HELD)))
            .order_by(CaseEvent.device_seq).limit(limit)
        ).all()
        return [{"uuid": e.uuid, "case_uuid": e.case_uuid, "case_number": num, "item_name": item, "type": e.type,
                 "state": e.push_state, "reason": e.last_error, "occurred_at": e.occurred_at} for e, num, item in rows]


def waiting(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    """Events not yet acknowledged, oldest first, with attempts and the last error (why they wait)."""
    with db.reading() as s:
        rows = s.execute(
            select(CaseEvent, Case.case_number, Case.item_name).outerjoin(Case, Case.uuid == CaseEvent.case_uuid)
            .where(CaseEvent.origin == "local", CaseEvent.push_state.in_(WAITING))
            .order_by(CaseEvent.device_seq).limit(limit)
        ).all()
        return [{"uuid": e.uuid, "case_uuid": e.case_uuid, "case_number": num, "item_name": item, "type": e.type, "state": e.push_state,
                 "attempts": e.attempts, "reason": e.last_error, "occurred_at": e.occurred_at}
                for e, num, item in rows]


def set_aside(db: Database, case_uuid: str, actor: str) -> int:
    """The clerk has read why the hub returned a case's events: keep them in the record as set aside
    (never deleted, never sent), release nothing else, and show the case as the hub has it, so the
    clerk can redo what is still needed on the current state. Returns how many events were set aside."""
    from clerk_desk.services import audit

    with db.transaction() as s:
        events = list(s.scalars(select(CaseEvent).where(
            CaseEvent.case_uuid == case_uuid, CaseEvent.origin == "local",
            CaseEvent.push_state.in_((PushState.REJECTED, PushState.HELD)))))
        for ev in events:
            ev.last_error = f"set aside by {actor}; was {ev.push_state}: {ev.last_error or ''}"[:500]
            ev.push_state = PushState.SET_ASIDE
        if events:
            rebuild_case(s, case_uuid)
            changes.mark(s, ChangeKind.LOCAL, (case_uuid,))
            audit.record(s, "sync_set_aside", actor, case_uuid=case_uuid, events=[e.uuid for e in events])
        return len(events)


def resend_lost(db: Database, lost_after: int, lost_to: int | None = None) -> int:
    """The hub was restored from a backup that ends at seq ``lost_after``: this desk's events it had stored
    after that (up to ``lost_to``, where the restored hub's new seqs begin) are no longer there. They wait to be sent again (the hub stores them anew, in device order),
    and their cases fall back to what the restored hub holds plus them on top. Returns how many."""
    with db.transaction() as s:
        lost = s.execute(select(CaseEvent.uuid, CaseEvent.case_uuid).where(
            CaseEvent.origin == "local", CaseEvent.push_state.in_(ACKED), CaseEvent.hub_seq > lost_after,
            CaseEvent.hub_seq <= (lost_to if lost_to is not None else 2**63 - 1))).all()
        if not lost:
            return 0
        s.execute(update(CaseEvent).where(CaseEvent.uuid.in_([r.uuid for r in lost]))
                  .values(push_state=PushState.PENDING, hub_seq=None, acked_at=None,
                          last_error=f"sent again: the county hub was restored from a backup ending at {lost_after}"))
        _mark_sending(s, CaseEvent.uuid.in_([r.uuid for r in lost]))
        rebuild_cases(s, [r.case_uuid for r in lost])
        return len(lost)
