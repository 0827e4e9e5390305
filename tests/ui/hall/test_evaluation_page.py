"""The 好差评 page and its dialogs through their objectNames, on a real SQLite file: 满意 takes one key,
another rating with a comment is recorded and lands on the follow-up list, a return call takes it off,
and a refusal keeps the dialog open with the reason and what was typed."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.services import accounts, evaluation, site_setup
from clerk_desk.services.evaluation import Rating
from clerk_desk.store.models import CaseEvent
from clerk_desk.ui.hall.evaluation_page import EvaluationPage
from clerk_desk.ui.hall.follow_up_dialog import FollowUpDialog
from clerk_desk.ui.hall.rating_dialog import RatingDialog
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.services.test_evaluation import MORNING, Hall, hall  # noqa: F401 (the fixture)


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, hall: Hall) -> EvaluationPage:  # noqa: F811
    user = next(u for u in accounts.list_users(hall.db) if u.username == "clerk1")
    session = DeskSession(user, site_setup.site_info(hall.db), site_setup.list_windows(hall.db)[0], "clerk")
    page = EvaluationPage(hall.db, SyncTaskRunner(), session, today=lambda: MORNING.date())
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page


def ratings_of(hall: Hall, uid: str) -> list[str]:  # noqa: F811
    with hall.db.reading() as s:
        return [p["rating"] for p in s.scalars(select(CaseEvent.payload).where(
            CaseEvent.case_uuid == uid, CaseEvent.type == "rated"))]


def test_satisfied_takes_one_key(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    uid = hall.completed(MORNING)
    page = make_page(qtbot, hall)
    awaiting = child(page, QTableView, "evaluationAwaiting")
    assert awaiting.model().rowCount() == 1
    child(page, QPushButton, "evaluationRate").click()
    dialog = page.dialog
    assert isinstance(dialog, RatingDialog) and dialog.objectName() == "ratingDialog"
    qtbot.waitExposed(dialog)
    satisfied = child(dialog, QPushButton, "ratingSatisfied")
    assert satisfied.isDefault() and dialog.focusWidget() is satisfied
    actions = 0
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # the applicant said 满意
    actions += 1
    assert actions == 1 and dialog.chosen is Rating.SATISFIED and not dialog.isVisible()
    assert ratings_of(hall, uid) == ["satisfied"]
    assert awaiting.model().rowCount() == 0  # the page read again


def test_a_bad_rating_goes_to_the_follow_up_list_until_called_back(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    uid = hall.completed(MORNING)
    page = make_page(qtbot, hall)
    page.rate_selected()
    dialog = page.dialog
    assert isinstance(dialog, RatingDialog)
    child(dialog, QPlainTextEdit, "ratingComment").insertPlainText("排队太久")  # typed (IME)
    child(dialog, QPushButton, "ratingVeryDissatisfied").click()
    assert ratings_of(hall, uid) == ["very_dissatisfied"]
    follow = child(page, QTableView, "evaluationFollowUps")
    assert follow.model().rowCount() == 1
    texts = [follow.model().index(0, c).data() for c in range(follow.model().columnCount())]
    assert "非常不满意" in texts or "Very dissatisfied" in texts
    assert "排队太久" in texts and "13800000000" in texts
    child(page, QPushButton, "evaluationFollowUp").click()
    call = page.dialog
    assert isinstance(call, FollowUpDialog) and call.objectName() == "ratingFollowUpDialog"
    child(call, QPushButton, "followUpOk").click()  # nothing typed: refused, the dialog stays
    error = child(call, QLabel, "followUpError")
    assert call.isVisible() and error.isVisible() and "请填写联系方式" in error.text()
    child(call, QLineEdit, "followUpContact").insert("电话回访")
    child(call, QPlainTextEdit, "followUpResponse").insertPlainText("已致歉，说明了高峰时段")
    assert child(call, QDateEdit, "followUpDate").date().toPython() == MORNING.date()
    child(call, QPushButton, "followUpOk").click()
    assert not call.isVisible()
    assert follow.model().rowCount() == 0
    child(page, QCheckBox, "evaluationShowDone").setChecked(True)
    assert follow.model().rowCount() == 1
    assert evaluation.follow_up_list(hall.db, hall.site, include_done=True)[0].contact == "电话回访"


def test_a_second_rating_is_refused_in_the_dialog(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    uid = hall.completed(MORNING)
    page = make_page(qtbot, hall)
    page.rate_selected()
    dialog = page.dialog
    assert isinstance(dialog, RatingDialog)
    evaluation.rate(hall.db, uid, page_clerk(page), Rating.SATISFIED, now=MORNING + timedelta(minutes=1))
    child(dialog, QPlainTextEdit, "ratingComment").insertPlainText("很好")
    child(dialog, QPushButton, "ratingVerySatisfied").click()
    error = child(dialog, QLabel, "ratingError")
    assert dialog.isVisible() and "已有评价" in error.text()
    assert child(dialog, QPlainTextEdit, "ratingComment").toPlainText() == "很好"


def page_clerk(page: EvaluationPage):  # type: ignore[no-untyped-def]
    from clerk_desk.ui.cases.case_actions import clerk_for

    return clerk_for(page.session)


def test_each_act_says_what_it_recorded_and_the_call_list_keeps_the_phone_whole(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    """After a rating and after a return call the page says what was recorded (the counts alone changed
    silently); on a narrow page (1366×768 at 150 %) with a long return call shown, the number to call and
    when it was rated stay whole, and nothing scrolls sideways: the other columns give way."""
    hall.completed(MORNING, phone="13907150002")
    hall.completed(MORNING + timedelta(minutes=5), phone="13907150002")
    page = make_page(qtbot, hall)
    chosen = page.awaiting.row_at(0)  # the first line is selected when the page opens
    page.rate_selected()
    dialog = page.dialog
    assert isinstance(dialog, RatingDialog)
    child(dialog, QPlainTextEdit, "ratingComment").insertPlainText("等了很久，窗口人员态度一般，希望改进服务")
    child(dialog, QPushButton, "ratingVeryDissatisfied").click()
    message = child(page, QLabel, "evaluationMessage")
    assert message.text().startswith(f"已记录：办件 {chosen.case_number} 评价为“非常不满意”，已列入回访名单")
    assert "待评价 1 件，待回访 1 件" in message.text()
    page.follow_up_selected()
    call = page.dialog
    assert isinstance(call, FollowUpDialog)
    child(call, QLineEdit, "followUpContact").insert("电话回访")
    child(call, QPlainTextEdit, "followUpResponse").insertPlainText("已向申请人致歉，说明了高峰时段排队的原因，并告知可网上预约")
    child(call, QPushButton, "followUpOk").click()
    assert message.text().startswith(f"已记录：办件 {chosen.case_number} 的回访")
    child(page, QCheckBox, "evaluationShowDone").setChecked(True)
    page.resize(690, 600)  # the page's room at 1366×768 and 150 %, beside the side bar
    follow = child(page, QTableView, "evaluationFollowUps")
    qtbot.waitUntil(lambda: follow.viewport().width() < 700)
    follow.resize(follow.width() - 1, follow.height())  # refit at this width
    follow.resize(follow.width() + 1, follow.height())
    for column in (3, 6):  # the phone, when it was rated
        text = follow.model().index(0, column).data()
        assert follow.columnWidth(column) >= follow.sizeHintForColumn(column), (column, text)
    header = follow.horizontalHeader()
    shown = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    assert shown <= follow.viewport().width()  # and nothing scrolls sideways


def test_the_case_numbers_keep_their_sequence_at_1366x768_and_150_percent(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    """Both lists cut the number at its end: every row read 「4212241…」 and the hall manager could not tell
    which case was rated badly. The number gives up its head (「…01-20261207-000014」)."""
    from tests.ui.drawn import tells_apart

    for i in range(3):
        hall.completed(MORNING + timedelta(minutes=5 * i), phone="13907150002")
    page = make_page(qtbot, hall)
    page.rate_selected()
    dialog = page.dialog
    assert isinstance(dialog, RatingDialog)
    child(dialog, QPlainTextEdit, "ratingComment").insertPlainText("等了很久，窗口人员态度一般，希望改进服务")
    child(dialog, QPushButton, "ratingVeryDissatisfied").click()
    page.resize(690, 600)  # the page's room at 1366×768 and 150 %, beside the side bar
    awaiting, follow = child(page, QTableView, "evaluationAwaiting"), child(page, QTableView, "evaluationFollowUps")
    qtbot.waitUntil(lambda: follow.viewport().width() < 700 and awaiting.viewport().width() < 700)
    qtbot.wait(20)  # (the fit follows the viewport's resize)
    assert awaiting.model().rowCount() == 2 and follow.model().rowCount() == 1
    assert tells_apart(awaiting) == [] and tells_apart(follow) == []
    assert awaiting.horizontalScrollBar().maximum() == 0 and follow.horizontalScrollBar().maximum() == 0
