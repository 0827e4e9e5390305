"""Telling desks at once when the log grows in their scope (docs/sync-protocol.md, "Waiting for changes").

A desk keeps one ``GET /changes`` open. The request is answered as soon as an event of another device
lands in the desk's scope after its cursor, or empty when its time is up; the desk then pulls (or asks
again). Waiting costs no thread: each waiter is an asyncio future on the worker's event loop.

One :class:`LiveLog` per worker process watches the log's head for all of its waiters:

* a push stored by this worker wakes it at once (:meth:`LiveLog.kick`, from the push's thread);
* pushes stored by other workers (several ``county-hub serve`` workers on PostgreSQL, or an admin
  command) are seen by reading the counter row every ``poll_s`` while anyone waits: one primary-key read
  per worker, however many desks wait. The same code serves SQLite and PostgreSQL (plain SQLAlchemy on
  the storage's engine, the same statements on either database).

When the head has moved, one query lists the (site, department, device) of the new events, and only the
waiters whose scope covers one of them, from another device, are answered. At most ``max_waiters`` wait
per worker; the next one is refused at once (503 ``too_many_waiters``) and the desk polls instead. One
token holds at most ``max_per_token`` of them (a desk holds one; a second while the hub has not yet seen the
first one's connection drop): a newer wait lets the token's oldest go with "nothing yet", so a stolen or
runaway token cannot take every place of a worker and push the other desks to polling.

A desk that asks for it gets the new events with the answer (:meth:`LiveLog.page`: the pull page it would
fetch next), so it does not come back for them. Desks woken by the same push mostly share a scope and a
cursor (the windows of a site): their page is read once and shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from starlette.concurrency import run_in_threadpool

from county_hub import ordering
from county_hub.models import Event
from county_hub.scope import Scope

log = logging.getLogger(__name__)

# (site, department, device, highest seq) of the events that arrived since the last look.
Arrival = tuple[str, str, str, int]


MAX_PAGES = 64  # pages kept for sharing (desks woken by one push ask within moments of each other)


class TooManyWaiters(Exception):
    pass


class WaitSuperseded(Exception):
    """A newer wait of the same token took this one's place (at most ``max_per_token``)."""


_SUPERSEDED = -2  # a waiter's result: let go for a newer wait of its token
WARN_EVERY_S = 60.0


_LOGS: weakref.WeakSet[LiveLog] = weakref.WeakSet()


def release_all() -> None:
    """The server is stopping: answer every desk held by this event loop's workers now (called by the
    connection protocol's shutdown, county_hub.slow_clients), so it does not wait out their holds."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for live in list(_LOGS):
        if live._loop is loop:
            live.release()


@dataclass(eq=False)
class _Waiter:
    scope: Scope
    device_code: str
    holder: str  # the token's id
    seen: int  # the head this waiter has been checked up to
    future: asyncio.Future[int] = field(repr=False)


def first_change(engine: Engine, scope: Scope, device_code: str, after: int) -> tuple[int, bool]:
    """(the log's head, whether an event of another device lies in the scope in (after, head])."""
    with engine.connect() as conn:
        head = ordering.high_water(conn)
        if head <= after:
            return head, False
        found = conn.execute(
            select(Event.seq)
            .where(Event.seq > after, Event.seq <= head, Event.device_code != device_code)
            .where(scope.sql(Event.site_code, Event.department_code))
            .limit(1)
        ).first()
        return head, found is not None


def read_head(engine: Engine) -> int:
    with engine.connect() as conn:
        return ordering.high_water(conn)


def arrivals(engine: Engine, after: int, head: int) -> list[Arrival]:
    """Who wrote where in (after, head]: a few rows per push, grouped."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Event.site_code, Event.department_code, Event.device_code, func.max(Event.seq))
            .where(Event.seq > after, Event.seq <= head)
            .group_by(Event.site_code, Event.department_code, Event.device_code)
        ).all()
    return [(r[0], r[1], r[2], int(r[3])) for r in rows]


class LiveLog:
    def __init__(
        self, engine: Engine, *, max_waiters: int = 800, poll_s: float = 0.2, max_per_token: int = 2
    ) -> None:
        self.engine = engine
        self.max_waiters = max_waiters
        self.max_per_token = max_per_token
        self.poll_s = poll_s
        self._waiters: dict[int, _Waiter] = {}
        self._warned: dict[str, float] = {}  # device code: when a superseded wait of it was last logged
        self._ids = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kick: asyncio.Event | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.head_reads = 0  # counter reads so far (the benchmark reports them)
        self.page_reads = 0  # pages read for answers (desks woken together share one)
        self._looking = False  # the watcher is reading the head (a waiter registered now is not in it)
        self._looked_head = 0  # the highest head the watcher has looked at
        # The latest pages read (or being read) for answers, by (scope, cursor, limit, head answered).
        self._pages: dict[tuple[Scope, int, int, int], asyncio.Future[str]] = {}
        _LOGS.add(self)

    def release(self) -> None:
        """Answer every waiter "nothing yet" (on the event loop's thread)."""
        for w in list(self._waiters.values()):
            if not w.future.done():
                w.future.set_result(-1)

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def kick(self) -> None:
        """A push of this worker stored events: look at the head now (callable from any thread)."""
        loop, kick = self._loop, self._kick
        if loop is None or kick is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(kick.set)

    async def wait(
        self,
        scope: Scope,
        device_code: str,
        after: int,
        timeout_s: float,
        first: tuple[int, bool] | None = None,
        holder: str = "",
    ) -> tuple[bool, int]:
        """(changed, head): True as soon as the scope has another device's event after ``after``.
        ``first``: :func:`first_change`'s answer, when the caller has looked already (the API looks in
        the same thread hand-off as the token check). ``holder``: the token's id (at most
        ``max_per_token`` wait per token: the oldest is answered "nothing yet" when one more comes)."""
        if first is None:
            first = await run_in_threadpool(first_change, self.engine, scope, device_code, after)
        head, changed = first
        if changed or timeout_s <= 0:  # a poll: one look, no place taken
            return changed, head
        held = [k for k, w in self._waiters.items() if w.holder == holder and not w.future.done()]
        for k in held[: max(0, len(held) - self.max_per_token + 1)]:  # oldest first (insertion order)
            # told so, not "nothing yet": a desk answered "nothing yet" asks again at once, and PCs cloned
            # with one token let each other go as fast as the link allowed (800 requests in 3 s for three)
            self._waiters.pop(k).future.set_result(_SUPERSEDED)
            self._superseded(device_code)
        if len(self._waiters) >= self.max_waiters:
            raise TooManyWaiters
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._kick, self._watcher = loop, asyncio.Event(), None
        key = next(self._ids)
        # Checked up to ``head`` by the first look; registered now. A look of the watcher's that ran (or is
        # running) since then did not see this waiter: it looks again, so what landed in between is never
        # missed (all of this runs on the event loop's thread: no look can slip between the two lines).
        waiter = _Waiter(scope, device_code, holder, max(after, head), loop.create_future())
        self._waiters[key] = waiter
        assert self._kick is not None
        if self._looking or self._looked_head > waiter.seen:
            self._kick.set()
        try:
            self._ensure_watcher()
            try:
                seq = await asyncio.wait_for(asyncio.shield(waiter.future), timeout_s)
            except TimeoutError:
                return False, waiter.seen
            if seq == _SUPERSEDED:
                raise WaitSuperseded
            return (True, seq) if seq >= 0 else (False, waiter.seen)
        finally:
            self._waiters.pop(key, None)

    def _superseded(self, device_code: str) -> None:
        now = time.monotonic()
        if now - self._warned.get(device_code, -WARN_EVERY_S) < WARN_EVERY_S:
            return
        if len(self._warned) > 10_000:
            self._warned.clear()
        self._warned[device_code] = now
        log.warning(
            "device %s: a wait for changes was let go for a newer one with the same token (%d at most). Once, a "
            "desk restarted; again and again, the token is on more than one PC (an image copied after "
            "enrolment): enrol each PC on its own (docs/hub.md)",
            device_code, self.max_per_token,
        )

    async def page(self, scope: Scope, after: int, limit: int, head: int, read: Callable[[], str]) -> str:
        """The pull page of ``scope`` after ``after`` for a desk answered "changed" up to ``head``: ``read``
        (in the thread pool) once for all desks asking the same. Read at ``head`` or later, it holds every
        event of the scope up to ``head``."""
        key = (scope, after, limit, head)
        shared = self._pages.get(key)
        if shared is None:
            while len(self._pages) >= MAX_PAGES:
                self._pages.pop(next(iter(self._pages)))  # the oldest first
            shared = asyncio.get_running_loop().create_future()
            self._pages[key] = shared
            self.page_reads += 1
            try:
                shared.set_result(await run_in_threadpool(read))
            except Exception as exc:
                self._pages.pop(key, None)
                shared.set_exception(exc)
                shared.exception()  # retrieved: the callers that share it raise it themselves
                raise
        return await asyncio.shield(shared)

    def _ensure_watcher(self) -> None:
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.get_running_loop().create_task(self._watch(), name="county-hub-live")

    async def _watch(self) -> None:
        assert self._kick is not None
        while self._waiters:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), self.poll_s)
            self._kick.clear()
            try:
                await self._look()
            except Exception:  # the database may be away for a moment: waiters time out and ask again
                log.exception("reading the log's head for waiting desks failed")
                await asyncio.sleep(self.poll_s)

    async def _look(self) -> None:
        waiters = list(self._waiters.values())
        if not waiters:
            return
        self._looking = True
        try:
            head = await run_in_threadpool(read_head, self.engine)
        finally:
            self._looking = False
        self._looked_head = max(self._looked_head, head)
        self.head_reads += 1
        low = min(w.seen for w in waiters)
        if head <= low:
            return
        rows = await run_in_threadpool(arrivals, self.engine, low, head)
        for w in waiters:
            if w.future.done():
                continue
            hit = max(
                (seq for site, dept, device, seq in rows
                 if seq > w.seen and device != w.device_code and w.scope.covers(site, dept)),
                default=None,
            )  # fmt: skip
            if hit is not None:
                w.future.set_result(hit)
            else:
                w.seen = max(w.seen, head)
