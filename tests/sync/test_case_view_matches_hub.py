"""The case a desk shows is the case the county hub holds: a whole case life through a real hub on
127.0.0.1 (accepted with an agent and a pledge, handed over late, signed for, paused and resumed,
decided, returned, handed over, printed); a third desk that only pulled it shows exactly the view the
fold makes of what the hub's ``GET /cases/{uuid}/events`` returns, and so does the window that made it
(but for where each event came from: its own, or pulled)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from clerk_desk.domain.case_fold import Directory, fold_wire
from clerk_desk.domain.case_view import CaseView, Origin
from clerk_desk.services import accounts, print_log
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver, served_pairs
from clerk_desk.services.case_read import read_case
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party, Pledge
from clerk_desk.store.database import Database
from clerk_desk.store.models import Department, User, Window, utcnow
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from tests.services.test_intake import ID, PENSION
from tests.sync.conftest import SITE, make_desk
from tests.ui.cases.case_kit import resident_id


def directory(db: Database) -> Directory:
    """The names a desk knows (departments, accounts, windows): labels, not facts of the case."""
    with db.reading() as s:
        return Directory(dict(s.query(Department.code, Department.name).all()),
                         dict(s.query(User.username, User.display_name).all()),
                         dict(s.query(Window.id, Window.name).all()))  # fmt: skip


def as_pulled(view: CaseView) -> CaseView:
    """The same case seen from a desk that pulled every event of it."""
    return dataclasses.replace(view, events=tuple(dataclasses.replace(e, origin=Origin.HUB) for e in view.events))


def without_persons(view: CaseView) -> CaseView:
    """The desk that made the case keeps its people in its own (purgeable) table; the wire carries them in
    the event that names them (docs/sync-protocol.md). The parts of the view are the same either way."""
    return dataclasses.replace(view, events=tuple(
        dataclasses.replace(e, payload={k: x for k, x in e.payload.items() if k != "persons"}) for e in view.events))


def test_the_desks_view_is_the_fold_of_the_hubs_log(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, admin = hub
    admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
               display_name="王芳")  # fmt: skip
    window = make_desk(tmp_path / "window", url, admin)
    office_db = Database(tmp_path / "office")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    enrolment.enrol(office_db, url, code)
    office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=2)

    t0 = utcnow()
    form = IntakeForm(
        items=(PENSION,), applicant=Party("person", "张三", ID, phone="13812345678", address="通山县通羊镇"),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                   MaterialCheck("户口簿", provided=True, form="copy", copies=1),
                   MaterialCheck("死亡证明", waivable=True, provided=False)),
        agent=Party("person", "张小明", resident_id(7), relation="儿子"), channel="ehb",
        online_application_no="EHB-2026-0001",
    )  # fmt: skip
    uid = window.intake.accept(form, window.clerk, delivery=Delivery("post", "通山县通羊镇新城路8号", "138"),
                               pledge=Pledge(("死亡证明",), t0.date() + timedelta(days=30)), now=t0).cases[0].case_uuid
    print_log.record_print(window.db, uid, "receipt", actor="clerk1", now=t0 + timedelta(minutes=1))
    window.intake.transfer(uid, window.clerk, now=t0 + timedelta(minutes=20))  # late
    window.engine.run_once()

    office.run_once()
    me = {u.username: u for u in accounts.list_users(office_db)}["wangfang"]
    approver = Approver(me.id, me.username, me.display_name)
    assert served_pairs(office_db, me.id) == ((SITE, "rs"),)
    svc = ApprovalService(office_db)
    svc.receive(uid, approver, paper_received=True, now=t0 + timedelta(minutes=25))
    svc.pause(uid, approver, procedure="expert_review", reason="专家评审", now=t0 + timedelta(minutes=30))
    svc.resume(uid, approver, now=t0 + timedelta(minutes=40))
    svc.decide(uid, approver, decision=APPROVED, result_text="准予注销登记", document_number="通人社〔2026〕7号",
               now=t0 + timedelta(minutes=50))  # fmt: skip
    svc.return_result(uid, approver, now=t0 + timedelta(minutes=55))
    office.run_once()

    window.engine.run_once()
    deliver(window.db, uid, window.clerk, Handover("post", tracking_no="EMS1234567890CN"), now=t0 + timedelta(hours=1))
    window.engine.run_once()

    third = make_desk(tmp_path / "third", url, admin)  # a desk that has never seen the case
    third.engine.run_once()
    client = enrolment.client_for(third.db)
    assert client is not None
    log = client.case_events(uid)
    client.close()
    assert [e["type"] for e in log] == ["accepted", "pledge_recorded", "document_printed", "transferred", "received",
                                        "clock_paused", "clock_resumed", "decided", "result_returned", "delivered"]

    pulled = read_case(third.db, uid)
    assert pulled == fold_wire(log, directory=directory(third.db))
    assert pulled.status == "delivered" and pulled.transfer is not None and pulled.transfer.late
    assert pulled.parties.agent is not None and pulled.parties.agent.name == "张小明"
    assert pulled.intake.online_application_no == "EHB-2026-0001" and pulled.pledge is not None
    assert pulled.decision is not None and pulled.decision.act.actor_name == "王芳"
    assert pulled.prints_of("receipt") == 1 and pulled.pending_events == 0

    made = read_case(window.db, uid)
    assert as_pulled(made) == without_persons(fold_wire(log, directory=directory(window.db)))
