"""A case's whole way through a real county hub on 127.0.0.1: the window accepts and transfers; an
approver PC (its own data folder, enrolled as an approver device serving 人社) pulls it, signs for it,
stops and resumes the clock, decides and returns the result; the window pulls the result, sees the due
date the pause moved, and hands it over. The hub's log holds every event, in order, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, case_queries, inbox
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver, served_pairs
from clerk_desk.services.case_read import read_case
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, utcnow
from clerk_desk.sync import enrolment, outbox
from clerk_desk.sync.engine import SyncEngine
from tests.services.test_intake import ID, form
from tests.sync.conftest import SITE, make_desk


def test_window_to_back_office_and_back_through_the_hub(hub, tmp_path: Path) -> None:
    url, admin = hub
    admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
               display_name="王芳")
    window = make_desk(tmp_path / "window", url, admin)

    office_db = Database(tmp_path / "office")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    assert enrolment.enrol(office_db, url, code).kind == "approver"
    office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=2)

    # The window: accept (人社, 3 working days) and hand over; one sync round.
    t0 = utcnow()
    uid = window.intake.accept(form(), window.clerk, delivery=Delivery("window"), now=t0).cases[0].case_uuid
    window.intake.transfer(uid, window.clerk, now=t0 + timedelta(minutes=3))
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0

    # The back office pulls: the case is in its inbox with the applicant and the checklist as reviewed.
    office.run_once()
    me = {u.username: u for u in accounts.list_users(office_db)}["wangfang"]
    assert me.serves == ((SITE, "rs"),)
    approver = Approver(me.id, me.username, me.display_name)
    serves = served_pairs(office_db, me.id)
    rows = inbox.page(office_db, inbox.inbox_filter(inbox.InboxView.TO_SIGN, serves)).rows
    assert [r.uuid for r in rows] == [uid]
    assert rows[0].transfer is not None and rows[0].transfer.took_s == 180 and not rows[0].transfer.late
    review = read_case(office_db, uid)
    assert review.parties.applicant is not None and review.parties.applicant.id_number == ID
    assert [m.name for m in review.checklist] == ["居民身份证", "户口簿", "死亡证明"]
    due_before = review.due_at
    assert due_before is not None

    svc = ApprovalService(office_db)
    svc.receive(uid, approver, paper_received=True, now=t0 + timedelta(minutes=10))
    svc.pause(uid, approver, procedure="expert_review", reason="专家评审", now=t0 + timedelta(minutes=20))
    resumed = svc.resume(uid, approver, now=t0 + timedelta(days=10))
    assert resumed.due_at is not None and resumed.due_at > due_before
    svc.decide(uid, approver, decision=APPROVED, result_text="准予注销登记", document_number="通人社〔2026〕7号",
               now=t0 + timedelta(days=10, minutes=5))
    svc.return_result(uid, approver, now=t0 + timedelta(days=10, minutes=10))
    office.run_once()
    counts = outbox.counts(office_db)
    assert (counts.waiting, counts.rejected) == (0, 0)

    # The window pulls: the result waits for hand-over, with the due date the pause moved.
    window.engine.run_once()
    results = case_queries.page(window.db, case_queries.window_filter(case_queries.WindowView.RESULTS)).rows
    assert [r.uuid for r in results] == [uid]
    assert results[0].due_at is not None
    assert results[0].due_at.astimezone(SHANGHAI).date() == resumed.due_at.astimezone(SHANGHAI).date()
    deliver(window.db, uid, window.clerk, Handover("window", "applicant", id_checked=True),
            now=t0 + timedelta(days=11))
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0

    # The hub's log: every event once, in order, each from the side and device that made it.
    client = enrolment.client_for(window.db)
    assert client is not None
    try:
        log = client.case_events(uid)
    finally:
        client.close()
    assert [(e["type"], e["side"], e["case_version"]) for e in log] == [
        ("accepted", "window", 0), ("transferred", "window", 1), ("received", "back_office", 2),
        ("clock_paused", "back_office", 3), ("clock_resumed", "back_office", 4), ("decided", "back_office", 5),
        ("result_returned", "back_office", 6), ("delivered", "window", 7),
    ]
    seqs = [e["seq"] for e in log]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [e["actor"] for e in log] == ["clerk1", "clerk1", *["wangfang"] * 5, "clerk1"]
    assert log[5]["payload"]["document_number"] == "通人社〔2026〕7号"

    # The back office pulls the hand-over too: both desks hold the same eight events and the same state.
    office.run_once()
    for db in (window.db, office_db):
        with db.reading() as s:
            case = s.get(Case, uid)
            assert case is not None and (case.status, case.version, case.acked_version) == ("delivered", 8, 8)
            assert list(s.scalars(select(CaseEvent.type).where(CaseEvent.case_uuid == uid)
                                  .order_by(CaseEvent.case_version))) == [e["type"] for e in log]
