"""Purge after the retention period (services/purge.py, docs/personal-data.md): only closed cases the hub
confirmed, only their personal data, and none of it left in the database file or its -wal."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.case_view import Party as ViewParty
from clerk_desk.services import answer_drafts, case_queries, decision_drafts, demo, drafts, purge
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake import IntakeService
from clerk_desk.services.intake_forms import IntakeForm, MaterialCheck, Party
from clerk_desk.store import audit_chain
from clerk_desk.store.data_keys import PURGED
from clerk_desk.store.database import Database
from clerk_desk.store.models import AuditEntry, Case, CaseEvent, Person, utcnow
from clerk_desk.store.sqlite_file import to_db
from clerk_desk.sync import outbox
from clerk_desk.sync.apply import apply_events
from tests.services.test_intake import ELDER, PENSION
from tests.store.raw_scan import database_files, found
from tests.store.test_personal_data import clerk_of, pulled_event, resident_id

NOW = utcnow()
OLD = NOW - timedelta(days=200)


def applicant(db: Database, uid: str) -> ViewParty:
    shown = read_case(db, uid).parties.applicant
    assert shown is not None
    return shown


def party(name: str, serial: str) -> Party:
    return Party("person", name, resident_id(f"4212241980{serial}1"), phone=f"139{serial}00",
                 address=f"通山县{name}家")  # fmt: skip


def form(applicant: Party, items: tuple = (ELDER,)) -> IntakeForm:  # type: ignore[type-arg]
    return IntakeForm(items=items, applicant=applicant,
                      checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),))  # fmt: skip


def confirm(db: Database, case_uuids: list[str]) -> None:
    """The hub's answer: every local event of these cases stored."""
    with db.reading() as s:
        events = list(s.scalars(select(CaseEvent.uuid).where(CaseEvent.case_uuid.in_(case_uuids))))
    outbox.record_answers(db, [{"uuid": u, "status": "stored", "seq": i + 1} for i, u in enumerate(events)])


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path / "data")
    demo.ensure_demo_site(d)
    return d


def test_purge_empties_what_qualifies_and_leaves_the_rest(db: Database) -> None:
    svc, clerk = IntakeService(db), clerk_of(db)
    old_done = svc.complete_on_spot(form(party("甄宝玉", "010100")), clerk, result="已换发", now=OLD).cases[0]
    old_refused = svc.refuse(form(party("贾宝玉", "020200")), clerk, reason="不符合条件", now=OLD).cases[0]
    unconfirmed = svc.refuse(form(party("林黛玉", "030300")), clerk, reason="不符合条件", now=OLD).cases[0]
    recent = svc.refuse(form(party("薛宝钗", "040400")), clerk, reason="不符合条件", now=NOW).cases[0]
    # A bundle: two cases, one person; only one case is confirmed, so the person must stay.
    bundle = svc.refuse(form(party("王熙凤", "050500"), items=(ELDER, PENSION)), clerk, reason="材料不全",
                        now=OLD).cases  # fmt: skip
    confirm(db, [old_done.case_uuid, old_refused.case_uuid, recent.case_uuid, bundle[0].case_uuid])
    pulled_closed = pulled_event(str(uuid.uuid4()))
    pulled_closed["type"], pulled_closed["occurred_at"] = "completed_on_spot", OLD.isoformat()
    pulled_open = pulled_event(str(uuid.uuid4()), serial=2)  # accepted: still open
    pulled_open["occurred_at"] = OLD.isoformat()
    with db.transaction() as s:
        apply_events(s, [pulled_closed, pulled_open])
    draft_old = drafts.save(db, draft_id=None, user_id=clerk.user_id, window_id=None, data={"name": "秦可卿"})
    drafts.save(db, draft_id=None, user_id=clerk.user_id, window_id=None, data={"name": "史湘云"})
    with db.plain_transaction() as c:
        c.execute("UPDATE intake_drafts SET updated_at = ? WHERE id = ?", (to_db(OLD), draft_old))
    # an approver's decision drafts (services/decision_drafts.py) go by the same rule
    decision_drafts.keep(db, clerk.user_id, "case-a", "decide", {"decideReason": "家庭人均收入高于"})
    decision_drafts.keep(db, clerk.user_id, "case-b", "return", {"returnNote": "请补充"})
    with db.plain_transaction() as c:
        c.execute("UPDATE decision_drafts SET updated_at = ? WHERE case_uuid = 'case-a'", (to_db(OLD),))
    # and so do the unsent answers to 督办单 (services/answer_drafts.py)
    answer_drafts.keep(db, clerk.user_id, "order-a", "已催办窗口")
    answer_drafts.keep(db, clerk.user_id, "order-b", "今日签收")
    with db.plain_transaction() as c:
        c.execute("UPDATE order_answer_drafts SET updated_at = ? WHERE order_uuid = 'order-a'", (to_db(OLD),))

    gone = {old_done.case_uuid, old_refused.case_uuid, str(pulled_closed["case_uuid"])}
    with db.plain_reading() as c:
        sealed_before = {r[0]: bytes(r[1]) for r in c.execute("SELECT id, name FROM persons")}
    kept = [
        unconfirmed.case_uuid,
        recent.case_uuid,
        bundle[0].case_uuid,
        bundle[1].case_uuid,
        str(pulled_open["case_uuid"]),
    ]
    by_case = {uid: read_case(db, uid) for uid in [*gone, *kept]}
    assert all(v.parties.applicant and v.parties.applicant.name != PURGED for v in by_case.values())

    dry = purge.purge(db, now=NOW, dry_run=True)
    assert (dry.cases, dry.persons, dry.drafts) == (4, 3, 3)  # bundle[0] qualifies, its person does not
    assert applicant(db, old_done.case_uuid).name == "甄宝玉"  # nothing changed

    report = purge.purge(db, now=NOW)
    assert (report.cases, report.persons, report.events, report.drafts) == (4, 3, 1, 3)
    for uid in gone:
        shown = read_case(db, uid)
        assert shown.parties.applicant == ViewParty("person", PURGED, purged=True)
        assert shown.case_number and shown.status  # the case itself stays
        assert shown.events  # and its events
    with db.reading() as s:
        assert purge.MARK in s.get(Case, str(pulled_closed["case_uuid"])).details
    (event,) = read_case(db, str(pulled_closed["case_uuid"])).events
    assert "persons" not in event.payload and event.payload["delivery"] == {"method": "post"}
    for uid in kept:
        assert read_case(db, uid).parties.applicant == by_case[uid].parties.applicant
    rows = {r.uuid: r.applicant_name for r in case_queries.page(db, case_queries.CaseFilter()).rows}
    assert {rows[u] for u in gone} == {PURGED}
    assert not case_queries.page(db, case_queries.CaseFilter(text="甄宝")).rows  # its name keys went too
    assert [d.data for d in drafts.pending(db, clerk.user_id)] == [{"name": "史湘云"}]
    assert decision_drafts.kept(db, clerk.user_id) == {("case-b", "return"): {"returnNote": "请补充"}}
    assert answer_drafts.kept(db, clerk.user_id, ["order-a", "order-b"]) == {"order-b": "今日签收"}
    with db.reading() as s:
        assert (
            s.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first()
            == "personal_data_purged"
        )
        purged = list(s.scalars(select(Person).where(Person.purged_at.is_not(None))))
        assert len(purged) == 3 and all(p.id_number_key is None for p in purged)
    with db.plain_reading() as c:
        assert audit_chain.verify(c.execute, db.keys).ok
        left = {r[0] for r in c.execute("SELECT DISTINCT person_id FROM person_name_keys")}
    assert not left & {p.id for p in purged}

    # The raw bytes: what was sealed for the purged people is in neither the database nor its -wal.
    purged_blobs = [sealed_before[p.id] for p in purged]
    files = [f for f in database_files(db.data_dir) if f.parent == db.data_dir]
    raw = b"".join(f.read_bytes() for f in files)
    assert not [b for b in purged_blobs if b in raw]
    assert found(["甄宝玉", "秦可卿", "贾宝玉"], files) == []
    assert purge.purge(db, now=NOW).cases == 0  # done once
    db.close()


def test_retention_is_configurable_and_checked(db: Database) -> None:
    assert purge.retention_days(db) == purge.DEFAULT_RETENTION_DAYS
    purge.set_retention_days(db, 30, actor="admin")
    assert purge.retention_days(db) == 30
    from clerk_desk.domain.errors import InputError

    with pytest.raises(InputError):
        purge.set_retention_days(db, 0)


def test_purge_runs_in_the_background_after_a_successful_sync(db: Database) -> None:
    svc, clerk = IntakeService(db), clerk_of(db)
    done = svc.complete_on_spot(form(party("甄宝玉", "010100")), clerk, result="已换发", now=OLD).cases[0]
    confirm(db, [done.case_uuid])

    class Engine:
        def __init__(self) -> None:
            self.listeners: list[object] = []

    class Status:
        def __init__(self, at: object) -> None:
            self.last_success = at

    engine = Engine()
    hook = purge.run_after_sync(db, engine)
    assert engine.listeners == [hook]
    hook(Status(None))  # no success yet: nothing runs
    hook(Status(NOW))
    assert hook._running.acquire(timeout=30)  # the background run has finished
    hook._running.release()
    assert applicant(db, done.case_uuid).name == PURGED
    with sqlite3.connect(db.path) as c:
        assert c.execute("SELECT count(*) FROM persons WHERE purged_at IS NOT NULL").fetchone() == (1,)
