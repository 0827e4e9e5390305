"""Hearing from the hub at once: a desk keeps one ``GET /changes`` open (docs/sync-protocol.md,
"Waiting for changes"), and when the hub answers that its scope changed the engine pulls.

Runs on a thread of its own with its own :class:`HubClient` (a held request occupies its connection; the
engine's pushes go on over the other). It asks for the new events with the news, so the engine applies
them without a pull of its own (one round trip less); a hub that does not know that (422) is then asked
without, and the engine pulls. It waits only while the engine knows the link is up; the engine's
own cycles find a link that is down.

Some proxies of the extranet cut a request that stays open, or refuse it. A held request that fails while
the hub still answers a short one (``GET /health``) is such a cut; after :data:`CUTS_BEFORE_POLLING` in a
row, or when the hub says it holds as many desks as it may, the desk polls instead: a pull every
``poll_s``, and a new try to be held after ``retry_hold_s``. The status says which (``SyncStatus.live``,
shown in the sync panel).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clerk_desk.sync import apply
from clerk_desk.sync.hub_client import HubClient, HubRefused, HubUnreachable

if TYPE_CHECKING:
    from clerk_desk.sync.engine import SyncEngine

log = logging.getLogger(__name__)

HELD = "held"  # a request is held open: the hub tells this desk of changes at once
POLLING = "polling"  # it could not be held: this desk asks every poll_s
CUTS_BEFORE_POLLING = 2


class LiveWatch:
    def __init__(
        self,
        engine: SyncEngine,
        client_factory: Callable[[], HubClient | None],
        *,
        hold_s: float = 25.0,
        poll_s: float = 5.0,
        retry_hold_s: float = 300.0,
        seed: int | None = None,
    ) -> None:
        self.engine = engine
        self._client_factory = client_factory
        self.hold_s, self.poll_s, self.retry_hold_s = hold_s, poll_s, retry_hold_s
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._nudge = threading.Event()  # the engine's link came up, or it finished a cycle
        self._client: HubClient | None = None
        self._client_lock = threading.Lock()  # stop() and a new client: a client made after stop is not used
        self._thread: threading.Thread | None = None
        self._cuts = 0
        self._polling_until = 0.0  # monotonic time until which this desk polls instead of being held
        self._with_events = True  # ask for the events with the news (a hub older than that refuses: 422)
        self.page_size = apply.PAGE  # events asked for with the news
        self._ahead: tuple[int, int] | None = None  # (from, to): the last page handed to the engine

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clerk-desk-sync-live", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        with self._client_lock:
            self._stop.set()
            client = self._client
        self._nudge.set()
        if client is not None:
            client.abort()  # the held request ends now, not when the hub's hold is up
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def nudge(self) -> None:
        self._nudge.set()

    # ---- the thread ---------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:  # it must go on whatever happens; the engine's cycles still run
                log.exception("waiting for the hub's changes failed")
                self._drop_client()
                self._pause(5.0)
        self._drop_client()

    def _pause(self, seconds: float) -> None:
        self._nudge.wait(seconds)
        self._nudge.clear()

    def _step(self) -> None:
        st = self.engine.status()
        if not st.enrolled or st.link_up is not True or st.fault is not None:
            self.engine.set_live(None)
            self._pause(5.0)  # the engine nudges when its link comes up
            return
        if time.monotonic() < self._polling_until:
            self.engine.set_live(POLLING)
            self._pause(self.poll_s * self._rng.uniform(0.8, 1.2))
            if not self._stop.is_set() and time.monotonic() < self._polling_until:
                self._pull_and_wait()
            return
        client = self._client or self._new_client()
        if client is None:
            self._pause(5.0)
            return
        after = self._cursor()
        if after is None:  # no snapshot yet: the engine's first cycle makes one
            self._pause(1.0)
            return
        self.engine.set_live(HELD)
        try:
            answer = client.wait(after, self.hold_s, self.page_size if self._with_events else None)
        except HubRefused as exc:
            self._drop_client()
            if exc.status == 422 and self._with_events:
                log.info("the hub does not send events with its news: this desk pulls them (%s)", exc)
                self._with_events = False
            elif exc.code == "too_many_waiters":
                log.info("the hub holds as many desks as it may: polling for a while")
                self._poll_for(self.retry_hold_s)
            elif exc.code == "wait_superseded":  # another held request with this PC's token took its place
                log.warning("the hub let this desk's held request go for a newer one with the same device token "
                            "(a restart, or this PC's enrolment copied to another PC): polling for a while")
                self._poll_for(self.retry_hold_s)
            else:
                self._pause(30.0)  # the engine's cycle meets the same refusal and shows it
            return
        except HubUnreachable as exc:
            self._drop_client()
            if self._stop.is_set():
                return
            self._cut(exc)
            return
        self._cuts = 0
        if not answer.changed or self._stop.is_set():
            return
        page = answer.page
        if page is not None and not page["has_more"] and page["next_cursor"] >= after:
            # The news brought all there is: the engine applies it while this thread asks again, from
            # where that page ends (the engine's cycle is not waited for).
            chained = self._ahead is not None and self._ahead[1] == after
            self._ahead = (self._ahead[0] if self._ahead is not None and chained else after, int(page["next_cursor"]))
            self.engine.pull_now((after, page))
        else:
            self._pull_and_wait(None if page is None else (after, page))

    def _cursor(self) -> int | None:
        """Where to wait from: the desk's cursor, or the end of the page last handed to the engine while
        the desk's cursor is still on its way there (if it went anywhere else, a restore or a failed
        apply, the desk's own cursor)."""
        at = apply.cursor(self.engine.db)
        if self._ahead is not None and at is not None and self._ahead[0] <= at <= self._ahead[1]:
            return self._ahead[1]
        self._ahead = None
        return at

    def _cut(self, exc: HubUnreachable) -> None:
        """A held request failed: a proxy that cuts long requests, or the link. A short request tells."""
        probe = self._client_factory()
        if probe is None:
            return
        try:
            probe.health()
        except (HubUnreachable, HubRefused):
            self._cuts = 0
            self.engine.link_lost()  # the engine probes with backoff; this thread waits for it
            return
        finally:
            probe.close()
        self._cuts += 1
        log.info("a held request to the hub was cut (%s): %d in a row", exc, self._cuts)
        if self._cuts >= CUTS_BEFORE_POLLING:
            self._cuts = 0
            log.warning("requests held open are cut on the way to the hub: polling every %.0f s", self.poll_s)
            self._poll_for(self.retry_hold_s)

    def _poll_for(self, seconds: float) -> None:
        self._polling_until = time.monotonic() + seconds
        self.engine.set_live(POLLING)

    def _pull_and_wait(self, given: tuple[int, dict[str, Any]] | None = None) -> None:
        """Have the engine pull now (``given``: the page the hub sent, applied instead of fetched), and wait
        for that cycle: asking again with the old cursor would be answered "changed" at once."""
        done = self.engine.status().cycles
        self.engine.pull_now(given)
        deadline = time.monotonic() + 30.0
        while not self._stop.is_set() and self.engine.status().cycles <= done and time.monotonic() < deadline:
            self._pause(0.5)

    def _new_client(self) -> HubClient | None:
        client = self._client_factory()
        with self._client_lock:
            if self._stop.is_set():
                if client is not None:
                    client.close()
                return None
            self._client = client
        return client

    def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
