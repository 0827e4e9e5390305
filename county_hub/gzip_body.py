"""Request bodies: a cap on what is sent, gzip decoding with a cap on what it expands to.

A pure ASGI middleware, so the cap holds before FastAPI reads anything. Decompression is streamed with
``zlib.decompressobj(...).decompress(data, max_length)``: a gzip bomb is stopped after at most
``max_body + 1`` bytes of output, never inflated whole.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

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
    def __init__(self, app: ASGIApp, max_body: int, max_compressed: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_compressed = max_compressed

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
                if declared > self.max_compressed:
                    raise BodyRejected(
                        413, "body_too_large", f"the request body is over {self.max_compressed} bytes"
                    )
        if encoding not in (b"", b"identity", b"gzip"):
            raise BodyRejected(415, "unsupported_encoding", "only gzip (or no) Content-Encoding is accepted")
        inflater = _Inflater(self.max_body) if encoding == b"gzip" else None
        parts: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BodyRejected(400, "bad_request", "the client went away")
            chunk = message.get("body", b"")
            more = message.get("more_body", False)
            received += len(chunk)
            if received > self.max_compressed:
                raise BodyRejected(
                    413, "body_too_large", f"the request body is over {self.max_compressed} bytes"
                )
            if inflater is not None:
                inflater.feed(chunk)
            else:
                parts.append(chunk)
        body = inflater.result() if inflater is not None else b"".join(parts)
        if inflater is None and len(body) > self.max_body:
            raise BodyRejected(413, "body_too_large", f"the request body is over {self.max_body} bytes")
        kept = [(n, v) for n, v in headers if n not in (b"content-encoding", b"content-length")]
        kept.append((b"content-length", str(len(body)).encode()))
        return body, {**scope, "headers": kept}


async def _send_error(send: Send, exc: BodyRejected) -> None:
    payload = json.dumps({"detail": {"code": exc.code, "message": exc.message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": exc.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
