"""What the hub writes to its log when the database fails under a push: the fault, never the people.

An event's payload carries applicants' names and ID numbers. A database error during a push (a full disk,
a damaged file, a constraint) used to be logged by uvicorn with SQLAlchemy's whole message: the INSERT's
parameters, payload included, in the service's journal, which more accounts read than the database. On
PostgreSQL the server's own detail ("Failing row contains (...)") carries the row as well. A real hub over
HTTP, on SQLite and PostgreSQL; the failure is made by the database itself (a trigger)."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from tests.hub.hubkit import Hub, new_case

NAME, ID_NUMBER, PHONE = "张秘密", "42122419900101123X", "13907150000"


@pytest.fixture
def hub_log() -> Iterator[io.StringIO]:
    """Everything logged in this process while the test runs (the hub runs in a thread of it)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(), logging.getLogger("uvicorn"), logging.getLogger("uvicorn.error")]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        yield out
    finally:
        for lg in loggers:
            lg.removeHandler(handler)


def _logged(out: io.StringIO) -> str:
    """What was logged, once the failed request's lines are in (they may follow its answer)."""
    deadline = time.monotonic() + 10
    while "/api/v1/events" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the rest of the same report
    return out.getvalue()


@contextmanager
def _event_inserts_broken(hub: Hub) -> Iterator[None]:
    """Every insert into events fails until the block ends (the PostgreSQL database is the session's, shared by the
    tests after this one: the trigger must go)."""
    with hub.engine.begin() as conn:
        if hub.engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER fault BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
                )
            )
        else:  # the server's own NOT NULL check, whose detail quotes the failing row
            conn.execute(
                text(
                    "CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN NEW.actor := NULL; RETURN NEW; END $$"
                )
            )
            conn.execute(
                text("CREATE TRIGGER fault BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fault()")
            )
    try:
        yield
    finally:
        with hub.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER fault ON events" if hub.engine.dialect.name != "sqlite"
                              else "DROP TRIGGER fault"))  # fmt: skip
            if hub.engine.dialect.name != "sqlite":
                conn.execute(text("DROP FUNCTION fault()"))


def test_a_database_fault_during_a_push_logs_no_personal_data(hub: Hub, hub_log: io.StringIO) -> None:
    desk = hub.device()
    payload = {"applicant": {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE}}
    with _event_inserts_broken(hub):
        r = desk.push([desk.event(new_case(), 0, "accepted", payload=payload)])
    assert r.status_code == 500
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in r.text
    logged = _logged(hub_log)
    # the operator still learns what failed, and where
    assert "IntegrityError" in logged or "NotNullViolation" in logged, logged
    assert "POST /api/v1/events" in logged, logged
    for secret in (NAME, ID_NUMBER, PHONE, "Failing row"):
        assert secret not in logged, logged
    # and the hub goes on serving
    assert desk.get("/devices/me").status_code == 200
