"""A push's database work on PostgreSQL: psycopg directly, pipelined (the plan is county_hub.store's).

Two round trips in all. The first reads, without any lock, what the hub holds for the batch's uuids
and cases. The second - sent as one pipeline and run by the server statement after statement - takes
the counter row ``FOR UPDATE``, checks that nothing the plan read has changed (else it fails and
aborts the transaction), writes the events numbered from the locked counter, the cases, the counter,
the device and any rejections, and commits. The append lock is therefore held for the server's work
only, never while the hub process waits for the network or for the GIL.

Statements take columns as arrays (``unnest``) so their text never changes with the batch size and
psycopg prepares them once per connection; the arrays go in binary format (``%(name)b``: psycopg's text
format escapes every element in Python, thirty times slower).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
from psycopg import errors
from sqlalchemy import Engine

from clerk_desk.domain.lifecycle import CaseState, Status
from county_hub.auth import DeviceContext
from county_hub.db import json_text, pg_connection
from county_hub.models import utcnow
from county_hub.ordering import EVENTS
from county_hub.store import Answer, _Batch, _CaseRow, _Known, _make_plan, _Plan

STALE = "stale push plan"  # the check's failure, as PostgreSQL reports it

_LOCK = "SELECT value FROM counters WHERE name = %(counter)s FOR UPDATE"

_KNOWN = """
SELECT uuid, body_hash, seq, NULL::text, NULL::text FROM events WHERE uuid = ANY(%(uuids)b::text[])
UNION ALL
SELECT uuid, body_hash, NULL, code, reason FROM rejected_events WHERE uuid = ANY(%(uuids)b::text[])
"""

_CASES = """
SELECT case_uuid, site_code, department_code, status, version, pledge_open, withdrawal_requested,
       first_seq, last_seq
FROM cases WHERE case_uuid = ANY(%(cases)b::text[])
"""

# Run right after the lock: a fresh statement sees every push committed before ours took the lock.
_CHECK = f"""
SELECT CAST(CASE WHEN
    NOT EXISTS (SELECT 1 FROM events WHERE uuid = ANY(%(new)b::text[]))
    AND NOT EXISTS (SELECT 1 FROM rejected_events WHERE uuid = ANY(%(new)b::text[]))
    AND (SELECT count(*) FROM cases WHERE case_uuid = ANY(%(cases)b::text[])) = %(existing)s
    AND (SELECT count(*) FROM cases c
         JOIN unnest(%(read_ids)b::text[], %(read_seqs)b::bigint[]) AS x(case_uuid, last_seq)
           ON c.case_uuid = x.case_uuid AND c.last_seq = x.last_seq) = %(existing)s
THEN '1' ELSE '{STALE}: another push wrote these uuids or cases' END AS integer)
"""

_INSERT_EVENTS = """
INSERT INTO events (seq, uuid, body_hash, case_uuid, case_version, type, side, site_code, department_code,
                    payload, actor, device_code, occurred_at, device_seq, received_at, token_id)
SELECT c.value + x.n, x.uuid, x.body_hash, x.case_uuid, x.case_version, x.type, x.side, x.site_code,
       x.department_code, x.payload::json, x.actor, x.device_code, x.occurred_at, x.device_seq,
       %(now)s, %(token_id)s
FROM counters c,
     unnest(%(n)b::bigint[], %(uuid)b::text[], %(body_hash)b::text[], %(case_uuid)b::text[],
            %(case_version)b::integer[], %(type)b::text[], %(side)b::text[], %(site_code)b::text[],
            %(department_code)b::text[], %(payload)b::text[], %(actor)b::text[], %(device_code)b::text[],
            %(occurred_at)b::text[], %(device_seq)b::bigint[])
       AS x(n, uuid, body_hash, case_uuid, case_version, type, side, site_code, department_code, payload,
            actor, device_code, occurred_at, device_seq)
WHERE c.name = %(counter)s
ORDER BY x.n
"""

_INSERT_CASES = """
INSERT INTO cases (case_uuid, site_code, department_code, status, version, owner, pledge_open,
                   withdrawal_requested, first_seq, last_seq, updated_at)
SELECT x.case_uuid, x.site_code, x.department_code, x.status, x.version, x.owner, x.pledge_open,
       x.withdrawal_requested, c.value + x.first_n, c.value + x.last_n, %(now)s
FROM counters c,
     unnest(%(case_uuid)b::text[], %(site_code)b::text[], %(department_code)b::text[], %(status)b::text[],
            %(version)b::integer[], %(owner)b::text[], %(pledge_open)b::boolean[],
            %(withdrawal_requested)b::boolean[], %(first_n)b::bigint[], %(last_n)b::bigint[])
       AS x(case_uuid, site_code, department_code, status, version, owner, pledge_open,
            withdrawal_requested, first_n, last_n)
WHERE c.name = %(counter)s
"""

_UPDATE_CASES = """
UPDATE cases AS k
SET status = x.status, version = x.version, owner = x.owner, pledge_open = x.pledge_open,
    withdrawal_requested = x.withdrawal_requested, last_seq = c.value + x.last_n, updated_at = %(now)s
FROM counters c,
     unnest(%(case_uuid)b::text[], %(status)b::text[], %(version)b::integer[], %(owner)b::text[],
            %(pledge_open)b::boolean[], %(withdrawal_requested)b::boolean[], %(last_n)b::bigint[])
       AS x(case_uuid, status, version, owner, pledge_open, withdrawal_requested, last_n)
WHERE c.name = %(counter)s AND k.case_uuid = x.case_uuid
"""

_ADVANCE = "UPDATE counters SET value = value + %(count)s WHERE name = %(counter)s"

_DEVICE = """
UPDATE devices SET max_device_seq = GREATEST(max_device_seq, %(max_device_seq)s), last_push_at = %(now)s
WHERE code = %(device_code)s
"""

_INSERT_REJECTED = """
INSERT INTO rejected_events (uuid, body_hash, case_uuid, code, reason, device_code, rejected_at)
SELECT x.uuid, x.body_hash, x.case_uuid, x.code, x.reason, %(device_code)s, %(now)s
FROM unnest(%(uuid)b::text[], %(body_hash)b::text[], %(case_uuid)b::text[], %(code)b::text[],
            %(reason)b::text[]) AS x(uuid, body_hash, case_uuid, code, reason)
"""

_INSERT_AUDIT = """
INSERT INTO audit_log (at, action, actor, subject, detail)
SELECT %(now)s, 'event_rejected', %(actor)s, x.subject, x.detail::json
FROM unnest(%(subject)b::text[], %(detail)b::text[]) WITH ORDINALITY AS x(subject, detail, n)
ORDER BY x.n
"""


def push(
    engine: Engine,
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None,
    after_plan: Callable[[], None] | None,
) -> list[Answer]:
    with pg_connection(engine) as pg:
        return push_on(pg, device, batch, before_commit, after_plan)


def push_on(
    pg: psycopg.Connection[Any],
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None = None,
    after_plan: Callable[[], None] | None = None,
) -> list[Answer]:
    """The push on a connection at hand (idle, or in a transaction that has written nothing)."""
    try:
        return _attempt(pg, device, batch, before_commit, after_plan, locked=False)
    except errors.InvalidTextRepresentation as exc:
        if STALE not in str(exc):
            raise
        pg.rollback()
    # Another push wrote some of these uuids or cases between the read and the lock: plan under the lock.
    return _attempt(pg, device, batch, before_commit, None, locked=True)


def _attempt(
    pg: psycopg.Connection[Any],
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None,
    after_plan: Callable[[], None] | None,
    *,
    locked: bool,
) -> list[Answer]:
    with pg.pipeline():
        head_cur = pg.execute(_LOCK, {"counter": EVENTS}) if locked else None
        known_cur = pg.execute(_KNOWN, {"uuids": batch.uuids})
        cases_cur = pg.execute(_CASES, {"cases": batch.case_uuids})
        known = _known(known_cur.fetchall(), cases_cur.fetchall())
    plan = _make_plan(batch, known)
    if after_plan is not None:
        after_plan()
    now = utcnow()
    with pg.pipeline():
        if head_cur is None:
            head_cur = pg.execute(_LOCK, {"counter": EVENTS})
            read = [(uuid, row.last_seq) for uuid, row in sorted(known.cases.items())]
            pg.execute(
                _CHECK,
                {
                    "new": plan.new_uuids,
                    "cases": batch.case_uuids,
                    "existing": len(read),
                    "read_ids": [uuid for uuid, _ in read],
                    "read_seqs": [seq for _, seq in read],
                },
            )
        _write(pg, device, batch, plan, now)
        if before_commit is None:
            pg.commit()
    row = head_cur.fetchone()
    assert row is not None
    if before_commit is not None:
        before_commit()
        pg.commit()
    return plan.placed(int(row[0]))


def _known(seen: list[tuple[Any, ...]], cases: list[tuple[Any, ...]]) -> _Known:
    return _Known(
        {r[0]: (r[1], r[2]) for r in seen if r[2] is not None},
        {r[0]: (r[1], r[3], r[4]) for r in seen if r[2] is None},
        {
            c[0]: _CaseRow(c[1], c[2], CaseState(Status(c[3]), c[4], c[5], c[6]), c[7], c[8], is_new=False)
            for c in cases
        },
    )


def _write(
    pg: psycopg.Connection[Any], device: DeviceContext, batch: _Batch, plan: _Plan, now: datetime
) -> None:
    if plan.stored:
        events = [batch.events[i] for i in plan.stored]
        pg.execute(
            _INSERT_EVENTS,
            {
                "counter": EVENTS,
                "now": now,
                "token_id": device.token_id,
                "n": list(range(1, len(events) + 1)),
                "uuid": [e.uuid for e in events],
                "body_hash": [batch.hashes[i] for i in plan.stored],
                "case_uuid": [e.case_uuid for e in events],
                "case_version": [e.case_version for e in events],
                "type": [e.type.value for e in events],
                "side": [e.side.value for e in events],
                "site_code": [e.site_code for e in events],
                "department_code": [e.department_code for e in events],
                "payload": [batch.payloads[i] for i in plan.stored],
                "actor": [e.actor for e in events],
                "device_code": [e.device_code for e in events],
                "occurred_at": [e.occurred_at for e in events],
                "device_seq": [e.device_seq for e in events],
            },
        )
        new = [(uuid, c) for uuid, c in plan.touched if c.is_new]
        old = [(uuid, c) for uuid, c in plan.touched if not c.is_new]
        if new:
            pg.execute(
                _INSERT_CASES,
                {
                    "counter": EVENTS,
                    "now": now,
                    "site_code": [c.site_code for _, c in new],
                    "department_code": [c.department_code for _, c in new],
                    "first_n": [c.first_seq for _, c in new],
                    **_state_columns(new),
                },
            )
        if old:
            pg.execute(_UPDATE_CASES, {"counter": EVENTS, "now": now, **_state_columns(old)})
        pg.execute(_ADVANCE, {"counter": EVENTS, "count": len(events)})
        pg.execute(
            _DEVICE, {"max_device_seq": plan.max_device_seq, "now": now, "device_code": device.device_code}
        )
    if plan.rejections:
        rejected = [(batch.events[i], batch.hashes[i], code, reason) for i, code, reason in plan.rejections]
        pg.execute(
            _INSERT_REJECTED,
            {
                "device_code": device.device_code,
                "now": now,
                "uuid": [e.uuid for e, _, _, _ in rejected],
                "body_hash": [h for _, h, _, _ in rejected],
                "case_uuid": [e.case_uuid for e, _, _, _ in rejected],
                "code": [code for _, _, code, _ in rejected],
                "reason": [reason for _, _, _, reason in rejected],
            },
        )
        pg.execute(
            _INSERT_AUDIT,
            {
                "now": now,
                "actor": device.device_code[:200],
                "subject": [e.uuid for e, _, _, _ in rejected],
                "detail": [
                    json_text({"case_uuid": e.case_uuid, "code": code, "reason": reason})
                    for e, _, code, reason in rejected
                ],
            },
        )


def _state_columns(cases: list[tuple[str, _CaseRow]]) -> dict[str, list[Any]]:
    states = [c.state for _, c in cases]
    return {
        "case_uuid": [uuid for uuid, _ in cases],
        "status": [s.status.value for s in states],
        "version": [s.version for s in states],
        "owner": [s.owner.value if s.owner is not None else None for s in states],
        "pledge_open": [s.pledge_open for s in states],
        "withdrawal_requested": [s.withdrawal_requested for s in states],
        "last_n": [c.last_ord for _, c in cases],
    }
