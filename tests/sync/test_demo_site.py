"""The demo site (services/demo.py, scripts/demo.sh --approver): every kind of window routing as the plan says,
an urgent and a 容缺 item in its catalog, and the back office's demo PC where approver1 signs in and acts on
what the window PC handed over through a real hub; every paper from a demo site says 演示."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from clerk_desk.domain.routing import Item, taker
from clerk_desk.services import accounts, catalog_service, demo, site_setup
from clerk_desk.services.approvals import ApprovalService, Approver
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.services.sign_in import authenticate
from clerk_desk.store.database import Database
from clerk_desk.store.models import utcnow
from clerk_desk.sync import enrolment, outbox
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.ui.session import approver_mode_for
from tests.services.test_intake import form
from tests.sync.conftest import SITE, make_desk


def test_the_demo_windows_route_every_kind(tmp_path: Path) -> None:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    windows = site_setup.list_windows(db, include_inactive=True)
    assert {w.kind for w in windows} == {"comprehensive", "police", "department", "tidal", "consultation"}
    routes = [w.route() for w in windows]
    today = date(2026, 12, 7)
    expected = {
        "LOCAL-GA-dcc76c59": "公安窗口",  # urgent, 公安
        "LOCAL-ZRZY-c2bca2f6": "自然资源专窗",  # kept by the 部门专窗
        "002014006009": "综合窗口（一）",  # 人社, the 容缺 item
        "LOCAL-YB-ea70fa87": "综合窗口（一）",  # the 综合窗口 takes it too; the 潮汐窗口 adds capacity
    }
    for code, window in expected.items():
        d = catalog_service.get_item(db, code)
        assert taker(Item(d.code, d.name, d.department_code), today, routes).name == window  # type: ignore[union-attr]
    tidal = next(w for w in windows if w.kind == "tidal")
    assert (tidal.valid_from, tidal.valid_to) == (date(2026, 9, 1), date(2027, 2, 28))
    assert demo.tidal_season(date(2027, 5, 1)) == (date(2027, 9, 1), date(2028, 2, 29))
    assert demo.tidal_season(date(2027, 1, 10)) == (date(2026, 9, 1), date(2027, 2, 28))
    police_item = catalog_service.get_item(db, "LOCAL-GA-dcc76c59")
    assert police_item.urgency == "urgent"
    pension = catalog_service.get_item(db, "002014006009")
    assert any(m.waivable for m in pension.materials)  # 容缺
    db.close()


def test_approver1_acts_on_the_approver_demo_pc_through_the_hub(hub, tmp_path: Path) -> None:
    url, admin = hub
    window = make_desk(tmp_path / "demo", url, admin)
    accounts_ = demo.ensure_demo_site(window.db)
    office_db = Database(tmp_path / "demo" / demo.APPROVER_FOLDER)
    demo.ensure_demo_approver_pc(office_db, accounts_)
    info = site_setup.site_info(office_db)
    assert (info.mode, info.device_code, info.demo) == ("approver", demo.APPROVER_DEVICE, True)
    password = next(a.password for a in accounts_ if a.username == "approver1")
    user = authenticate(office_db, "approver1", password)
    assert approver_mode_for(user, info)  # the approver PC opens the inbox, not the window pages
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs"), (SITE, "yb"), (SITE, "mz")],
                                 code=demo.APPROVER_DEVICE)
    enrolment.enrol(office_db, url, code)
    office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=3)

    t0 = utcnow()
    uid = window.intake.accept(form(), window.clerk, delivery=Delivery("window"), now=t0).cases[0].case_uuid
    window.intake.transfer(uid, window.clerk, now=t0 + timedelta(minutes=2))
    window.engine.run_once()
    office.run_once()
    me = next(u for u in accounts.list_users(office_db) if u.username == "approver1")
    ApprovalService(office_db).receive(uid, Approver(me.id, me.username, me.display_name), paper_received=True,
                                       now=t0 + timedelta(minutes=5))
    office.run_once()
    assert (outbox.counts(office_db).waiting, outbox.counts(office_db).rejected) == (0, 0)
    window.engine.run_once()
    assert read_case(window.db, uid).status.value == "in_review"
    office_db.close()
