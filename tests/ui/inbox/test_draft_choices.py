"""A decision draft keeps a combo box's choice by what it stands for (the item's data), not by its place:
a later version that reorders, adds or drops entries brings an old draft back on the same entry, or on none
when that entry is gone, never on another one. Drafts kept before by place still come back (read through the
lists as that version built them). Real SQLite drafts (services/decision_drafts.py), no mocks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from clerk_desk.services import approvals, decision_drafts
from clerk_desk.ui.inbox import action_dialogs
from tests.ui.inbox.conftest import Office
from tests.ui.inbox.test_inbox import act_dialog, child, make_page, status_of

# A later version's list of special procedures: another order, one more, 鉴定 still there.
REORDERED = {"site_check": "现场核查", "appraisal": "鉴定", "other": "其他", "hearing": "听证", "tender": "招标、拍卖",
             "inspection": "检验、检测、检疫", "expert_review": "专家评审", "quarantine": "隔离观察"}


def in_review(office: Office) -> str:
    uid = office.transferred("张三")
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    return uid


def pause_dialog(qtbot: QtBot, page, uid: str):  # type: ignore[no-untyped-def]
    return act_dialog(qtbot, page, uid, "pause")


def test_a_chosen_procedure_comes_back_by_its_key_when_a_later_version_reorders_the_list(
        qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    uid = in_review(office)
    page = make_page(qtbot, office)
    dialog = pause_dialog(qtbot, page, uid)
    procedure = child(dialog, QComboBox, "pauseProcedure")
    procedure.setCurrentIndex(procedure.findData("appraisal"))
    procedure.activated.emit(procedure.currentIndex())  # (as a pick by the approver)
    child(dialog, QPlainTextEdit, "pauseReason").setPlainText("委托伤残鉴定")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: decision_drafts.kept(office.db, office.session.user.id).get((uid, "pause")) is not None)
    kept = decision_drafts.kept(office.db, office.session.user.id)[(uid, "pause")]
    assert kept["pauseProcedure"] == {"data": "appraisal"}  # by its key, not its place
    page.close()
    page.deleteLater()

    monkeypatch.setattr(action_dialogs, "PROCEDURES", REORDERED)  # the next version's list
    again = make_page(qtbot, office)
    back = pause_dialog(qtbot, again, uid)
    procedure = child(back, QComboBox, "pauseProcedure")
    assert procedure.currentData() == "appraisal" and procedure.currentText() == "鉴定"
    assert child(back, QPlainTextEdit, "pauseReason").toPlainText() == "委托伤残鉴定"
    child(back, QPushButton, "pauseSubmit").click()
    qtbot.waitUntil(lambda: status_of(office, uid) == "paused")


def test_a_procedure_a_later_version_no_longer_offers_comes_back_as_nothing_chosen(
        qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    uid = in_review(office)
    decision_drafts.keep(office.db, office.session.user.id, uid, "pause",
                         {"pauseProcedure": {"data": "tender"}, "pauseReason": "土地使用权拍卖"})
    monkeypatch.setattr(action_dialogs, "PROCEDURES", {k: v for k, v in REORDERED.items() if k != "tender"})
    page = make_page(qtbot, office)
    qtbot.waitUntil(lambda: bool(page.case.drafts))
    dialog = pause_dialog(qtbot, page, uid)
    procedure = child(dialog, QComboBox, "pauseProcedure")
    assert procedure.currentIndex() == 0 and procedure.currentData() == ""  # 「请选择…」, not a neighbour
    assert child(dialog, QPlainTextEdit, "pauseReason").toPlainText() == "土地使用权拍卖"  # the rest is kept
    child(dialog, QPushButton, "pauseSubmit").click()
    assert "请选择特别程序的种类" in child(dialog, QLabel, "pauseError").text()
    assert status_of(office, uid) == "in_review"


@pytest.mark.parametrize(("stored", "expected"), [(4, "appraisal"), (0, ""), (99, "")])
def test_a_draft_kept_by_place_before_comes_back_on_the_entry_it_named_then(
        qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, stored: int, expected: str) -> None:  # fmt: skip
    """The version before kept the procedure's place (4: 鉴定 after 「请选择…」, 听证, 招标、拍卖, 检验、检测、检疫):
    read through that version's list it is 鉴定 in any later order; a place past its end chooses nothing."""
    uid = in_review(office)
    decision_drafts.keep(office.db, office.session.user.id, uid, "pause",
                         {"pauseProcedure": stored, "pauseReason": "委托伤残鉴定"})
    monkeypatch.setattr(action_dialogs, "PROCEDURES", REORDERED)
    page = make_page(qtbot, office)
    qtbot.waitUntil(lambda: bool(page.case.drafts))
    dialog = pause_dialog(qtbot, page, uid)
    assert child(dialog, QComboBox, "pauseProcedure").currentData() == expected
    assert child(dialog, QPlainTextEdit, "pauseReason").toPlainText() == "委托伤残鉴定"


def test_a_material_check_comes_back_by_its_value_and_one_not_offered_is_asked_again(
        qtbot: QtBot, office: Office) -> None:  # fmt: skip
    """签收's 当面核实: 有问题 kept by place before (1) comes back as 有问题; a value the combo does not offer
    leaves the material unchosen and 签收 asks for it rather than recording a guess."""
    uid = office.transferred("张三")
    decision_drafts.keep(office.db, office.session.user.id, uid, "receive",
                         {"receiveCheck1": 1, "receiveProblem1": "复印件不清晰", "receiveCheck2": {"data": "partly"}})
    page = make_page(qtbot, office)
    qtbot.waitUntil(lambda: bool(page.case.drafts))
    page.open_case(uid)
    qtbot.waitUntil(lambda: page.case.case_uuid == uid)
    dialog = page.case.start("receive")
    assert dialog is not None
    first, second = child(dialog, QComboBox, "receiveCheck1"), child(dialog, QComboBox, "receiveCheck2")
    assert first.currentData() is False and first.currentText() == "有问题"
    assert child(dialog, QLineEdit, "receiveProblem1").text() == "复印件不清晰"
    assert second.currentIndex() == -1  # neither 已核实 nor 有问题 is put in the approver's mouth
    kept = dialog.typed()  # kept again in the new form: by value
    assert kept["receiveCheck1"] == {"data": False} and kept["receiveCheck2"] is None
    child(dialog, QPushButton, "receiveSubmit").click()
    error = child(dialog, QLabel, "receiveError")
    assert error.isVisible() and "户口簿" in error.text(), error.text()
    assert status_of(office, uid) == "transferred"
    second.setCurrentIndex(second.findData(True))
    child(dialog, QPushButton, "receiveSubmit").click()
    qtbot.waitUntil(lambda: status_of(office, uid) == "in_review")
    assert approvals.PROCEDURES  # (the service's own list is untouched by these tests)
