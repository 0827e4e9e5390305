"""Rate limits for what an unauthenticated caller may do: ``POST /enrol`` per client address and overall,
and the audit rows its refusals write.

Token buckets, in the memory of each worker process: a hub with ``--workers N`` allows up to N times
these rates (the kernel spreads connections over the workers). The per-address limit is what stops one
machine guessing codes; a code has 32^16 values and is single-use, so even N times the rate is harmless. Behind a reverse proxy every
request comes from the proxy's address: the per-address limit then acts as a second overall one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from county_hub.errors import HubError, send_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Clock = Callable[[], float]

MAX_TRACKED_CLIENTS = 10_000


@dataclass
class TokenBucket:
    """``capacity`` requests at once, refilled at ``per_minute``; :meth:`take` says how long to wait."""

    capacity: float
    per_minute: float
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self, now: float) -> float:
        """Take one token: 0.0 when allowed, else the seconds until one is free (nothing taken)."""
        if self.tokens < 0:
            self.tokens, self.stamp = self.capacity, now
        rate = self.per_minute / 60.0
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate

    def full(self, now: float) -> bool:
        return self.tokens < 0 or self.tokens + (now - self.stamp) * self.per_minute / 60.0 >= self.capacity


@dataclass
class RateLimiter:
    """One bucket per client address plus one for everyone."""

    per_client_burst: int
    per_client_per_minute: float
    overall_burst: int
    overall_per_minute: float
    clock: Clock = time.monotonic
    clients: dict[str, TokenBucket] = field(default_factory=dict)
    overall: TokenBucket | None = None

    def check(self, client: str) -> float:
        """0.0: go ahead; otherwise the seconds to wait (for Retry-After)."""
        now = self.clock()
        if len(self.clients) >= MAX_TRACKED_CLIENTS:
            self.clients = {k: b for k, b in self.clients.items() if not b.full(now)}
        bucket = self.clients.get(client)
        if bucket is None:
            bucket = self.clients[client] = TokenBucket(self.per_client_burst, self.per_client_per_minute)
        wait = bucket.take(now)
        if wait:
            return wait
        if self.overall is None:
            self.overall = TokenBucket(self.overall_burst, self.overall_per_minute)
        wait = self.overall.take(now)
        if wait:  # the client's token is given back: the refusal was not its doing
            bucket.tokens += 1.0
        return wait


class RateLimited:
    """ASGI middleware: requests to ``paths`` (any method but GET) go through the limiter before their
    body is read; over the limit they get 429 with ``Retry-After`` (whole seconds)."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, paths: frozenset[str]) -> None:
        self.app = app
        self.limiter = limiter
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.paths and scope["method"] != "GET":
            client = scope.get("client")
            wait = self.limiter.check(str(client[0]) if client else "?")
            if wait:
                await _too_many(send, math.ceil(wait))
                return
        await self.app(scope, receive, send)


async def _too_many(send: Send, retry_after: int) -> None:
    refusal = HubError(429, "too_many_requests", f"请求过于频繁，请 {retry_after} 秒后再试", retry_after=retry_after)
    # its body is never read: the connection cannot go on
    await send_error(send, refusal, headers=[(b"retry-after", str(retry_after).encode())], close=True)


@dataclass
class AuditThrottle:
    """At most ``per_minute`` audit rows of one kind a minute (a burst of as many); the rows left out are
    counted and the next row written says how many (``suppressed``), so the trail still shows the volume."""

    per_minute: int
    clock: Clock = time.monotonic
    bucket: TokenBucket | None = None
    suppressed: int = 0

    def admit(self) -> int | None:
        """None: leave this row out; otherwise write it, noting this many rows left out before it."""
        if self.bucket is None:
            self.bucket = TokenBucket(self.per_minute, self.per_minute)
        if self.bucket.take(self.clock()):
            self.suppressed += 1
            return None
        left_out, self.suppressed = self.suppressed, 0
        return left_out
