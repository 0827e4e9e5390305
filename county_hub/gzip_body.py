"""Request bodies: a cap on what is sent, gzip decoding with a cap on what it expands to, and a deadline.

A pure ASGI middleware, so the cap holds before FastAPI reads anything. Decompression is streamed with
``zlib.decompressobj(...).decompress(data, max_length)``: a gzip bomb is stopped after at most
``max_body + 1`` bytes of output, never inflated whole. Some paths have a smaller cap (``POST /enrol``,
which anyone may call, carries a few hundred bytes).

uvicorn has no deadline for a request body: a client that sends headers and then nothing (or a byte now
and then) held a connection and a task for as long as it liked. Here the body must keep coming: no data
for ``idle_timeout`` seconds, or not all of it within ``total_timeout``, and the request gets 408 with
``Connection: close`` (uvicorn then drops the connection).
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from county_hub.errors import HubError, send_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyRejected(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class _Inflater:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.obj = zlib.decompressobj(16 + zlib.MAX_WBITS)  # gzip wrapper only
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> None:
        try:
            while data:
                if self.obj.eof:
                    raise BodyRejected(400, "bad_gzip", "the gzip body has data after its end")
                out = self.obj.decompress(data, self.cap + 1 - self.size)
                self.size += len(out)
                self.parts.append(out)
                if self.size > self.cap:
                    raise BodyRejected(
                        413,
                        "body_too_large",
                        f"the request body expands beyond {self.cap} bytes; send smaller batches",
                    )
                data = self.obj.unconsumed_tail
        except zlib.error as exc:
            raise BodyRejected(400, "bad_gzip", f"the body is not valid gzip ({exc})") from None

    def result(self) -> bytes:
        if not self.obj.eof:
            raise BodyRejected(400, "bad_gzip", "the gzip body is truncated")
        if self.obj.unused_data:
            raise BodyRejected(400, "bad_gzip", "the gzip body has data after its end")
        return b"".join(self.parts)


class RequestBodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        max_body: int,
        max_compressed: int,
        small: dict[str, int] | None = None,
        idle_timeout: float = 5.0,
        total_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_compressed = max_compressed
        self.small = small or {}  # path -> its own cap (as sent and decompressed)
        self.idle_timeout = idle_timeout
        self.total_timeout = total_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        try:
            body, scope = await self._read(scope, receive)
        except BodyRejected as exc:
            await _send_error(send, exc)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> tuple[bytes, Scope]:
        cap = self.small.get(scope["path"])
        max_body = min(cap, self.max_body) if cap else self.max_body
        max_compressed = min(cap, self.max_compressed) if cap else self.max_compressed
        deadline = time.monotonic() + self.total_timeout

        async def next_message() -> Message:
            wait = min(self.idle_timeout, deadline - time.monotonic())
            try:
                return await asyncio.wait_for(receive(), timeout=max(wait, 0.0))
            except TimeoutError:
                raise BodyRejected(
                    408, "request_timeout", "请求体发送过慢或中断，连接已关闭；请重试"
                ) from None

        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        encoding = b""
        for name, value in headers:
            if name == b"content-encoding":
                encoding = value.strip().lower()
            elif name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    raise BodyRejected(400, "bad_request", "Content-Length is not a number") from None
                if declared > max_compressed:
                    raise BodyRejected(
                        413, "body_too_large", f"the request body is over {max_compressed} bytes"
                    )
        if encoding not in (b"", b"identity", b"gzip"):
            raise BodyRejected(415, "unsupported_encoding", "only gzip (or no) Content-Encoding is accepted")
        inflater = _Inflater(max_body) if encoding == b"gzip" else None
        parts: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await next_message()
            if message["type"] == "http.disconnect":
                raise BodyRejected(400, "bad_request", "the client went away")
            chunk = message.get("body", b"")
            more = message.get("more_body", False)
            received += len(chunk)
            if received > max_compressed:
                raise BodyRejected(413, "body_too_large", f"the request body is over {max_compressed} bytes")
            if inflater is not None:
                inflater.feed(chunk)
            else:
                parts.append(chunk)
        body = inflater.result() if inflater is not None else b"".join(parts)
        if inflater is None and len(body) > max_body:
            raise BodyRejected(413, "body_too_large", f"the request body is over {max_body} bytes")
        kept = [(n, v) for n, v in headers if n not in (b"content-encoding", b"content-length")]
        kept.append((b"content-length", str(len(body)).encode()))
        return body, {**scope, "headers": kept}


async def _send_error(send: Send, exc: BodyRejected) -> None:
    # The body was not read to its end: the connection cannot carry another request.
    await send_error(send, HubError(exc.status, exc.code, exc.message), close=True)
