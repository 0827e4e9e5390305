"""GET /changes over real HTTP, on SQLite and PostgreSQL (county_hub.live): a desk held open is answered
when another device's event lands in its scope, never for its own events or another scope's, also when the
event was stored by another process (another worker), and a worker holds no more desks than it may."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import httpx

from county_hub.admission import Limits
from county_hub.auth import DeviceContext
from county_hub.push import push_events
from county_hub.schemas import WireEvent
from tests.hub.hubkit import SITE_A, SITE_B, DeviceClient, Hub, new_case
from tests.support.hub_server import API, running_hub


def wait(desk: DeviceClient, after: int, timeout: float) -> dict[str, Any]:
    r = desk.hub.http.get(f"{API}/changes", params={"after": after, "timeout": timeout},
                          headers=desk.headers, timeout=timeout + 10)  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    return r.json()


def held(desk: DeviceClient, after: int, timeout: float, *,
         may_be_refused: bool = False) -> tuple[threading.Thread, dict[str, Any]]:  # fmt: skip
    """The request held on a thread; ``may_be_refused``: a 503 (the worker's places taken) is an answer too,
    recorded as {"refused": True}, not a failure in the thread."""
    answer: dict[str, Any] = {}

    def run() -> None:
        t0 = time.monotonic()
        if may_be_refused:
            r = desk.hub.http.get(f"{API}/changes", params={"after": after, "timeout": timeout},
                                  headers=desk.headers, timeout=timeout + 10)  # fmt: skip
            if r.status_code == 503:
                answer["refused"] = True
                return
            if r.status_code == 409:  # let go for a newer wait of the token
                answer.update(r.json()["detail"], elapsed=time.monotonic() - t0)
                return
            assert r.status_code == 200, r.text
            answer.update(r.json())
        else:
            answer.update(wait(desk, after, timeout))
        answer["elapsed"] = time.monotonic() - t0

    t = threading.Thread(target=run)
    t.start()
    return t, answer


def test_answers_at_once_for_another_devices_event_in_scope_and_not_for_its_own(hub: Hub) -> None:
    window, other, elsewhere = hub.device(), hub.device(), hub.device(SITE_B)
    office = hub.device(kind="approver", serves=((SITE_A, "rs"),))
    [mine] = window.push_ok([window.event(new_case(), 0, "accepted")])
    # Its own event: nothing to pull; held until the time is up.
    assert wait(window, 0, 0.3) == {"changed": False, "head": mine["seq"]}
    assert wait(office, 0, 0) == {"changed": True, "head": mine["seq"]}  # in the office's scope (rs)
    assert wait(other, 0, 0)["changed"] is True
    assert wait(elsewhere, 0, 0.3)["changed"] is False  # another site
    [theirs] = other.push_ok([other.event(new_case(), 0, "accepted", dept="mz")])
    assert wait(window, mine["seq"], 0) == {"changed": True, "head": theirs["seq"]}
    assert wait(office, mine["seq"], 0.3)["changed"] is False  # 民政 is not the office's
    assert wait(window, theirs["seq"], 0.3) == {"changed": False, "head": theirs["seq"]}


def test_a_held_desk_is_answered_when_another_desk_pushes(hub: Hub) -> None:
    window, office = hub.device(), hub.device(kind="approver", serves=((SITE_A, "rs"),))
    thread, answer = held(office, 0, 20)
    window.push_ok([window.event(new_case(), 0, "accepted", dept="mz")])  # not the office's: still held
    [stored] = window.push_ok([window.event(new_case(), 0, "accepted")])
    thread.join(25)
    assert answer["changed"] is True and answer["head"] >= stored["seq"]
    assert answer["elapsed"] < 5  # not the 20 s it may be held


def test_an_event_stored_by_another_process_wakes_the_desks_held_by_this_one(hub: Hub) -> None:
    """The test process writes to the hub's database itself, as another worker would: no kick reaches the
    server's worker, which sees the head move."""
    window, office = hub.device(), hub.device(kind="approver", serves=((SITE_A, "rs"),))
    thread, answer = held(office, 0, 20)
    event = window.event(new_case(), 0, "accepted")
    device = hub.storage.device(window.token)
    assert isinstance(device, DeviceContext)
    [a] = push_events(hub.storage, device, [WireEvent.model_validate(event)],
                      limits=Limits(timedelta(minutes=10), 100_000))  # fmt: skip
    assert a.status == "stored"
    thread.join(25)
    assert answer["changed"] is True and answer["head"] == a.seq and answer["elapsed"] < 5


def test_a_worker_holds_at_most_max_waiters_and_refuses_the_next_at_once(hub_db_url: str) -> None:
    with running_hub(hub_db_url, max_waiters=1) as url, httpx.Client(base_url=url, timeout=30) as http:
        from county_hub.storage import open_storage
        from tests.support.hub_server import HubAdmin

        storage = open_storage(hub_db_url)
        try:
            hub = Hub(url, hub_db_url, storage.engine, HubAdmin(storage.engine), http, storage)
            first, second = hub.device(), hub.device()
            assert wait(second, 0, 0) == {"changed": False, "head": 0}  # a poll (timeout 0) takes no place
            thread, answer = held(first, 0, 5, may_be_refused=True)
            deadline = time.monotonic() + 30
            refused = None
            while refused is None and time.monotonic() < deadline:  # until the first is held
                if not thread.is_alive():  # on a loaded machine the first may have come while the second held
                    thread, answer = held(first, 0, 5, may_be_refused=True)  # refused, or its time ran out: again
                r = http.get(f"{API}/changes", params={"after": 0, "timeout": 0.2}, headers=second.headers)
                if r.status_code == 503:
                    refused = r
                else:
                    assert r.status_code == 200
            assert refused is not None, "the second desk was never refused"
            assert refused.json()["detail"]["code"] == "too_many_waiters"
            assert int(refused.headers["retry-after"]) > 0
            assert wait(second, 0, 0)["changed"] is False  # polls are still answered
            thread.join(10)
            assert answer["changed"] is False  # the first was held its whole time, undisturbed
        finally:
            storage.engine.dispose()


def test_wait_needs_a_token_and_a_sane_cursor(hub: Hub) -> None:
    assert hub.http.get(f"{API}/changes").status_code == 401
    desk = hub.device()
    assert desk.get("/changes", params={"after": -1}).status_code == 422
    assert desk.get("/changes", params={"timeout": 301}).status_code == 422
    assert desk.get("/changes", params={"after": 0, "timeout": 0, "afterr": 1}).status_code == 422


def test_asked_with_a_limit_the_answer_brings_the_page_the_desk_would_pull(hub: Hub) -> None:
    """The news and the events in one answer (docs/sync-protocol.md, "Waiting for changes"): the same page
    as GET /events gives for the cursor, its own events included, cut at the limit like a pull; "nothing
    yet" brings no page."""
    window, other = hub.device(), hub.device()
    office = hub.device(kind="approver", serves=((SITE_A, "rs"),))
    stored = window.push_ok([window.event(new_case(), 0, "accepted") for _ in range(3)])
    stored += other.push_ok([other.event(new_case(), 0, "accepted", dept="mz")])

    def wait_with(desk: DeviceClient, after: int, limit: int, timeout: float = 0) -> dict[str, Any]:
        r = desk.get("/changes", params={"after": after, "timeout": timeout, "limit": limit})
        assert r.status_code == 200, r.text
        return r.json()

    for desk, after, limit in ((office, 0, 1000), (office, 0, 2), (window, 0, 1000), (other, 1, 2)):
        answer = wait_with(desk, after, limit)
        page = desk.get("/events", params={"after": after, "limit": limit}).json()
        assert answer == {"changed": True, "head": stored[-1]["seq"], **page}
    assert [e["seq"] for e in wait_with(office, 0, 2)["events"]] == [s["seq"] for s in stored[:2]]
    assert wait_with(office, 0, 2)["has_more"] is True
    assert wait_with(office, stored[-1]["seq"], 10, 0.3) == {"changed": False, "head": stored[-1]["seq"]}
    assert office.get("/changes", params={"after": 0, "timeout": 0, "limit": 1001}).status_code == 422


def test_a_held_desk_asking_with_a_limit_is_answered_with_the_new_events(hub: Hub) -> None:
    window = hub.device()
    office = hub.device(kind="approver", serves=((SITE_A, "rs"),))
    answer: dict[str, Any] = {}

    def run() -> None:
        r = office.hub.http.get(f"{API}/changes", params={"after": 0, "timeout": 20, "limit": 100},
                                headers=office.headers, timeout=30)  # fmt: skip
        answer.update(r.json())

    thread = threading.Thread(target=run)
    thread.start()
    case = new_case()
    [accepted] = window.push_ok([window.event(case, 0, "accepted")])
    thread.join(25)
    assert answer["changed"] is True and accepted["uuid"] in [e["uuid"] for e in answer["events"]]
    assert answer["next_cursor"] >= accepted["seq"] and answer["has_more"] is False


def test_desks_woken_together_share_one_read_of_their_page(hub: Hub) -> None:
    """Fifty windows of a site woken by one push ask for the same page: it is read once; woken by the next
    push (a higher head), it is read again (the page read before stops short of the new event)."""
    import asyncio

    from county_hub import queries
    from county_hub.live import LiveLog
    from county_hub.scope import Scope

    window = hub.device()
    [first] = window.push_ok([window.event(new_case(), 0, "accepted")])
    scope = Scope.of([(SITE_A, "*")])
    reads: list[int] = []

    def read() -> str:
        reads.append(1)
        with hub.storage.consistent_read() as conn:
            return queries.pull(conn, scope, 0, 100)

    async def main() -> None:
        live = LiveLog(hub.storage.engine)
        pages = await asyncio.gather(*(live.page(scope, 0, 100, first["seq"], read) for _ in range(50)))
        assert len(set(pages)) == 1 and len(reads) == 1 and live.page_reads == 1
        assert first["uuid"] in pages[0]
        [second] = window.push_ok([window.event(new_case(), 0, "accepted")])
        again = await live.page(scope, 0, 100, second["seq"], read)
        assert len(reads) == 2 and second["uuid"] in again
        assert await live.page(scope, 0, 100, first["seq"], read) == pages[0] and len(reads) == 2

    asyncio.run(main())


def test_a_desk_whose_first_look_came_before_the_watchers_last_look_is_not_missed(hub: Hub) -> None:
    """The token check and the first look run in one thread hand-off, before the desk is registered: an
    event landing between that look and the registration was looked at by the watcher without this desk.
    It looks again at once (not at its next poll, here 30 s away)."""
    import asyncio

    from county_hub.live import LiveLog
    from county_hub.scope import Scope

    window = hub.device()
    [e1] = window.push_ok([window.event(new_case(), 0, "accepted")])
    scope = Scope.of([(SITE_A, "*")])

    async def main() -> None:
        live = LiveLog(hub.storage.engine, poll_s=30)
        early = asyncio.ensure_future(live.wait(scope, "desk-a", e1["seq"], 10))
        while not live.waiting:
            await asyncio.sleep(0.01)
        [e2] = window.push_ok([window.event(new_case(), 0, "accepted")])
        live.kick()
        assert await early == (True, e2["seq"])  # the watcher has looked at e2's head
        t0 = time.monotonic()
        late = await live.wait(scope, "desk-b", e1["seq"], 10, first=(e1["seq"], False))  # looked before e2
        assert late == (True, e2["seq"]) and time.monotonic() - t0 < 5

    asyncio.run(main())


def test_one_token_cannot_take_every_place_of_a_worker(hub_db_url: str) -> None:
    """A stolen or runaway token opening held requests one after another: it keeps at most two (a newer wait
    lets its oldest go, told 409 `wait_superseded`), so the worker's other desks are still held, not sent to
    polling."""
    with running_hub(hub_db_url, max_waiters=4) as url, httpx.Client(base_url=url, timeout=30) as http:
        from county_hub.storage import open_storage
        from tests.support.hub_server import HubAdmin

        storage = open_storage(hub_db_url)
        try:
            hub = Hub(url, hub_db_url, storage.engine, HubAdmin(storage.engine), http, storage)
            runaway, other = hub.device(), hub.device()
            runs = []
            for _ in range(6):
                runs.append(held(runaway, 0, 20, may_be_refused=True))
                time.sleep(0.3)  # each one held before the next comes
            t0 = time.monotonic()
            r = http.get(f"{API}/changes", params={"after": 0, "timeout": 1}, headers=other.headers)
            assert r.status_code == 200, r.text  # held its second, not refused
            assert r.json()["changed"] is False and time.monotonic() - t0 >= 0.9
            for thread, _answer in runs[:4]:
                thread.join(10)
            answers = [a for _t, a in runs]
            assert all(not a.get("refused") for a in answers), answers
            let_go = [a for a in answers[:4] if a.get("elapsed", 99) < 10]
            assert len(let_go) == 4 and all(a["code"] == "wait_superseded" for a in let_go), answers
            release = hub.device()  # the two still held are answered at their time; end them now
            release.push_ok([release.event(new_case(), 0, "accepted")])
            for thread, _answer in runs[4:]:
                thread.join(10)
            assert all(a.get("changed") is True for a in answers[4:]), answers
        finally:
            storage.engine.dispose()
