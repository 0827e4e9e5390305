"""当面核实 at 签收, material by material: Enter signs for with every material checked; a material marked 有问题
needs its note; both reach the case view, the timeline and the outbox as materials_verified."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.domain.errors import InputError
from clerk_desk.services.approvals import MaterialVerified
from clerk_desk.services.case_read import read_case
from clerk_desk.store.models import CaseEvent
from tests.ui.inbox.conftest import Office
from tests.ui.inbox.test_inbox import act_dialog, child, make_page, timeline_events
from tests.ui.intake.driver import type_into
from tests.ui.keys import SHIFT, focused, press, tabs


def test_each_material_is_verified_or_has_a_problem(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred()
    page = make_page(qtbot, office)
    page.open_case(uid)
    case = page.case
    qtbot.keyClick(case, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    dialog = case.dialog
    assert dialog is not None and dialog.objectName() == "receiveDialog"
    names = [child(dialog, QLabel, f"receiveMaterial{n}").text() for n in (1, 2, 3)]
    assert names == ["居民身份证", "户口簿", "死亡证明"]
    state = child(dialog, QComboBox, "receiveCheck2")
    problem = child(dialog, QLineEdit, "receiveProblem2")
    assert state.currentText() == "已核实" and not problem.isEnabled()
    state.setCurrentIndex(state.findData(False))
    assert problem.isEnabled()
    child(dialog, QPushButton, "receiveSubmit").click()
    error = child(dialog, QLabel, "receiveError")
    assert dialog.isVisible() and "有问题的材料请写明问题：户口簿" in error.text()
    problem.setText("复印件缺户主页")
    child(dialog, QPushButton, "receiveSubmit").click()
    assert not dialog.isVisible()
    got = read_case(office.db, uid).received
    assert got is not None and [(m.name, m.verified, m.note) for m in got.verified] == [
        ("居民身份证", True, ""), ("户口簿", False, "复印件缺户主页"), ("死亡证明", True, "")]
    assert "当面核实材料" in timeline_events(page)
    timeline = child(page.case, QTableWidget, "reviewTimeline")
    notes = [timeline.item(r, 5).text() for r in range(timeline.rowCount())]
    assert "当面核实：2 项已核实；有问题：户口簿（复印件缺户主页）" in notes
    with office.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.type == "materials_verified")).one()
    assert (ev.side, ev.push_state, len(ev.payload["materials"])) == ("back_office", "pending", 3)


def test_no_paper_no_check_and_the_routine_enter(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred()
    try:
        office.approvals.receive(uid, office.approver, paper_received=False, note="材料在途",
                                 verified=[MaterialVerified("居民身份证")])
    except InputError as exc:
        assert "未收到纸质材料，不能当面核实" in exc.message_zh
    else:
        raise AssertionError("checked without the paper")
    page = make_page(qtbot, office)
    page.open_case(uid)
    qtbot.keyClick(page.case, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    dialog = page.case.dialog
    assert dialog is not None and child(dialog, QCheckBox, "receivePaper").isChecked()
    qtbot.keyClick(child(dialog, QPushButton, "receiveSubmit"), Qt.Key.Key_Return)  # the routine: all verified
    got = read_case(office.db, uid).received
    assert got is not None and all(m.verified for m in got.verified) and len(got.verified) == 3


def test_choosing_problem_by_keys_keeps_the_focus_on_the_choice(qtbot: QtBot, office: Office) -> None:
    """有问题 chosen with ↓ moved the focus into the problem field at once: the approver's next ↑ (back to
    已核实) or ↓ went to the field, and 有问题 stayed chosen. The focus stays on the choice now; the field is
    open and the next Tab stop, as a choice that opens a field does in every dialog (出件's 委托他人)."""
    uid = office.transferred()
    page = make_page(qtbot, office)
    dialog = act_dialog(qtbot, page, uid, "receive")
    assert QTest.qWaitForWindowActive(dialog)
    qtbot.waitUntil(lambda: focused() == "receiveSubmit")  # the routine case: the act
    while focused() != "receiveCheck1":
        press(Qt.Key.Key_Tab)
    first, problem = child(dialog, QComboBox, "receiveCheck1"), child(dialog, QLineEdit, "receiveProblem1")
    press(Qt.Key.Key_Down)  # 有问题
    assert first.currentData() is False and problem.isEnabled()
    assert focused() == "receiveCheck1"
    press(Qt.Key.Key_Up)  # changed their mind: 已核实 again, the field closed
    assert first.currentData() is True and not problem.isEnabled() and focused() == "receiveCheck1"
    assert tabs(1) == ["receiveCheck2"]  # a closed field is no stop
    press(Qt.Key.Key_Down)  # 有问题 on the second: its field is the next stop, then the third material
    assert focused() == "receiveCheck2"
    assert tabs(2) == ["receiveProblem2", "receiveCheck3"]
    assert tabs(2, SHIFT) == ["receiveProblem2", "receiveCheck2"]
    press(Qt.Key.Key_Tab)
    type_into(QApplication.focusWidget(), "复印件缺户主页")
    press(Qt.Key.Key_Return)  # signs for: every material chosen, the problem said
    qtbot.waitUntil(lambda: not dialog.isVisible())
    got = read_case(office.db, uid).received
    assert got is not None and [(m.verified, m.note) for m in got.verified] == [
        (True, ""), (False, "复印件缺户主页"), (True, "")]


def test_problem_chosen_in_the_open_list_takes_the_focus_to_its_field(qtbot: QtBot, office: Office) -> None:
    """Chosen in the open list (a click there, or ↓ and Enter in it), 有问题 takes the focus on to the field for
    what is wrong, where the approver writes next; stepped to with ↓ on the closed box it stays (above)."""
    uid = office.transferred()
    page = make_page(qtbot, office)
    dialog = act_dialog(qtbot, page, uid, "receive")
    assert QTest.qWaitForWindowActive(dialog)
    first, problem = child(dialog, QComboBox, "receiveCheck1"), child(dialog, QLineEdit, "receiveProblem1")
    first.setFocus()
    first.showPopup()
    qtbot.waitUntil(first.view().isVisible)
    QTest.keyClick(first.view(), Qt.Key.Key_Down)
    QTest.keyClick(first.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not first.view().isVisible())
    assert first.currentData() is False and problem.isEnabled()
    assert dialog.focusWidget() is problem
    dialog.activateWindow()  # (offscreen, the closed list hands the activation back to the page's window)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focused() == "receiveProblem1"
    press(Qt.Key.Key_Tab)
    second = child(dialog, QComboBox, "receiveCheck2")
    assert focused() == "receiveCheck2"
    second.showPopup()  # the list opened and closed without a choice: the next step by keys still stays
    qtbot.waitUntil(second.view().isVisible)
    QTest.keyClick(second.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not second.view().isVisible())
    qtbot.wait(10)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focused() == "receiveCheck2"
    press(Qt.Key.Key_Down)
    assert second.currentData() is False and focused() == "receiveCheck2"
