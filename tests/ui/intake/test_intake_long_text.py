"""A long unbroken name (a paste gone wrong, a name in Latin letters without spaces) at intake: the page
keeps its width at 1366×768 and 150 %, the clerk is told in Chinese at the field, and nothing typed is lost."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from clerk_desk.ui import notify
from tests.ui.intake.conftest import APPLICANT_ID
from tests.ui.intake.driver import Clerk, Flow

RET = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier
UNBROKEN = ("MUHAMMADALIABDULRAHMANBINKHALIDALNAHYAN" * 3)[:100]  # as long as a name may be, no space to wrap at


def no_sideways_scroll(c: Clerk) -> bool:
    QApplication.processEvents()
    page_width = c.page.minimumSizeHint().width()
    scroller = c.page.parentWidget()
    while scroller is not None and not isinstance(scroller, QScrollArea):
        scroller = scroller.parentWidget()
    room = scroller.viewport().width() if scroller is not None else c.window.width()
    return page_width <= room


def test_a_long_unbroken_name_keeps_the_intake_page_inside_the_window(clerk: Clerk) -> None:
    clerk.window.resize(910, 485)  # 1366×768 at 150 %, less the taskbar, in the layout's pixels
    flow = Flow(clerk)
    flow.pick("ncdb")
    assert no_sideways_scroll(clerk)  # a short name fits
    flow.person(UNBROKEN, APPLICANT_ID)
    assert clerk.page.step == "checklist"
    assert UNBROKEN in clerk.text("intakeSummary").replace("\u200b", "")  # shown whole, wrapped
    assert no_sideways_scroll(clerk)
    flow.all_provided_and_on()
    assert clerk.page.step == "outcome" and no_sideways_scroll(clerk)
    assert clerk.w("outcomeAccept").visibleRegion().boundingRect().width() == clerk.w("outcomeAccept").width()


def test_a_name_longer_than_the_papers_take_is_flagged_at_the_field(clerk: Clerk,
                                                                     notes: notify.RecordingNotifier) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    pasted = "张" * 101
    flow.person(pasted, APPLICANT_ID)
    assert clerk.page.step == "applicant" and clerk.focused() == "applicantName"
    assert clerk.w("applicantNameError").isVisibleTo(clerk.page)
    assert clerk.text("applicantNameError") == "姓名或名称过长（最多 100 字）"
    assert clerk.text("applicantName") == pasted and clerk.text("applicantId") == APPLICANT_ID  # nothing lost
    assert notes.messages == []
    clerk.w("applicantName").setText("张" * 100)
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist"


def test_an_address_legal_representative_or_relation_too_long_is_flagged_at_its_field(
        clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    """Each has the papers' length, as the name has: over it, the applicant step says so under the field
    (before, the step let it through and 受理 two steps later refused it in a popup, 申请人地址过长)."""
    flow = Flow(clerk)
    flow.pick("ncdb")
    address = "通山县通羊镇" * 34  # 204 characters: a paste gone wrong
    clerk.type("applicantAddress", address)
    flow.person("张三", APPLICANT_ID)
    assert clerk.page.step == "applicant" and clerk.focused() == "applicantAddress"
    assert clerk.w("applicantAddressError").isVisibleTo(clerk.page)
    assert clerk.text("applicantAddressError") == "地址过长（最多 200 字）"
    assert clerk.text("applicantAddress") == address and notes.messages == []  # kept as typed, no popup
    clerk.w("applicantAddress").setText(address[:200])
    assert not clerk.w("applicantAddressError").isVisibleTo(clerk.page)  # short enough: the line goes
    clerk.click("applicantKindOrganisation")
    clerk.w("applicantName").setText("通山县某某农业专业合作社")
    clerk.w("applicantId").setText("91350100M000100Y43")
    clerk.w("applicantLegalRep").setText("李" * 101)
    clerk.click("agentToggle")
    clerk.w("agentName").setText("王五")
    clerk.w("agentRelation").setText("本社职员" * 13)  # 52 characters
    clerk.key(RET, CTRL)
    assert clerk.page.step == "applicant" and clerk.focused() == "applicantLegalRep"
    assert clerk.text("applicantLegalRepError") == "姓名或名称过长（最多 100 字）"
    assert clerk.text("agentError") == "与申请人的关系过长（最多 50 字）"
    clerk.w("applicantLegalRep").setText("李四")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "applicant" and clerk.focused() == "agentRelation"
    clerk.w("agentRelation").setText("本社职员")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist" and notes.messages == []


def test_a_pasted_refusal_reason_is_refused_and_stays_on_screen(clerk: Clerk,
                                                                 notes: notify.RecordingNotifier) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("钱七", APPLICANT_ID)
    clerk.key(RET, CTRL)
    clerk.key(Qt.Key.Key_5, CTRL)
    pasted = "不属于本中心受理范围" * 51  # 510 characters
    clerk.w("refuseReason").setText(pasted)
    clerk.key(RET, to="refuseReason")
    assert clerk.page.step == "outcome"
    assert any("不予受理的理由过长（最多 500 字）" in text for _kind, text in notes.messages)
    assert clerk.text("refuseReason") == pasted and clerk.text("applicantName") == "钱七"
    clerk.w("refuseReason").setText(pasted[:500])
    clerk.key(RET, to="refuseReason")
    assert clerk.text("doneTitle") == "不予受理"


def test_the_draft_offered_back_with_a_long_unbroken_name_keeps_the_page_inside_the_window(clerk: Clerk) -> None:
    from PySide6.QtGui import QAction

    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person(UNBROKEN, APPLICANT_ID, finish=False)
    action = clerk.window.findChild(QAction, "actionSignOut")
    assert action is not None
    action.trigger()  # the intake stays a draft
    again = Clerk(clerk.launch, clerk.printed, open_intake=False)
    again.window.resize(910, 485)
    again.window.show_page("intake")
    banner = again.w("draftInfo")
    assert banner.isVisibleTo(again.page) and UNBROKEN in banner.text()
    assert no_sideways_scroll(again)


def test_the_checklist_rows_follow_the_width_of_the_window(clerk: Clerk) -> None:
    """A material's name wraps in its row: when the window is made narrower (or wider) after the checklist is
    shown, every row grows to show its lines whole, or gives back the room it no longer needs (they kept the
    heights of the width they were first laid out at: lines cut, or rows three times too tall)."""
    clerk.window.resize(1500, 900)
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张三", APPLICANT_ID)
    assert clerk.page.step == "checklist"
    table = clerk.w("checklistTable")

    def rows_fit() -> bool:  # (a row is never lower than the header's least section, a line and its margins)
        QApplication.processEvents()
        least = table.verticalHeader().minimumSectionSize()
        return all(table.rowHeight(r) == max(table.sizeHintForRow(r), least) for r in range(table.rowCount()))

    assert rows_fit()
    wide = [table.rowHeight(r) for r in range(table.rowCount())]
    for width, height in ((910, 485), (640, 485)):
        clerk.window.resize(width, height)
        assert rows_fit()
    assert any(table.rowHeight(r) > h for r, h in enumerate(wide))  # the names wrap on more lines
    clerk.window.resize(1500, 900)
    assert rows_fit() and [table.rowHeight(r) for r in range(table.rowCount())] == wide


def test_back_and_next_stay_on_screen_when_a_step_is_taller_than_the_window(clerk: Clerk) -> None:
    """An applicant with an agent, applied online, at 1366×768 and 150 %: the step is taller than the window,
    so it scrolls, and 上一步 / 下一步 stay on screen below it (they were below the fold with the page)."""
    from clerk_desk.services.intake_forms import Party

    clerk.window.resize(910, 485)
    flow = Flow(clerk)
    flow.pick("ncdb")
    clerk.page.applicant.set_values(
        Party("person", "欧阳诸葛明月", APPLICANT_ID, "13812345678", "通山县洪港镇富水湖村三组 27 号"),
        Party("person", "上官婉儿", "11010519491231002X", "13912345678", relation="女儿"),
        "hubei_portal", "HBZW-20260929-000123456",
    )
    QApplication.processEvents()
    for name in ("intakeBack", "intakeNext"):
        b = clerk.w(name)
        assert b.isVisible() and b.visibleRegion().boundingRect() == b.rect(), f"{name} is not whole on screen"


def test_the_outcome_buttons_stay_on_screen_while_a_bundle_s_fields_are_filled(clerk: Clerk) -> None:
    """A bundle at 1366×768 and 150 %: its urgency boxes and time limits are taller than the window. Typing the
    last time limit scrolls the fields, not the step: the five outcome buttons stay whole on screen (the whole
    step scrolled up under the page's heading, buttons and all)."""
    clerk.window.resize(910, 485)
    flow = Flow(clerk)
    flow.pick("老年人")  # a theme bundle (一件事) of two items
    flow.person("孙八", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.click("outcomeUrgent2")  # a reason field more
    clerk.type("urgentReason2", "老人明日住院")
    clerk.type("confirmedDays", "0")
    clerk.type("confirmedDays2", "10")
    QApplication.processEvents()
    assert clerk.focused() == "confirmedDays2"
    fields = clerk.w("outcomeFieldsScroll")
    assert fields.verticalScrollBar().maximum() > 0  # type: ignore[attr-defined]  # the fields do need to scroll
    for name in ("outcomeAccept", "outcomePledge", "outcomeOnSpot", "outcomeNotify", "outcomeRefuse"):
        b = clerk.w(name)
        assert b.isVisible() and b.visibleRegion().boundingRect() == b.rect(), f"{name} is not whole on screen"
    days = clerk.w("confirmedDays2")
    assert days.visibleRegion().boundingRect() == days.rect()  # and the field typed in is shown whole
    clerk.key(RET)
    assert clerk.page.step == "done"


def test_a_too_long_line_stays_until_the_text_is_short_enough(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    """The line under a name (or an agent's name or relation) too long went at the first key, the text still
    too long, as if corrected; the next Enter said it again. It goes once the text is short enough, as the
    address's and the legal representative's do."""
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张" * 102, APPLICANT_ID)
    assert clerk.focused() == "applicantName" and clerk.w("applicantNameError").isVisibleTo(clerk.page)
    clerk.key(Qt.Key.Key_End)
    clerk.key(Qt.Key.Key_Backspace)  # 101: still too long
    assert clerk.w("applicantNameError").isVisibleTo(clerk.page)
    clerk.key(Qt.Key.Key_Backspace)  # 100
    assert not clerk.w("applicantNameError").isVisibleTo(clerk.page)
    clerk.click("agentToggle")
    clerk.type("agentName", "王" * 102)
    clerk.type("agentRelation", "父子")
    clerk.key(RET, CTRL)
    assert clerk.focused() == "agentName" and clerk.text("agentError") == "代办人姓名过长（最多 100 字）"
    clerk.key(Qt.Key.Key_End)
    clerk.key(Qt.Key.Key_Backspace)
    assert clerk.w("agentError").isVisibleTo(clerk.page)
    clerk.key(Qt.Key.Key_Backspace)
    assert not clerk.w("agentError").isVisibleTo(clerk.page)
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist" and notes.messages == []
