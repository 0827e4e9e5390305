"""Purge: personal data leaves this PC once a case is closed, past the retention period, and the hub
holds all of it (docs/personal-data.md, "Purge").

A case qualifies when its status is closed (当场办结, 一次性告知, 不予受理, 已送达, 已撤回, 已归档), its
last event is older than the retention period (setting ``personal_data_retention_days``, default 180
days), and the hub has confirmed every event this desk made for it (nothing pending, in flight,
returned, held or set aside). Then:
- its people (applicant, agent, whoever collected the result) are emptied and get ``purged_at``, unless
  another case that does not qualify still names them; their blind-index keys go with them;
- the personal parts of its events' payloads (``persons``, the postal ``delivery`` details) and of the
  case details are removed (the delivery method stays);
- the case and its events otherwise stay, and screens show 已清除 for the emptied fields.
Intake drafts, approvers' decision drafts and unsent 督办单 answers untouched for longer than the retention
period are deleted. Hall
records (a consultation, a 帮办代办: docs/hall-services.md) that ended before the cutoff and whose events the hub
confirmed lose the name, phone and ID number they kept (the record and the rest of its events stay).
secure_delete overwrites what was removed and a checkpoint empties the -wal. ``clerk-desk db purge [--dry-run]`` runs it, and
the desk runs it in the background after a successful sync (:func:`run_after_sync`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from clerk_desk.domain.errors import InputError
from clerk_desk.domain.lifecycle import Status
from clerk_desk.store import changes
from clerk_desk.store.changes import ChangeKind
from clerk_desk.store.database import Database, rows_changed
from clerk_desk.store.sqlite_file import to_db

log = logging.getLogger(__name__)

RETENTION_SETTING = "personal_data_retention_days"
DEFAULT_RETENTION_DAYS = 180
MAX_RETENTION_DAYS = 3650
CLOSED = (
    Status.COMPLETED,
    Status.NOTIFIED,
    Status.REFUSED,
    Status.DELIVERED,
    Status.WITHDRAWN,
    Status.ARCHIVED,
)
PERSONAL_PARTS = ("persons", "delivery")
MARK = "personal_data_purged_at"  # in cases.details: this case is done
BATCH = 500
BACKGROUND_EVERY_S = 6 * 3600


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    cases: int
    persons: int
    events: int
    drafts: int
    dry_run: bool
    records: int = 0  # hall records (consultations, 帮办代办) whose person's details were removed


def retention_days(db: Database) -> int:
    with db.plain_reading() as c:
        row = c.execute("SELECT value FROM settings WHERE key = ?", (RETENTION_SETTING,)).fetchone()
    return int(row[0]) if row else DEFAULT_RETENTION_DAYS


def set_retention_days(db: Database, days: int, *, actor: str | None = None) -> None:
    from clerk_desk.services import audit
    from clerk_desk.store.models import Setting

    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise InputError(f"保存期限应为 1 到 {MAX_RETENTION_DAYS} 天")
    with db.transaction() as s:
        s.merge(Setting(key=RETENTION_SETTING, value=str(days)))
        audit.record(s, "retention_set", actor, days=days)


_CANDIDATES = f"""
SELECT c.uuid FROM cases AS c
WHERE c.status IN ({", ".join("?" * len(CLOSED))})
  AND json_extract(c.details, '$.{MARK}') IS NULL
  AND c.version = c.acked_version
  AND (SELECT max(e.occurred_at) FROM case_events AS e WHERE e.case_uuid = c.uuid) < ?
  AND NOT EXISTS (SELECT 1 FROM case_events AS e WHERE e.case_uuid = c.uuid AND e.origin = 'local'
                  AND e.push_state NOT IN ('stored', 'duplicate'))
"""


def _candidates(db: Database, cutoff: datetime) -> list[str]:
    with db.plain_reading() as c:
        return [r[0] for r in c.execute(_CANDIDATES, (*[s.value for s in CLOSED], to_db(cutoff)))]


def _people_of(s: Any, uuids: list[str]) -> dict[str, set[str]]:
    """person id -> the cases naming it (applicant, agent, or who collected the result)."""
    from sqlalchemy import select

    from clerk_desk.store.models import Case, CaseEvent

    named: dict[str, set[str]] = {}
    for uid, applicant, agent in s.execute(select(Case.uuid, Case.applicant_id, Case.agent_id)
                                           .where(Case.uuid.in_(uuids))):  # fmt: skip
        for pid in (applicant, agent):
            if pid:
                named.setdefault(pid, set()).add(uid)
    for uid, payload in s.execute(select(CaseEvent.case_uuid, CaseEvent.payload).where(
            CaseEvent.case_uuid.in_(uuids), CaseEvent.type == "delivered")):  # fmt: skip
        if payload.get("recipient_id"):
            named.setdefault(payload["recipient_id"], set()).add(uid)
    return named


def _still_needed(s: Any, person_id: str, purging: set[str]) -> bool:
    """Does a case outside this purge name the person?"""
    from sqlalchemy import or_, select

    from clerk_desk.store.models import Case

    users = s.scalars(
        select(Case.uuid).where(or_(Case.applicant_id == person_id, Case.agent_id == person_id))
    )
    return any(uid not in purging for uid in users)


def _purge_batch(
    db: Database, uuids: list[str], purging: set[str], now: datetime, dry_run: bool
) -> tuple[int, int]:
    from sqlalchemy import select

    from clerk_desk.store.models import Case, CaseEvent, Person

    with db.transaction() as s:
        people = [pid for pid in _people_of(s, uuids) if not _still_needed(s, pid, purging)]
        events = [e for e in s.scalars(select(CaseEvent).where(CaseEvent.case_uuid.in_(uuids)))
                  if any(e.payload.get(k) is not None for k in PERSONAL_PARTS)]  # fmt: skip
        persons = list(s.scalars(select(Person).where(Person.id.in_(people), Person.purged_at.is_(None))))
        if dry_run:
            return len(persons), len(events)
        for p in persons:  # the flush hooks drop the blind-index keys with the values
            p.name = p.id_number = p.phone = p.address = p.legal_representative = None
            p.purged_at = now
        for e in events:
            e.payload = _without_personal_parts(e.payload)
        for case in s.scalars(select(Case).where(Case.uuid.in_(uuids))):
            case.details = {**_without_personal_parts(case.details), MARK: now.isoformat()}
        changes.mark(s, ChangeKind.PURGED, uuids)  # a case on screen now says 已清除
        return len(persons), len(events)


def _without_personal_parts(value: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in value.items() if k not in PERSONAL_PARTS}
    delivery = value.get("delivery")
    if isinstance(delivery, dict) and delivery.get("method"):
        out["delivery"] = {"method": delivery["method"]}  # how, not where or to whom
    return out


def _old_drafts(db: Database, cutoff: datetime, dry_run: bool) -> int:
    """Intake drafts, approvers' decision drafts and 督办单 answer drafts untouched since ``cutoff``."""
    from sqlalchemy import delete, func, select

    from clerk_desk.store.models import DecisionDraft, IntakeDraft, OrderAnswerDraft

    done = 0
    for model in (IntakeDraft, DecisionDraft, OrderAnswerDraft):
        old = model.updated_at < cutoff
        with db.reading() as s:
            count = int(s.scalar(select(func.count()).select_from(model).where(old)) or 0)
        if dry_run or not count:  # no write when there is nothing to do: a commit wakes the sync engine
            done += count
            continue
        with db.transaction() as s:
            done += rows_changed(s.execute(delete(model).where(old)))
    return done


def _old_records(db: Database, cutoff: datetime, dry_run: bool) -> int:
    """Hall records ended before ``cutoff`` with a person's details, none of whose events waits for the hub:
    the details leave the record and its events."""
    from sqlalchemy import select

    from clerk_desk.store.models import CaseEvent, HallRecord

    waiting = select(CaseEvent.case_uuid).where(CaseEvent.origin == "local",
                                                CaseEvent.push_state.not_in(("stored", "duplicate")))
    query = select(HallRecord).where(HallRecord.ended_at.is_not(None), HallRecord.ended_at < cutoff,
                                     HallRecord.uuid.not_in(waiting))
    with db.reading() as s:
        count = sum(1 for r in s.scalars(query) if (r.data or {}).get("person"))
    if dry_run or not count:
        return count
    with db.transaction() as s:
        done = 0
        for r in s.scalars(query):
            if not (r.data or {}).get("person"):
                continue
            r.data = {k: v for k, v in r.data.items() if k != "person"}
            for e in s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == r.uuid)):
                if e.payload.get("persons") is not None:
                    e.payload = {k: v for k, v in e.payload.items() if k != "persons"}
            done += 1
        return done


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def purge(
    db: Database, *, now: datetime | None = None, dry_run: bool = False, days: int | None = None,
    actor: str | None = None,
) -> PurgeReport:  # fmt: skip
    """Purge what qualifies (see the module text); ``dry_run`` counts without changing anything."""
    from clerk_desk.services import audit
    from clerk_desk.store.models import utcnow

    now = now or utcnow()
    cutoff = now - timedelta(days=days if days is not None else retention_days(db))
    uuids = _candidates(db, cutoff)
    purging = set(uuids)
    persons = events = 0
    for chunk in _chunks(uuids, BATCH):  # one short write transaction per batch: the desk keeps working
        p, e = _purge_batch(db, chunk, purging, now, dry_run)
        persons, events = persons + p, events + e
    drafts = _old_drafts(db, cutoff, dry_run)
    records = _old_records(db, cutoff, dry_run)
    report = PurgeReport(cutoff, len(uuids), persons, events, drafts, dry_run, records)
    if not dry_run and (uuids or drafts or records):
        with db.transaction() as s:
            audit.record(s, "personal_data_purged", actor, cases=len(uuids), persons=persons, events=events,
                         drafts=drafts, records=records, cutoff=cutoff.isoformat())  # fmt: skip
        db.checkpoint()  # the -wal keeps the old pages until it is checkpointed
    return report


class _AfterSync:
    """Runs a purge on its own thread after a successful sync, at most every BACKGROUND_EVERY_S."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._last_run: float | None = None
        self._seen: object = None
        self._running = threading.Lock()

    def __call__(self, status: Any) -> None:
        success = getattr(status, "last_success", None)
        if success is None or success == self._seen:
            return
        self._seen = success
        due = self._last_run is None or time.monotonic() - self._last_run >= BACKGROUND_EVERY_S
        if due and self._running.acquire(blocking=False):
            self._last_run = time.monotonic()
            threading.Thread(target=self._run, name="clerk-desk-purge", daemon=True).start()

    def _run(self) -> None:
        try:
            report = purge(self.db, actor=None)
            log.info("purge after sync: %s", report)
        except Exception:  # never let a purge problem touch the sync or the desk
            log.exception("purge after sync failed")
        finally:
            self._running.release()


def run_after_sync(db: Database, engine: Any) -> _AfterSync:
    """Purge in the background after each successful sync (engine: a SyncEngine, by its listeners)."""
    hook = _AfterSync(db)
    engine.listeners.append(hook)
    return hook
