"""The sync engine: a background thread that moves the outbox to the hub whenever the link is up.

Nothing here runs on the GUI thread and nothing a clerk does waits for it. It wakes after every local
commit (Database.commit_listeners), when the link comes back, and on a timer. Link detection is a
probe of the hub's own /health (OS network state lies on VPNs and extranets). While the link is down
it backs off exponentially with full jitter, so a hall full of PCs does not stampede the hub.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from clerk_desk.store.database import Database
from clerk_desk.store.models import utcnow
from clerk_desk.sync import apply, directory, outbox
from clerk_desk.sync.hub_client import HubClient, HubRefused, HubUnreachable

log = logging.getLogger(__name__)

SKEW_WARN_S = 120


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool = False
    link_up: bool | None = None  # None: not probed yet
    last_success: datetime | None = None
    skew_s: float | None = None  # local clock minus hub clock
    waiting: int = 0
    held: int = 0
    rejected: int = 0
    last_error: str | None = None
    next_attempt_in_s: float | None = None
    pushed_total: int = 0
    pulled_total: int = 0

    @property
    def skew_warning(self) -> bool:
        return self.skew_s is not None and abs(self.skew_s) > SKEW_WARN_S


@dataclass(frozen=True)
class Backoff:
    base_s: float = 1.0
    cap_s: float = 60.0

    def delay(self, failures: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^n)], at least a tenth of a second."""
        return max(0.1, rng.uniform(0, min(self.cap_s, self.base_s * 2 ** min(failures, 16))))


class SyncEngine:
    def __init__(
        self,
        db: Database,
        client_factory: Callable[[], HubClient | None],
        *,
        interval_s: float = 30.0,
        batch: int = 500,  # the hub takes at most 500 per push
        backoff: Backoff = Backoff(),
        seed: int | None = None,
    ) -> None:
        self.db = db
        self._client_factory = client_factory
        self.interval_s = interval_s
        self.batch = batch
        self.backoff = backoff
        self._rng = random.Random(seed)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = SyncStatus()
        self._failures = 0
        self._thread: threading.Thread | None = None
        self.listeners: list[Callable[[SyncStatus], None]] = []
        self.rejection_listeners: list[Callable[[list[str]], None]] = []

    # ---- control -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the background thread (a second call while it runs does nothing)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, name="clerk-desk-sync", daemon=True)
        outbox.reset_in_flight(self.db)
        self.db.commit_listeners.append(self._on_commit)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._on_commit in self.db.commit_listeners:
            self.db.commit_listeners.remove(self._on_commit)
        if self._thread is not None:
            self._thread.join(timeout)

    def trigger(self) -> None:
        """Sync as soon as possible (after a local change, or the clerk pressed 立即同步)."""
        self._failures = 0 if self._status.link_up else self._failures
        self._wake.set()

    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def _on_commit(self) -> None:
        if threading.current_thread() is not self._thread:  # our own writes must not wake us again
            self._wake.set()

    # ---- the loop ----------------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            delay = self.run_once()
            self._set(next_attempt_in_s=delay)
            self._wake.wait(delay)
            self._wake.clear()

    def run_once(self) -> float:
        """One cycle: probe, push everything waiting, pull. Returns the delay before the next cycle."""
        client = self._client_factory()
        if client is None:
            self._set(enrolled=False, link_up=None, **self._counts())
            return self.interval_s
        # Enrolled is known from the token, not from reaching the hub: a PC offline since it started is
        # "not connected", never "not enrolled".
        self._set(enrolled=True)
        try:
            health = client.health()
            self._set(link_up=True, skew_s=health.skew_seconds(utcnow()))
            pushed = self._push_all(client)
            pulled = apply.pull(self.db, client)
            directory.sync_users(self.db, client)
            self._failures = 0
            st = self.status()
            self._set(last_success=utcnow(), last_error=None, pushed_total=st.pushed_total + pushed,
                      pulled_total=st.pulled_total + pulled, **self._counts())
            return self.interval_s
        except HubUnreachable as exc:
            self._failures += 1
            self._set(link_up=False, last_error=str(exc)[:300], **self._counts())
            return self.backoff.delay(self._failures, self._rng)
        except HubRefused as exc:
            log.warning("hub refused: %s %s", exc.status, exc.code)
            if exc.code == "cursor_ahead":
                apply.reset_cursor(self.db)  # the hub was restored from an older backup: snapshot again
            self._failures += 1
            self._set(link_up=True, last_error=f"{exc.code}: {exc.message}"[:300], **self._counts())
            return self.backoff.delay(self._failures, self._rng)
        finally:
            client.close()

    def _push_all(self, client: HubClient) -> int:
        pushed = 0
        while not self._stop.is_set():
            batch = outbox.claim(self.db, self.batch)
            if not batch:
                return pushed
            try:
                answers = client.push(batch)
            except (HubUnreachable, HubRefused) as exc:
                outbox.release(self.db, [e["uuid"] for e in batch], str(exc))
                raise
            rejected = outbox.record_answers(self.db, answers)
            pushed += sum(1 for a in answers if a["status"] in outbox.ACKED)
            if rejected:
                for listener in self.rejection_listeners:
                    listener(rejected)
        return pushed

    def _counts(self) -> dict[str, int]:
        c = outbox.counts(self.db)
        return {"waiting": c.waiting, "held": c.held, "rejected": c.rejected}

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            st = self._status
        for listener in self.listeners:
            try:
                listener(st)
            except Exception:
                log.exception("sync status listener failed")


def wait_until_idle(engine: SyncEngine, timeout_s: float = 30.0) -> SyncStatus:
    """Tests and the quit dialog: wait until nothing is waiting (or the timeout); returns the last status."""
    deadline = time.monotonic() + timeout_s
    engine.trigger()
    while time.monotonic() < deadline:
        st = engine.status()
        if st.waiting == 0 and st.last_success is not None:
            return st
        time.sleep(0.05)
    return engine.status()
