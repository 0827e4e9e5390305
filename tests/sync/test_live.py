"""One lasting connection and the hub's news (sync/engine.py, sync/live.py) against a real hub over HTTP,
with every request counted at the hub: while the link is up an act's push is one round trip on a kept
connection, commits made while a push is in flight go up together, another desk's case is pulled as the
hub tells of it, and where a proxy cuts held requests the desk polls and says so. Over TLS too: the kept
connection keeps its TLS session."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_desk.sync import live
from clerk_desk.sync.engine import Backoff
from tests.support.hub_server import HubAdmin, running_hub
from tests.support.pki import LOOPBACK, make_ca, server_cert
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import SITE, Desk, make_desk
from tests.sync.test_never_stops import accept, acked, state_of

PUSH, CHANGES = "POST /api/v1/events", "GET /api/v1/changes"
FAST = {"interval_s": 3600.0, "backoff": Backoff(base_s=0.01, cap_s=0.05)}


def wait_for(cond: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        time.sleep(0.002)


@pytest.fixture
def counted(tmp_path: Path) -> Iterator[tuple[str, HubAdmin, list[str]]]:
    seen: list[str] = []
    with running_hub(tmp_path / "hub", requests_seen=seen, clock_skew_s=14 * 86400) as url, \
            HubAdmin(tmp_path / "hub") as admin:  # fmt: skip
        admin.site(SITE, "通羊镇便民服务中心")
        yield url, admin, seen


def started(desk: Desk) -> Desk:
    desk.engine.start()
    wait_for(lambda: desk.engine.status().last_success is not None, "the first sync")
    wait_for(lambda: desk.engine.status().live == live.HELD, "a request held open at the hub")
    return desk


def pushes_are_one_request_each_on_a_kept_connection(desk: Desk, seen: list[str], proxy: TcpProxy) -> None:
    """Five acts: five POST /events at the hub and nothing else but the held request (no /health, no pull),
    on the connections already open (no new one: over TLS, no new handshake). Stops the desk's engine."""
    try:
        wait_for(lambda: CHANGES in seen, "the held request at the hub")
        mark, connections = len(seen), proxy.connections
        for _ in range(5):
            uid = accept(desk)
            wait_for(acked(desk, uid), "the push answered")
        assert [r for r in seen[mark:] if r != CHANGES] == [PUSH] * 5
        assert proxy.connections == connections
    finally:
        desk.engine.stop()


def test_while_the_link_is_up_each_push_is_one_request_on_the_same_connection(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, admin, seen = counted
    with TcpProxy(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as proxy:
        pushes_are_one_request_each_on_a_kept_connection(
            started(make_desk(tmp_path / "desk", proxy.url, admin, **FAST)), seen, proxy)


def test_over_tls_the_pushes_keep_one_connection_and_its_tls_session(tmp_path: Path) -> None:
    """As on the extranet: the hub over https with the county's CA. No push opens a connection, so none pays
    a TLS handshake (through a TCP proxy that counts the connections carrying the TLS bytes)."""
    folder = tmp_path / "pki"
    folder.mkdir()
    ca = make_ca(folder, "county-ca")
    seen: list[str] = []
    with running_hub(tmp_path / "hub", tls=server_cert(folder, ca, "hub", LOOPBACK), requests_seen=seen,
                     clock_skew_s=14 * 86400) as url, HubAdmin(tmp_path / "hub") as admin:  # fmt: skip
        admin.site(SITE, "通羊镇便民服务中心")
        with TcpProxy(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as proxy:
            proxied = proxy.url.replace("http://", "https://")
            pushes_are_one_request_each_on_a_kept_connection(
                started(make_desk(tmp_path / "desk", proxied, admin, ca_bundle=str(ca.pem), **FAST)), seen, proxy)


def test_commits_made_while_a_push_is_in_flight_go_up_together(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, admin, seen = counted
    with TcpProxy(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as proxy:
        desk = started(make_desk(tmp_path / "desk", proxy.url, admin, **FAST))
        try:
            mark = len(seen)
            plan = proxy.on_response(PUSH.encode(), hold=True)
            first = accept(desk)
            wait_for(plan.request_seen.is_set, "the first push sent")
            more = [accept(desk) for _ in range(4)]
            plan.release()
            for uid in [first, *more]:
                wait_for(acked(desk, uid), "every event answered")
            assert [r for r in seen[mark:] if r != CHANGES] == [PUSH, PUSH]
        finally:
            desk.engine.stop()


def test_another_desks_case_is_pulled_as_the_hub_tells_and_polled_where_held_requests_are_cut(
    counted, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    url, admin, seen = counted
    port = int(url.rsplit(":", 1)[1])
    window = make_desk(tmp_path / "window", url, admin, **FAST)
    with TcpProxy(("127.0.0.1", port)) as proxy:
        other = started(make_desk(tmp_path / "other", proxy.url, admin, **FAST, live_poll_s=0.3))
        try:
            uid = accept(window)
            window.engine.run_once()
            wait_for(lambda: state_of(other, uid) == "stored", "the case at the other desk", timeout=2.0)

            proxy.answer_deadline_s = 0.5  # from now on a request held open is cut, as some proxies do
            proxy.down()  # (and the one held now too)
            proxy.up()
            wait_for(lambda: other.engine.status().live == live.POLLING, "the desk polls instead")
            assert proxy.cut_held >= 1
            for _ in range(3):
                uid = accept(window)
                window.engine.run_once()
                wait_for(lambda: state_of(other, uid) == "stored", "the case polled", timeout=5.0)  # noqa: B023
            assert other.engine.status().link_up is True and other.engine.status().last_error is None
        finally:
            other.engine.stop()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # it dies on purpose
def test_the_watchdog_starts_the_waiting_thread_again_if_it_dies(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, admin, _seen = counted
    desk = started(make_desk(tmp_path / "desk", url, admin, **FAST, watchdog_s=0.05))
    try:
        watch = desk.engine.live
        assert watch is not None
        step = watch._step
        died = []

        def dying() -> None:
            if not died:
                died.append(True)
                raise SystemExit("the thread ends")  # not an Exception: the thread's own guard lets it go
            step()

        watch._step = dying  # type: ignore[method-assign]
        other = make_desk(tmp_path / "other", url, admin, **FAST)
        accept(other)
        other.engine.run_once()  # the hub answers the held request: the thread's next step dies
        wait_for(lambda: bool(died), "the thread died")
        uid = accept(other)
        other.engine.run_once()
        wait_for(lambda: state_of(desk, uid) == "stored", "the next case, told by the hub", timeout=5)
        assert watch.alive and desk.engine.running
    finally:
        desk.engine.stop()


def test_the_hubs_news_brings_the_events_and_the_desk_makes_no_pull_of_its_own(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """GET /changes asked with a limit: the answer carries the page, the engine applies it; the desk's
    client sends nothing for it (no GET /events)."""
    url, admin, _seen = counted
    window = make_desk(tmp_path / "window", url, admin, **FAST)
    other = started(make_desk(tmp_path / "other", url, admin, **FAST))
    try:
        client = other.engine._client
        assert client is not None
        before = client.requests
        for _ in range(3):
            uid = accept(window)
            window.engine.run_once()
            wait_for(lambda: state_of(other, uid) == "stored", "the case at the other desk", timeout=5.0)  # noqa: B023
        assert client.requests == before  # no pull: the events came with the news
        assert other.engine._client is client and other.engine.status().pulled_total >= 3
    finally:
        other.engine.stop()


def test_a_hub_that_refuses_the_events_with_its_news_is_asked_without_and_the_desk_pulls(  # type: ignore[no-untyped-def]
    counted, tmp_path: Path
) -> None:
    """A hub older than the events-with-the-news answer refuses the unknown ``limit`` (422): the desk asks
    without it from then on and pulls as before. (Here the real hub refuses a limit above its 1,000.)"""
    url, admin, seen = counted
    window = make_desk(tmp_path / "window", url, admin, **FAST)
    desk = make_desk(tmp_path / "desk", url, admin, **FAST)
    watch = desk.engine.live
    assert watch is not None
    watch.page_size = 1001
    desk = started(desk)
    try:
        mark = len(seen)
        uid = accept(window)
        window.engine.run_once()
        wait_for(lambda: state_of(desk, uid) == "stored", "the case, pulled", timeout=5.0)
        assert "GET /api/v1/events" in seen[mark:]  # pulled, as before
        assert desk.engine.status().live == live.HELD and desk.engine.status().last_error is None
    finally:
        desk.engine.stop()


def test_pages_sent_with_the_news_are_applied_in_a_chain_and_nothing_is_asked_for_them(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """apply.pull with the pages the hub sent (sync/live.py hands them over without waiting): each that
    follows on from the cursor is applied, in order, without a request; woken for pages that an earlier
    cycle applied, nothing is asked; pages that no longer follow on are dropped and the desk pulls."""
    from clerk_desk.sync import apply, enrolment

    url, admin, _seen = counted
    window = make_desk(tmp_path / "window", url, admin, **FAST)
    other = make_desk(tmp_path / "other", url, admin, **FAST)
    other.engine.run_once()  # its snapshot and cursor
    client = enrolment.client_for(other.db)
    assert client is not None
    try:
        pages, uids = {}, []
        for _ in range(2):
            at = max([apply.cursor(other.db) or 0, *(p["next_cursor"] for p in pages.values())])
            uids.append(accept(window))
            window.engine.run_once()
            answer = client.wait(at, 0, 1000)
            assert answer.changed and answer.page is not None and not answer.page["has_more"]
            pages[at] = answer.page
        before = client.requests
        assert apply.pull(other.db, client, given=dict(pages), only_given=True) == 2
        assert client.requests == before  # both applied from the news, one after the other
        assert all(state_of(other, u) == "stored" for u in uids)
        assert apply.cursor(other.db) == max(p["next_cursor"] for p in pages.values())
        assert apply.pull(other.db, client, given={}, only_given=True) == 0 and client.requests == before
        late = accept(window)
        window.engine.run_once()
        assert apply.pull(other.db, client, given=dict(pages), only_given=True) == 1  # stale pages: pulled
        assert client.requests == before + 1 and state_of(other, late) == "stored"
    finally:
        client.close()


def test_three_pcs_cloned_with_one_token_do_not_chase_each_others_held_requests(
    counted, tmp_path: Path, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    """A PC image copied after enrolment: three desks with one device token. The hub holds two waits per token
    and lets the oldest go when a third comes; answered "nothing yet", that desk asked again at once and let
    the next one go: the three chased each other as fast as the link allowed. The one let go is told so
    (409 `wait_superseded`) and polls for a while instead; the hub's log names the device."""
    url, admin, seen = counted
    first = make_desk(tmp_path / "pc1", url, admin, **FAST)
    first.db.engine.dispose()
    for name in ("pc2", "pc3"):
        shutil.copytree(tmp_path / "pc1", tmp_path / name)
    desks = [first, *(make_desk(tmp_path / name, url, admin, enrol=False, **FAST) for name in ("pc2", "pc3"))]
    try:
        for desk in desks:
            desk.engine.start()
        wait_for(lambda: all(d.engine.status().last_success is not None for d in desks), "the first syncs")
        time.sleep(1.0)
        mark = len(seen)
        time.sleep(3.0)
        asked = seen[mark:].count(CHANGES)
        assert asked <= 6, asked  # before: thousands in 3 s
        assert sorted(d.engine.status().live or "" for d in desks) == [live.HELD, live.HELD, live.POLLING]
        said = [r.getMessage() for r in caplog.records if r.name == "county_hub.live"]
        assert len(said) == 1 and "more than one PC" in said[0], said  # the device, once a minute
    finally:
        for desk in desks:
            desk.engine.stop()
