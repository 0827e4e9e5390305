"""A deadline for the head of each request: uvicorn waits for a request line and headers as long as a client
likes (a connection that sends half a head, or nothing, was held for good).

:class:`HeadDeadlineProtocol` is uvicorn's own HTTP protocol (httptools when installed, else h11) with one
timer: armed when a connection opens, and when the first bytes of a further request arrive on a kept-alive
connection; disarmed once the head's end (a blank line) has arrived. If it fires first, the connection is
closed. (An idle kept-alive connection is left to uvicorn's own ``timeout_keep_alive``.) The body then has its own
deadline in the app (county_hub.gzip_body); an idle kept-alive connection is closed by uvicorn's
``timeout_keep_alive``.

One client address keeps at most ``per_address`` connections per worker (200 by default, environment
``COUNTY_HUB_CONNECTIONS_PER_ADDRESS``; 0: no cap); a further one is closed as it opens. uvicorn serves at
most 1,000 connections per worker and answers 503 past them, so one machine on the extranet holding 1,000
idle kept-alive connections (one ``GET /health`` each, no token) had every desk of that worker refused for
as long as it kept them. A township hall behind one NAT address holds two per desk. 127.0.0.1 and ::1 are
not capped: a reverse proxy on the hub's machine (docs/hub.md, "TLS") brings every desk from there. Nor is a
proxy IT names (``serve --trusted-proxy``, environment ``COUNTY_HUB_TRUSTED_PROXIES``): one on another machine
brings every desk from its one address, and 500 desks on two workers were 1,000 connections of which the cap
kept 400. An address that meets the cap is named in the hub's log, once a minute per worker, with what to change.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import time
from collections import Counter
from typing import Any

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - h11 only (no httptools wheel)
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]

HEAD_TIMEOUT_S = 10.0
_HEAD_END = b"\r\n\r\n"
PER_ADDRESS_ENV = "COUNTY_HUB_CONNECTIONS_PER_ADDRESS"
PER_ADDRESS = 200
TRUSTED_ENV = "COUNTY_HUB_TRUSTED_PROXIES"
WARN_EVERY_S = 60.0
_open_by_address: Counter[str] = Counter()  # this worker's open connections per capped client address
_warned: dict[str, float] = {}  # when each capped address was last named in the log
log = logging.getLogger("uvicorn.error")  # beside the server's own lines


def _per_address() -> int:
    try:
        return max(0, int(os.environ.get(PER_ADDRESS_ENV, PER_ADDRESS)))
    except ValueError:
        return PER_ADDRESS


def address_of(text: str) -> str:
    """An IP address as the cap compares it (``ValueError`` if it is none)."""
    address = ipaddress.ip_address(text.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def _trusted() -> frozenset[str]:
    out = set()
    for part in os.environ.get(TRUSTED_ENV, "").split(","):
        try:
            out.add(address_of(part))
        except ValueError:
            continue
    return frozenset(out)


def _refused(address: str, cap: int) -> None:
    now = time.monotonic()
    if now - _warned.get(address, -WARN_EVERY_S) < WARN_EVERY_S:
        return
    if len(_warned) > 10_000:
        _warned.clear()
    _warned[address] = now
    log.warning(
        "%s already holds %d connections to this worker: new ones from it are closed as they open "
        "(desks there cannot sync). If it is a reverse proxy or a township's NAT address, start the hub with "
        "--trusted-proxy %s (a proxy) or a larger --connections-per-address (a NAT address); docs/hub.md, "
        '"Limits"',
        address,
        cap,
        address,
    )


UNCAPPED = frozenset({"127.0.0.1", "::1"})


def _capped(peer: Any) -> str | None:
    """The client's address when its connections are counted (not this machine's own, not a Unix socket)."""
    if not isinstance(peer, tuple) or not peer:
        return None
    try:
        address = address_of(str(peer[0]))
    except ValueError:
        return None
    return None if address in UNCAPPED else address


class HeadDeadlineProtocol(_Base):
    head_timeout = HEAD_TIMEOUT_S
    per_address = _per_address()
    trusted: frozenset[str] = _trusted()  # addresses of reverse proxies IT named: never capped

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_tail = b""
        self._awaiting_head = False
        self._counted: str | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        address = _capped(transport.get_extra_info("peername"))
        if address is not None and self.per_address and address not in self.trusted:
            if _open_by_address[address] >= self.per_address:
                self._refused = True
                _refused(address, self.per_address)
                transport.close()  # before uvicorn counts it: the other desks keep their places
                return
            _open_by_address[address] += 1
            self._counted = address
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._counted is not None:
            _open_by_address[self._counted] -= 1
            if _open_by_address[self._counted] <= 0:
                del _open_by_address[self._counted]
            self._counted = None
        elif self._refused:  # closed in connection_made: uvicorn never saw it
            return
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._awaiting_head:  # the next request on a kept-alive connection begins
            self._awaiting_head = False
            self._arm_head_timer()
        if self._head_timer is not None:
            seen = self._head_tail + data
            if _HEAD_END in seen:
                self._disarm_head_timer()
            else:
                self._head_tail = seen[-(len(_HEAD_END) - 1) :]
        super().data_received(data)

    def shutdown(self) -> None:
        # The server stops: desks held open (county_hub.live) are answered now, not after their hold.
        from county_hub import live

        live.release_all()
        super().shutdown()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._awaiting_head = True

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_tail = b""
        self._head_timer = asyncio.get_running_loop().call_later(self.head_timeout, self._head_expired)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()


PROTOCOL = "county_hub.slow_clients:HeadDeadlineProtocol"  # for uvicorn's ``http`` setting (any worker)
