"""The ordering trap (docs/architecture.md §4): a pull must never move its cursor past an event that commits late.

The hub serializes appends (a counter row locked FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite),
so a push holding its seq uncommitted blocks the next push, and a pull meanwhile returns nothing newer.
The naive design - a bigserial taken without a lock, used as the cursor - is written out below and the
same interleaving makes its pull skip an event for good, which is what the test must be able to catch.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, text

from county_hub.push import push_events
from county_hub.schemas import WireEvent
from county_hub.storage import make_engine
from tests.hub.hubkit import SITE_A, Hub, new_case


def _waiting_on_lock(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()


def test_held_push_blocks_later_appends_and_pull_never_skips(hub: Hub) -> None:
    desk_a, desk_b = hub.device(SITE_A, os_account="a"), hub.device(SITE_A, os_account="b")
    reader = hub.device(SITE_A, os_account="reader")
    device_a = hub.storage.device(desk_a.token)
    event_a = WireEvent.model_validate(desk_a.event(new_case(), 0, "accepted"))
    event_b = desk_b.event(new_case(), 0, "accepted")

    holding, release = threading.Event(), threading.Event()
    answers: dict[str, object] = {}

    def hold() -> None:  # runs with A's seq taken and its row written, before COMMIT
        holding.set()
        assert release.wait(30)

    def push_a() -> None:
        answers["a"] = push_events(hub.storage, device_a, [event_a], before_commit=hold)

    def push_b() -> None:
        with httpx.Client(base_url=hub.base_url, timeout=60) as http:
            answers["b"] = http.post("/api/v1/events", json={"events": [event_b]}, headers=desk_b.headers)

    thread_a = threading.Thread(target=push_a)
    thread_a.start()
    assert holding.wait(30)
    thread_b = threading.Thread(target=push_b)
    thread_b.start()
    try:
        if hub.engine.dialect.name == "postgresql":
            deadline = time.monotonic() + 20
            while _waiting_on_lock(hub.engine) == 0:  # B is queued on the counter row's lock
                assert time.monotonic() < deadline, "push B never waited for the append lock"
                time.sleep(0.02)
        else:
            time.sleep(0.5)
        assert thread_b.is_alive(), "push B committed while push A held an earlier seq"
        page = reader.pull(after=0)
        assert page["events"] == [] and page["next_cursor"] == 0  # nothing newer than an uncommitted seq
    finally:
        release.set()
        thread_a.join(30)
        thread_b.join(60)
    assert answers["b"].status_code == 200  # type: ignore[attr-defined]
    seq_a = answers["a"][0].seq  # type: ignore[index]
    seq_b = answers["b"].json()["results"][0]["seq"]  # type: ignore[attr-defined]
    assert seq_a < seq_b
    page = reader.pull(after=0)  # from the earlier cursor: both, in order
    assert [e["uuid"] for e in page["events"]] == [event_a.uuid, event_b["uuid"]]


# --- the naive design, for contrast ---------------------------------------------------------------


@pytest.fixture
def naive_log(pg_database_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_database_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE naive_log (id bigserial PRIMARY KEY, body text NOT NULL)"))
    yield engine
    engine.dispose()


def naive_append(conn, body: str) -> int:  # type: ignore[no-untyped-def]
    """Take the next number from the sequence, no lock: what the hub must not do."""
    return conn.execute(
        text("INSERT INTO naive_log (body) VALUES (:b) RETURNING id"), {"b": body}
    ).scalar_one()


def naive_pull(engine: Engine, after: int) -> list[int]:
    with engine.connect() as conn:
        return list(
            conn.execute(text("SELECT id FROM naive_log WHERE id > :a ORDER BY id"), {"a": after}).scalars()
        )


@pytest.mark.pg
def test_naive_bigserial_cursor_skips_the_late_event(naive_log: Engine) -> None:
    conn_a, conn_b = naive_log.connect(), naive_log.connect()
    try:
        tx_a = conn_a.begin()
        id_a = naive_append(conn_a, "A")  # A takes its number and stays open
        with conn_b.begin():
            id_b = naive_append(conn_b, "B")  # B takes the next number and commits first
        assert id_a < id_b
        seen = naive_pull(naive_log, after=0)
        assert seen == [id_b]  # the pull returns the later number while the earlier is uncommitted
        cursor = seen[-1]
        tx_a.commit()
        seen += naive_pull(naive_log, after=cursor)
        assert id_a not in seen, "the naive design did not skip: the scenario no longer tests anything"
        assert naive_pull(naive_log, after=0) == [id_a, id_b]  # the event is there, the reader never sees it
    finally:
        conn_a.close()
        conn_b.close()


# --- many writers, one reader ------------------------------------------------------------------------


def test_concurrent_pushes_and_a_polling_reader_see_every_event_once(hub: Hub) -> None:
    writers = [hub.device(SITE_A, os_account=f"w{i}") for i in range(6)]
    reader = hub.device(SITE_A, os_account="reader")
    batches, per_batch = 8, 10
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write(desk) -> None:  # type: ignore[no-untyped-def]
        try:
            with httpx.Client(base_url=hub.base_url, timeout=60) as http:
                for _ in range(batches):
                    events = [desk.event(str(uuid.uuid4()), 0, "accepted") for _ in range(per_batch)]
                    r = http.post("/api/v1/events", json={"events": events}, headers=desk.headers)
                    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def read() -> None:
        cursor = 0
        with httpx.Client(base_url=hub.base_url, timeout=60) as http:
            while True:
                finished = done.is_set()
                r = http.get("/api/v1/events", params={"after": cursor, "limit": 7}, headers=reader.headers)
                page = r.json()
                seen.extend(e["seq"] for e in page["events"])
                cursor = page["next_cursor"]
                if finished and not page["has_more"]:
                    return

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    reader_thread = threading.Thread(target=read)
    reader_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    reader_thread.join(120)
    assert not errors, errors
    total = len(writers) * batches * per_batch
    assert seen == list(range(1, total + 1))  # every seq once, in order, no gap skipped
