"""The intake page with the keyboard only: where Tab goes on each step (the screen's reading order, every
stop visible), the keys the steps document. Keys go to the focused widget (tests/ui/intake/driver.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.intake.conftest import APPLICANT_ID
from tests.ui.intake.driver import Clerk, Flow, wait_until
from tests.ui.keys import focused, press, typed
from tests.ui.test_sign_in_keys import login_on_screen

SHIFT = Qt.KeyboardModifier.ShiftModifier


def tabs(c: Clerk, n: int, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> list[str]:
    """Where the focus is after each of ``n`` Tabs (Shift+Tab with ``mods``)."""
    seen = []
    for _ in range(n):
        c.key(Qt.Key.Key_Tab, mods)
        seen.append(c.focused())
    return seen


def to_applicant(c: Clerk) -> None:
    Flow(c).pick("ncdb")
    assert c.page.step == "applicant" and c.focused() == "applicantName"


def test_the_applicant_form_tabs_in_reading_order(clerk: Clerk) -> None:
    to_applicant(clerk)
    assert tabs(clerk, 7) == ["applicantId", "applicantPhone", "applicantAddress", "agentToggle", "channelOnSite",
                              "intakeBack", "intakeNext"]
    clerk.key(Qt.Key.Key_Tab, SHIFT)
    assert tabs(clerk, 7, SHIFT) == ["channelOnSite", "agentToggle", "applicantAddress", "applicantPhone",
                                     "applicantId", "applicantName", "applicantKindPerson"]


def test_an_organisation_with_an_agent_tabs_through_every_field_in_order(clerk: Clerk) -> None:
    to_applicant(clerk)
    clerk.key(Qt.Key.Key_Tab, SHIFT)  # up to 个人 / 单位: the arrows choose
    assert clerk.focused() == "applicantKindPerson"
    clerk.key(Qt.Key.Key_Right)
    assert clerk.page.applicant.org.isChecked() and clerk.focused() == "applicantKindOrganisation"
    assert tabs(clerk, 6) == ["applicantName", "applicantId", "applicantLegalRep", "applicantPhone",
                              "applicantAddress", "agentToggle"]
    clerk.key(Qt.Key.Key_Space)  # 代办: its fields open, the focus in the first
    assert clerk.focused() == "agentName"
    assert tabs(clerk, 4) == ["agentId", "agentRelation", "agentPhone", "channelOnSite"]


def test_enter_still_walks_the_fields_and_a_wrong_id_takes_the_focus_back(clerk: Clerk) -> None:
    to_applicant(clerk)
    clerk.type_here("张三")
    clerk.key(Qt.Key.Key_Return)
    clerk.type_here("123")
    for _ in range(3):  # id, phone, address: the last Enter asks to move on
        clerk.key(Qt.Key.Key_Return)
    assert clerk.page.step == "applicant" and clerk.focused() == "applicantId"
    assert clerk.text("applicantIdError") == "身份证号码应为18位，当前为3位"
    for _ in range(3):
        clerk.key(Qt.Key.Key_Backspace)
    clerk.type_here(APPLICANT_ID)
    for _ in range(3):
        clerk.key(Qt.Key.Key_Return)
    assert clerk.page.step == "checklist"


def test_tab_never_stops_where_nothing_shows_the_focus(clerk: Clerk) -> None:
    """The scroll areas around the steps and the pages are no Tab stops: from 下一步 the next one is the
    navigation, and from there the page again."""
    to_applicant(clerk)
    seen = tabs(clerk, 9)
    assert "intakeStepScroll" not in seen and "pageScroll" not in seen, seen
    assert seen[seen.index("intakeNext") + 1] == "navList"


def test_tab_leaves_the_checklist_and_shift_tab_goes_back_to_the_question(clerk: Clerk) -> None:
    """In the table the arrows move (Space, X, F2 act on the row); Tab goes on to the button under it,
    Shift+Tab back up to the situation question, as docs/intake.md says."""
    flow = Flow(clerk)
    flow.pick("砍树")  # one question: 是否委托他人代为申请
    flow.person("周九", APPLICANT_ID)
    assert clerk.focused() == "situation_agent"
    clerk.key(Qt.Key.Key_Return)
    assert clerk.focused() == "checklistTable"
    assert tabs(clerk, 3) == ["checklistAllProvided", "intakeBack", "intakeNext"]
    assert tabs(clerk, 3, SHIFT) == ["intakeBack", "checklistAllProvided", "checklistTable"]
    clerk.key(Qt.Key.Key_Tab, SHIFT)
    assert clerk.focused() == "situation_agent"
    clerk.key(Qt.Key.Key_Tab)
    clerk.key(Qt.Key.Key_Tab)
    clerk.key(Qt.Key.Key_Return)  # Enter on the focused button presses it
    assert all(c.provided for c in clerk.page.checklist.checks() if c.required)


def test_the_arrows_in_the_navigation_pass_the_intake_page_and_enter_goes_into_it(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    login_on_screen(s)
    typed("clerk1")
    press(Qt.Key.Key_Return)
    typed(s.passwords["clerk1"])
    press(Qt.Key.Key_Return)
    wait_until(lambda: s.controller.main_window is not None)
    window = s.controller.main_window
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    assert focused() == "navList"  # on 首页
    press(Qt.Key.Key_Down)  # 受理 shows; the focus stays in the list, so the next Down goes on
    assert window.stack.currentWidget() is window.pages["intake"]
    QApplication.processEvents()
    assert focused() == "navList"
    press(Qt.Key.Key_Down)
    assert window.nav.currentItem().text() == "办件" and focused() == "navList"
    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Return)  # into the page: the search, ready for typing
    assert focused() == "intakeSearch"
    row = window.nav.visualItemRect(window.nav.item(2))  # a click on 办件: its search, ready for typing
    QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, row.center())
    assert window.nav.currentItem().text() == "办件" and focused() == "casesSearch"


def test_esc_in_the_reason_after_x_takes_the_x_back(clerk: Clerk) -> None:
    """X marks the material defective and opens its reason; Esc there (a wrong row, a second thought)
    leaves the row as it was, not defective without a reason. Enter keeps the reason."""
    Flow(clerk).pick("ncdb")
    Flow(clerk).person("张三", APPLICANT_ID)
    assert clerk.focused() == "checklistTable"
    before = clerk.page.checklist.checks()[0]
    clerk.key(Qt.Key.Key_X)
    clerk.key(Qt.Key.Key_Escape)
    assert clerk.page.step == "checklist" and clerk.focused() == "checklistTable"
    assert clerk.page.checklist.checks()[0] == before
    clerk.key(Qt.Key.Key_X)
    clerk.type_here("复印件不清晰")
    clerk.key(Qt.Key.Key_Return)
    row = clerk.page.checklist.checks()[0]
    assert (row.provided, row.ok, row.problem) == (True, False, "复印件不清晰")


def test_the_intake_page_left_at_once_does_not_take_the_focus_from_the_page_on_screen(clerk: Clerk) -> None:
    """受理 asks for the focus a moment after it is shown (its search box). Left within that moment (the
    unfinished intake brought forward as the clerk clicks 办件, or two quick clicks), it took the focus anyway:
    the keys typed on 办件 went into the hidden search box of 受理."""
    window = clerk.window
    window.show_page("home")
    wait_until(lambda: window.stack.currentWidget() is not clerk.page)
    QApplication.processEvents()
    window.show_page("intake")
    window.show_page("cases")
    for _ in range(5):
        QApplication.processEvents()
    owner = QApplication.focusWidget()
    assert owner is not clerk.w("intakeSearch")
    assert owner is None or owner.isVisible(), owner.objectName()
