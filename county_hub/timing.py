"""Server-side timing, for profiling only: off unless ``COUNTY_HUB_TIMING_LOG`` names a file.

Each worker process appends to ``<file>.<pid>`` one line per request (start as Unix time, method, path,
status, milliseconds from the request's arrival to its last body byte) and one per garbage collection
(``gc``, generation, milliseconds paused): enough to tell the hub's own time from the client's queueing
and to see whether collector pauses line up with slow requests.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TextIO

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ENV = "COUNTY_HUB_TIMING_LOG"


class RequestTiming:
    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path
        self._out: TextIO | None = None
        self._gc_started = 0.0

    def _file(self) -> TextIO:
        if self._out is None:  # opened in the worker process, after any fork
            self._out = open(f"{self.path}.{os.getpid()}", "a", buffering=1)  # noqa: SIM115  (line-buffered: workers are killed)
            gc.callbacks.append(self._on_gc)
        return self._out

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif self._out is not None:
            ms = (time.perf_counter() - self._gc_started) * 1000
            self._out.write(f"{time.time():.4f}\tgc\t{info['generation']}\t{info['collected']}\t{ms:.2f}\n")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        out = self._file()
        wall, started = time.time(), time.perf_counter()
        status = 0

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                ms = (time.perf_counter() - started) * 1000
                out.write(f"{wall:.4f}\t{scope['method']}\t{scope['path']}\t{status}\t{ms:.2f}\n")

        await self.app(scope, receive, timed_send)
