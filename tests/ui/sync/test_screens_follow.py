"""Screens follow the data (ui/case_watch.py), against a real county hub on 127.0.0.1: an event pulled from
the hub or acknowledged by it updates the open case page, the list, its tab counts and the inbox within
1 s, without input. Each test first waits for the sync round to end (on its own thread, as in the app),
then gives the screen 1 s; pages read off the GUI thread (ThreadTaskRunner).

The three things a new user saw: a timeline row stayed 待上传 (or showed ``in_flight``) after the upload
while the status bar said 待上传 0; the approver's open case still said 结果待领取 after the window had
handed the result over; new cases appeared in the inbox only after 刷新.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from clerk_desk.services import accounts, site_setup
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.ui.case_watch import CaseWatch
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.inbox.inbox_page import InboxPage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import ThreadTaskRunner
from tests.services.test_intake import form
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import Desk, make_desk
from tests.ui.sync.conftest import SITE, Hub, accept, enrolled_demo_folder, shows, sign_in_clerk

WITHIN_MS = 1000
UPLOADED, WAITING = "已上传", "待上传"


@dataclass
class Office:
    db: Database
    engine: SyncEngine
    approver: Approver
    session: DeskSession


def office_desk(hub: Hub, folder: Path) -> Office:
    """An approver PC serving 人社, enrolled with the hub; its account comes from the hub's directory."""
    hub.admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
                   display_name="王芳")  # fmt: skip
    db = Database(folder)
    _device, code = hub.admin.device(SITE, "approver", serves=[(SITE, "rs")])
    enrolment.enrol(db, hub.url, code)
    engine = SyncEngine(db, lambda: enrolment.client_for(db), seed=2)
    engine.run_once()
    me = {u.username: u for u in accounts.list_users(db)}["wangfang"]
    return Office(db, engine, Approver(me.id, me.username, me.display_name),
                  DeskSession(me, site_setup.site_info(db), None, "approver"))  # fmt: skip


def window_session(desk: Desk) -> DeskSession:
    me = next(u for u in accounts.list_users(desk.db) if u.username == desk.clerk.username)
    return DeskSession(me, site_setup.site_info(desk.db), site_setup.list_windows(desk.db)[0], "clerk")


def followed(page: CasesPage | InboxPage, db: Database) -> CaseWatch:
    """The main window's wiring (MainWindow._page_built) for a page shown on its own."""
    watch = CaseWatch(db, parent=page)
    watch.casesChanged.connect(page.cases_changed)
    return watch


def sync_round(qtbot: QtBot, engine: SyncEngine) -> None:
    """One sync round on a thread of its own (its commits reach the screens from there, as in the app)."""
    t = threading.Thread(target=engine.run_once)
    t.start()
    qtbot.waitUntil(lambda: not t.is_alive(), timeout=30_000)


def column(table: QTableWidget, c: int) -> list[str]:
    return [table.item(r, c).text() for r in range(table.rowCount())]


@pytest.fixture
def threads() -> ThreadTaskRunner:
    return ThreadTaskRunner()


def test_a_timeline_row_says_uploaded_once_the_hub_has_it_and_the_status_bar_agrees(
    hub: Hub, start, qtbot: QtBot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", proxy.url, hub.code()))
        sign_in_clerk(s)
        qtbot.waitUntil(shows(s, "已连接", "待上传 0"), timeout=10_000)
        proxy.down()
        uid = accept(s.launch.db)
        window = s.controller.main_window
        assert window is not None and window.open_case(uid)
        timeline = window.findChild(QTableWidget, "caseTimeline")
        qtbot.waitUntil(lambda: column(timeline, 4) == [WAITING])
        qtbot.waitUntil(shows(s, "未连接", "待上传 1"), timeout=10_000)
        engine = s.controller.sync.engine
        before = engine.status().pushed_total
        proxy.up()
        s.controller.sync.sync_now()
        qtbot.waitUntil(lambda: engine.status().pushed_total > before and engine.status().waiting == 0, timeout=10_000)
        qtbot.waitUntil(lambda: column(timeline, 4) == [UPLOADED], timeout=WITHIN_MS)
        qtbot.waitUntil(shows(s, "已连接", "待上传 0"), timeout=WITHIN_MS)


def test_the_window_list_and_case_page_follow_the_hubs_answer_and_other_desks_cases(
    hub: Hub, qtbot: QtBot, tmp_path: Path, threads: ThreadTaskRunner
) -> None:
    here, there = make_desk(tmp_path / "here", hub.url, hub.admin), make_desk(tmp_path / "there", hub.url, hub.admin)
    page = CasesPage(here.db, threads, window_session(here))
    followed(page, here.db)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    uid = here.intake.accept(form(), here.clerk, delivery=Delivery("window")).cases[0].case_uuid
    page.show()
    page.list.set_view(q.WindowView.ALL)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [uid])
    assert page.list.model.row_at(0).pending_events == 1
    qtbot.waitUntil(lambda: page.list.counts_current)

    # Another window accepts a case and uploads it; this desk's sync round sends its own and pulls that one.
    theirs = there.intake.accept(form(), there.clerk, delivery=Delivery("window")).cases[0].case_uuid
    there.engine.run_once()
    sync_round(qtbot, here.engine)
    qtbot.waitUntil(lambda: {r.uuid for r in page.list.model.rows} == {uid, theirs}, timeout=WITHIN_MS)
    qtbot.waitUntil(lambda: page.list.model.row_at(0).uuid == theirs
                    and all(r.pending_events == 0 for r in page.list.model.rows), timeout=WITHIN_MS)  # fmt: skip
    qtbot.waitUntil(lambda: page.list.counts_current and page.list.counts[q.WindowView.ALL] == 2,
                    timeout=WITHIN_MS)  # fmt: skip
    assert page.list.tabs.tabText(page.list.tabs.currentIndex()).endswith("2")

    # The case page on screen: the hand-over is waiting, then the hub has it.
    page.open_case(uid)
    timeline = page.findChild(QTableWidget, "caseTimeline")
    qtbot.waitUntil(lambda: column(timeline, 4) == [UPLOADED])
    here.intake.transfer(uid, here.clerk)
    qtbot.waitUntil(lambda: column(timeline, 4) == [UPLOADED, WAITING], timeout=WITHIN_MS)  # a local act, too
    assert page.findChild(QLabel, "caseStatus").text() == "已流转后台"
    sync_round(qtbot, here.engine)
    qtbot.waitUntil(lambda: column(timeline, 4) == [UPLOADED, UPLOADED], timeout=WITHIN_MS)


def test_new_cases_appear_in_the_inbox_with_their_count_and_the_approvers_open_case_follows_the_window(
    hub: Hub, qtbot: QtBot, tmp_path: Path, threads: ThreadTaskRunner
) -> None:
    window = make_desk(tmp_path / "window", hub.url, hub.admin)
    office = office_desk(hub, tmp_path / "office")
    page = InboxPage(office.db, threads, office.session)
    followed(page, office.db)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitUntil(lambda: page.list.model.queried and not page.list.model.loading)
    assert page.list.model.rowCount() == 0

    # The window accepts and hands a case over; the office's sync round pulls it: no 刷新.
    uid = window.intake.accept(form(), window.clerk, delivery=Delivery("window")).cases[0].case_uuid
    window.intake.transfer(uid, window.clerk)
    window.engine.run_once()
    sync_round(qtbot, office.engine)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [uid], timeout=WITHIN_MS)
    qtbot.waitUntil(lambda: page.list.tabs.tabText(0).endswith("1"), timeout=WITHIN_MS)  # 待签收  1

    # The approver decides and returns the result; the case page stays open on it.
    svc = ApprovalService(office.db)
    svc.receive(uid, office.approver, paper_received=True)  # now: the hub takes no event from the future
    svc.decide(uid, office.approver, decision=APPROVED, result_text="准予注销登记")
    svc.return_result(uid, office.approver)
    page.open_case(uid)
    status = page.findChild(QLabel, "reviewStatus")
    qtbot.waitUntil(lambda: status.text() == "结果待领取")
    sync_round(qtbot, office.engine)
    window.engine.run_once()

    # The window hands the result over; the office's next round pulls it and the open page says so.
    deliver(window.db, uid, window.clerk, Handover("window", "applicant", id_checked=True))
    window.engine.run_once()
    sync_round(qtbot, office.engine)
    qtbot.waitUntil(lambda: status.text() == "已送达", timeout=WITHIN_MS)
    timeline = page.findChild(QTableWidget, "reviewTimeline")
    assert column(timeline, 1)[-1] == "送达" and set(column(timeline, 4)) == {UPLOADED}
