"""好差评 at hand-over: once the result is handed over on the case page, the rating dialog opens with 满意
focused; one Enter records it against the case (moment 出件时), and the case stays 已送达."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.services import case_queries as q
from clerk_desk.store.models import Case, CaseEvent
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.hall.rating_dialog import RatingDialog
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.inbox.conftest import Office, office  # noqa: F401 (the fixture)
from tests.ui.inbox.test_handover_and_pages import child, result_at_window


def test_handing_over_offers_the_rating_and_enter_records_satisfied(qtbot: QtBot, office: Office) -> None:  # noqa: F811
    uid = result_at_window(office)
    page = CasesPage(office.db, SyncTaskRunner(), office.clerk_session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.list.set_view(q.WindowView.RESULTS)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [uid])
    page.list.table.selectRow(0)
    page.list.open_current()
    case = page.case
    child(case, QPushButton, "caseDeliver").click()
    dialog = case.deliver_dialog
    assert dialog is not None
    method = child(dialog, QComboBox, "deliverMethod")
    method.setCurrentIndex(method.findData("post"))
    child(dialog, QLineEdit, "deliverTracking").setText("1151234567890")
    child(dialog, QCheckBox, "deliverPrintReceipt").setChecked(False)
    child(dialog, QPushButton, "deliverSubmit").click()
    rating = case.rating_dialog
    assert isinstance(rating, RatingDialog) and rating.isVisible()
    qtbot.waitExposed(rating)
    assert rating.focusWidget() is child(rating, QPushButton, "ratingSatisfied")
    qtbot.keyClick(rating.focusWidget(), Qt.Key.Key_Return)  # one key
    assert not rating.isVisible()
    with office.db.reading() as s:
        payloads = list(s.scalars(select(CaseEvent.payload).where(CaseEvent.case_uuid == uid,
                                                                  CaseEvent.type == "rated")))
        assert [(p["rating"], p["moment"]) for p in payloads] == [("satisfied", "handover")]
        assert s.get(Case, uid).status == "delivered"  # type: ignore[union-attr]
