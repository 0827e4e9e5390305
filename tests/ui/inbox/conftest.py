"""Fixtures for the back-office inbox: the demo site on a real SQLite file, cases accepted and transferred
at the window through IntakeService, a session for approver1 (serves 人社, 医保, 民政) in approver mode."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.approvals import ApprovalService, Approver
from clerk_desk.services.intake import CaseOutcome, Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, Party
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession
from tests.support.routing import at_window_for
from tests.ui.cases.case_kit import PENSION, Clock, checklist, resident_id

POLICE = ItemRef("GA-001", "居住证签注", "ga", "promise", promised_days=5)


@dataclass
class Office:
    db: Database
    intake: IntakeService
    approvals: ApprovalService
    clerk: Clerk
    approver: Approver
    session: DeskSession  # approver1, approver mode
    clerk_session: DeskSession  # clerk1 at the first window
    clock: Clock
    made: list[CaseOutcome] = field(default_factory=list)

    def transferred(self, name: str = "张三", item: ItemRef = PENSION, *, late: bool = False) -> str:
        form = IntakeForm((item,), Party("person", name, resident_id(len(self.made)), phone="13812345678"),
                          checklist())
        at = self.clock.now - timedelta(minutes=30) + timedelta(seconds=len(self.made))
        clerk = at_window_for(self.db, self.clerk, item, at.astimezone(SHANGHAI).date())  # 公安: 公安窗口
        res = self.intake.accept(form, clerk, delivery=Delivery("window"), now=at)
        self.made.append(res.cases[0])
        uid = res.cases[0].case_uuid
        self.intake.transfer(uid, clerk, now=at + timedelta(minutes=20 if late else 3))
        return uid


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    users = {u.username: u for u in accounts.list_users(db)}
    site = site_setup.site_info(db)
    w = site_setup.list_windows(db)[0]
    a, c = users["approver1"], users["clerk1"]
    yield Office(
        db, IntakeService(db), ApprovalService(db), Clerk(c.id, c.username, c.display_name, w.id, w.name),
        Approver(a.id, a.username, a.display_name), DeskSession(a, site, None, "approver"),
        DeskSession(c, site, w, "clerk"), Clock(),
    )
    db.close()
