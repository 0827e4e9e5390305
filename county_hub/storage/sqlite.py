"""The embedded SQLite file: the hub's storage through SQLAlchemy (county_hub.storage).

The file runs in WAL mode with ``synchronous=FULL`` (an acknowledged event survives a power cut). A
write transaction that appends to the log begins ``BEGIN IMMEDIATE`` (county_hub.db.write_engine): the
database's write lock is taken at once, so appends are serialized in commit order and a reader never
upgrades to a writer halfway. That lock is the append lock: under it the writer reads the log's head,
reads again what the plan read (in process, cheap), has the push planned again if it changed, writes
what the plan says and commits. A read transaction is one snapshot already (WAL).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from county_hub import case_state, county_projection, grants, ordering, queries
from county_hub.audit import audit_rows
from county_hub.auth import DeviceContext, device_from_rows, device_rows
from county_hub.db import WRITE_OPTION, json_text, write_engine
from county_hub.models import (
    AuditEntry,
    Case,
    CountyCase,
    CountyDaily,
    CountyDuration,
    CountyDurationMonthly,
    CountyItem,
    CountyMonthly,
    Device,
    Event,
    RejectedEvent,
)  # fmt: skip
from county_hub.push_plan import Answer, Batch, CaseRow, Grants, Hook, Known, Plan, Replan, wire_dict


class SqliteStorage:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str, **engine_options: Any) -> SqliteStorage:
        engine_options.setdefault("json_serializer", json_text)
        # An error's message never lists the statement's values: a payload's people (county_hub.faults).
        engine_options.setdefault("hide_parameters", True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **engine_options
        )
        _configure(engine)
        return cls(engine)

    @property
    def engine(self) -> Engine:
        return self._engine

    def warm_up(self) -> None:
        """Nothing to open: a connection to the file is made in microseconds."""

    def device(self, token: str) -> DeviceContext:
        with self._engine.connect() as conn:
            return device_from_rows(device_rows(conn, token))

    def pull(self, token: str, after: int, limit: int) -> str:
        with self._engine.connect() as conn, conn.begin():
            scope = device_from_rows(device_rows(conn, token)).scope
            return queries.pull(conn, scope, after, limit)

    @contextmanager
    def consistent_read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def read_for_plan(self, batch: Batch) -> tuple[Known, Grants]:
        with self._engine.connect() as conn, conn.begin():
            return _read_known(conn, batch), grants.grants_of(conn, batch.actors)

    def append(self, plan: Plan, replan: Replan, before_commit: Hook | None = None) -> list[Answer]:
        batch = plan.push.batch
        with write_engine(self._engine).begin() as conn:  # BEGIN IMMEDIATE: the append lock
            head = ordering.high_water(conn)
            fresh = _read_known(conn, batch)
            if fresh != plan.read:  # another push wrote these uuids or cases meanwhile: plan again
                plan = replan(fresh)
            _write(conn, plan, head)
            if before_commit is not None:
                before_commit()
        return plan.placed(head)


def _configure(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # an acknowledged event survives a power cut
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _read_known(conn: Connection, batch: Batch) -> Known:
    seen: Sequence[Any] = conn.execute(
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
    figures = conn.execute(select(*_FIGURE_COLUMNS).where(CountyCase.case_uuid.in_(batch.case_uuids)))
    return Known(
        {r[0]: (r[1], r[2]) for r in seen if r[2] is not None},
        {r[0]: (r[1], r[3], r[4]) for r in seen if r[2] is None},
        {c.case_uuid: _case_row(c) for c in cases},
        {f[0]: county_projection.CaseFigures(*f[1:]) for f in figures},
    )


_FIGURE_COLUMNS = (CountyCase.case_uuid, *(CountyCase.__table__.c[n] for n in county_projection.CASE_COLUMNS))


def _write_figures(conn: Connection, projection: county_projection.Projection) -> None:
    """The county figures of the push (county_hub.county_projection), in the append's transaction."""
    # One upsert for the cases new and known, as the PostgreSQL writer does.
    rows = [{"case_uuid": uuid, **row.values()} for uuid, row in sorted(projection.cases.items())]
    if rows:
        put = sqlite_insert(CountyCase)
        conn.execute(
            put.on_conflict_do_update(
                index_elements=["case_uuid"],
                set_={name: getattr(put.excluded, name) for name in county_projection.CASE_COLUMNS},
            ),
            rows,
        )
    _add_counts(
        conn,
        CountyDaily,
        ("site_code", "department_code", "day", "item_code", "channel"),
        county_projection.COUNTERS,
        projection.daily_rows(),
    )
    _add_counts(
        conn,
        CountyMonthly,
        ("month", "site_code", "department_code", "item_code", "channel"),
        county_projection.COUNTERS,
        projection.monthly_rows(),
    )
    _add_counts(
        conn,
        CountyDuration,
        ("day", "site_code", "department_code", "bucket"),
        ("n",),
        projection.duration_rows(),
    )
    _add_counts(conn, CountyDurationMonthly, ("month", "site_code", "department_code", "bucket"), ("n",),
                projection.monthly_duration_rows())  # fmt: skip
    _name_items(conn, projection.item_rows())


def _name_items(conn: Connection, rows: list[dict[str, str]]) -> None:
    """The items' names (county_items): a name given at the same moment or later replaces the one kept."""
    if rows:
        put = sqlite_insert(CountyItem)
        conn.execute(
            put.on_conflict_do_update(
                index_elements=["item_code"],
                set_={"item_name": put.excluded.item_name, "named_at": put.excluded.named_at},
                where=put.excluded.named_at >= CountyItem.named_at,
            ),
            rows,
        )


def _add_counts(
    conn: Connection, table: Any, keys: tuple[str, ...], counts: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """Add ``rows``' counts to ``table``'s rows of the same keys (a new key: a new row)."""
    if rows:
        add = sqlite_insert(table)
        set_ = {name: getattr(table, name) + getattr(add.excluded, name) for name in counts}
        conn.execute(add.on_conflict_do_update(index_elements=list(keys), set_=set_), rows)


def _case_row(r: Any) -> CaseRow:
    state = case_state.state_of(r.status, r.version, r.pledge_open, r.withdrawal_requested)
    return CaseRow(r.site_code, r.department_code, state, r.first_seq, r.last_seq, is_new=False)


def _write(conn: Connection, plan: Plan, head: int) -> None:
    push = plan.push
    batch, now = push.batch, push.now
    if plan.stored:
        event_rows = [
            {
                **wire_dict(batch.events[index]),
                "seq": head + number,
                "body_hash": batch.hashes[index],
                "received_at": now,
                "token_id": push.token_id,
            }
            for number, index in enumerate(plan.stored, start=1)
        ]
        conn.execute(insert(Event), event_rows)
        new = [_case_values(uuid, c, head, now) for uuid, c in plan.touched if c.is_new]
        moved = [_case_values(uuid, c, head, now) for uuid, c in plan.touched if not c.is_new]
        if new:
            conn.execute(insert(Case), new)
        if moved:
            kept = ("case_uuid", "site_code", "department_code", "first_seq")  # a case never moves
            conn.execute(
                update(Case)
                .where(Case.case_uuid == bindparam("b_uuid"))
                .values({name: bindparam(name) for name in (*case_state.STATE_COLUMNS, "last_seq", "updated_at")})
                .execution_options(synchronize_session=False),
                [{"b_uuid": r["case_uuid"]} | {k: v for k, v in r.items() if k not in kept} for r in moved],
            )  # fmt: skip
        _write_figures(conn, plan.projection)
        ordering.advance_counter(conn, head + len(plan.stored))
        conn.execute(
            update(Device)
            .where(Device.code == push.device_code)
            .values(max_device_seq=func.max(Device.max_device_seq, plan.max_device_seq), last_push_at=now)
        )
    if plan.rejections:
        rows: list[dict[str, Any]] = [
            {
                "uuid": batch.events[r.index].uuid,
                "body_hash": batch.hashes[r.index],
                "case_uuid": batch.events[r.index].case_uuid,
                "code": r.code,
                "reason": r.reason,
                "device_code": push.device_code,
                "rejected_at": now,
            }
            for r in plan.rejections
        ]
        conn.execute(insert(RejectedEvent), rows)
        audited = [
            (r["uuid"], {"case_uuid": r["case_uuid"], "code": r["code"], "reason": r["reason"]}) for r in rows
        ]
        conn.execute(insert(AuditEntry), audit_rows("event_rejected", push.device_code, audited, now))


def _case_values(case_uuid: str, c: CaseRow, head: int, now: datetime) -> dict[str, Any]:
    return {
        "case_uuid": case_uuid,
        "site_code": c.site_code,
        "department_code": c.department_code,
        **case_state.state_columns(c.state),
        "first_seq": head + c.first_seq if c.is_new else c.first_seq,
        "last_seq": head + c.last_ord,
        "updated_at": now,
    }
