"""A 容缺 pledge's whole life through a real county hub on 127.0.0.1: recorded at intake, the material brought
to the window for one case and straight to the back office for another, a third noted overdue the day after
its date; every event reaches the hub once and both desks fold the same pledges."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from clerk_desk.domain.lifecycle import Side
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, pledges
from clerk_desk.services.approvals import ApprovalService, Approver
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake_forms import Delivery, MaterialCheck, Pledge
from clerk_desk.store.database import Database
from clerk_desk.store.models import utcnow
from clerk_desk.sync import enrolment, outbox
from clerk_desk.sync.engine import SyncEngine
from tests.services.test_intake import form
from tests.sync.conftest import SITE, make_desk
from tests.ui.cases.case_kit import resident_id

OWED = "死亡证明"


def test_a_pledge_from_intake_to_fulfilled_or_overdue_over_the_hub(hub, tmp_path: Path) -> None:
    url, admin = hub
    admin.user(
        "wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")], display_name="王芳"
    )
    window = make_desk(tmp_path / "window", url, admin)
    office_db = Database(tmp_path / "office")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    enrolment.enrol(office_db, url, code)
    office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=2)

    t0 = utcnow()
    today = t0.astimezone(SHANGHAI).date()
    owed = (
        MaterialCheck("居民身份证", provided=True, form="original", copies=1),
        MaterialCheck("户口簿", provided=True, form="copy", copies=1),
        MaterialCheck(OWED, waivable=True, provided=False),
    )

    def pledged(n: int, due_in_days: int) -> str:
        f = form(checklist=owed)
        f = replace(f, applicant=replace(f.applicant, id_number=resident_id(n)))
        return (
            window.intake.accept(
                f,
                window.clerk,
                delivery=Delivery("window"),
                now=t0 + timedelta(seconds=n),
                pledge=Pledge((OWED,), today + timedelta(days=due_in_days)),
            )
            .cases[0]
            .case_uuid
        )

    at_window, in_office, late = pledged(1, 5), pledged(2, 5), pledged(3, 1)
    window.intake.transfer(in_office, window.clerk, now=t0 + timedelta(minutes=3))
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0

    # The back office signs for its case and takes the owed paper the applicant brought there.
    office.run_once()
    me = {u.username: u for u in accounts.list_users(office_db)}["wangfang"]
    ApprovalService(office_db).receive(
        in_office,
        Approver(me.id, me.username, me.display_name),
        paper_received=True,
        now=t0 + timedelta(minutes=10),
    )
    pledges.record_arrived(
        office_db, in_office, actor="wangfang", side=Side.BACK_OFFICE, now=t0 + timedelta(hours=1)
    )
    office.run_once()
    assert (outbox.counts(office_db).waiting, outbox.counts(office_db).rejected) == (0, 0)

    # The window: one applicant brings the material; two days on, the third pledge is past its date.
    pledges.record_arrived(
        window.db, at_window, actor="clerk1", side=Side.WINDOW, now=t0 + timedelta(hours=2)
    )
    two_days_on = t0 + timedelta(days=2)
    assert [p.row.uuid for p in pledges.overdue_pledges(window.db, two_days_on)] == [late]
    assert pledges.note_overdue(window.db, actor="clerk1", now=two_days_on) == [late]
    window.engine.run_once()
    assert (outbox.counts(window.db).waiting, outbox.counts(window.db).rejected) == (0, 0)

    # The hub's log holds each pledge's events once, from the side that made them.
    client = enrolment.client_for(window.db)
    assert client is not None
    try:
        logs = {
            uid: [(e["type"], e["side"], e["actor"]) for e in client.case_events(uid)]
            for uid in (at_window, in_office, late)
        }
    finally:
        client.close()
    assert logs[at_window] == [
        ("accepted", "window", "clerk1"),
        ("pledge_recorded", "window", "clerk1"),
        ("pledge_fulfilled", "window", "clerk1"),
    ]
    assert logs[in_office][-1] == ("pledge_fulfilled", "back_office", "wangfang")
    assert logs[late] == [
        ("accepted", "window", "clerk1"),
        ("pledge_recorded", "window", "clerk1"),
        ("pledge_overdue", "window", "clerk1"),
    ]

    # Both desks fold the same pledges: the window learns the back office took the paper, and the other way.
    window.engine.run_once()
    office.run_once()
    for db in (window.db, office_db):
        got = read_case(db, in_office).pledge
        assert (
            got is not None
            and not got.open
            and got.fulfilled is not None
            and got.fulfilled.actor == "wangfang"
        )
    late_view = read_case(window.db, late).pledge
    assert late_view is not None and late_view.open and late_view.overdue_noted is not None
    assert [p.row.uuid for p in pledges.overdue_pledges(window.db, two_days_on)] == [late]
