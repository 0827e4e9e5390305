"""County IT publishes next year's calendar with `county-hub calendar publish` while a 承诺件 accepted on
28 December 2026 for 5 working days sits signed for at the back office: before, the window and the
approver PC both hold 4 January (counted on weekends only, marked so); after one sync each, 5 January
(元旦 1-3 January in the test calendar, not the State Council's). A real hub over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.workdays import SHANGHAI, is_provisional
from clerk_desk.services import accounts
from clerk_desk.services.approvals import ApprovalService, Approver
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from county_hub.cli import main as hub_cli
from tests.services.test_intake import form
from tests.support.catalogs import calendar_2027
from tests.support.hub_server import HubAdmin, running_hub
from tests.sync.conftest import SITE, make_desk


def _due(db: Database, uid: str) -> tuple[str, bool]:
    with db.reading() as s:
        case = s.get(Case, uid)
        assert case is not None and case.due_at is not None
        return case.due_at.astimezone(SHANGHAI).date().isoformat(), is_provisional(case.due_calendar_version or "")


def test_the_back_office_counts_again_when_it_publishes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dec_28 = datetime(2026, 12, 28, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in 通山
    clock = [dec_28]
    with running_hub(tmp_path / "hub", clock_skew_s=60 * 86400) as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
                   display_name="王芳")  # fmt: skip
        window = make_desk(tmp_path / "window", url, admin, clock=lambda: clock[0])
        office_db = Database(tmp_path / "office")
        _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
        assert enrolment.enrol(office_db, url, code).kind == "approver"
        office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=2, clock=lambda: clock[0])

        five = replace(form(), items=(replace(form().items[0], promised_days=5),))
        uid = window.intake.accept(five, window.clerk, delivery=Delivery("window"), now=dec_28).cases[0].case_uuid
        window.intake.transfer(uid, window.clerk, now=dec_28 + timedelta(minutes=3))
        window.engine.run_once()
        office.run_once()
        me = {u.username: u for u in accounts.list_users(office_db)}["wangfang"]
        approver = Approver(me.id, me.username, me.display_name)
        ApprovalService(office_db).receive(uid, approver, paper_received=True, now=dec_28 + timedelta(minutes=9))
        office.run_once()
        window.engine.run_once()
        for db in (window.db, office_db):  # 29, 30, 31 December, 1 and 4 January: marked as weekends-only
            assert _due(db, uid) == ("2027-01-04", True)

        cal = tmp_path / "calendar-2027.json"
        cal.write_text(json.dumps(calendar_2027(), ensure_ascii=False), encoding="utf-8")
        assert hub_cli(["calendar", "publish", str(cal), "--data-dir", str(tmp_path / "hub")]) == 0
        assert "节假日安排已发布版本 2027-1" in capsys.readouterr().out
        clock[0] = dec_28 + timedelta(days=2)
        office.run_once()
        window.engine.run_once()
        for db in (window.db, office_db):  # 元旦 is 1-3 January: 29, 30, 31 December, 4 and 5 January
            assert _due(db, uid) == ("2027-01-05", False)
        with office_db.reading() as s:
            case = s.get(Case, uid)
            assert case is not None and case.status == "in_review"
