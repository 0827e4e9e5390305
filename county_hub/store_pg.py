"""A push's database work on PostgreSQL: psycopg directly (the plan is county_hub.store's).

Two round trips in all. The first reads, without any lock, what the hub holds for the batch's uuids
and cases (pipelined). The second is one statement on an autocommit connection: ``hub_append``
(migration 0002) takes the counter row ``FOR UPDATE``, checks that nothing the plan read has changed
(else it raises and nothing is written), writes the events numbered from the locked counter, the cases,
the counter, the device and any rejections, and the server commits at the statement's end. The append
lock is therefore held for the server's own work only: every argument is built before the statement is
sent, and no client round trip, Python code or wait for the GIL comes between the lock and the COMMIT.
(Before, the same statements went as a pipeline; psycopg sends each statement as soon as it is
executed, so the lock was taken while the hub still built and sent the rest: ~9 ms held at the median
and up to 130 ms under load, against ~2.5 ms of server work.)

Arguments are columns as arrays (``unnest``) so the statement's text never changes with the batch size
and psycopg prepares it once per connection; the arrays go in binary format (``%(name)b``: psycopg's
text format escapes every element in Python, thirty times slower).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
from psycopg import errors
from sqlalchemy import Engine

from clerk_desk.domain.lifecycle import CaseState, Status
from county_hub.admission import DEFAULT_LIMITS, Gate, Grant, Limits
from county_hub.auth import DeviceContext
from county_hub.db import json_text, pg_connection
from county_hub.models import utcnow
from county_hub.ordering import EVENTS
from county_hub.store import Answer, _Batch, _CaseRow, _Known, _make_plan, _Plan, make_gate

STALE = "stale push plan"  # the check's failure, as PostgreSQL reports it

_LOCK = "SELECT value FROM counters WHERE name = %(counter)s FOR UPDATE"

_KNOWN = """
SELECT uuid, body_hash, seq, NULL::text, NULL::text FROM events WHERE uuid = ANY(%(uuids)b::text[])
UNION ALL
SELECT uuid, body_hash, NULL, code, reason FROM rejected_events WHERE uuid = ANY(%(uuids)b::text[])
"""

# The batch's actors with their role grants (county_hub.admission): a user without grants gives one row of
# NULLs, an unknown name none.
_GRANTS = """
SELECT u.username, g.role, g.site_code, g.department_code, g.valid_from, g.valid_to
FROM users u LEFT JOIN role_grants g ON g.username = u.username
WHERE u.username = ANY(%(actors)b::text[])
ORDER BY g.id
"""

_CASES = """
SELECT case_uuid, site_code, department_code, status, version, pledge_open, withdrawal_requested,
       first_seq, last_seq
FROM cases WHERE case_uuid = ANY(%(cases)b::text[])
"""

# The append: lock, check, write, in one server-side function (migration 0002); it returns the counter's
# value before the push. Its text never changes, so psycopg prepares it once per connection.
_APPEND = """
SELECT hub_append(
    %(counter)s::text, %(check)s::boolean, %(new)b::text[], %(cases)b::text[], %(existing)s::integer,
    %(read_ids)b::text[], %(read_seqs)b::bigint[], %(now)s::timestamptz, %(token_id)s::text,
    %(device_code)s::text, %(max_device_seq)s::bigint,
    %(e_uuid)b::text[], %(e_body_hash)b::text[], %(e_case_uuid)b::text[], %(e_case_version)b::integer[],
    %(e_type)b::text[], %(e_side)b::text[], %(e_site_code)b::text[], %(e_department_code)b::text[],
    %(e_payload)b::text[], %(e_actor)b::text[], %(e_device_code)b::text[], %(e_occurred_at)b::text[],
    %(e_device_seq)b::bigint[],
    %(n_case_uuid)b::text[], %(n_site_code)b::text[], %(n_department_code)b::text[], %(n_status)b::text[],
    %(n_version)b::integer[], %(n_owner)b::text[], %(n_pledge_open)b::boolean[],
    %(n_withdrawal_requested)b::boolean[], %(n_first_n)b::bigint[], %(n_last_n)b::bigint[],
    %(o_case_uuid)b::text[], %(o_status)b::text[], %(o_version)b::integer[], %(o_owner)b::text[],
    %(o_pledge_open)b::boolean[], %(o_withdrawal_requested)b::boolean[], %(o_last_n)b::bigint[],
    %(r_uuid)b::text[], %(r_body_hash)b::text[], %(r_case_uuid)b::text[], %(r_code)b::text[],
    %(r_reason)b::text[], %(r_detail)b::text[])
"""


def push(
    engine: Engine,
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None,
    after_plan: Callable[[], None] | None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Answer]:
    # Autocommit: the append is one statement, its own transaction. A test holding the transaction
    # open before COMMIT (``before_commit``) needs an explicit one.
    with pg_connection(engine, autocommit=before_commit is None) as pg:
        return push_on(pg, device, batch, before_commit, after_plan, limits)


def push_on(
    pg: psycopg.Connection[Any],
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None = None,
    after_plan: Callable[[], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Answer]:
    """The push on a connection at hand: in autocommit mode, or idle (then it commits itself).

    The events are admitted (actor, time, device counter: county_hub.admission) while the plan is made, in
    Python, before ``hub_append`` is called: the function only writes what the plan decided."""
    gate: list[Gate] = []
    try:
        return _attempt(pg, device, batch, before_commit, after_plan, limits, gate)
    except errors.RaiseException as exc:
        if STALE not in str(exc):
            raise
        if not pg.autocommit:
            pg.rollback()
    # Another push wrote some of these uuids or cases between the read and the lock: plan under the lock.
    return _attempt_locked(pg, device, batch, before_commit, gate[0])


def _attempt(
    pg: psycopg.Connection[Any],
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None,
    after_plan: Callable[[], None] | None,
    limits: Limits,
    gate_out: list[Gate],
) -> list[Answer]:
    """Read without any lock, plan, then append with the check under the lock (one statement)."""
    with pg.pipeline():
        known_cur = pg.execute(_KNOWN, {"uuids": batch.uuids})
        cases_cur = pg.execute(_CASES, {"cases": batch.case_uuids})
        grants_cur = pg.execute(_GRANTS, {"actors": batch.actors})
    known = _known(known_cur.fetchall(), cases_cur.fetchall())
    gate = make_gate(device, _grants(grants_cur.fetchall()), limits)
    gate_out.append(gate)
    plan = _make_plan(batch, known, gate)
    if after_plan is not None:
        after_plan()
    read = sorted((uuid, row.last_seq) for uuid, row in known.cases.items())
    check = {
        "check": True,
        "new": plan.new_uuids,
        "cases": batch.case_uuids,
        "existing": len(read),
        "read_ids": [uuid for uuid, _ in read],
        "read_seqs": [seq for _, seq in read],
    }
    # Every argument is built before the statement is sent: the lock is then held for the server's
    # work only (psycopg sends each statement at once, so nothing may be computed between statements).
    args = check | _arguments(device, batch, plan, utcnow())
    head = _append(pg, args, before_commit)
    return plan.placed(head)


def _attempt_locked(
    pg: psycopg.Connection[Any],
    device: DeviceContext,
    batch: _Batch,
    before_commit: Callable[[], None] | None,
    gate: Gate,
) -> list[Answer]:
    """The rare second try: take the lock, read and plan under it, append (the lock is already held)."""
    autocommit = pg.autocommit
    pg.autocommit = False
    try:
        with pg.pipeline():
            pg.execute(_LOCK, {"counter": EVENTS})
            known_cur = pg.execute(_KNOWN, {"uuids": batch.uuids})
            cases_cur = pg.execute(_CASES, {"cases": batch.case_uuids})
        plan = _make_plan(batch, _known(known_cur.fetchall(), cases_cur.fetchall()), gate)
        args = {"check": False, "new": [], "cases": [], "existing": 0, "read_ids": [], "read_seqs": []}
        head = _append(pg, args | _arguments(device, batch, plan, utcnow()), before_commit)
        if before_commit is None:
            pg.commit()
    except BaseException:
        pg.rollback()
        raise
    finally:
        pg.autocommit = autocommit
    return plan.placed(head)


def _append(
    pg: psycopg.Connection[Any], args: dict[str, Any], before_commit: Callable[[], None] | None
) -> int:
    row = pg.execute(_APPEND, args).fetchone()
    assert row is not None
    if before_commit is not None:
        before_commit()
        pg.commit()
    return int(row[0])


def _grants(rows: list[tuple[Any, ...]]) -> dict[str, list[Grant]]:
    out: dict[str, list[Grant]] = {}
    for username, role, site, dept, valid_from, valid_to in rows:
        held = out.setdefault(username, [])
        if role is not None:
            held.append(Grant(role, site, dept, valid_from, valid_to))
    return out


def _known(seen: list[tuple[Any, ...]], cases: list[tuple[Any, ...]]) -> _Known:
    return _Known(
        {r[0]: (r[1], r[2]) for r in seen if r[2] is not None},
        {r[0]: (r[1], r[3], r[4]) for r in seen if r[2] is None},
        {
            c[0]: _CaseRow(c[1], c[2], CaseState(Status(c[3]), c[4], c[5], c[6]), c[7], c[8], is_new=False)
            for c in cases
        },
    )


def _arguments(device: DeviceContext, batch: _Batch, plan: _Plan, now: datetime) -> dict[str, Any]:
    """The append's arguments: the stored events, the cases new and moved on, the rejections (as columns)."""
    events = [batch.events[i] for i in plan.stored]
    new = [c for c in plan.touched if c[1].is_new]
    old = [c for c in plan.touched if not c[1].is_new]
    rejected = [(batch.events[i], batch.hashes[i], code, reason) for i, code, reason in plan.rejections]
    return {
        "counter": EVENTS,
        "now": now,
        "token_id": device.token_id,
        "device_code": device.device_code,
        "max_device_seq": plan.max_device_seq,
        "e_uuid": [e.uuid for e in events],
        "e_body_hash": [batch.hashes[i] for i in plan.stored],
        "e_case_uuid": [e.case_uuid for e in events],
        "e_case_version": [e.case_version for e in events],
        "e_type": [e.type.value for e in events],
        "e_side": [e.side.value for e in events],
        "e_site_code": [e.site_code for e in events],
        "e_department_code": [e.department_code for e in events],
        "e_payload": [batch.payloads[i] for i in plan.stored],
        "e_actor": [e.actor for e in events],
        "e_device_code": [e.device_code for e in events],
        "e_occurred_at": [e.occurred_at for e in events],
        "e_device_seq": [e.device_seq for e in events],
        "n_site_code": [c.site_code for _, c in new],
        "n_department_code": [c.department_code for _, c in new],
        "n_first_n": [c.first_seq for _, c in new],
        **_state_columns("n_", new),
        **_state_columns("o_", old),
        "r_uuid": [e.uuid for e, _, _, _ in rejected],
        "r_body_hash": [h for _, h, _, _ in rejected],
        "r_case_uuid": [e.case_uuid for e, _, _, _ in rejected],
        "r_code": [code for _, _, code, _ in rejected],
        "r_reason": [reason for _, _, _, reason in rejected],
        "r_detail": [
            json_text({"case_uuid": e.case_uuid, "code": code, "reason": reason})
            for e, _, code, reason in rejected
        ],
    }


def _state_columns(prefix: str, cases: list[tuple[str, _CaseRow]]) -> dict[str, list[Any]]:
    states = [c.state for _, c in cases]
    columns: dict[str, list[Any]] = {
        "case_uuid": [uuid for uuid, _ in cases],
        "status": [s.status.value for s in states],
        "version": [s.version for s in states],
        "owner": [s.owner.value if s.owner is not None else None for s in states],
        "pledge_open": [s.pledge_open for s in states],
        "withdrawal_requested": [s.withdrawal_requested for s in states],
        "last_n": [c.last_ord for _, c in cases],
    }
    return {prefix + name: values for name, values in columns.items()}
