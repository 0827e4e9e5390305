"""Walk every page and dialog of a desk full of realistic long texts and report every text that does not fit.

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json QT_SCALE_FACTOR=1.5 \\
        .venv/bin/python -m tests.ui.clipping.walk OUT_DIR

Run once per screen configuration (a process each: the screen and the scale are fixed when Qt starts;
tests/ui/clipping/test_clipping.py starts them, with the screen's height less a 40 px Windows taskbar, so
the offscreen screen is the free area a hall PC has). The main window is opened as the desk opens it on
this screen and must fit it; then it is given the room a maximised window has (the screen less a 31 px
title bar) and every page is walked there. Dialogs open as the desk opens them (ui/screen_fit.py) and
must fit the screen with their frame. Each surface is saved as OUT_DIR/<nn>-<surface>.png;
OUT_DIR/report.json holds the figures and every clip (fit.py says what is checked).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QWidget  # noqa: E402

from tests.ui.clipping.fit import Checked, inspect, window_problem  # noqa: E402

FRAME = QSize(16, 39)  # the borders and title bar Windows draws around a window
TITLE_BAR = 31


# The acts that stay on screen whatever the page holds (the case pages' and the intake's bodies scroll above them)
ON_SCREEN = frozenset({"caseBack", "caseTransfer", "caseReprint", "caseDeliver", "reviewBack", "intakeBack",
                       "intakeNext", "attendanceOpeningSave", "outcomeAccept", "outcomePledge", "outcomeOnSpot",
                       "outcomeNotify", "outcomeRefuse", "donePrintA4", "donePrint80", "donePreview",
                       "donePrintPledge", "doneTransfer", "doneNext"})


class Walk:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.results: list[Checked] = []
        self.windows: list[str] = []  # windows that do not fit
        self.keep: list[QWidget] = []
        screen = QApplication.primaryScreen()
        available = screen.availableGeometry()
        self.room = available.size()  # the test's screen is already less the taskbar
        self.client = QSize(self.room.width(), self.room.height() - TITLE_BAR)  # a maximised main window

    def settle(self) -> None:
        for _ in range(4):
            QApplication.processEvents()

    def surface(self, name: str, widget: QWidget, root: QWidget | None = None) -> Checked:
        """Check and save one surface (``root``: the part checked, default the whole window)."""
        self.settle()
        if widget.objectName() == "mainWindow":  # given a maximised window's room: it must not need more
            size = widget.size()
            if size.width() > self.client.width() or size.height() > self.client.height():
                self.windows.append(f"{name}: the main window needs {size.width()}×{size.height()}, a maximised "
                                    f"window has {self.client.width()}×{self.client.height()}")
        for b in (root or widget).findChildren(QPushButton):
            if b.objectName() in ON_SCREEN and b.isVisible() and b.visibleRegion().boundingRect() != b.rect():
                self.windows.append(f"{name}: 「{b.text()}」 ({b.objectName()}) is not whole on screen")
        result = inspect(root or widget, name)
        self.results.append(result)
        n = len(self.results)
        widget.grab().save(str(self.out / f"{n:02d}-{_file_name(name)}.png"))
        return result

    def dialog(self, name: str, dialog: QWidget) -> Checked:
        self.keep.append(dialog)
        if not dialog.isVisible():
            dialog.show()
        self.settle()
        problem = window_problem(dialog, self.room, FRAME)
        if problem:
            self.windows.append(f"{name}: {problem}")
        # Enter on a focused button presses that button, never the dialog's default act (widgets.enter_clicks)
        for b in dialog.findChildren(QPushButton):
            if b.isVisible() and not (b.isDefault() or b.autoDefault() or b.property("enterClicks")):
                self.windows.append(f"{name}: Enter on a focused 「{b.text()}」 ({b.objectName()}) presses the "
                                    f"dialog's default button")  # fmt: skip
        return self.surface(name, dialog)

    def report(self) -> dict[str, Any]:
        return {
            "screen": [QApplication.primaryScreen().geometry().width(),
                       QApplication.primaryScreen().geometry().height()],
            "scale": QApplication.primaryScreen().devicePixelRatio(),
            "surfaces": len(self.results),
            "widgets": sum(r.widgets for r in self.results),
            "texts": sum(r.texts for r in self.results),
            "windows": self.windows,
            "clips": [asdict(c) for r in self.results for c in r.clips],
            "per_surface": [[r.surface, r.widgets, r.texts, len(r.clips)] for r in self.results],
        }


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-")


def main_window(walk: Walk, desk: Any, session: Any, runner: Any, settings: Any) -> Any:
    from clerk_desk.ui.main_window import MainWindow

    window = MainWindow(desk.db, runner, session, window_settings=settings)
    window.show_as_remembered()  # as the desk opens it on this screen
    walk.keep.append(window)
    walk.settle()
    geometry = window.frameGeometry()
    available = QApplication.primaryScreen().availableGeometry()
    # At a scale that does not divide the screen (1366 px at 125 % is 1092.8 px) Qt rounds the maximised frame
    # up by a pixel: a bare QMainWindow maximised there reports 1094×575 on a 1093×574 screen.
    if not available.adjusted(-1, -1, 1, 1).contains(geometry):
        walk.windows.append(f"main window opens at {geometry.width()}×{geometry.height()}+{geometry.x()}+"
                            f"{geometry.y()}, the screen has {available.width()}×{available.height()}")
    least = window.minimumSize().expandedTo(window.minimumSizeHint())
    if least.width() > walk.client.width() or least.height() > walk.client.height():
        walk.windows.append(f"main window needs at least {least.width()}×{least.height()}, a maximised window "
                            f"has {walk.client.width()}×{walk.client.height()}")
    window.showNormal()
    window.resize(walk.client)
    walk.settle()
    return window


def page(walk: Walk, window: Any, key: str, name: str, prepare: Callable[[Any], object] | None = None) -> Any:
    window.show_page(key)
    p = window.pages[key]
    walk.settle()
    if prepare is not None:
        prepare(p)
    walk.surface(name, window)
    return p


def run(out: Path) -> dict[str, Any]:
    from PySide6.QtCore import QSettings

    from clerk_desk.services import accounts
    from clerk_desk.services import case_queries as q
    from clerk_desk.services.inbox import InboxView
    from clerk_desk.services.intake_forms import Party
    from clerk_desk.ui import look, notify
    from clerk_desk.ui.session import DeskSession
    from clerk_desk.ui.task_runner import SyncTaskRunner
    from tests.ui.clipping.long_text import ADDRESS, LongText
    from tests.ui.hostile.hostile_desk import BUNDLE, ITEM_1, build, resident_id

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    translators = look.setup(app)  # noqa: F841
    notes = notify.RecordingNotifier()
    notify.set_notifier(notes)
    walk = Walk(out)
    runner = SyncTaskRunner()
    tmp = Path(tempfile.mkdtemp(prefix="clipping-"))
    v = LongText()
    desk = build(tmp, "", v)
    now = datetime.now(UTC)
    _more_cases(desk, now)
    from tests.ui.hall.hall_kit import add_hall_records

    add_hall_records(desk, now)  # consultations, 帮办代办, ratings, a clerk on the window
    settings = QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)

    # -- the window side ---------------------------------------------------------------------------
    window = main_window(walk, desk, desk.clerk_session, runner, settings)
    # the status bar as it is once sync has started, with the most it says (the approver's keeps 同步正在启动…)
    from clerk_desk.sync.engine import SyncStatus
    from clerk_desk.ui.sync.status_widget import SyncStatusWidget

    busy = SyncStatusWidget()
    busy.set_status(SyncStatus(enrolled=True, link_up=False, waiting=12, rejected=1, last_error=desk.v("链路错误")))
    window.set_sync_status_widget(busy)
    walk.settle()
    page(walk, window, "home", "home (clerk and admin)")
    intake = page(walk, window, "intake", "intake: item search", lambda p: p.item.search.setText("救助"))
    intake.use_selection(desk.bundle)
    intake.applicant.set_values(
        Party("person", v("申请人录入"), resident_id(50), "13812345678", ADDRESS),
        Party("person", v("代理人录入"), resident_id(51), "13912345678", relation=v("关系录入")),
        "hubei_portal", "HBZW-20260929-000123456",
    )
    walk.surface("intake: applicant with agent, online", window)
    intake.applicant.org.setChecked(True)
    intake.applicant.name.setText("通山县洪港镇富水湖生态农业专业合作社联合社")
    intake.applicant.name_error.setText("请填写单位名称")
    intake.applicant.name_error.setVisible(True)
    walk.surface("intake: organisation applicant", window)
    intake.applicant.person.setChecked(True)
    intake.applicant.name.setText(v("申请人录入"))
    intake.go("checklist")
    walk.surface("intake: checklist", window)
    names = [m.name for m in intake.checklist.rows]
    intake.checklist.mark_all_provided()
    intake.checklist.set_provided(names.index(v("材料一")), False)
    intake.go("outcome")
    walk.surface("intake: outcome (material owed)", window)
    intake.checklist.set_provided(names.index(v("共用材料")), False)
    intake.go("outcome")
    walk.surface("intake: outcome (required material missing)", window)
    intake.checklist.set_provided(names.index(v("共用材料")), True)
    intake.go("outcome")
    for edit in intake.outcome.days_edits:
        edit.setText("20")
    intake.done.print_sink = lambda _doc, _paper, _preview: True
    intake.submit("pledge")
    walk.surface("intake: done (three cases)", window)
    intake.done.rate.setVisible(True)  # a 即办件's done panel also offers the rating (好差评 on the spot)
    walk.surface("intake: done (rating offered)", window)
    intake.done.rate.setVisible(False)

    cases = page(walk, window, "cases", "cases: list (today)")
    for view in (q.WindowView.TO_TRANSFER, q.WindowView.BACK_OFFICE, q.WindowView.RESULTS, q.WindowView.ALL):
        cases.list.set_view(view)
        walk.surface(f"cases: list ({view.value})", window)
    cases.list.set_view(q.WindowView.ALL)
    cases.list.table.selectRow(0)
    walk.surface("cases: list, a row selected", window)
    for key, uuid in desk.cases.items():
        cases.open_case(uuid)
        walk.surface(f"case page ({key})", window)
    cases.open_case(desk.cases["decided"])
    cases.case.deliver()
    dialog = cases.case.deliver_dialog
    for i in range(dialog.method.count()):
        dialog.method.setCurrentIndex(i)
        if dialog.recipient.isVisible():
            dialog.recipient.setCurrentIndex(dialog.recipient.count() - 1)
        walk.dialog(f"hand-over dialog ({dialog.method.currentData()})", dialog)
    dialog.reject()
    cases.open_case(desk.cases["accepted"])
    cases.case.withdraw("withdraw")
    walk.dialog("withdraw dialog", cases.case.withdraw_dialog)
    cases.case.withdraw_dialog.reject()
    cases.open_case(desk.cases["decided"])
    cases.case.withdraw("request")
    walk.dialog("request withdrawal dialog", cases.case.withdraw_dialog)
    cases.case.withdraw_dialog.reject()
    cases.case.back_button.click()

    page(walk, window, "archive", "daily archive")
    results = page(walk, window, "results", "results to notify (not yet reached)")
    results.view.setCurrentIndex(results.view.findData("all"))
    walk.surface("results to notify (all waiting)", window)
    notice = window.results_notice
    notice._arrived(results.lines or [])  # the notice as a result comes back
    if results.lines:
        walk.surface("results notice", window)
    notice.dismiss()
    pledges_page = page(walk, window, "pledges", "容缺 follow-up (still owed)")
    pledges_page.view.setCurrentIndex(pledges_page.view.findData("overdue"))
    walk.surface("容缺 follow-up (overdue)", window)
    pledges_page.view.setCurrentIndex(pledges_page.view.findData("open"))
    from clerk_desk.ui.pledges.pledges_page import ArrivedDialog

    assert pledges_page.lines, "the walk's intake left a pledge to follow up"
    arrived = ArrivedDialog(pledges_page.lines[0], pledges_page)
    walk.dialog("容缺 material arrived dialog", arrived)
    arrived.reject()

    from tests.ui.clipping.hall import hall_surfaces

    hall_surfaces(walk, window, page)

    def search_catalog(p: Any) -> None:
        p.search.setText("证")
        deadline = time.monotonic() + 2  # the detail pane follows the highlighted row a moment later
        while p.page.current_code is None and time.monotonic() < deadline:
            QApplication.processEvents()

    catalog = page(walk, window, "catalog", "catalog: results", search_catalog)
    catalog.open_item(ITEM_1)
    walk.surface("catalog: item page", window)
    from clerk_desk.services import catalog_service

    catalog.page.show_theme(catalog_service.get_theme(desk.db, BUNDLE))
    walk.surface("catalog: bundle page", window)
    admin = page(walk, window, "admin", "administration: site")
    for i, name in ((1, "windows"), (2, "accounts")):
        admin.tabs.setCurrentIndex(i)
        walk.surface(f"administration: {name}", window)
    admin.users_tab.open_add_dialog()
    walk.dialog("add account dialog", admin.users_tab.dialog)
    admin.users_tab.dialog.reject()
    admin.windows_tab.open_add_dialog()
    walk.dialog("add window dialog", admin.windows_tab.dialog)
    admin.windows_tab.dialog.reject()
    screen = window.idle_lock.lock()
    walk.surface("idle lock", screen)
    window.idle_lock.unlock()
    window.close()

    # -- the back office ---------------------------------------------------------------------------
    window = main_window(walk, desk, desk.approver_session, runner, settings)
    page(walk, window, "home", "home (approver)")
    inbox = page(walk, window, "inbox", "inbox (to sign for)")
    for view in (InboxView.IN_HAND, InboxView.DECIDED, InboxView.WITHDRAWAL, InboxView.ALL):
        inbox.list.set_view(view)
        walk.surface(f"inbox ({view.value})", window)
    inbox.list.table.selectRow(0)
    walk.surface("inbox, a row selected", window)
    review = inbox.case
    for key in ("withdrawal_asked", "supplement", "decided", "in_review", "late"):
        if key in desk.cases:
            inbox.open_case(desk.cases[key])
            walk.surface(f"review page ({key})", window)
    inbox.open_case(desk.cases["in_review"])
    for act in ("receive", "pause", "resume", "supplement", "decide", "return"):
        dialog = review.start(act)
        walk.dialog(f"back-office dialog: {act}", dialog)
        if act == "decide":
            dialog.deny.setChecked(True)
            walk.dialog("back-office dialog: decide (deny)", dialog)
        dialog.reject()
    inbox.open_case(desk.cases["withdrawal_asked"])
    dialog = review.start("withdraw")
    walk.dialog("back-office dialog: accept withdrawal", dialog)
    dialog.reject()
    page(walk, window, "pledges", "容缺 follow-up (approver)")
    page(walk, window, "filing", "daily filing (approver)")
    window.close()

    # -- a supervisor, an administrator without a window --------------------------------------------
    users = {u.username: u for u in accounts.list_users(desk.db)}
    for username, title in (("manager", "home (supervisor)"), ("admin", "home (administrator)")):
        session = DeskSession(users[username], desk.clerk_session.site, None, "clerk")
        window = main_window(walk, desk, session, runner, settings)
        walk.surface(title, window)
        if username == "manager":  # the county view, with the hub's answer in long realistic texts
            from tests.ui.county_answer import county_answer

            county = page(walk, window, "county", "county figures: not a county device")
            county.show_answer(*county_answer(v))
            for i in range(county.tabs.count()):
                county.tabs.setCurrentIndex(i)
                walk.surface(f"county figures ({i + 1})", window)
            _supervision(walk, window, desk)
        window.close()

    # -- start-up dialogs, messages, sync ----------------------------------------------------------
    _start_up_dialogs(walk, desk, runner, tmp)
    notify.set_notifier(notify.MessageBoxNotifier())
    for kind, text in (("error", v("中心退回") + "\n\n" + v("链路错误")),
                       ("confirm", "是否将以下 3 件办件的纸质材料现在移交后台？\n\n" + "\n".join(
                           f"{v('事项三')}（{v('申请人甲')}）已超时 12 分" for _ in range(3)))):
        box = notify.message_box(kind, None, text)
        walk.dialog(f"message box ({kind})", box)
        box.close()
    return walk.report()


def _supervision(walk: Walk, window: Any, desk: Any) -> None:
    """The supervisor's page (docs/supervision.md): each tab, the 督办单 dialogs, the excuse dialog."""
    from datetime import date

    from clerk_desk.services import supervision_orders

    v = desk.v
    supervision_orders.issue(desk.db, desk.cases["decided"], "manager", reason=v("督办事由"),
                             reply_by=date.today() + timedelta(days=1))  # fmt: skip
    window.pages["home"].refresh()
    walk.surface("home (supervisor) with an open order", window)
    p = page(walk, window, "supervision", "supervision: late work")
    p.late.table.setCurrentIndex(p.late.model.index(0, 0))
    dialog = p.late.start_issue()
    if dialog is not None:
        walk.dialog("supervision: issue an order", dialog)
        dialog.reject()
    p.tabs.setCurrentWidget(p.orders)
    walk.surface("supervision: orders", window)
    p.tabs.setCurrentWidget(p.violations)
    walk.surface("supervision: violations", window)
    if p.violations.list.rowCount():
        p.violations.list_table.setCurrentIndex(p.violations.list.index(0, 0))
        excuse = p.violations.start_excuse()
        if excuse is not None:
            walk.dialog("supervision: excuse a violation", excuse)
            excuse.reject()
    p.tabs.setCurrentWidget(p.figures)
    for key in ("summary", "window", "item"):
        p.figures.which.setCurrentIndex(p.figures.which.findData(key))
        walk.surface(f"supervision: figures ({key})", window)
    cases = window.pages["cases"]
    window.open_in("cases", desk.cases["decided"])
    walk.surface("case page with an open order", window)
    answer = cases.case.orders.start_answer(cases.case.orders.open[0])
    walk.dialog("answer an order", answer)
    answer.reject()


def _more_cases(desk: Any, now: datetime) -> None:
    """Cases the hostile desk lacks: one in review, one signed for late, several waiting at the window
    (one late, one amber) so the lists show their colours."""
    from clerk_desk.services.approvals import ApprovalService
    from clerk_desk.services.intake import IntakeService
    from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party
    from clerk_desk.ui.intake.lookups import item_selection
    from tests.ui.hostile.hostile_desk import ITEM_3, resident_id

    intake, approvals = IntakeService(desk.db), ApprovalService(desk.db)
    sel = item_selection(desk.db, ITEM_3)
    checks = tuple(MaterialCheck(m.name, m.required, m.waivable, True, m.form or "copy", 1, True, None,
                                 m.item_codes) for m in sel.materials)

    def accept(name: str, minutes: float) -> str:
        form = IntakeForm(sel.items, Party("person", name, resident_id(int(minutes * 7) % 900 + 10), "13812345678",
                                           desk.v("地址甲")), checks)
        res = intake.accept(form, desk.clerk, delivery=Delivery("window"), now=now - timedelta(minutes=minutes))
        return res.cases[0].case_uuid

    uid = desk.cases["in_review"] = accept("欧阳诸葛明月", 90)
    intake.transfer(uid, desk.clerk, now=now - timedelta(minutes=70))  # handed over late
    approvals.receive(uid, desk.approver, paper_received=True, now=now - timedelta(minutes=60))
    desk.cases["late"] = accept("阿卜杜热合曼·买买提依明", 40)  # 超时
    accept("慕容雪晴", 12)  # amber
    accept("上官婉儿", 3)


def _start_up_dialogs(walk: Walk, desk: Any, runner: Any, tmp: Path) -> None:
    from clerk_desk.services import site_setup
    from clerk_desk.services.workplace import SiteInfo
    from clerk_desk.store.database import Database
    from clerk_desk.ui.first_run import FirstRunDialog
    from clerk_desk.ui.login_dialog import LoginDialog
    from clerk_desk.ui.password_dialog import ChangePasswordDialog

    login = LoginDialog(desk.db, runner, site_name=desk.clerk_session.site.site_name,
                        windows=site_setup.list_windows(desk.db),
                        hint="演示站点：账户和密码已在启动时打印，并保存在 C:\\ProgramData\\ClerkDesk\\demo-accounts.txt")
    walk.dialog("sign-in dialog", login)
    login.username.setText("clerkx")
    login.password.setText("wrong-password")
    login.try_login()
    walk.dialog("sign-in dialog (wrong password)", login)
    login.close()
    password = ChangePasswordDialog(desk.db, runner, "clerkx")
    walk.dialog("change password dialog", password)
    password.close()
    empty = Database(tmp / "empty")
    first = FirstRunDialog(empty, runner, SiteInfo(None, None, None, "clerk", False))
    walk.dialog("first start dialog", first)
    first.close()
    from clerk_desk.sync.engine import SyncStatus
    from clerk_desk.ui.sync.enrol_dialog import EnrolDialog
    from clerk_desk.ui.sync.status_widget import SyncStatusWidget
    from clerk_desk.ui.sync.sync_panel import SyncPanel

    enrol = EnrolDialog(desk.db, runner, hub_url="https://hub.tongshan.gov.cn:8765")
    walk.dialog("enrol dialog", enrol)
    enrol.close()
    panel = SyncPanel(desk.db, runner, actor="clerkx")
    panel.set_status(SyncStatus(enrolled=True, link_up=False, waiting=12, rejected=1,
                                last_error=desk.v("链路错误")))
    walk.dialog("sync panel", panel)
    panel.close()
    status = SyncStatusWidget()
    status.set_status(SyncStatus(enrolled=True, link_up=False, waiting=12, rejected=1, last_error=desk.v("链路错误")))
    walk.dialog("sync status item", status)
    status.close()


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "clipping-screenshots")
    out.mkdir(parents=True, exist_ok=True)
    from tests.support.day_clock import at_day_hour

    with at_day_hour():  # the desk's day of cases behind it, whatever the hour it runs at
        report = run(out)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{report['surfaces']} surfaces, {report['widgets']} widgets, {report['texts']} texts, "
          f"{len(report['clips'])} clips, {len(report['windows'])} windows too large")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
