"""好差评 on the spot in the intake's done panel: a 即办件's result slip printed, the rating dialog opens with
满意 focused and one key (Enter) records it against the case; E opens it before; 暂不评价 leaves the 评价
button leading; an accepted case (rated at hand-over) has no 评价 here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clerk_desk.services.case_read import read_case
from clerk_desk.ui.hall.rating_dialog import RatingDialog
from tests.ui.intake.conftest import APPLICANT_ID, Printed
from tests.ui.intake.driver import Clerk, Flow

RET = Qt.Key.Key_Return


def finished_on_the_spot(clerk: Clerk) -> None:
    flow = Flow(clerk)
    flow.pick("养老保险参保登记")
    flow.person("王五", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.type("resultText", "已完成参保登记")
    clerk.key(RET)
    assert clerk.page.step == "done" and clerk.w("doneRate").isVisible()


def ratings(clerk: Clerk) -> list[tuple[str, str]]:
    assert clerk.page.result is not None and clerk.launch.db is not None
    view = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid)
    return [(e.payload["rating"], e.payload["moment"]) for e in view.events if e.type == "rated"]


def test_after_the_slip_one_key_records_satisfied(clerk: Clerk, printed: list[Printed], qtbot) -> None:  # type: ignore[no-untyped-def]
    finished_on_the_spot(clerk)
    clerk.key(Qt.Key.Key_P)
    assert "即办件办结单" in printed[0].text
    dialog = clerk.page.done.rating_dialog
    assert isinstance(dialog, RatingDialog) and dialog.isVisible()
    assert QApplication.focusWidget() is dialog.findChild(object, "ratingSatisfied")
    before = clerk.count.keys
    clerk.key(RET)  # the applicant says 满意
    assert clerk.count.keys - before == 1
    assert not dialog.isVisible() and ratings(clerk) == [("satisfied", "on_the_spot")]
    assert clerk.text("doneStatus") == "已记录评价：满意"
    assert not clerk.w("doneRate").isEnabled()
    qtbot.waitUntil(lambda: clerk.focused() == "doneNext")  # Enter again: the next applicant
    clerk.key(Qt.Key.Key_P)  # a reprint does not ask again
    assert clerk.page.done.rating_dialog is None and ratings(clerk) == [("satisfied", "on_the_spot")]


def test_e_opens_it_before_and_not_now_leaves_it_offered(clerk: Clerk, printed: list[Printed], qtbot) -> None:  # type: ignore[no-untyped-def]
    finished_on_the_spot(clerk)
    clerk.key(Qt.Key.Key_E)
    dialog = clerk.page.done.rating_dialog
    assert isinstance(dialog, RatingDialog) and dialog.isVisible()
    dialog.findChild(object, "ratingCancel").click()  # 暂不评价
    assert clerk.page.done.rating_dialog is None and ratings(clerk) == []
    qtbot.waitUntil(lambda: clerk.focused() == "doneRate")
    clerk.key(RET)
    dialog = clerk.page.done.rating_dialog
    assert dialog is not None
    dialog.findChild(object, "ratingComment").setPlainText("窗口很耐心")
    dialog.findChild(object, "ratingVerySatisfied").click()
    assert ratings(clerk) == [("very_satisfied", "on_the_spot")]


def test_an_accepted_case_is_not_rated_in_the_done_panel(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张三", APPLICANT_ID, "13800138000")
    flow.all_provided_and_on()
    clerk.key(RET)
    assert clerk.page.step == "done" and not clerk.w("doneRate").isVisible()
    clerk.key(Qt.Key.Key_P)
    clerk.key(Qt.Key.Key_E)  # nothing: it is rated at hand-over (the case page)
    assert clerk.page.done.rating_dialog is None and clerk.focused() == "doneTransfer"


def test_tab_to_another_rating_and_enter_records_that_one(clerk: Clerk, printed: list[Printed], qtbot) -> None:  # type: ignore[no-untyped-def]
    """The applicant says 不满意: Tab to it and Enter records 不满意 (Enter pressed the dialog's default, 满意,
    whatever button had the focus), and Tab to 暂不评价 and Enter records nothing."""
    finished_on_the_spot(clerk)
    clerk.key(Qt.Key.Key_E)
    dialog = clerk.page.done.rating_dialog
    assert isinstance(dialog, RatingDialog) and dialog.isVisible()
    while clerk.focused() != "ratingCancel":
        clerk.key(Qt.Key.Key_Tab)
    clerk.key(RET)  # 暂不评价
    assert clerk.page.done.rating_dialog is None and ratings(clerk) == []
    qtbot.waitUntil(lambda: clerk.focused() == "doneRate")
    clerk.key(RET)
    dialog = clerk.page.done.rating_dialog
    assert isinstance(dialog, RatingDialog) and dialog.isVisible()
    while clerk.focused() != "ratingDissatisfied":
        clerk.key(Qt.Key.Key_Tab)
    clerk.key(RET)
    assert ratings(clerk) == [("dissatisfied", "on_the_spot")]
    assert clerk.text("doneStatus") == "已记录评价：不满意"
