"""A county hub behind a reverse proxy or a NAT address, over HTTP on 127.0.0.1: the per-address connection cap
(county_hub.slow_clients) and X-Forwarded-For (county_hub.serve_cmd.server_limits)."""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from county_hub import slow_clients
from county_hub.serve_cmd import server_limits
from county_hub.slow_clients import HeadDeadlineProtocol
from tests.support.hub_server import API, running_hub


def _open(port: int, source: str, n: int) -> tuple[int, list[socket.socket]]:
    """``n`` kept-alive connections from ``source``, one GET /health each: (answered 200, the sockets)."""
    held, answered = [], 0
    for _ in range(n):
        c = socket.socket()
        c.bind((source, 0))
        c.settimeout(5)
        held.append(c)
        with contextlib.suppress(OSError):
            c.connect(("127.0.0.1", port))
            c.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n")
            answered += c.recv(64).startswith(b"HTTP/1.1 200")
    return answered, held


@contextlib.contextmanager
def _hub_log() -> Iterator[list[str]]:
    lines: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = _Keep(logging.WARNING)
    logging.getLogger("uvicorn.error").addHandler(handler)
    try:
        yield lines
    finally:
        logging.getLogger("uvicorn.error").removeHandler(handler)


def test_a_proxy_it_names_is_not_capped_and_a_capped_address_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reverse proxy on another machine (or a county-wide NAT) brings every desk from one address: 500 desks
    with two connections each on two workers were 1,000 connections, of which the cap kept 400 and closed 600,
    and the hub wrote nothing (measured against `county-hub serve --workers 2`). The proxy IT names
    (`--trusted-proxy`) is not capped; an address that meets the cap is named in the hub's log, once a minute,
    with what to change."""
    monkeypatch.setattr(HeadDeadlineProtocol, "per_address", 10)
    monkeypatch.setattr(HeadDeadlineProtocol, "trusted", frozenset({"127.0.0.2"}))
    monkeypatch.setattr(slow_clients, "_warned", {})
    held: list[socket.socket] = []
    with running_hub(tmp_path, server_options={"limit_concurrency": 100}) as base_url, _hub_log() as log:
        port = int(base_url.rsplit(":", 1)[1])
        try:
            through_proxy, sockets = _open(port, "127.0.0.2", 40)
            held += sockets
            assert through_proxy == 40  # before: 10, the other 30 desks closed as they connected
            assert log == []
            other, sockets = _open(port, "127.0.0.3", 25)
            held += sockets
            assert other == 10
            refusals = [line for line in log if "127.0.0.3" in line]
            assert len(refusals) == 1, log  # once, not once per closed connection
            assert (
                "10" in refusals[0]
                and "--trusted-proxy" in refusals[0]
                and "--connections-per-address" in refusals[0]
            )
        finally:
            for c in held:
                c.close()


def _enrol(http: httpx.Client, forwarded_for: str) -> int:
    r = http.post(
        f"{API}/enrol",
        json={"code": "AAAA-BBBB-CCCC-DDDD", "os_account": "guess", "device_info": {}},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return r.status_code


def _serve_options(trusted: tuple[str, ...] = ()) -> dict[str, Any]:
    """uvicorn's settings as `county-hub serve` gives them (the protocol is running_hub's own argument)."""
    return {k: v for k, v in server_limits(trusted).items() if k not in ("http", "timeout_keep_alive")}


def test_forwarded_for_is_believed_only_from_a_proxy_it_names(tmp_path: Path) -> None:
    """The per-client enrolment limit goes by the client's address. uvicorn believed X-Forwarded-For from
    127.0.0.1 unless told otherwise: behind a local proxy that passes the header on as sent, every attempt
    named a new client and the limit of 10 a minute per client was never met. Unnamed, the header is
    ignored; named with `--trusted-proxy`, the proxy's header gives each desk its own limit."""
    with (
        running_hub(tmp_path / "plain", server_options=_serve_options()) as base_url,
        httpx.Client(base_url=base_url, timeout=10) as http,
    ):
        codes = [_enrol(http, f"10.20.0.{i}") for i in range(12)]
    assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]  # before: 12 × 403
    with (
        running_hub(tmp_path / "proxied", server_options=_serve_options(("127.0.0.1",))) as base_url,
        httpx.Client(base_url=base_url, timeout=10) as http,
    ):
        codes = [_enrol(http, f"10.20.0.{i}") for i in range(12)]
    assert codes == [403] * 12  # each desk behind the named proxy is its own client
