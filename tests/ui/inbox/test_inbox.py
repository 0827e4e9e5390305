"""The back-office inbox in approver mode, driven by objectName and keys: the views and their counts,
the hand-over time and the working days left, and every act through its dialog (a refusal keeps the
dialog and what was typed)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, decision_drafts, site_setup
from clerk_desk.services.approvals import Approver
from clerk_desk.services.inbox import InboxView
from clerk_desk.store.models import Case
from clerk_desk.ui.inbox.inbox_model import COL_DUE, COL_ITEM, COL_TRANSFER, URGENCY_ROLE
from clerk_desk.ui.inbox.inbox_page import InboxPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.inbox.conftest import POLICE, Office


def make_page(qtbot: QtBot, office: Office) -> InboxPage:
    page = InboxPage(office.db, SyncTaskRunner(), office.session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()  # the list is read when shown; the tab counts follow the rows
    page.activateWindow()  # the page's keys work in the active window (as the desk's main window is)
    qtbot.waitActive(page)
    qtbot.waitUntil(lambda: bool(page.list.counts))
    return page


def act_dialog(qtbot: QtBot, page: InboxPage, uid: str, act: str):  # type: ignore[no-untyped-def]
    """The dialog of ``act`` (decide, pause, …) on case ``uid``, opened from its review page and on screen."""
    page.open_case(uid)
    qtbot.waitUntil(lambda: page.case.case_uuid == uid)
    dialog = page.case.start(act)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def decide_dialog(qtbot: QtBot, page: InboxPage, uid: str):  # type: ignore[no-untyped-def]
    """The 决定 dialog of case ``uid``, opened from its review page and on screen."""
    return act_dialog(qtbot, page, uid, "decide")


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


def status_of(office: Office, uid: str) -> str:
    with office.db.reading() as s:
        return s.scalars(select(Case.status).where(Case.uuid == uid)).one()


def timeline_events(page: InboxPage) -> list[str]:
    t = child(page.case, QTableWidget, "reviewTimeline")
    return [t.item(r, 1).text() for r in range(t.rowCount())]


def test_inbox_lists_the_served_departments_with_counts_and_hand_over_times(qtbot: QtBot, office: Office) -> None:
    on_time = office.transferred("张三")
    late = office.transferred("李四", late=True)
    office.transferred("王五", POLICE)  # 公安: approver1 does not serve it
    page = make_page(qtbot, office)
    lst = page.list
    assert [lst.tabs.tabText(i) for i in range(lst.tabs.count())] == ["待签收  2", "办理中  0", "已决定待返回  0", "撤回申请  0",
                                                                  "全部  2"]
    assert child(lst, QLabel, "inboxServes").text() == "负责部门：人社、医保、民政"
    assert child(lst, QLabel, "inboxCount").text() == "共 2 件"
    model = lst.model
    assert [r.uuid for r in model.rows] == [on_time, late]  # oldest first
    # Waiting to be signed for: the column is the 签收 clock; the window's hand-over is in its tooltip.
    assert "用时 3 分，限 15 分" in model.index(0, COL_TRANSFER).data(Qt.ItemDataRole.ToolTipRole)
    assert "超时" in model.index(1, COL_TRANSFER).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, COL_DUE).data().endswith("剩 3 个工作日")
    # Search by name, then by the exact ID; Enter applies at once.
    search = child(lst, QLineEdit, "inboxSearch")
    search.setText("李")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert [r.uuid for r in model.rows] == [late]
    search.clear()
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert len(model.rows) == 2


def test_to_sign_view_counts_down_the_countys_sign_minutes(qtbot: QtBot, office: Office) -> None:
    """签收 within the county's minutes of the hand-over (the 督办 list's stage 流转后未签收): the approver sees
    the time left, amber in its last quarter, red once past, and how late; signing ends the clock."""
    uid = office.transferred()  # handed over 27 minutes before the clock's now (accepted 30 min ago, took 3)
    page = make_page(qtbot, office)
    model = page.list.model
    cell = model.index(0, COL_TRANSFER)
    assert cell.data() == "签收剩余 3 分 00 秒" and cell.data(URGENCY_ROLE) == "amber"  # 30 min: amber from 7 left
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "流转后 30 分钟内签收" in tip and "用时 3 分，限 15 分" in tip
    office.clock.advance(minutes=-10)  # 13 minutes left: not yet amber
    assert cell.data() == "签收剩余 13 分 00 秒" and cell.data(URGENCY_ROLE) == ""
    office.clock.advance(minutes=14, seconds=5)  # the clock moves; the list is not read again
    assert cell.data() == "签收超时 1 分 05 秒" and cell.data(URGENCY_ROLE) == "red"
    assert model.timer.isActive()  # repainted each second while a row shows a countdown
    # The county's minutes, as the desk last received them (here: the desk's own fallback), are read again.
    from clerk_desk.domain.supervision import Rules
    from clerk_desk.services import supervision_rules

    supervision_rules.save_local(office.db, Rules(sign_minutes=60, result_days=5))
    page.list.refresh()
    assert model.index(0, COL_TRANSFER).data() == "签收剩余 28 分 55 秒"
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    page.list.set_view(InboxView.IN_HAND)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert "用时 3 分，限 15 分" in model.index(0, COL_TRANSFER).data()  # signed: the hand-over as before
    assert not model.timer.isActive()


def test_case_page_shows_the_sign_clock_until_signed(qtbot: QtBot, office: Office) -> None:
    """At 1366×768 and 150 % the list has no room for the hand-over column: the case page says it too."""
    uid = office.transferred()  # handed over 27 minutes ago; the county's 30 minutes
    page = make_page(qtbot, office)
    page.open_case(uid)
    fact = child(page.case, QLabel, "reviewTransfer")
    qtbot.waitUntil(lambda: "签收剩余 3 分 00 秒" in fact.text())
    assert "用时 3 分，限 15 分" in fact.text() and "#9a6200" in fact.styleSheet()  # amber
    assert "流转后 30 分钟内签收" in fact.toolTip()
    office.clock.advance(minutes=4)
    qtbot.waitUntil(lambda: "签收超时 1 分 00 秒" in fact.text())  # it ticks without a reload
    assert "#b03a2e" in fact.styleSheet()
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    page.case.reload()
    qtbot.waitUntil(lambda: "签收" not in fact.text())
    assert not page.case.sign_timer.isActive()


def test_a_re_transfer_after_supplement_waits_to_be_signed_for_again(qtbot: QtBot, office: Office) -> None:
    """Back from 补正: the case page said 「纸质材料已签收」 (the first round's 签收) beside the 签收 button; it
    says the case waits to be signed for again and what was asked, and the list marks the re-transfer."""
    uid = office.transferred()
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    office.approvals.request_supplement(uid, office.approver, missing=["户口簿"], note="复印件不清晰",
                                        now=office.clock.now)
    office.intake.transfer(uid, office.clerk, now=office.clock.now)  # the window hands it over again
    page = make_page(qtbot, office)
    model = page.list.model
    assert model.index(0, COL_TRANSFER).data() == "签收剩余 30 分 00 秒（补正后重新流转）"
    page.open_case(uid)
    qtbot.waitUntil(lambda: page.case.case_uuid == uid)
    state = child(page.case, QLabel, "reviewState").text()
    assert state.startswith("补正后重新流转，尚未重新签收；") and "户口簿" in state
    assert "已签收" not in state.replace("尚未重新签收", "")
    assert child(page.case, QPushButton, "reviewReceive").isVisible()
    handed = child(page.case, QLabel, "reviewTransfer").text()
    assert "签收剩余 30 分 00 秒" in handed and handed.count("补正后重新流转") == 1  # said once on the page


def test_a_case_out_of_the_back_offices_hands_shows_no_days_counting(qtbot: QtBot, office: Office) -> None:
    """全部 and the case page: a returned result, a withdrawal and a case out for 补正 do not read as
    「剩 3 个工作日」 (as if the clock still ran); the due date alone, and 补正 says so (its tooltip: not counted)."""
    from clerk_desk.services import withdrawal
    from clerk_desk.services.approvals import APPROVED

    returned, supplement, withdrawn, open_ = (office.transferred(n) for n in ("张三", "李四", "王五", "赵六"))
    for uid in (returned, supplement, withdrawn, open_):
        office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    office.approvals.decide(returned, office.approver, decision=APPROVED, result_text="准予注销", now=office.clock.now)
    office.approvals.return_result(returned, office.approver, now=office.clock.now)
    office.approvals.request_supplement(supplement, office.approver, missing=["户口簿"], now=office.clock.now)
    withdrawal.request_withdrawal(office.db, withdrawn, office.clerk, withdrawal.Withdrawal("不办了", id_checked=True),
                                  now=office.clock.now)
    withdrawal.accept_withdrawal(office.db, withdrawn, office.approver, now=office.clock.now)
    page = make_page(qtbot, office)
    page.list.set_view(InboxView.ALL)
    model = page.list.model
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    due = {r.uuid: model.index(i, COL_DUE).data() for i, r in enumerate(model.rows)}
    assert due[open_] == "2026-10-09，剩 3 个工作日"  # with the back office: counting
    assert due[returned] == due[withdrawn] == "2026-10-09"
    assert due[supplement] == "2026-10-09（补正中）"
    row = next(i for i, r in enumerate(model.rows) if r.uuid == supplement)
    assert "补正期间不计时" in model.index(row, COL_DUE).data(Qt.ItemDataRole.ToolTipRole)
    page.open_case(returned)
    qtbot.waitUntil(lambda: page.case.case_uuid == returned)
    assert child(page.case, QLabel, "reviewDue").text().startswith("2026-10-09  （承诺 3 个工作日）")


def test_urgent_items_are_marked_as_at_the_window(qtbot: QtBot, office: Office) -> None:
    from tests.ui.cases.case_kit import DIBAO  # 农村低保初审及转报: urgent (5-minute hand-over)

    office.transferred("张三")
    office.transferred("李四", DIBAO)
    page = make_page(qtbot, office)
    model = page.list.model
    assert [model.index(i, COL_ITEM).data() for i in range(2)] == ["城乡居民基本养老保险注销登记", "【急】农村低保初审及转报"]


def test_due_column_turns_amber_then_red(qtbot: QtBot, office: Office) -> None:
    office.transferred()  # accepted Tue 29 Sep, 3 working days: due Fri 9 Oct (after National Day)
    page = make_page(qtbot, office)
    model = page.list.model
    assert model.index(0, COL_DUE).data(URGENCY_ROLE) == ""
    office.clock.now = office.clock.now.replace(month=10, day=8)
    page.list.refresh()
    assert model.index(0, COL_DUE).data(URGENCY_ROLE) == "amber" and "剩 1 个工作日" in model.index(0, COL_DUE).data()
    office.clock.now = office.clock.now.replace(day=12)
    page.list.refresh()
    assert model.index(0, COL_DUE).data(URGENCY_ROLE) == "red" and "已超期 2 个工作日" in model.index(0, COL_DUE).data()


def test_sign_pause_resume_decide_return_through_the_dialogs(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred()
    page = make_page(qtbot, office)
    table = page.list.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the case
    case = page.case
    assert page.currentWidget() is case
    assert child(case, QLabel, "reviewStatus").text() == "已流转后台"
    checklist = child(case, QTableWidget, "reviewChecklist")
    assert [checklist.item(r, 0).text() for r in range(checklist.rowCount())] == ["居民身份证", "户口簿", "死亡证明"]
    assert "用时 3 分" in child(case, QLabel, "reviewTransfer").text()
    visible = [n for n in ("reviewReceive", "reviewPause", "reviewResume", "reviewSupplement", "reviewDecide",
                           "reviewReturn") if child(case, QPushButton, n).isVisible()]
    assert visible == ["reviewReceive"]

    # 签收 without the paper and without a note: refused in the dialog, which keeps what was chosen.
    qtbot.keyClick(case, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    dialog = case.dialog
    assert dialog is not None and dialog.objectName() == "receiveDialog" and dialog.isVisible()
    child(dialog, QCheckBox, "receivePaper").setChecked(False)
    child(dialog, QPushButton, "receiveSubmit").click()
    error = child(dialog, QLabel, "receiveError")
    assert dialog.isVisible() and error.isVisible() and "未收到纸质材料时" in error.text()
    assert status_of(office, uid) == "transferred"
    child(dialog, QPlainTextEdit, "receiveNote").setPlainText("材料随后送到")
    assert not error.isVisible()  # the refusal goes once the approver corrects what it was about
    child(dialog, QPushButton, "receiveSubmit").click()
    assert not dialog.isVisible() and status_of(office, uid) == "in_review"
    assert child(case, QLabel, "reviewStatus").text() == "后台审批中"
    assert child(case, QLabel, "reviewMessage").text() == "已签收"
    assert timeline_events(page)[-1] == "后台签收"
    assert "未收到纸质材料：材料随后送到" in child(case, QLabel, "reviewState").text()

    # 特别程序: needs a kind and a reason; then the clock stops.
    child(case, QPushButton, "reviewPause").click()
    dialog = case.dialog
    child(dialog, QPlainTextEdit, "pauseReason").setPlainText("委托伤残鉴定")
    child(dialog, QPushButton, "pauseSubmit").click()
    assert "请选择特别程序的种类" in child(dialog, QLabel, "pauseError").text()
    assert child(dialog, QPlainTextEdit, "pauseReason").toPlainText() == "委托伤残鉴定"  # kept
    procedure = child(dialog, QComboBox, "pauseProcedure")
    procedure.setCurrentIndex(procedure.findData("appraisal"))
    child(dialog, QPushButton, "pauseSubmit").click()
    assert status_of(office, uid) == "paused"
    assert "委托伤残鉴定" in child(case, QLabel, "reviewState").text()
    assert "暂停计时" in child(case, QLabel, "reviewDue").text()
    assert not child(case, QPushButton, "reviewDecide").isVisible()

    office.clock.advance(days=2)
    qtbot.keyClick(case, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Ctrl+2 resumes a paused case
    assert case.dialog.objectName() == "resumeDialog"
    child(case.dialog, QPushButton, "resumeSubmit").click()
    assert status_of(office, uid) == "in_review"
    assert timeline_events(page)[-2:] == ["暂停计时", "恢复计时"]

    # 审批决定: denying needs a reason; approving needs the result.
    qtbot.keyClick(case, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    dialog = case.dialog
    child(dialog, QRadioButton, "decideDeny").setChecked(True)
    child(dialog, QPushButton, "decideSubmit").click()
    assert "理由" in child(dialog, QLabel, "decideError").text() and status_of(office, uid) == "in_review"
    child(dialog, QRadioButton, "decideApprove").setChecked(True)
    child(dialog, QLineEdit, "decideResult").setText("准予注销登记")
    child(dialog, QLineEdit, "decideDocumentNumber").setText("通人社〔2026〕12号")
    child(dialog, QPushButton, "decideSubmit").click()
    assert status_of(office, uid) == "decided"
    assert "准予：准予注销登记（文号 通人社〔2026〕12号）" in child(case, QLabel, "reviewState").text()

    child(case, QPushButton, "reviewReturn").click()
    child(case.dialog, QPlainTextEdit, "returnNote").setPlainText("注销登记表一份")
    child(case.dialog, QPushButton, "returnSubmit").click()
    assert status_of(office, uid) == "result_at_window"
    assert child(case, QLabel, "reviewStatus").text() == "结果待领取"
    assert not any(child(case, QPushButton, n).isVisible() for n in ("reviewReceive", "reviewDecide", "reviewReturn"))

    qtbot.keyClick(case, Qt.Key.Key_Escape)  # back: the list is read again
    assert page.currentWidget() is page.list
    qtbot.waitUntil(lambda: page.list.tabs.tabText(0) == "待签收  0")
    page.list.set_view(InboxView.ALL)
    assert page.list.model.rows[0].status_zh == "结果待领取"


def test_supplement_ticks_the_checklist_materials(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred()
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    page = make_page(qtbot, office)
    page.list.set_view(InboxView.IN_HAND)
    page.open_case(uid)
    qtbot.keyClick(page.case, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    dialog = page.case.dialog
    assert dialog.objectName() == "supplementDialog" and dialog.materials.count() == 3
    child(dialog, QPushButton, "supplementSubmit").click()
    assert "请列出需要补正的材料" in child(dialog, QLabel, "supplementError").text()
    dialog.set_checked("户口簿")
    child(dialog, QLineEdit, "supplementOther").setText("村委会证明")
    child(dialog, QPlainTextEdit, "supplementNote").setPlainText("户口簿复印件不清晰")
    child(dialog, QPushButton, "supplementSubmit").click()
    assert status_of(office, uid) == "supplement_requested"
    assert timeline_events(page)[-1] == "退回补正"
    assert "需补正：户口簿、村委会证明；户口簿复印件不清晰" in child(page.case, QLabel, "reviewState").text()


def test_another_departments_case_is_refused_with_the_reason(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred("王五", POLICE)
    page = make_page(qtbot, office)
    page.open_case(uid)  # e.g. opened from an old link; the service still says no
    dialog = page.case.start("receive")
    child(dialog, QPushButton, "receiveSubmit").click()
    assert "您不负责“公安”的审批" in child(dialog, QLabel, "receiveError").text()
    assert status_of(office, uid) == "transferred"


def test_search_keeps_its_room_on_a_narrow_page(qtbot: QtBot, office: Office) -> None:
    """At 1366×768 and 150 % the page is about 720 px wide: the search field was squeezed beside the tabs to
    「办件…」. It now sits on the heading's row, wide enough for its hint; the tabs all show."""
    office.transferred()
    page = make_page(qtbot, office)
    page.resize(720, 500)
    lst = page.list
    qtbot.waitUntil(lambda: lst.width() <= 720)
    search = child(lst, QLineEdit, "inboxSearch")
    assert search.width() >= search.fontMetrics().horizontalAdvance(search.placeholderText())
    assert lst.tabs.width() >= lst.tabs.sizeHint().width()  # no tab behind a scroll arrow
    serves = child(lst, QLabel, "inboxServes")
    assert serves.text() == "负责部门：人社、医保、民政"


def test_a_dialog_closed_without_acting_keeps_what_was_typed(qtbot: QtBot, office: Office) -> None:
    """Esc (or 取消) on a half-typed refusal lost it; opening the dialog again now brings it back, per case."""
    uid, other = office.transferred("张三"), office.transferred("李四")
    for case in (uid, other):
        office.approvals.receive(case, office.approver, paper_received=True, now=office.clock.now)
    page = make_page(qtbot, office)
    dialog = decide_dialog(qtbot, page, uid)
    child(dialog, QRadioButton, "decideDeny").setChecked(True)
    child(dialog, QPlainTextEdit, "decideReason").setPlainText("申请人不符合<b>低保</b>条件：家庭人均收入高于")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    again = page.case.start("decide")
    assert again is not None and again is not dialog
    assert child(again, QRadioButton, "decideDeny").isChecked()
    assert child(again, QPlainTextEdit, "decideReason").toPlainText() == "申请人不符合<b>低保</b>条件：家庭人均收入高于"
    again.reject()
    # Another case's dialog starts empty; one opened and closed untouched keeps nothing.
    page.open_case(other)
    qtbot.waitUntil(lambda: page.case.case_uuid == other)
    fresh = page.case.start("decide")
    assert fresh is not None
    assert child(fresh, QRadioButton, "decideApprove").isChecked()
    assert child(fresh, QPlainTextEdit, "decideReason").toPlainText() == ""
    fresh.reject()
    assert (other, "decide") not in page.case.drafts
    # Recorded: the kept text goes.
    page.open_case(uid)
    qtbot.waitUntil(lambda: page.case.case_uuid == uid)
    last = page.case.start("decide")
    assert last is not None
    child(last, QPlainTextEdit, "decideReason").setPlainText("申请人不符合低保条件")
    child(last, QPushButton, "decideSubmit").click()
    qtbot.waitUntil(lambda: status_of(office, uid) == "decided")
    assert (uid, "decide") not in page.case.drafts


def test_a_half_typed_decision_survives_signing_out_and_is_sealed_on_disk(qtbot: QtBot, office: Office) -> None:
    """The kept text lived in the page's memory: a sign-out (or the desk closing, a power cut) lost it. It is
    kept on this PC now, sealed, a moment after the last key too, and comes back on a new page for the same
    approver; taking the act forgets it."""
    uid = office.transferred("张三")
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    page = make_page(qtbot, office)
    dialog = decide_dialog(qtbot, page, uid)
    child(dialog, QRadioButton, "decideDeny").click()
    reason = child(dialog, QPlainTextEdit, "decideReason")
    reason.setFocus()
    qtbot.keyClicks(reason, "income above")  # typed, the dialog still open: kept after a pause
    qtbot.waitUntil(lambda: decision_drafts.kept(office.db, office.session.user.id).get((uid, "decide"), {})
                    .get("decideReason") == "income above", timeout=3000)  # fmt: skip
    files = list(office.db.data_dir.glob("clerk_desk.sqlite3*"))  # the database and its -wal
    assert files and not any(b"income above" in f.read_bytes() for f in files)  # sealed
    page.close()  # signing out closes the page with the dialog open
    page.deleteLater()

    again = make_page(qtbot, office)  # the same approver signed in again (a new page, a new process alike)
    again.open_case(uid)
    qtbot.waitUntil(lambda: again.case.case_uuid == uid and bool(again.case.drafts))
    back = again.case.start("decide")
    assert back is not None
    assert child(back, QRadioButton, "decideDeny").isChecked()
    assert child(back, QPlainTextEdit, "decideReason").toPlainText() == "income above"
    child(back, QPlainTextEdit, "decideReason").setPlainText("申请人家庭人均收入高于低保标准")
    child(back, QPushButton, "decideSubmit").click()
    qtbot.waitUntil(lambda: status_of(office, uid) == "decided")
    assert decision_drafts.kept(office.db, office.session.user.id) == {}


def test_on_a_narrow_screen_to_sign_for_keeps_its_sign_clock_whole(qtbot: QtBot, office: Office) -> None:
    """At 1366×768 and 150 % the inbox has no room for every column: 待签收 dropped its 签收 clock (the act
    that tab is for, minutes away) and kept the due date (weeks away). There it keeps the clock whole and
    leaves out the due date; the other tabs keep the due date."""
    uid = office.transferred("张三")
    in_hand = office.transferred("李四")
    office.approvals.receive(in_hand, office.approver, paper_received=True, now=office.clock.now)
    page = make_page(qtbot, office)
    table = page.list.table
    page.resize(730, 600)
    page.list.set_view(InboxView.TO_SIGN)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [uid])
    qtbot.waitUntil(lambda: table.isColumnHidden(COL_DUE))
    assert not table.isColumnHidden(COL_TRANSFER)
    assert table.columnWidth(COL_TRANSFER) >= table.sizeHintForColumn(COL_TRANSFER)
    page.list.set_view(InboxView.IN_HAND)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [in_hand])
    qtbot.waitUntil(lambda: table.isColumnHidden(COL_TRANSFER))
    assert not table.isColumnHidden(COL_DUE)
    assert table.horizontalScrollBar().maximum() == 0


def test_draft_writes_go_one_at_a_time_so_a_late_keep_never_follows_the_forget(qtbot: QtBot, office: Office) -> None:
    """A keep on its way to the database (the pause after typing) and the act taken at once after: on two
    worker threads the forget could land first and the keep bring the draft back for an act already taken.
    The page sends one draft write at a time, the latest state of each case and act."""
    from clerk_desk.ui.inbox.review_page import ReviewPage
    from tests.ui.cases.case_kit import DeferredRunner

    runner = DeferredRunner()
    page = ReviewPage(office.db, runner, office.session, now=office.clock)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    while runner.queue:  # what the page reads when it is made (the kept drafts: none)
        runner.deliver(0)
    key = ("case-a", "decide")
    page._keep(key, {"decideReason": "家庭人均收入高于"})  # the pause after typing: a keep goes out
    page._keep(key, {})  # the act is taken before it reached the database
    assert len(runner.queue) == 1  # the forget waits for the keep
    runner.deliver(0)
    assert len(runner.queue) == 1
    runner.deliver(0)
    assert not runner.queue
    assert decision_drafts.kept(office.db, office.session.user.id) == {}


def test_no_column_title_of_the_to_sign_tab_is_cut_at_any_width(qtbot: QtBot, office: Office) -> None:
    """Swept from 1400 to 600 px (1366×768 at 125 % is ~880 px of table): each column shown is at least as
    wide as its title, and nothing scrolls sideways; what does not fit is left out (待签收 leaves out 办结时限)."""
    office.transferred("欧阳诸葛明月")
    page = make_page(qtbot, office)
    table = page.list.table
    page.list.set_view(InboxView.TO_SIGN)
    header = table.horizontalHeader()
    cut = []
    for width in range(1400, 590, -10):
        page.resize(width, 600)
        qtbot.wait(50)  # (a column shown again is fitted once more from the event loop)
        assert table.horizontalScrollBar().maximum() == 0
        for c in range(header.count()):
            if not table.isColumnHidden(c) and table.columnWidth(c) < header.sectionSizeHint(c):
                cut.append((width, c, table.columnWidth(c), header.sectionSizeHint(c)))
    assert not cut


def test_a_paused_case_past_its_old_date_does_not_read_as_days_left_before_a_past_date(
        qtbot: QtBot, office: Office) -> None:
    """While 特别程序 stops the clock the working days left stay as they were at the pause, and the date beside them
    is the one in force before it: it moves later when the clock resumes. Paused over a weekend past that date, the
    cell read 「2026-10-15，剩 1 个工作日（暂停计时）」 on the 16th: a past date with a day left. It says the date is the
    original one, to be moved; resumed, the moved date and its days agree with a count by hand."""
    office.clock.now = datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI).astimezone(UTC)  # Mon; 3 working days
    uid = office.transferred("张三")  # accepted 09:00: due Thu 15 Oct
    svc, me = office.approvals, office.approver
    svc.receive(uid, me, paper_received=True, now=datetime(2026, 10, 12, 10, tzinfo=SHANGHAI))
    svc.pause(uid, me, procedure="site_check", reason="现场核查", now=datetime(2026, 10, 14, 15, tzinfo=SHANGHAI))
    office.clock.now = datetime(2026, 10, 16, 10, tzinfo=SHANGHAI).astimezone(UTC)  # Fri, still paused
    page = make_page(qtbot, office)
    page.list.set_view(InboxView.IN_HAND)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [uid])
    expected = "原定 2026-10-15，剩 1 个工作日（暂停计时，恢复后顺延）"
    assert page.list.model.index(0, COL_DUE).data() == expected
    page.open_case(uid)
    qtbot.waitUntil(lambda: page.case.case_uuid == uid)
    assert child(page.case, QLabel, "reviewDue").text().startswith(expected)

    # Resumed on Fri 16 at 11:00: Wed 14, Thu 15 and Fri 16 do not count; 13, 19, 20 do: due Tue 20, two days left.
    svc.resume(uid, me, note="核查完毕", now=datetime(2026, 10, 16, 11, tzinfo=SHANGHAI))
    page.case.reload()
    qtbot.waitUntil(lambda: "2026-10-20" in child(page.case, QLabel, "reviewDue").text())
    assert child(page.case, QLabel, "reviewDue").text().startswith("2026-10-20，剩 2 个工作日")


def test_an_act_taken_at_another_pc_while_its_dialog_is_open_is_said_at_once(qtbot: QtBot, office: Office) -> None:
    """Two approvers of 人社 on two PCs: 李娜 types a note in 签收 while 王芳's 签收 comes with the sync. The open dialog
    says at once who signed and that this 签收 cannot be recorded (before, nothing until 签收 was pressed, then only
    the state); what was typed stays."""
    site = site_setup.site_info(office.db)
    other = accounts.add_user(office.db, username="approver2", display_name="李娜", password="Approve-2026x",
                              roles=["approver"], serves=[(site.site_code or "", "rs")])
    uid = office.transferred("张三")
    page = make_page(qtbot, office)
    dialog = act_dialog(qtbot, page, uid, "receive")
    note = child(dialog, QPlainTextEdit, "receiveNote")
    note.setPlainText("纸质材料齐全")
    error = child(dialog, QLabel, "receiveError")
    assert not error.isVisible()

    office.approvals.receive(uid, Approver(other.id, other.username, other.display_name), paper_received=True,
                             now=office.clock.now)
    page.cases_changed(frozenset({uid}))  # what the case watch tells the page when the sync brings it
    qtbot.waitUntil(error.isVisible)
    assert error.text() == "李娜（approver2）已办理该办件（后台签收），现为“后台审批中”，不能再“签收”。请点“取消”返回（已填写的内容会保留）。"
    assert dialog.isVisible() and note.toPlainText() == "纸质材料齐全"
