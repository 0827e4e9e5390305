"""The acts 统计 keeps (store/figure_counts.py) follow sync: a window's cases reach an approver's desk through
a real hub on 127.0.0.1 (sync's apply of pulled pages), the back office decides, the window pulls the
answers back; on both desks the kept acts equal what deriving them again gives, and the figures count what
happened."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from clerk_desk.domain import figures as fg
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, figures
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
from clerk_desk.store.database import Database
from clerk_desk.store.models import utcnow
from clerk_desk.store.sqlite_file import database_path
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from tests.services.test_figure_counts import same
from tests.sync.conftest import SITE, make_desk
from tests.sync.test_case_counts_sync import accept


def kept_is_derived(db: Database) -> None:
    with sqlite3.connect(database_path(db.data_dir)) as c:
        same(c)


def today(db: Database) -> fg.Figures:
    now = utcnow().astimezone(SHANGHAI).date()
    return figures.read(db, *figures.day_span(now - timedelta(days=1), now + timedelta(days=1))).figures


def test_kept_figures_follow_what_sync_applies(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, admin = hub
    admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
               display_name="王芳")  # fmt: skip
    window = make_desk(tmp_path / "window", url, admin)
    t0 = utcnow()
    uids = [accept(window, t0 + timedelta(seconds=i)) for i in range(4)]
    for i, uid in enumerate(uids[:3]):
        window.intake.transfer(uid, window.clerk, now=t0 + timedelta(minutes=1 + i))
    window.engine.run_once()
    kept_is_derived(window.db)

    office_db = Database(tmp_path / "office")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    enrolment.enrol(office_db, url, code)
    office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=2)
    office.run_once()  # the cases and their events arrive together: sync's apply of a pulled page
    kept_is_derived(office_db)
    pulled = today(office_db)
    assert (pulled.intakes, pulled.transfers, pulled.transfers_on_time) == (4, 3, 3)
    me = {u.username: u for u in accounts.list_users(office_db)}["wangfang"]
    approver = Approver(me.id, me.username, me.display_name)
    svc = ApprovalService(office_db)
    svc.receive(uids[0], approver, paper_received=True, now=t0 + timedelta(minutes=20))
    svc.decide(uids[0], approver, decision=APPROVED, result_text="准予", now=t0 + timedelta(minutes=30))
    kept_is_derived(office_db)
    office.run_once()

    window.engine.run_once()  # the decision comes back to the window's case
    kept_is_derived(window.db)
    back = today(window.db)
    assert (back.intakes, back.transfers, back.decisions, back.decisions_on_time) == (4, 3, 1, 1)
    assert back.to_decision.n == 1 and back.to_decision.mean is not None
    office_db.close()
