"""A text without spaces as long as the desk lets it be (a name in Latin letters, a result that gives a
download link) on the case pages of the window and the back office, and in the 出件 dialog: the text wraps,
nothing is pushed past the window at 1366×768 and 150 % (910×485 in the layout's pixels)."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from clerk_desk.services.approvals import APPROVED
from clerk_desk.services.intake_forms import PARTY_NAME_MAX
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.inbox.conftest import Office

NAME = ("MUHAMMADALIABDULRAHMANBINKHALIDALNAHYAN" * 3)[:PARTY_NAME_MAX]
LINK = "电子证照已发放，下载：https://zwfw.hubei.gov.cn/licence/download?id=421224100202612070000018f3a9c&from=desk"


def sideways(root: QWidget) -> list[str]:
    """The scroll areas on screen that scroll sideways."""
    return [s.objectName() for s in root.findChildren(QScrollArea)
            if s.isVisible() and s.horizontalScrollBar().maximum() > 0]


def test_long_unbroken_texts_wrap_on_both_case_pages_and_at_hand_over(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred(NAME)
    now = office.clock.now
    office.approvals.receive(uid, office.approver, paper_received=True, now=now)
    runner = SyncTaskRunner()
    back = MainWindow(office.db, runner, office.session)
    qtbot.addWidget(back)
    back.resize(910, 485)
    back.show()
    back.show_page("inbox")
    back.pages["inbox"].open_case(uid)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: NAME in back.pages["inbox"].case.facts["reviewApplicant"].text().replace("\u200b", ""))  # type: ignore[attr-defined]
    qtbot.wait(1)
    assert sideways(back) == []
    office.approvals.decide(uid, office.approver, decision=APPROVED, result_text=LINK, now=now)
    office.approvals.return_result(uid, office.approver, now=now)

    window = MainWindow(office.db, runner, office.clerk_session)
    qtbot.addWidget(window)
    window.resize(910, 485)
    window.show()
    window.show_page("cases")
    cases = window.pages["cases"]
    cases.open_case(uid)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: NAME in cases.case.facts["caseApplicant"].text().replace("\u200b", ""))  # type: ignore[attr-defined]
    qtbot.wait(1)
    assert sideways(window) == []
    cases.case.deliver()  # type: ignore[attr-defined]
    dialog = cases.case.deliver_dialog  # type: ignore[attr-defined]
    assert dialog is not None
    qtbot.wait(1)
    assert LINK in dialog.decision.text().replace("\u200b", "")
    assert sideways(dialog) == [] and dialog.width() <= 910
    dialog.reject()
