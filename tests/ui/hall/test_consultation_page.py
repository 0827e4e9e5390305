"""The 咨询服务窗口 page through its objectNames, on a real SQLite file: a consultation in at most six input
actions (counted), with the catalog item found by typing; a refusal keeps what was typed; 帮办代办 opened
and followed step by step with the online application number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QRadioButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from clerk_desk.services import accounts, consultation, demo, site_setup
from clerk_desk.store.database import Database
from clerk_desk.ui.hall.assist_dialogs import AssistStepDialog, NewAssistDialog
from clerk_desk.ui.hall.consultation_page import ConsultationPage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.services.test_attendance import local

DAY = local(__import__("datetime").date(2026, 11, 3), 9).date()


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = Database(tmp_path / "data")
    demo.ensure_demo_site(d)
    yield d
    d.close()


def make_page(qtbot: QtBot, db: Database) -> ConsultationPage:
    user = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    windows = site_setup.list_windows(db)
    session = DeskSession(user, site_setup.site_info(db), windows[0], "clerk")
    page = ConsultationPage(db, SyncTaskRunner(), session)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page


class Actions:
    """Counts what the clerk does: a key press, a click, a typed field (one action however long)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.n = qtbot, 0

    def type(self, edit: QLineEdit, text: str) -> None:
        edit.setFocus()
        edit.insert(text)  # Chinese comes through the input method: one action per field
        edit.textEdited.emit(edit.text())
        self.n += 1

    def click(self, w: QPushButton | QRadioButton) -> None:
        self.qtbot.mouseClick(w, Qt.MouseButton.LeftButton)
        self.n += 1

    def key(self, w: QLineEdit, key: Qt.Key) -> None:
        self.qtbot.keyClick(w, key)
        self.n += 1


def test_an_answered_consultation_takes_two_actions(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    act = Actions(qtbot)
    topic = child(page, QLineEdit, "consultTopic")
    assert page.focusWidget() is topic  # the page opens on the topic
    act.type(topic, "低保什么时候发放")
    with qtbot.waitSignal(page.saved):
        act.key(topic, Qt.Key.Key_Return)
    assert act.n == 2
    [row] = consultation.consultations(db, page.session.site.site_code or "", *_today_span())
    assert (row.topic, row.outcome, row.item_name, row.minutes, row.person) == ("低保什么时候发放", "answered", "", 1, "")
    assert topic.text() == "" and child(page, QTableView, "consultList").model().rowCount() == 1


def _today_span():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    return now - timedelta(days=1), now + timedelta(days=1)


def test_a_referred_consultation_about_an_item_takes_at_most_six_actions(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    act = Actions(qtbot)
    act.type(child(page, QLineEdit, "consultTopic"), "养老保险怎么参保")
    act.type(child(page, QLineEdit, "consultItemSearch"), "养老")
    item = child(page, QComboBox, "consultItem")
    assert item.currentIndex() == 1 and "养老" in item.currentText()  # the best match is taken
    act.click(child(page, QRadioButton, "consultReferred"))
    referred_to = child(page, QLineEdit, "consultReferredTo")
    assert referred_to.isEnabled() and page.focusWidget() is referred_to  # typing goes there next
    act.type(referred_to, "县政务服务中心人社窗口")
    with qtbot.waitSignal(page.saved):
        act.key(referred_to, Qt.Key.Key_Return)
    assert act.n == 5 <= 6
    [row] = consultation.consultations(db, page.session.site.site_code or "", *_today_span())
    assert row.outcome == "referred" and row.referred_to == "县政务服务中心人社窗口" and "养老" in row.item_name


def test_a_refusal_keeps_what_was_typed(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    child(page, QLineEdit, "consultTopic").insert("户口迁移")
    child(page, QRadioButton, "consultReferred").setChecked(True)
    child(page, QLineEdit, "consultIdNumber").insert("123")
    child(page, QPushButton, "consultSave").click()
    error = child(page, QLabel, "consultError")
    assert error.isVisible() and "转介去向" in error.text()
    assert child(page, QLineEdit, "consultTopic").text() == "户口迁移"
    child(page, QLineEdit, "consultReferredTo").insert("公安窗口")
    child(page, QPushButton, "consultSave").click()
    assert "身份证号码" in error.text()
    assert consultation.consultations(db, page.session.site.site_code or "", *_today_span()) == []


def test_assist_opened_and_followed_step_by_step(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    child(page, QPushButton, "assistNew").click()
    dialog = page.dialog
    assert isinstance(dialog, NewAssistDialog) and dialog.objectName() == "assistNewDialog"
    child(dialog, QLineEdit, "assistName").insert("赵大爷")
    child(dialog, QLineEdit, "assistMatter").insert("城乡居民医保缴费")
    platform = child(dialog, QComboBox, "assistPlatform")
    platform.setCurrentIndex(platform.findData("鄂汇办"))
    child(dialog, QPushButton, "assistNewOk").click()
    assert not dialog.isVisible()
    # each act says what it recorded (the list alone changed before)
    assert child(page, QLabel, "assistMessage").text() == "已登记帮办代办委托：赵大爷  城乡居民医保缴费"
    assists = child(page, QTableView, "assistList")
    assert assists.model().rowCount() == 1
    for step in consultation.STEPS[1:]:
        child(page, QPushButton, "assistStep").click()
        step_dialog = page.dialog
        assert isinstance(step_dialog, AssistStepDialog) and step_dialog.objectName() == "assistStepDialog"
        assert child(step_dialog, QLabel, "assistStepName").text() == step
        if step == "受理":
            child(step_dialog, QLineEdit, "assistStepApplicationNo").insert("EHB20261103001")
        child(step_dialog, QPushButton, "assistStepOk").click()
        assert not step_dialog.isVisible()
        assert child(page, QLabel, "assistMessage").text() == f"已记录“{step}”：赵大爷  城乡居民医保缴费"
    [a] = consultation.assists(db, page.session.site.site_code or "")
    assert [s for s, _ in a.steps] == list(consultation.STEPS) and a.next_step is None
    assert (a.person_name, a.platform, a.application_no) == ("赵大爷", "鄂汇办", "EHB20261103001")


def test_the_time_taken_counts_itself_unless_typed(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtWidgets import QSpinBox

    page = make_page(qtbot, db)
    page._started = -1e9  # the topic's first key long ago: the count says the most it may
    child(page, QLineEdit, "consultTopic").insert("农机补贴")
    minutes = child(page, QSpinBox, "consultMinutes")
    assert page.consultation().minutes == consultation.MINUTES_MAX
    minutes.lineEdit().selectAll()
    qtbot.keyClicks(minutes.lineEdit(), "12")  # the clerk says how long it took
    with qtbot.waitSignal(page.saved):
        child(page, QPushButton, "consultSave").click()
    [row] = consultation.consultations(db, page.session.site.site_code or "", *_today_span())
    assert row.minutes == 12


def test_the_assist_buttons_come_before_the_list(qtbot: QtBot, db: Database) -> None:
    """The page is as tall as the 咨询登记 form (a tab widget is as tall as its tallest tab): at 1366×768 and
    150 % the 帮办代办 tab's buttons, in a row below its list, were below the fold. They come first now."""
    page = make_page(qtbot, db)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: child(page, QPushButton, "assistNew").isVisible())
    tab = page.findChild(QWidget, "assistTab")
    listed = child(page, QTableView, "assistList")
    for name in ("assistNew", "assistStep"):
        b = child(page, QPushButton, name)
        assert b.mapTo(tab, b.rect().bottomLeft()).y() < listed.geometry().top(), name
