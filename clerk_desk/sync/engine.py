"""The sync engine: a background thread that moves the outbox to the hub whenever the link is up.

Nothing here runs on the GUI thread and nothing a clerk does waits for it. It wakes after every local
commit (Database.commit_listeners), when the hub says this desk's scope changed (sync/live.py keeps a
request held open for that), when the link comes back, and on a timer. Link detection is a probe of the
hub's own /health (OS network state lies on VPNs and extranets), made only while the link is not known to
be up: once it is, a push is the probe. While the link is down it backs off exponentially with full
jitter, so a hall full of PCs does not stampede the hub.

One client is kept for as long as it works (its session keeps the connection and its TLS session open), so
an act's push is one round trip (docs/sync-protocol.md, "One lasting connection"). A cycle woken only by
local commits pushes and does nothing else; one woken by the hub pulls as well; the timer's cycle does the
rest (the user directory, the catalog and calendar). Commits made while a push is in flight go up together
in the next push.

The sync never stops (docs/sync-ui.md, "When something goes wrong"): a cycle that fails for any reason
— the link, an answer cut short, a locked or read-only database, a full disk, a bug — is recorded (the
log gets the traceback and the engine's status, the status gets a fault code the UI shows in Chinese),
whatever was in flight goes back to pending (the hub dedupes by uuid), and the cycle is retried after a
jittered backoff. A watchdog thread restarts the worker if it ever dies, and says so in the status.
"""

from __future__ import annotations

import functools
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from clerk_desk.domain.errors import StorageError
from clerk_desk.services import due_dates
from clerk_desk.store.database import Database
from clerk_desk.store.models import utcnow
from clerk_desk.sync import ahead, apply, directory, follow, outbox
from clerk_desk.sync.hub_address import InsecureHubAddress
from clerk_desk.sync.hub_client import HubClient, HubRefused, HubUnreachable
from clerk_desk.sync.live import LiveWatch

log = logging.getLogger(__name__)

SKEW_WARN_S = 120
SKEW_EVERY_S = 600.0  # while the link is up, the clock skew is measured again this often (GET /health)
MAX_GIVEN = 16  # pages sent with the hub's news kept for the next cycle at most

# Why a cycle runs (besides the timer): what it then does.
COMMIT = "commit"  # a local act was committed: push
REMOTE = "remote"  # the hub said the scope changed (or polling): pull
PAGE = "page"  # the hub's news came with the events: apply them (pull only if they do not follow on)
MANUAL = "manual"  # 立即同步, the quit guard, the link coming back: everything, with a fresh client
LIGHT = frozenset({COMMIT, REMOTE, PAGE})
# The hub's refusals that mean the client's token is no good: a new client reads the keyring again.
TOKEN_REFUSALS = frozenset({"invalid_token", "token_revoked", "missing_token", "device_revoked"})

# SyncStatus.fault: what went wrong besides the link (ui/sync/texts.py says it in Chinese).
INSECURE_HUB_URL = "insecure_hub_url"  # the stored hub address is not https: the token is not sent
DATABASE_BUSY = "database_busy"  # the case database is locked by another program past the busy timeout
DATABASE_READ_ONLY = "database_read_only"
DISK_FULL = "disk_full"
DATABASE_ERROR = "database_error"  # another storage failure (disk I/O error, damaged file)
INTERNAL = "internal"  # anything else: a bug; the log has the traceback
WORKER_STOPPED = "worker_stopped"  # the worker thread died and the watchdog restarted it
# Personal data sealed with another PC's key cannot be read, so nothing is sent (the store's error code).
PERSONAL_DATA_LOCKED = "personal_data_locked"


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool = False
    link_up: bool | None = None  # None: not probed yet
    last_success: datetime | None = None
    skew_s: float | None = None  # local clock minus hub clock
    waiting: int = 0
    held: int = 0
    rejected: int = 0
    last_error: str | None = None  # the link or the hub's refusal (technical text)
    next_attempt_in_s: float | None = None
    pushed_total: int = 0
    pulled_total: int = 0
    fault: str | None = None  # one of the fault codes above; None after a clean cycle
    fault_detail: str | None = None  # the technical text behind it (log, CLI), never shown to a clerk
    worker_restarts: int = 0
    last_restart_at: datetime | None = None
    follow_fault: str | None = None  # following the catalog or calendar failed (technical text, sync/follow.py)
    cycles: int = 0  # finished cycles, whatever their outcome: "the sync I asked for is done" (立即同步)
    live: str | None = None  # sync/live.py: "held" (the hub tells at once), "polling", None (not waiting)

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


def fault_of(exc: BaseException) -> str:
    """The fault code of an unexpected failure (storage failures by the words SQLite uses)."""
    chain: list[BaseException] = [exc]
    while chain[-1].__cause__ is not None and len(chain) < 5:
        chain.append(chain[-1].__cause__)
    if any(getattr(e, "code", None) == PERSONAL_DATA_LOCKED for e in chain):
        return PERSONAL_DATA_LOCKED
    storage = any(isinstance(e, (StorageError, sqlite3.Error)) or type(e).__module__.startswith("sqlalchemy")
                  for e in chain)
    if not storage and not any(isinstance(e, OSError) for e in chain):
        return INTERNAL
    text = " ".join(str(e) for e in chain).lower()
    if "locked" in text or "busy" in text:
        return DATABASE_BUSY
    if "readonly" in text or "read-only" in text or "read only" in text:
        return DATABASE_READ_ONLY
    if "full" in text or "no space" in text:
        return DISK_FULL
    return DATABASE_ERROR


def _seq(value: object) -> bool:
    """A log position as the hub sends it (a 409 cursor_ahead's ``lost_after`` / ``lost_to``)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63


def _detail(exc: BaseException) -> str:
    cause = exc.__cause__
    text = f"{type(exc).__name__}: {exc}"
    return (text + (f" ({type(cause).__name__}: {cause})" if cause else ""))[:300]


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
        watchdog_s: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
        live: bool = True,
        live_hold_s: float = 25.0,
        live_poll_s: float = 5.0,
        live_retry_hold_s: float = 300.0,
    ) -> None:
        self.db = db
        self._client_factory = client_factory
        self.interval_s = interval_s
        self.batch = batch
        self.backoff = backoff
        self.watchdog_s = watchdog_s
        self._rng = random.Random(seed)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = SyncStatus()
        self._failures = 0
        # In-flight rows go back to pending before the next send: at the first cycle (left by a crash),
        # and after a cycle that failed while it could not release its batch itself.
        self._release_needed = True
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Thread | None = None
        self._death: str | None = None  # why the last worker thread ended, for the restart's record
        self.listeners: list[Callable[[SyncStatus], None]] = []
        self.rejection_listeners: list[Callable[[list[str]], None]] = []
        # Called on the sync thread with the kinds ("catalog", "calendar") a cycle brought in (sync/follow.py).
        self.resource_listeners: list[Callable[[list[str]], None]] = []
        self.clock = clock  # the moment follow and the due dates use (tests set the year's end)
        self._reasons: set[str] = set()  # why the worker was woken, taken by the next cycle
        self._given: dict[int, dict[str, Any]] = {}  # pages the hub sent with its news, by their cursor
        self._client: HubClient | None = None  # kept between cycles while it works
        self._skew_at = 0.0  # monotonic time of the last GET /health
        self.live: LiveWatch | None = (
            LiveWatch(self, client_factory, hold_s=live_hold_s, poll_s=live_poll_s,
                      retry_hold_s=live_retry_hold_s, seed=seed) if live else None
        )  # fmt: skip

    # ---- control -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker and its watchdog (a second call while they run does nothing). Touches no
        database here: in-flight rows left by a crash are reset by the first cycle, on the worker."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = self._new_worker()
            self._watchdog = threading.Thread(target=self._watch, name="clerk-desk-sync-watchdog", daemon=True)
        self.db.commit_listeners.append(self._on_commit)
        self._thread.start()
        if self.live is not None:
            self.live.start()
        self._watchdog.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._on_commit in self.db.commit_listeners:
            self.db.commit_listeners.remove(self._on_commit)
        if self.live is not None:
            self.live.stop()
        for t in (self._thread, self._watchdog):
            if t is not None and t is not threading.current_thread():
                t.join(timeout)
        client, self._client = self._client, None
        if client is not None and not self.running:
            client.close()

    def trigger(self) -> None:
        """Sync everything as soon as possible (the clerk pressed 立即同步, the quit guard)."""
        self._failures = 0 if self._status.link_up else self._failures
        self._wake_for(MANUAL)

    def pull_now(self, given: tuple[int, dict[str, Any]] | None = None) -> None:
        """The hub says this desk's scope changed (sync/live.py): pull at once, unless the link is in
        backoff (then the backoff's cycle pulls). ``given``: (cursor, page) the hub sent with the news;
        the cycle applies it (and the pages following on from it) instead of fetching them, if the cursor
        is there when it runs."""
        if self._failures == 0:
            reason = REMOTE
            with self._lock:
                if given is not None and len(self._given) < MAX_GIVEN:
                    self._given[given[0]] = given[1]
                    reason = PAGE
                elif given is not None:  # the cycles fall behind: the next one pulls instead
                    self._given.clear()
            self._wake_for(reason)

    def link_lost(self) -> None:
        """A held request failed and a short one too: probe in a full cycle."""
        if self._failures == 0:
            self._wake_for(MANUAL)

    def set_live(self, mode: str | None) -> None:
        if self.status().live != mode:
            self._set(live=mode)

    def _wake_for(self, reason: str) -> None:
        with self._lock:
            self._reasons.add(reason)
        self._wake.set()

    def _take_given(self) -> dict[int, dict[str, Any]]:
        with self._lock:
            given, self._given = self._given, {}
        return given

    def _take_reasons(self) -> frozenset[str]:
        with self._lock:
            reasons, self._reasons = frozenset(self._reasons), set()
        return reasons

    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def _on_commit(self, _changes: object = None) -> None:
        if threading.current_thread() is not self._thread:  # our own writes must not wake us again
            self._wake_for(COMMIT)

    # ---- the worker and its watchdog ---------------------------------------------------------------

    def _new_worker(self) -> threading.Thread:
        return threading.Thread(target=self._run_worker, name="clerk-desk-sync", daemon=True)

    def _run_worker(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # noqa: BLE001 - recorded here; the watchdog starts a new worker
            self._death = _detail(exc)
            log.critical("the sync worker stopped; the watchdog restarts it. Status: %s", self.status(),
                         exc_info=exc)

    def _loop(self) -> None:
        reasons: frozenset[str] = frozenset({MANUAL})  # the first cycle probes and does everything
        while not self._stop.is_set():
            delay = self.run_once(reasons)
            self._set(next_attempt_in_s=delay)
            self._wake.wait(delay)
            self._wake.clear()
            reasons = self._take_reasons()

    def _watch(self) -> None:
        while not self._stop.wait(self.watchdog_s):
            try:
                worker = self._thread
                if worker is not None and not worker.is_alive() and not self._stop.is_set():
                    self._restart_worker()
                if self.live is not None and not self.live.alive and not self._stop.is_set():
                    log.error("the thread waiting for the hub's news had stopped; started again")
                    self.live.start()
            except Exception:  # the watchdog itself must outlive anything
                log.exception("sync watchdog check failed")

    def _restart_worker(self) -> None:
        with self._lock:
            self._thread = self._new_worker()
            restarts = self._status.worker_restarts + 1
        self._release_needed = True  # it may have died between claiming a batch and sending it
        log.error("sync worker restarted by the watchdog (%d so far); it had stopped with: %s", restarts,
                  self._death)
        self._set(fault=WORKER_STOPPED, fault_detail=self._death, worker_restarts=restarts,
                  last_restart_at=utcnow())
        self._thread.start()

    # ---- one cycle ---------------------------------------------------------------------------------

    def run_once(self, reasons: frozenset[str] | None = None) -> float:
        """One cycle. Returns the delay before the next cycle. ``reasons``: why it runs (None: called
        directly, by the CLI or a test: everything, with a probe). With the link known up, a cycle for
        commits only pushes, one for the hub's news pulls too; any other does everything.

        Never raises an Exception: whatever goes wrong is recorded in the status and retried."""
        try:
            return self._cycle(reasons)
        except Exception as exc:
            self._drop_client()
            return self._fault(exc)
        finally:
            self._set(cycles=self.status().cycles + 1)
            if self.live is not None:
                self.live.nudge()

    def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _cycle(self, reasons: frozenset[str] | None) -> float:
        if self._release_needed:
            outbox.reset_in_flight(self.db)
            self._release_needed = False
        if reasons is not None and MANUAL in reasons:
            self._drop_client()  # 立即同步 starts afresh: the keyring is read again, a new connection
        try:
            # Called directly (the CLI, tests): a client of its own, closed after the cycle.
            client = self._client_factory() if reasons is None else self._client or self._client_factory()
        except InsecureHubAddress as exc:
            # Enrolled over plain http: the token is not sent; the clerk is told what IT must do.
            log.warning("not syncing: %s", exc.message_zh)
            self._set(enrolled=True, link_up=None, last_error=None, fault=INSECURE_HUB_URL,
                      fault_detail=exc.message_zh, **self._counts())
            return self.interval_s
        if client is None:
            due_dates.recompute_provisional(self.db, now=self.clock())  # a calendar placed by hand
            self._set(enrolled=False, link_up=None, fault=None, fault_detail=None, **self._counts())
            return self.interval_s
        # Enrolled is known from the token, not from reaching the hub: a PC offline since it started is
        # "not connected", never "not enrolled".
        if reasons is not None:
            self._client = client
        self._set(enrolled=True)
        st = self.status()
        light = bool(reasons) and reasons is not None and reasons <= LIGHT and st.link_up is True \
            and self._failures == 0
        try:
            if light:
                assert reasons is not None
                pushed = self._push_all(client)  # the push is the probe; nothing waiting: no request
                pulled = 0
                if REMOTE in reasons or PAGE in reasons:  # woken for pages only: apply them, ask for nothing
                    pulled = apply.pull(self.db, client, given=self._take_given(),
                                        only_given=REMOTE not in reasons)
                if pulled:
                    due_dates.recompute_provisional(self.db, now=self.clock())
            else:
                if st.link_up is not True or reasons is None or MANUAL in reasons \
                        or time.monotonic() - self._skew_at > SKEW_EVERY_S:
                    health = client.health()
                    self._skew_at = time.monotonic()
                    self._set(link_up=True, skew_s=health.skew_seconds(utcnow()))
                pushed = self._push_all(client)
                pulled = apply.pull(self.db, client, given=self._take_given())
                directory.sync_users(self.db, client)
                self._follow(client)
            if st.link_up is False:  # the log says when a cut link came back (IT reads it after an outage)
                log.info("the county hub is reachable again after %d failed attempt(s); %d event(s) waiting",
                         self._failures, self._counts().get("waiting", 0))
            self._failures = 0
            st = self.status()
            self._set(last_success=utcnow(), last_error=None, fault=None, fault_detail=None,
                      pushed_total=st.pushed_total + pushed, pulled_total=st.pulled_total + pulled,
                      **self._counts())
            return self.interval_s
        except HubUnreachable as exc:
            self._failures += 1
            counts = self._counts()
            delay = self.backoff.delay(self._failures, self._rng)
            if st.link_up is not False:  # once per outage, not at every retry
                log.warning("cannot reach the county hub %s: %s; %d event(s) wait on this PC, nothing is lost; "
                            "retrying in %.1f s", getattr(client, "base_url", "?"), exc, counts.get("waiting", 0),
                            delay)  # fmt: skip
            self._set(link_up=False, last_error=str(exc)[:300], fault=None, fault_detail=None, **counts)
            return delay
        except HubRefused as exc:
            log.warning("hub refused: %s %s", exc.status, exc.code)
            if (exc.status == 401 or exc.code in TOKEN_REFUSALS) and client is self._client:
                self._drop_client()
            if exc.code == "cursor_ahead":  # the hub was restored from an older backup: snapshot again, and
                lost_after = exc.body.get("lost_after", exc.body.get("head"))  # send what it lost again
                lost_to = exc.body.get("lost_to")
                if isinstance(lost_after, int) and _seq(lost_after) and (lost_to is None or _seq(lost_to)):
                    resent = outbox.resend_lost(self.db, lost_after, lost_to if isinstance(lost_to, int) else None)
                    log.warning("the county hub was restored from a backup ending at %d: %d event(s) of this "
                                "PC will be sent again", lost_after, resent)
                apply.reset_cursor(self.db)
            self._failures += 1
            self._set(link_up=True, last_error=f"{exc.code}: {exc.message}"[:300], fault=None, fault_detail=None,
                      **self._counts())
            return self.backoff.delay(self._failures, self._rng)
        finally:
            if reasons is None:
                client.close()

    def _follow(self, client: HubClient) -> None:
        """The county's catalog and calendar (sync/follow.py), then the due dates a pull may have set back
        to weekends-only counts. A file this desk cannot use never stops the cases' sync: the link's own
        failures go to the cycle, anything else is logged and shown in the sync panel's catalog line."""
        now = self.clock()
        try:
            changed = follow.follow_all(self.db, client, now=now)
        except (HubUnreachable, HubRefused):
            raise
        except Exception as exc:
            log.exception("following the county's catalog or calendar failed")
            self._set(follow_fault=_detail(exc))
            changed = []
        else:
            self._set(follow_fault=None)
        due_dates.recompute_provisional(self.db, now=now)
        if changed:
            for listener in self.resource_listeners:
                try:
                    listener([f.kind for f in changed])
                except Exception:
                    log.exception("catalog/calendar listener failed")

    def _fault(self, exc: Exception) -> float:
        """Anything but the link or the hub's refusal: record it, show it, back off, retry."""
        self._failures += 1
        self._release_needed = True
        kind = fault_of(exc)
        delay = self.backoff.delay(self._failures, self._rng)
        try:
            counts = self._counts()
        except Exception:  # the database may be what failed
            counts = {}
        self._set(fault=kind, fault_detail=_detail(exc), next_attempt_in_s=delay, **counts)
        log.error("sync cycle failed (%s); retrying in %.1f s. Status: %s", kind, delay, self.status(),
                  exc_info=exc)
        return delay

    def _push_all(self, client: HubClient) -> int:
        """Push everything waiting, batch after batch, in device order.

        What waits fits in one push (an act or a few, the live case): it is sent from this thread, without
        the helper thread's two hand-offs. More than that: while the hub stores one batch the desk claims
        the next and records the answers to the one before (ahead.py), so a day offline goes up in about
        the time the hub needs (benchmarks/catch_up.py). A batch is sent only after the hub has answered
        the one before it, and not at all when that answer returned an event: later events of that case
        must be held first, so the claimed batch goes back and is claimed again after the answers are
        recorded."""
        pushed = 0
        batch = outbox.claim(self.db, self.batch)
        if not batch:
            return pushed
        push = functools.partial(client.push, cursor=apply.cursor(self.db))  # a restored hub says so first
        while 0 < len(batch) < self.batch:  # all that waits, in one push: sent from this thread, no helper
            try:
                pushed += self._record(push(batch))
            except BaseException as exc:
                self._release([e["uuid"] for e in batch], exc)
                raise
            batch = [] if self._stop.is_set() else outbox.claim(self.db, self.batch)  # committed meanwhile
        if not batch:
            return pushed
        claimed: list[str] = []  # claimed and not yet recorded: released if anything goes wrong
        sending: ahead.Ahead | None = None
        with ahead.helper() as pool:
            try:
                while batch:
                    claimed += [e["uuid"] for e in batch]
                    sending = ahead.start(pool, push, batch)
                    while sending is not None:
                        following = [] if self._stop.is_set() else outbox.claim(self.db, self.batch)
                        claimed += [e["uuid"] for e in following]
                        answers: list[dict[str, Any]] = ahead.take(sending)
                        sending = None
                        if following and not any(a["status"] == "rejected" for a in answers):
                            sending = ahead.start(pool, push, following)
                        pushed += self._record(answers)
                        done = {a["uuid"] for a in answers}
                        claimed = [u for u in claimed if u not in done]
                        if following and sending is None:
                            outbox.unclaim(self.db, [e["uuid"] for e in following])
                            claimed = []
                    batch = [] if self._stop.is_set() else outbox.claim(self.db, self.batch)
                return pushed
            except BaseException as exc:
                ahead.drop(sending)  # the helper is done with the client before the client is closed
                if claimed:
                    self._release(claimed, exc)
                raise

    def _record(self, answers: list[dict[str, Any]]) -> int:
        """The hub's answers to one push, recorded; returns how many it acknowledged."""
        rejected = outbox.record_answers(self.db, answers)
        if rejected:
            for listener in self.rejection_listeners:
                listener(rejected)
        return sum(1 for a in answers if a["status"] in outbox.ACKED)

    def _release(self, uuids: list[str], exc: BaseException) -> None:
        """Back to pending with the reason (the sync panel shows it); if even that fails, the next cycle
        resets every in-flight row first."""
        reason = str(exc) if isinstance(exc, (HubUnreachable, HubRefused)) else f"sync_fault {fault_of(exc)}"
        try:
            outbox.release(self.db, uuids, reason)
        except Exception:
            self._release_needed = True
            log.exception("could not release the batch in flight; the next cycle does")

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
