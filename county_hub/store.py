"""Appending pushed events to the log, with the shared lifecycle rules; reading the log back by scope."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from clerk_desk.domain.lifecycle import CaseState, Status, TransitionError, apply_event
from county_hub import ordering
from county_hub.audit import audit_rows
from county_hub.auth import DeviceContext
from county_hub.db import write_engine
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
    first_seq: int
    last_seq: int
    is_new: bool
    touched: bool = False


@dataclass(frozen=True)
class Answer:
    uuid: str
    status: str  # stored | duplicate | rejected
    code: str | None = None
    reason: str | None = None
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _load_cases(conn: Connection, case_uuids: set[str]) -> dict[str, _CaseRow]:
    rows = conn.execute(select(Case.__table__).where(Case.case_uuid.in_(sorted(case_uuids))))
    return {
        c.case_uuid: _CaseRow(
            c.site_code,
            c.department_code,
            CaseState(Status(c.status), c.version, c.pledge_open, c.withdrawal_requested),
            c.first_seq,
            c.last_seq,
            is_new=False,
        )
        for c in rows
    }


def push_events(
    engine: Engine,
    device: DeviceContext,
    events: Sequence[WireEvent],
    *,
    before_commit: Callable[[], None] | None = None,
) -> list[Answer]:
    """Apply a batch in order in one transaction; answer per event. Authorization is checked by the caller.

    ``before_commit`` runs with the append lock held and the rows written but not committed (tests use it
    to hold the transaction open).
    """
    now = utcnow()
    dumps = [wire_dict(e) for e in events]
    hashes = [body_hash(d) for d in dumps]
    uuids = sorted({e.uuid for e in events})
    with write_engine(engine).begin() as conn:
        head = ordering.lock_counter(conn)
        known = conn.execute(
            select(Event.uuid, Event.body_hash, Event.seq).where(Event.uuid.in_(uuids))
        ).all()
        stored = {r.uuid: r.body_hash for r in known}
        stored_seq = {r.uuid: r.seq for r in known}
        rejected = {
            r.uuid: r
            for r in conn.execute(
                select(
                    RejectedEvent.uuid, RejectedEvent.body_hash, RejectedEvent.code, RejectedEvent.reason
                ).where(RejectedEvent.uuid.in_(uuids))
            )
        }
        cases = _load_cases(conn, {e.case_uuid for e in events})
        new_rejections: dict[str, tuple[str, str, str]] = {}  # uuid -> (hash, code, reason), this batch
        event_rows: list[dict[str, Any]] = []
        rejection_rows: list[dict[str, Any]] = []
        answers: list[Answer] = []
        seq = head
        max_device_seq = device.max_device_seq
        for event, dumped, digest in zip(events, dumps, hashes, strict=True):
            answer = _known(event.uuid, digest, stored, stored_seq, rejected, new_rejections)
            if answer is None:
                answer = _apply(event, cases, seq + 1)
                if answer.status == "stored":
                    seq += 1
                    stored[event.uuid], stored_seq[event.uuid] = digest, seq
                    event_rows.append(
                        {
                            **dumped,
                            "seq": seq,
                            "body_hash": digest,
                            "received_at": now,
                            "token_id": device.token_id,
                        }
                    )
                    max_device_seq = max(max_device_seq, event.device_seq)
                else:
                    assert answer.code is not None and answer.reason is not None
                    new_rejections[event.uuid] = (digest, answer.code, answer.reason)
                    rejection_rows.append(
                        {
                            "uuid": event.uuid,
                            "body_hash": digest,
                            "case_uuid": event.case_uuid,
                            "code": answer.code,
                            "reason": answer.reason,
                            "device_code": device.device_code,
                            "rejected_at": now,
                        }
                    )
            answers.append(answer)
        _write(conn, device, now, head, seq, event_rows, rejection_rows, cases, max_device_seq)
        if before_commit is not None:
            before_commit()
    return answers


def _known(
    uuid: str,
    digest: str,
    stored: dict[str, str],
    stored_seq: dict[str, int],
    rejected: dict[str, Any],
    new_rejections: dict[str, tuple[str, str, str]],
) -> Answer | None:
    """The answer for a uuid seen before (in the log, among rejections, or earlier in this batch)."""
    if uuid in stored:
        if stored[uuid] == digest:
            return Answer(uuid, "duplicate", seq=stored_seq[uuid])
        return Answer(
            uuid, "rejected", "uuid_conflict", "an event with this uuid was stored with a different body"
        )
    previous = new_rejections.get(uuid)
    if previous is None and uuid in rejected:
        r = rejected[uuid]
        previous = (r.body_hash, r.code, r.reason)
    if previous is not None:
        if previous[0] == digest:
            return Answer(uuid, "rejected", previous[1], previous[2])
        return Answer(
            uuid, "rejected", "uuid_conflict", "an event with this uuid was rejected with a different body"
        )
    return None


def _apply(event: WireEvent, cases: dict[str, _CaseRow], seq: int) -> Answer:
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
        row = _CaseRow(event.site_code, event.department_code, new_state, seq, seq, is_new=True)
        cases[event.case_uuid] = row
    row.state, row.last_seq, row.touched = new_state, seq, True
    return Answer(event.uuid, "stored", seq=seq)


def _write(
    conn: Connection,
    device: DeviceContext,
    now: datetime,
    head: int,
    seq: int,
    event_rows: list[dict[str, Any]],
    rejection_rows: list[dict[str, Any]],
    cases: dict[str, _CaseRow],
    max_device_seq: int,
) -> None:
    if event_rows:
        conn.execute(insert(Event), event_rows)
        touched = [(uuid, c) for uuid, c in cases.items() if c.touched]
        fresh = [_case_values(uuid, c, now) for uuid, c in touched if c.is_new]
        old = [{**_case_values(uuid, c, now), "b_uuid": uuid} for uuid, c in touched if not c.is_new]
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
                    {
                        k: v
                        for k, v in r.items()
                        if k not in ("case_uuid", "site_code", "department_code", "first_seq")
                    }
                    for r in old
                ],
            )
        ordering.advance_counter(conn, seq)
        conn.execute(
            update(Device)
            .where(Device.code == device.device_code)
            .values(max_device_seq=max_device_seq, last_push_at=now)
        )
    if rejection_rows:
        conn.execute(insert(RejectedEvent), rejection_rows)
        conn.execute(
            insert(AuditEntry),
            audit_rows(
                "event_rejected",
                device.device_code,
                [
                    (r["uuid"], {"case_uuid": r["case_uuid"], "code": r["code"], "reason": r["reason"]})
                    for r in rejection_rows
                ],
                now,
            ),
        )
    assert seq - head == len(event_rows)


def _case_values(case_uuid: str, c: _CaseRow, now: datetime) -> dict[str, Any]:
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
        "first_seq": c.first_seq,
        "last_seq": c.last_seq,
        "updated_at": now,
    }
