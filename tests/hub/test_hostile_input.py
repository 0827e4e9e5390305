"""Bad input gets 4xx, never 500, never poison (issue #10, item 4): each reproduction of the issue, on
SQLite and PostgreSQL where the database matters."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from county_hub.limits import AuditThrottle, RateLimiter
from county_hub.models import AuditEntry
from county_hub.slow_clients import HeadDeadlineProtocol
from tests.hub.hubkit import Hub, new_case
from tests.support.hub_server import API, HubAdmin, running_hub

NOTHING = {"events": 0, "rejected_events": 0, "cases": 0}


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00", "1999-12-31T23:59:59Z"]
)
def test_occurred_at_outside_the_sane_window_is_422(hub: Hub, moment: str) -> None:
    desk = hub.device()
    r = desk.push([desk.event(new_case(), 0, "accepted", occurred_at=moment)])
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["code"] == "invalid_request" and "occurred_at" in detail["message"]
    assert hub.counts() == NOTHING


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_are_refused_anywhere_in_a_body(hub: Hub, word: str) -> None:
    desk = hub.device()
    event = desk.event(new_case(), 0, "accepted")
    body = json.dumps({"events": [event]}).replace(
        '"payload": {}', f'"payload": {{"fee": {{"amount": [{word}]}}}}'
    )
    assert word in body
    r = hub.http.post(
        f"{API}/events", content=body, headers={**desk.headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["detail"]["code"] == "malformed_json"
    assert "NaN and Infinity" in r.json()["detail"]["message"]
    assert hub.counts() == NOTHING
    enrol = f'{{"code": "AAAA-BBBB-CCCC-DDDD", "os_account": "x", "device_info": {{"v": {word}}}}}'
    r = hub.http.post(f"{API}/enrol", content=enrol, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["detail"]["code"] == "malformed_json"
    # A string that merely reads "NaN" is data like any other.
    ok = desk.event(new_case(), 0, "accepted", payload={"note": "NaN Infinity", "ratio": 0.5})
    assert desk.push_ok([ok])[0]["status"] == "stored"


def test_device_seq_cannot_poison_the_devices_counter(hub: Hub) -> None:
    desk = hub.device()
    assert desk.push_ok([desk.event(new_case(), 0, "accepted")])[0]["status"] == "stored"
    r = desk.push([desk.event(new_case(), 0, "accepted", device_seq=2**63 - 1)])
    assert r.status_code == 422 and "device_seq" in r.json()["detail"]["message"]
    answers = desk.push_ok([desk.event(new_case(), 0, "accepted", device_seq=2**53 - 1)])
    assert [(a["status"], a.get("code")) for a in answers] == [("rejected", "device_seq_jump")]
    assert desk.get("/devices/me").json()["max_device_seq"] == 1  # what the desk rebases on is untouched
    # A desk back after a long offline spell jumps a few thousand: taken.
    assert desk.push_ok([desk.event(new_case(), 0, "accepted", device_seq=5000)])[0]["status"] == "stored"
    assert desk.get("/devices/me").json()["max_device_seq"] == 5000


def test_an_oversized_event_is_rejected_alone_and_pulls_stay_small(hub: Hub) -> None:
    """One token could store an event of nearly the whole 8 MiB body: 1,000 of them and every pull page of
    that scope is built as gigabytes at the hub and at each desk, for good. An event whose fields and payload
    exceed the hub's bound is rejected with a reason; the batch's other events are stored."""
    desk, reader = hub.device(), hub.device()
    big = desk.event(new_case(), 0, "accepted", payload={"note": "很" * 200_000})  # ~1.2 MB as the hash sees it
    ok = desk.event(new_case(), 0, "accepted", payload={"note": "申请人补充说明" * 100})
    answers = desk.push_ok([big, ok])
    assert [(a["status"], a.get("code")) for a in answers] == [("rejected", "event_too_large"), ("stored", None)]
    assert "KB" in answers[0]["reason"] and "不予接收" in answers[0]["reason"]
    page = reader.pull()
    assert [e["uuid"] for e in page["events"]] == [ok["uuid"]]
    assert hub.counts()["events"] == 1


def _enrol_attempt(http: httpx.Client, account: str = "guess") -> httpx.Response:
    return http.post(
        f"{API}/enrol", json={"code": "AAAA-BBBB-CCCC-DDDD", "os_account": account, "device_info": {}}
    )


def test_enrol_is_rate_limited_per_client_with_retry_after(hub: Hub) -> None:
    answers = [_enrol_attempt(hub.http) for _ in range(30)]
    codes = [r.status_code for r in answers]
    assert codes[:10] == [403] * 10  # the burst: wrong codes, each refused
    assert set(codes[10:]) == {429}
    limited = answers[-1]
    assert int(limited.headers["retry-after"]) >= 1
    assert (
        limited.json()["detail"]["code"] == "too_many_requests"
        and "秒后再试" in limited.json()["detail"]["message"]
    )
    assert hub.audit_actions().count("enrolment_refused") == 10  # a 429 writes nothing


def test_what_a_caller_without_a_code_makes_the_hub_write_is_bounded(tmp_path: Path) -> None:
    limits = {"enrol_per_client_burst": 1000, "enrol_overall_burst": 1000, "refusal_audits_per_minute": 5}
    with running_hub(tmp_path, **limits) as base_url, httpx.Client(base_url=base_url) as http:
        answers = [_enrol_attempt(http, "x" * 200) for _ in range(20)]
        assert {r.status_code for r in answers} == {403}
        with HubAdmin(tmp_path) as admin, admin.engine.connect() as conn:
            rows = conn.execute(
                select(AuditEntry.actor, AuditEntry.detail).where(AuditEntry.action == "enrolment_refused")
            ).all()
    assert len(rows) == 5  # the rest are counted by the next row written
    assert {len(actor) for actor, _ in rows} == {64}
    assert {detail["account_truncated_from"] for _, detail in rows} == {200}


def test_the_limiters_refill_and_the_overall_bucket_holds_for_everyone() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60, 3, 60, clock=lambda: now[0])
    assert [limiter.check("a"), limiter.check("a")] == [0.0, 0.0]
    assert limiter.check("a") == pytest.approx(1.0)  # one a second: next in 1 s
    assert limiter.check("b") == 0.0
    assert limiter.check("c") > 0  # three in all: the fourth waits, whoever asks
    now[0] += 1.0
    assert limiter.check("c") == 0.0
    throttle = AuditThrottle(2, clock=lambda: now[0])
    assert [throttle.admit(), throttle.admit(), throttle.admit(), throttle.admit()] == [0, 0, None, None]
    now[0] += 30.0
    assert throttle.admit() == 2  # written, saying two were left out before it


class QuickHeads(HeadDeadlineProtocol):
    head_timeout = 1.5


@pytest.fixture
def slow_hub(tmp_path: Path) -> Iterator[str]:
    with running_hub(tmp_path, QuickHeads, body_idle_timeout_s=1.0, body_total_timeout_s=3.0) as base_url:
        yield base_url


def _stalled(base_url: str, body_part: bytes, declared: int, path: str = "/events") -> socket.socket:
    host, port = base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    head = (
        f"POST {API}{path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    )
    sock.sendall(head.encode() + body_part)
    return sock


def _answer(sock: socket.socket, limit: float) -> tuple[bytes, bool]:
    """What the hub sends on this connection until it closes it (or ``limit`` seconds pass)."""
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        return data, False
    return data, True


def test_a_stalled_body_is_dropped_after_the_idle_timeout(slow_hub: str) -> None:
    started = time.monotonic()
    socks = [_stalled(slow_hub, b'{"code": ', 200) for _ in range(40)]
    try:
        answers = [_answer(s, 5.0) for s in socks]
    finally:
        for s in socks:
            s.close()
    took = time.monotonic() - started
    bad = [
        (i, data[:40], closed)
        for i, (data, closed) in enumerate(answers)
        if not (closed and data.startswith(b"HTTP/1.1 408"))
    ]
    assert not bad, bad
    assert took < 4.0  # 1 s idle timeout; the connections are handled at once, not one after another
    # The hub still answers afterwards.
    assert httpx.get(f"{slow_hub}{API}/health").status_code == 200
    # Over the enrolment rate limit the answer comes before the body, and the connection is closed too.
    socks = [_stalled(slow_hub, b"{", 200, "/enrol") for _ in range(12)]
    try:
        answers = [_answer(s, 5.0) for s in socks]
    finally:
        for s in socks:
            s.close()
    assert [data[:12] for data, _closed in answers] == [b"HTTP/1.1 408"] * 10 + [b"HTTP/1.1 429"] * 2
    assert all(closed for _data, closed in answers)


def test_a_trickled_body_is_dropped_at_the_total_deadline(slow_hub: str) -> None:
    sock = _stalled(slow_hub, b"{", 10_000)
    started = time.monotonic()
    try:
        sock.settimeout(0.5)
        for _ in range(20):  # a byte every half second: never idle for 1 s
            try:
                sock.sendall(b" ")
                if sock.recv(4096):
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        took = time.monotonic() - started
    finally:
        sock.close()
    assert 2.5 <= took < 5.0  # the 3 s deadline, not the 10 s the trickle would have taken


def test_a_stalled_request_head_or_a_silent_connection_is_dropped(slow_hub: str) -> None:
    host, port = slow_hub.removeprefix("http://").split(":")
    started = time.monotonic()
    socks = [socket.create_connection((host, int(port))) for _ in range(40)]
    for s in socks[:20]:
        s.sendall(
            f"POST {API}/events HTTP/1.1\r\nHost: x\r\nContent-Le".encode()
        )  # half a head, then nothing
    try:
        answers = [_answer(s, 5.0) for s in socks]  # the other 20 never send a byte
    finally:
        for s in socks:
            s.close()
    assert all(closed for _data, closed in answers)
    assert time.monotonic() - started < 4.0  # the 1.5 s head deadline
    # A kept-alive connection gets the deadline again for its next request's head.
    sock = socket.create_connection((host, int(port)))
    try:
        sock.sendall(f"GET {API}/health HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        sock.settimeout(5.0)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        sock.sendall(f"GET {API}/health HTTP/1.1\r\nHo".encode())
        started = time.monotonic()
        data, closed = _answer(sock, 5.0)
        assert closed and data == b"" and time.monotonic() - started < 3.0
    finally:
        sock.close()


def test_one_address_cannot_take_every_connection_of_a_worker(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn serves so many connections per worker and answers 503 past them (1,000 in `county-hub serve`):
    one machine that opened them all with one GET /health each, no token, and kept them idle had every desk
    of the worker refused. Here the worker serves 40, one address may keep 10; the attacker is 127.0.0.2."""
    monkeypatch.setattr(HeadDeadlineProtocol, "per_address", 10)
    with running_hub(tmp_path, server_options={"limit_concurrency": 40}) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        held = []
        try:
            for _ in range(40):
                c = socket.socket()
                c.bind(("127.0.0.2", 0))
                c.settimeout(5)
                try:
                    c.connect(("127.0.0.1", port))
                    c.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n")
                except OSError:
                    c.close()
                    continue
                held.append(c)
            answered = 0
            for c in held:
                with contextlib.suppress(OSError):
                    answered += c.recv(64).startswith(b"HTTP/1.1 200")
            assert answered == 10  # the rest were closed as they opened
            with httpx.Client(base_url=base_url, timeout=10) as http:  # a desk, from another address
                r = http.get(f"{API}/health")
            assert r.status_code == 200, r.text  # before: 503, all 40 places held
        finally:
            for c in held:
                c.close()
