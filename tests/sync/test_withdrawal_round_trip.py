"""撤回 through a real county hub on 127.0.0.1: the window accepts and transfers; the approver PC signs
for the case; the window, offline, records the applicant's withdrawal request, then syncs; the approver
PC pulls, sees the request in its inbox and accepts it; the window pulls and the case is 已撤回. The hub's
log holds the events in order, once, and both desks agree. A request that crosses an approver's act it
had not seen is refused by the hub as stale and is redone on the current state."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from clerk_desk.services import accounts, case_queries, inbox
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver, served_pairs
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, utcnow
from clerk_desk.sync import enrolment, outbox
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.sync.hub_client import HubClient
from tests.services.test_intake import form
from tests.sync.conftest import SITE, Desk, make_desk

ASKED = Withdrawal("申请人决定暂不办理", "applicant", id_checked=True)


@dataclass
class Office:
    db: Database
    engine: SyncEngine
    approver: Approver
    serves: tuple[tuple[str, str], ...]


def _office(tmp_path: Path, url: str, admin) -> Office:  # type: ignore[no-untyped-def]
    admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
               display_name="王芳")
    db = Database(tmp_path / "office")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    assert enrolment.enrol(db, url, code).kind == "approver"
    engine = SyncEngine(db, lambda: enrolment.client_for(db), seed=2)
    engine.run_once()  # the hub's directory brings the approver's account
    me = {u.username: u for u in accounts.list_users(db)}["wangfang"]
    return Office(db, engine, Approver(me.id, me.username, me.display_name), served_pairs(db, me.id))


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepted_and_transferred(window: Desk) -> str:
    t0 = utcnow()
    uid = window.intake.accept(form(), window.clerk, delivery=Delivery("window"), now=t0).cases[0].case_uuid
    window.intake.transfer(uid, window.clerk, now=t0 + timedelta(minutes=3))
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0
    return uid


def _state(db: Database, uid: str) -> tuple[str, int, int, bool]:
    with db.reading() as s:
        c = s.get(Case, uid)
        assert c is not None
        return c.status, c.version, c.acked_version, c.withdrawal_requested


def _types(db: Database, uid: str) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(CaseEvent.type).where(CaseEvent.case_uuid == uid)
                              .order_by(CaseEvent.case_version)))


def test_a_withdrawal_asked_offline_at_the_window_is_accepted_by_the_back_office(hub, tmp_path: Path) -> None:
    url, admin = hub
    window = make_desk(tmp_path / "window", url, admin)
    office = _office(tmp_path, url, admin)
    uid = _accepted_and_transferred(window)

    # The back office pulls and signs for the paper; the window pulls that.
    office.engine.run_once()
    ApprovalService(office.db).receive(uid, office.approver, paper_received=True)
    office.engine.run_once()
    window.engine.run_once()
    assert _state(window.db, uid)[:2] == ("in_review", 3)

    # The link is down: the window records the applicant's request anyway; it waits in the outbox.
    token = "not-used"  # the probe fails before any token is sent
    offline = SyncEngine(window.db, lambda: HubClient(f"http://127.0.0.1:{_dead_port()}", token), seed=3)
    request_withdrawal(window.db, uid, window.clerk, ASKED)
    offline.run_once()
    assert offline.status().link_up is False
    assert outbox.counts(window.db).waiting == 1
    row = case_queries.page(window.db, case_queries.window_filter(case_queries.WindowView.BACK_OFFICE)).rows[0]
    assert row.uuid == uid and row.status_zh == "后台审批中（撤回申请中）"

    # The link is back: the request goes up.
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0 and _state(window.db, uid) == ("in_review", 4, 4, True)

    # The approver PC pulls: the case is under 撤回申请 with the reason; the approver accepts.
    office.engine.run_once()
    asked = inbox.page(office.db, inbox.inbox_filter(inbox.InboxView.WITHDRAWAL, office.serves)).rows
    assert [(r.uuid, r.withdrawal_reason) for r in asked] == [(uid, "申请人决定暂不办理")]
    assert inbox.counts(office.db, office.serves)[inbox.InboxView.WITHDRAWAL] == 1
    asked_there = read_case(office.db, uid).withdrawal
    assert asked_there is not None and asked_there.requested is not None and asked_there.requested.actor == "clerk1"
    accept_withdrawal(office.db, uid, office.approver, note="纸质材料退回窗口")
    office.engine.run_once()
    counts = outbox.counts(office.db)
    assert (counts.waiting, counts.rejected) == (0, 0)
    assert inbox.counts(office.db, office.serves)[inbox.InboxView.WITHDRAWAL] == 0

    # The window pulls: 已撤回, the request answered.
    window.engine.run_once()
    row = case_queries.page(window.db, case_queries.window_filter(case_queries.WindowView.ALL)).rows[0]
    assert (row.uuid, row.status, row.status_zh, row.withdrawal_requested) == (uid, "withdrawn", "已撤回", False)
    assert case_queries.page(window.db, case_queries.window_filter(case_queries.WindowView.BACK_OFFICE)).rows == ()

    # The hub's log: every event once, in order, each from the side that made it.
    client = enrolment.client_for(window.db)
    assert client is not None
    try:
        log = client.case_events(uid)
    finally:
        client.close()
    assert [(e["type"], e["side"], e["case_version"], e["actor"]) for e in log] == [
        ("accepted", "window", 0, "clerk1"), ("transferred", "window", 1, "clerk1"),
        ("received", "back_office", 2, "wangfang"), ("withdrawal_requested", "window", 3, "clerk1"),
        ("withdrawn", "back_office", 4, "wangfang"),
    ]
    seqs = [e["seq"] for e in log]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert log[3]["payload"]["reason"] == "申请人决定暂不办理" and log[4]["payload"]["note"] == "纸质材料退回窗口"

    # Both desks hold the same five events and the same state.
    for db in (window.db, office.db):
        assert _state(db, uid)[:3] == ("withdrawn", 5, 5)
        assert _types(db, uid) == [e["type"] for e in log]


def test_a_request_that_crosses_an_unseen_decision_is_refused_and_redone(hub, tmp_path: Path) -> None:
    url, admin = hub
    window = make_desk(tmp_path / "window", url, admin)
    office = _office(tmp_path, url, admin)
    uid = _accepted_and_transferred(window)
    office.engine.run_once()
    svc = ApprovalService(office.db)
    svc.receive(uid, office.approver, paper_received=True)
    office.engine.run_once()
    window.engine.run_once()

    # The approver decides; before the window hears of it, the window records the request.
    svc.decide(uid, office.approver, decision=APPROVED, result_text="准予注销登记")
    office.engine.run_once()
    request_withdrawal(window.db, uid, window.clerk, ASKED)
    window.engine.run_once()  # push: stale (made against version 3, the hub has 4); then the pull
    problems = outbox.problems(window.db)
    assert [(p["type"], p["state"]) for p in problems] == [("withdrawal_requested", "rejected")]
    assert problems[0]["reason"].startswith("stale_version")
    assert _state(window.db, uid) == ("decided", 4, 4, False)  # as the hub has it: nothing asked yet

    # The clerk sets the refused request aside and asks again on the current state.
    assert outbox.set_aside(window.db, uid, "clerk1") == 1
    request_withdrawal(window.db, uid, window.clerk, ASKED)
    window.engine.run_once()
    assert outbox.counts(window.db).rejected == 0 and _state(window.db, uid) == ("decided", 5, 5, True)
    office.engine.run_once()
    assert [r.uuid for r in inbox.page(office.db, inbox.inbox_filter(inbox.InboxView.WITHDRAWAL, office.serves)).rows] == [uid]
