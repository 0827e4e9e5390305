"""The sync never stops: answers cut at every byte, answers that are not JSON, a locked database, a
dead worker thread. The desk's real engine thread runs against the real hub on 127.0.0.1; faults are
made in the link (tests/support/tcp_proxy.py), in the database file, or in the thread itself. What
reached the hub is read from the hub's own database.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.models import CaseEvent
from clerk_desk.store.sqlite_file import database_path
from clerk_desk.sync import engine as engine_mod
from clerk_desk.sync.engine import Backoff, SyncStatus
from tests.services.test_intake import form
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import Desk, make_desk
from tests.sync.hub_log import assert_exactly_once_in_order, hub_events

PUSH = b"POST /api/v1/events"
FAST = {"interval_s": 3600.0, "backoff": Backoff(base_s=0.01, cap_s=0.05), "watchdog_s": 0.05}


def wait_for(cond: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll a condition the engine thread will make true (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        time.sleep(0.002)


def accept(desk: Desk) -> str:
    return desk.intake.accept(form(), desk.clerk, delivery=Delivery("window")).cases[0].case_uuid


def state_of(desk: Desk, case_uuid: str) -> str | None:
    """The push state of the case's one event here (None before it arrives)."""
    with desk.db.reading() as s:
        return s.scalars(select(CaseEvent.push_state).where(CaseEvent.case_uuid == case_uuid)).one_or_none()


def acked(desk: Desk, case_uuid: str) -> Callable[[], bool]:
    return lambda: state_of(desk, case_uuid) in ("stored", "duplicate")


def clean(st: SyncStatus) -> bool:
    return (st.waiting == 0 and st.link_up is True and st.fault is None and st.last_error is None
            and st.last_success is not None)


def assert_clean(desk: Desk) -> None:
    wait_for(lambda: clean(desk.engine.status()), "a clean state")
    assert desk.engine.running
    with desk.db.reading() as s:
        assert not list(s.scalars(select(CaseEvent.uuid).where(CaseEvent.push_state == "in_flight")))


@pytest.fixture
def linked(hub, tmp_path: Path) -> Iterator[tuple[Desk, TcpProxy, Path, list[SyncStatus]]]:
    """A desk whose engine thread runs, talking to the hub through a proxy; every status it published."""
    url, admin = hub
    with TcpProxy(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as proxy:
        desk = make_desk(tmp_path / "desk", proxy.url, admin, **FAST)
        seen: list[SyncStatus] = []
        desk.engine.listeners.append(seen.append)
        desk.engine.start()
        wait_for(lambda: desk.engine.status().last_success is not None, "the first sync")
        try:
            yield desk, proxy, tmp_path / "hub", seen
        finally:
            desk.engine.stop()


@pytest.mark.slow
def test_push_answer_cut_at_every_byte_offset(linked) -> None:  # type: ignore[no-untyped-def]
    """The hub commits each push; its answer reaches the desk cut after 0, 1, 2, … bytes, up to the whole
    answer. Each time the engine keeps running, re-sends, and the event is at the hub exactly once."""
    desk, proxy, hub_data, seen = linked
    offset, lengths, seen_by_desk = 0, [], []
    while True:
        plan = proxy.on_response(PUSH, cut_after=offset)
        mark = len(seen)
        uid = accept(desk)  # the commit wakes the engine
        wait_for(plan.done.is_set, f"the push answer cut at byte {offset}")
        desk.engine.trigger()  # no need to wait out the backoff
        wait_for(acked(desk, uid), f"the event of the round cut at byte {offset} acknowledged")
        seen_by_desk.append(next((st.last_error for st in seen[mark:] if st.last_error), None))
        assert desk.engine.running, f"the engine thread died after a cut at byte {offset}"
        if not plan.closed_at_cut:  # the answer was shorter than the offset: every offset was tried
            lengths.append(plan.forwarded)
            break
        offset += 1
    answer_bytes = lengths[0]
    assert offset == answer_bytes + 1 and answer_bytes > 100, (offset, answer_bytes)
    assert_clean(desk)
    desk.engine.stop()
    stored = hub_events(hub_data)
    assert len(stored) == offset + 1  # one event per round, each stored once
    assert_exactly_once_in_order(desk, hub_data)
    unreadable = sum(1 for e in seen_by_desk if e and e.startswith("bad answer"))
    broken = sum(1 for e in seen_by_desk if e and not e.startswith("bad answer"))
    print(f"\npush answer of {answer_bytes} bytes cut at each of offsets 0..{answer_bytes}: {offset} cut rounds "
          f"(+1 whole), {len(stored)} events at the hub, 0 lost, 0 duplicated; the desk read {unreadable} cuts as "
          f"an unreadable answer, {broken} as a broken connection, {offset - unreadable - broken} as a whole answer")


def test_an_answer_that_is_not_json_is_shown_and_retried(linked) -> None:  # type: ignore[no-untyped-def]
    desk, proxy, hub_data, seen = linked
    plan = proxy.on_response(PUSH, corrupt=True)  # 200 OK, the right length, not JSON
    uid = accept(desk)
    wait_for(plan.done.is_set, "the corrupted answer")
    wait_for(lambda: any((st.last_error or "").startswith("bad answer") for st in seen), "the problem shown")
    shown = next(st for st in seen if (st.last_error or "").startswith("bad answer"))
    assert shown.link_up is False and shown.waiting == 1  # back to pending, the reason kept
    desk.engine.trigger()
    wait_for(acked(desk, uid), "the event re-sent and acknowledged")
    with desk.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid)).one()
        assert ev.attempts == 2 and ev.push_state == "duplicate"  # the hub had stored it the first time
    assert_clean(desk)
    assert_exactly_once_in_order(desk, hub_data)


@pytest.mark.slow
def test_a_locked_database_is_shown_the_batch_released_and_retried(linked) -> None:  # type: ignore[no-untyped-def]
    """Another program holds the case database's write lock while the hub's answer arrives: recording
    the answer fails, releasing the batch fails too (busy timeout). The engine shows 'database busy',
    keeps running, resets the in-flight rows once the lock is gone and re-sends; the hub dedupes."""
    desk, proxy, hub_data, seen = linked
    plan = proxy.on_response(PUSH, hold=True)
    uid = accept(desk)
    wait_for(plan.request_seen.is_set, "the push on the wire")
    locker = sqlite3.connect(database_path(desk.db.data_dir), timeout=0, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        plan.release()
        wait_for(lambda: desk.engine.status().fault == engine_mod.DATABASE_BUSY, "the fault shown", timeout=60)
        assert desk.engine.running
        assert state_of(desk, uid) == "in_flight"  # left by the failed release; reset by the next cycle
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    desk.engine.trigger()
    wait_for(acked(desk, uid), "the event re-sent and acknowledged")
    assert_clean(desk)
    assert_exactly_once_in_order(desk, hub_data)
    assert len(hub_events(hub_data)) == 1


def test_the_watchdog_restarts_a_dead_worker(linked) -> None:  # type: ignore[no-untyped-def]
    """Something on the worker thread raises what no cycle catches (here a status listener calls
    sys.exit(), which ends only that thread); the watchdog starts a new worker, says so in the status,
    and records are sent again."""
    desk, _proxy, hub_data, seen = linked
    old = desk.engine._thread
    armed = threading.Event()

    def ends_the_thread(_st: SyncStatus) -> None:
        if armed.is_set() and threading.current_thread() is old:
            armed.clear()
            sys.exit("a listener ended the sync thread")

    desk.engine.listeners.append(ends_the_thread)
    armed.set()
    desk.engine.trigger()
    wait_for(lambda: old is not None and not old.is_alive(), "the worker to die")
    wait_for(lambda: desk.engine.status().worker_restarts == 1 and desk.engine.running, "the restart")
    said = [st for st in seen if st.fault == engine_mod.WORKER_STOPPED]
    assert said and said[0].fault_detail and "SystemExit" in said[0].fault_detail
    assert desk.engine.status().last_restart_at is not None
    uid = accept(desk)
    wait_for(acked(desk, uid), "a record made after the restart acknowledged")
    assert_clean(desk)
    assert desk.engine.status().worker_restarts == 1
    assert_exactly_once_in_order(desk, hub_data)


def test_a_pull_page_that_cannot_be_read_moves_no_cursor_and_is_fetched_again(hub, linked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Another desk's case arrives; the page bringing it is corrupted on the way: nothing is applied,
    the cursor stays, and the next cycle fetches the page again."""
    from clerk_desk.sync import apply

    desk, proxy, _hub_data, seen = linked
    assert desk.engine.live is not None
    desk.engine.live.stop()  # this test says when the desk pulls: not told by the hub at once
    url, admin = hub
    other = make_desk(tmp_path / "other", url, admin)
    uid = accept(other)
    other.engine.run_once()
    before = apply.cursor(desk.db)
    plan = proxy.on_response(b"GET /api/v1/events", corrupt=True)
    desk.engine.trigger()
    wait_for(plan.request_seen.is_set, "the pull")
    # (a big page comes gzipped: corrupted, it fails to inflate rather than to parse; both are "no answer")
    wait_for(lambda: any(st.last_error and st.link_up is False for st in seen), "the problem shown")
    desk.engine.trigger()
    # Had the cursor moved past the page, the event would never arrive.
    wait_for(lambda: state_of(desk, uid) == "stored", "the other desk's event applied")
    assert apply.cursor(desk.db) > (before or 0)
    assert_clean(desk)


def test_faults_are_told_apart_by_what_sqlite_says(tmp_path: Path) -> None:
    from clerk_desk.domain.errors import StorageError

    def failure(action: Callable[[], object]) -> BaseException:
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - the real exception is what is classified
            return exc
        raise AssertionError("no failure")

    path = tmp_path / "f.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert engine_mod.fault_of(failure(lambda: read_only.execute("INSERT INTO t VALUES (1)"))) \
        == engine_mod.DATABASE_READ_ONLY
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    locked = failure(lambda: other.execute("INSERT INTO t VALUES (1)"))
    holder.execute("ROLLBACK")
    wrapped = StorageError("数据库正被其他程序占用")
    wrapped.__cause__ = locked
    assert engine_mod.fault_of(locked) == engine_mod.fault_of(wrapped) == engine_mod.DATABASE_BUSY
    assert engine_mod.fault_of(failure(lambda: {}["missing"])) == engine_mod.INTERNAL
    sealed = StorageError("本机无法解开个人信息", code="personal_data_locked")
    assert engine_mod.fault_of(sealed) == engine_mod.PERSONAL_DATA_LOCKED
