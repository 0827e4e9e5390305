"""A deadline for the head of each request: uvicorn waits for a request line and headers as long as a client
likes (a connection that sends half a head, or nothing, was held for good).

:class:`HeadDeadlineProtocol` is uvicorn's own HTTP protocol (httptools when installed, else h11) with one
timer: armed when a connection opens, and when the first bytes of a further request arrive on a kept-alive
connection; disarmed once the head's end (a blank line) has arrived. If it fires first, the connection is
closed. (An idle kept-alive connection is left to uvicorn's own ``timeout_keep_alive``.) The body then has its own
deadline in the app (county_hub.gzip_body); an idle kept-alive connection is closed by uvicorn's
``timeout_keep_alive``.
"""

from __future__ import annotations

import asyncio
from typing import Any

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - h11 only (no httptools wheel)
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]

HEAD_TIMEOUT_S = 10.0
_HEAD_END = b"\r\n\r\n"


class HeadDeadlineProtocol(_Base):
    head_timeout = HEAD_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_tail = b""
        self._awaiting_head = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
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
