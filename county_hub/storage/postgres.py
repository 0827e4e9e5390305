"""PostgreSQL: the hub's storage with psycopg on the engine's pool for the hot paths (county_hub.storage).

A push costs two round trips. The first reads, without any lock and pipelined, what the hub holds for the
batch's uuids and cases and the actors' grants (:meth:`PostgresStorage.read_for_plan`). The second is one
statement on an autocommit connection: ``hub_append`` (migration 0002) takes the counter row
``FOR UPDATE``, checks that nothing the plan read has changed (else it raises and nothing is written),
writes the events numbered from the locked counter, the cases, the counter, the device and any
rejections, and the server commits at the statement's end. The append lock is therefore held for the
server's own work only: every argument is built before the statement is sent, and no client round trip,
Python code or wait for the GIL comes between the lock and the COMMIT. If the check fails (another push
wrote the same uuids or cases in between), the push is read and planned again with the lock taken first.

Arguments are columns as arrays (``unnest``), so the statement's text never changes with the batch size
and psycopg prepares it once per connection; the arrays go in binary format (``%(name)b``: psycopg's text
format escapes every element in Python, thirty times slower).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError

from county_hub import case_state, county_projection, ordering, queries
from county_hub.admission import Grant
from county_hub.auth import DeviceContext, device_from_rows, secret_hash
from county_hub.db import json_text
from county_hub.push_plan import Answer, Batch, CaseRow, Grants, Hook, Known, Plan, Replan
from county_hub.scope import Scope
from county_hub.storage.postgres_sql import APPEND, BY_TOKEN, CASES, FIGURES, GRANTS, KNOWN, LOCK, PULL

STALE = "stale push plan"  # the check's failure, as PostgreSQL reports it
IDLE_PING_SECONDS = 10.0
_NO_CHECK = {"check": False, "new": [], "cases": [], "existing": 0, "read_ids": [], "read_seqs": []}


class PostgresStorage:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str, **engine_options: Any) -> PostgresStorage:
        engine_options.setdefault("json_serializer", json_text)
        # An error's message never lists the statement's values: a payload's people (county_hub.faults).
        engine_options.setdefault("hide_parameters", True)
        # Enough kept-open connections for the request threads (40 by default): a connection opened past
        # pool_size is closed again when returned, and a new PostgreSQL backend per request costs ms.
        engine_options.setdefault("pool_size", 20)
        engine_options.setdefault("max_overflow", 20)
        engine = create_engine(url, **engine_options)
        if not engine_options.get("pool_pre_ping"):
            _ping_when_idle(engine)
        return cls(engine)

    @property
    def engine(self) -> Engine:
        return self._engine

    def warm_up(self) -> None:
        """Open the pool's connections before serving: each new one is a new server process (ms each)."""
        opened = [self._engine.raw_connection() for _ in range(self._engine.pool.size())]  # type: ignore[attr-defined]
        for conn in opened:
            conn.close()

    def device(self, token: str) -> DeviceContext:
        with _connection(self._engine, autocommit=True) as pg:  # no transaction to begin or roll back
            return device_from_rows(pg.execute(BY_TOKEN, (secret_hash(token),)).fetchall())

    def pull(self, token: str, after: int, limit: int) -> str:
        with _connection(self._engine, autocommit=True) as pg:
            scope = device_from_rows(pg.execute(BY_TOKEN, (secret_hash(token),)).fetchall()).scope
            return _pull(pg, scope, after, limit, self._engine)

    @contextmanager
    def consistent_read(self) -> Iterator[Connection]:
        with (
            self._engine.execution_options(isolation_level="REPEATABLE READ").connect() as conn,
            conn.begin(),
        ):
            yield conn

    def read_for_plan(self, batch: Batch) -> tuple[Known, Grants]:
        with _connection(self._engine, autocommit=True) as pg:
            with pg.pipeline():
                known_cur = pg.execute(KNOWN, {"uuids": batch.uuids})
                cases_cur = pg.execute(CASES, {"cases": batch.case_uuids})
                figures_cur = pg.execute(FIGURES, {"cases": batch.case_uuids})
                grants_cur = pg.execute(GRANTS, {"actors": batch.actors})
            known = _known(known_cur.fetchall(), cases_cur.fetchall(), figures_cur.fetchall())
            return known, _grants(grants_cur.fetchall())

    def append(self, plan: Plan, replan: Replan, before_commit: Hook | None = None) -> list[Answer]:
        # Autocommit: the append is one statement, its own transaction. A test holding the transaction
        # open before COMMIT (``before_commit``) needs an explicit one.
        with _connection(self._engine, autocommit=before_commit is None) as pg:
            # Every argument is built before the statement is sent: the lock is then held for the
            # server's work only (psycopg sends each statement at once).
            args = _check(plan) | _arguments(plan)
            try:
                return plan.placed(_append(pg, args, before_commit))
            except errors.RaiseException as exc:
                if STALE not in str(exc):
                    raise
                if not pg.autocommit:
                    pg.rollback()
            return _append_locked(pg, plan.push.batch, replan, before_commit)


@contextmanager
def _connection(engine: Engine, *, autocommit: bool = False) -> Iterator[psycopg.Connection[Any]]:
    """A pooled connection as psycopg's own. ``autocommit`` for reads and the one-statement append: no
    BEGIN or ROLLBACK to send. It goes back to the pool with any open transaction rolled back."""
    raw = engine.raw_connection()
    try:
        pg: psycopg.Connection[Any] = raw.driver_connection  # type: ignore[assignment]
        if autocommit:
            pg.autocommit = True
        try:
            yield pg
        finally:
            if autocommit and not pg.closed:
                pg.autocommit = False
    finally:
        raw.close()


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection before use only if it sat unused for a while (a server restart or a
    firewall may have cut it). ``pool_pre_ping`` did so on every checkout: one more round trip per
    request, two for a push, under load. A failed ping makes the pool open a new connection."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # whatever the driver raises for a dead connection
            raise DisconnectionError("pooled connection failed its ping") from exc


def _pull(pg: psycopg.Connection[Any], scope: Scope, after: int, limit: int, engine: Engine) -> str:
    """county_hub.queries.pull in one fixed statement: it reads the committed counter and the page (one
    snapshot), walking the log by seq from the cursor with the scope as a filter; the server writes each
    event's JSON (the payload as stored)."""
    sites, pairs = scope.split()
    found = pg.execute(
        PULL,
        {
            "after": after,
            "limit": limit + 1,
            "counter": ordering.EVENTS,
            "sites": sites,
            "pair_sites": [site for site, _ in pairs],
            "pair_departments": [department for _, department in pairs],
        },
    ).fetchall()
    head = int(found[0][0])
    queries.check_cursor(after, head, engine, behind=True)
    page = [(r[1], r[2]) for r in found if r[1] is not None]
    has_more = len(page) > limit
    page = page[:limit]
    next_cursor = page[-1][0] if has_more else head
    return queries.page_json(",".join(text for _, text in page), next_cursor, has_more)


def _append(pg: psycopg.Connection[Any], args: dict[str, Any], before_commit: Hook | None) -> int:
    """``hub_append``: returns the log's head before this push."""
    row = pg.execute(APPEND, args).fetchone()
    assert row is not None
    if before_commit is not None:
        before_commit()
        pg.commit()
    return int(row[0])


def _append_locked(
    pg: psycopg.Connection[Any], batch: Batch, replan: Replan, before_commit: Hook | None
) -> list[Answer]:
    """The rare second try: take the lock, read and plan under it, append (the lock is already held)."""
    autocommit = pg.autocommit
    pg.autocommit = False
    try:
        with pg.pipeline():
            pg.execute(LOCK, {"counter": ordering.EVENTS})
            known_cur = pg.execute(KNOWN, {"uuids": batch.uuids})
            cases_cur = pg.execute(CASES, {"cases": batch.case_uuids})
            figures_cur = pg.execute(FIGURES, {"cases": batch.case_uuids})
        plan = replan(_known(known_cur.fetchall(), cases_cur.fetchall(), figures_cur.fetchall()))
        head = _append(pg, _NO_CHECK | _arguments(plan), before_commit)
        if before_commit is None:
            pg.commit()
    except BaseException:
        pg.rollback()
        raise
    finally:
        pg.autocommit = autocommit
    return plan.placed(head)


def _grants(rows: list[tuple[Any, ...]]) -> Grants:
    out: dict[str, list[Grant]] = {}
    for username, role, site, dept, valid_from, valid_to in rows:
        held = out.setdefault(username, [])
        if role is not None:
            held.append(Grant(role, site, dept, valid_from, valid_to))
    return out


def _known(
    seen: list[tuple[Any, ...]], cases: list[tuple[Any, ...]], figures: list[tuple[Any, ...]]
) -> Known:
    return Known(
        {r[0]: (r[1], r[2]) for r in seen if r[2] is not None},
        {r[0]: (r[1], r[3], r[4]) for r in seen if r[2] is None},
        {
            c[0]: CaseRow(c[1], c[2], case_state.state_of(c[3], c[4], c[5], c[6]), c[7], c[8], is_new=False)
            for c in cases
        },
        {f[0]: county_projection.CaseFigures(*f[1:]) for f in figures},
    )


def _check(plan: Plan) -> dict[str, Any]:
    """What ``hub_append`` checks under the lock: no event or rejection with the plan's new uuids, the
    cases it found (and only those) still at the ``last_seq`` it read."""
    read = sorted((uuid, row.last_seq) for uuid, row in plan.read.cases.items())
    return {
        "check": True,
        "new": plan.new_uuids,
        "cases": plan.push.batch.case_uuids,
        "existing": len(read),
        "read_ids": [uuid for uuid, _ in read],
        "read_seqs": [seq for _, seq in read],
    }


def _arguments(plan: Plan) -> dict[str, Any]:
    """The append's arguments: the stored events, the cases new and moved on, the rejections (as columns)."""
    push = plan.push
    batch = push.batch
    events = [batch.events[i] for i in plan.stored]
    new = [c for c in plan.touched if c[1].is_new]
    moved = [c for c in plan.touched if not c[1].is_new]
    rejected = [(batch.events[r.index], batch.hashes[r.index], r.code, r.reason) for r in plan.rejections]
    return {
        "counter": ordering.EVENTS,
        "now": push.now,
        "token_id": push.token_id,
        "device_code": push.device_code,
        "max_device_seq": plan.max_device_seq,
        "e_uuid": [e.uuid for e in events],
        "e_body_hash": [batch.hashes[i] for i in plan.stored],
        "e_case_uuid": [e.case_uuid for e in events],
        "e_case_version": [e.case_version for e in events],
        "e_type": [e.type.value for e in events],
        "e_side": [e.side.value for e in events],
        "e_site_code": [e.site_code for e in events],
        "e_department_code": [e.department_code for e in events],
        "e_payload": [json_text(e.payload) for e in events],
        "e_actor": [e.actor for e in events],
        "e_device_code": [e.device_code for e in events],
        "e_occurred_at": [e.occurred_at for e in events],
        "e_device_seq": [e.device_seq for e in events],
        "n_site_code": [c.site_code for _, c in new],
        "n_department_code": [c.department_code for _, c in new],
        "n_first_n": [c.first_seq for _, c in new],
        **_state_columns("n_", new),
        **_state_columns("o_", moved),
        **_figure_columns(plan.projection),
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


def _state_columns(prefix: str, cases: list[tuple[str, CaseRow]]) -> dict[str, list[Any]]:
    rows = [case_state.state_columns(c.state) for _, c in cases]
    columns: dict[str, list[Any]] = {name: [r[name] for r in rows] for name in case_state.STATE_COLUMNS}
    columns["case_uuid"] = [uuid for uuid, _ in cases]
    columns["last_n"] = [c.last_ord for _, c in cases]
    return {prefix + name: values for name, values in columns.items()}


def _figure_columns(projection: county_projection.Projection) -> dict[str, list[Any]]:
    """The push's county figures as columns: the cases' rows (``f_``), the counters to add (``d_``, ``m_``,
    ``h_``, ``g_``) and the items' names (``i_``)."""
    cases = sorted(projection.cases.items())
    out: dict[str, list[Any]] = {"f_case_uuid": [uuid for uuid, _ in cases]}
    rows = [row.row() for _, row in cases]
    for i, name in enumerate(county_projection.CASE_COLUMNS):
        out["f_" + name] = [r[i] for r in rows]
    daily = projection.daily_rows()
    for name in ("site_code", "department_code", "day", "item_code", "channel", *county_projection.COUNTERS):
        out["d_" + name] = [row[name] for row in daily]
    spans = projection.duration_rows()
    for name in ("day", "site_code", "department_code", "bucket", "n"):
        out["h_" + name] = [row[name] for row in spans]
    months = projection.monthly_rows()
    for name in ("month", "site_code", "department_code", "item_code", "channel", *county_projection.COUNTERS):
        out["m_" + name] = [row[name] for row in months]
    month_spans = projection.monthly_duration_rows()
    for name in ("month", "site_code", "department_code", "bucket", "n"):
        out["g_" + name] = [row[name] for row in month_spans]
    items = projection.item_rows()
    for name in ("item_code", "item_name", "named_at"):
        out["i_" + name] = [row[name] for row in items]
    return out
