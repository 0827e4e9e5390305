"""Two approvers of 人社, each at an approver PC of their own, with a case the window handed over, through a real
county hub on 127.0.0.1: 李娜 has the 签收 dialog open, a note typed, when 王芳's 签收 comes with her PC's sync. The
dialog says at once who signed and that this 签收 cannot be recorded; the note stays; pressed anyway, the desk refuses
it in plain Chinese and nothing goes to the hub, so the second PC has no refused upload to clear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from clerk_desk.services import accounts, workplace
from clerk_desk.services.approvals import ApprovalService
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment, outbox
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.ui import look
from clerk_desk.ui.inbox.review_page import ReviewPage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.sync.conftest import SITE, make_desk
from tests.sync.test_withdrawal_round_trip import _accepted_and_transferred, _office, _state


@pytest.fixture
def zh(qapp: QApplication) -> Iterator[None]:
    """The desk's language, as it runs (tests/ui installs it for its own tests)."""
    translators = look.install_translators(qapp, "zh_CN")
    yield
    for t in translators:
        qapp.removeTranslator(t)


def test_a_signature_from_the_other_pc_is_said_in_the_open_dialog(hub, tmp_path: Path, qtbot: QtBot, zh: None) -> None:
    url, admin = hub
    window = make_desk(tmp_path / "window", url, admin)
    wang = _office(tmp_path, url, admin)  # 王芳's PC
    admin.user("lina", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")], display_name="李娜")
    db = Database(tmp_path / "office2")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    assert enrolment.enrol(db, url, code).kind == "approver"
    engine = SyncEngine(db, lambda: enrolment.client_for(db), seed=3)
    uid = _accepted_and_transferred(window)
    wang.engine.run_once()
    engine.run_once()
    me = {u.username: u for u in accounts.list_users(db)}["lina"]

    page = ReviewPage(db, SyncTaskRunner(), DeskSession(me, workplace.site_info(db), None, "approver"))
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.open(uid)
    qtbot.waitUntil(lambda: page.case_uuid == uid)
    dialog = page.start("receive")
    assert dialog is not None
    note = dialog.findChild(QPlainTextEdit, "receiveNote")
    error = dialog.findChild(QLabel, "receiveError")
    assert note is not None and error is not None
    note.setPlainText("纸质材料齐全，已当面核对")

    ApprovalService(wang.db).receive(uid, wang.approver, paper_received=True)
    wang.engine.run_once()
    engine.run_once()  # 李娜's PC pulls 王芳's 签收
    assert _state(db, uid)[:2] == ("in_review", 3)
    page.reload()  # what the main window's case watch has the open case page do when the pull lands
    qtbot.waitUntil(error.isVisible)
    assert error.text() == "王芳（wangfang）已办理该办件（后台签收），现为“后台审批中”，不能再“签收”。请点“取消”返回（已填写的内容会保留）。"
    assert dialog.isVisible() and note.toPlainText() == "纸质材料齐全，已当面核对"

    submit = dialog.findChild(QPushButton, "receiveSubmit")
    assert submit is not None
    submit.click()  # pressed anyway: refused here, in Chinese, before anything is written
    assert dialog.isVisible() and "该办件已签收" in error.text()
    assert note.toPlainText() == "纸质材料齐全，已当面核对"
    engine.run_once()
    assert outbox.counts(db).rejected == 0 and outbox.counts(db).waiting == 0
