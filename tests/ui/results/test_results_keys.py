"""The call list with the keyboard only: Tab as the page reads (the list, then the note and the two buttons),
the arrows in the list, Enter on a focused button."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from clerk_desk.ui.results.results_page import ResultsPage
from tests.services.test_approvals import AT, World
from tests.services.test_result_calls import returned
from tests.ui.keys import focused, press
from tests.ui.results.test_results_ui import session


def test_tab_leaves_the_call_list_and_enter_records_the_call(qtbot, tmp_path: Path, runner, notes) -> None:  # type: ignore[no-untyped-def]
    w = World(tmp_path)
    returned(w, 1, 3)
    returned(w, 2, 5)
    page = ResultsPage(w.db, runner, session(w), now=lambda: AT + timedelta(hours=7))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.activateWindow()
    assert QTest.qWaitForWindowActive(page)
    page.view.setFocus()  # the page's first stop
    press(Qt.Key.Key_Tab)
    assert focused() == "resultsTable"
    press(Qt.Key.Key_Down)  # the second applicant
    assert page.table.currentRow() == 1
    seen = []
    for _ in range(3):
        press(Qt.Key.Key_Tab)
        seen.append(focused())
    assert seen == ["resultsNote", "resultsReached", "resultsNoAnswer"]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # 未接通 for the second applicant
    assert "未接通" in page.table.item(1, 6).text() and notes.messages == []
