"""Dialogs open inside the screen (ui/screen_fit.py), each watched on its own: no application filter."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QLabel

from clerk_desk.ui import notify
from clerk_desk.ui.widgets import dialog_layout


def test_a_dialog_asking_for_more_than_the_screen_gets_what_the_screen_has(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog_layout(dialog).addWidget(QLabel("审批意见"))
    dialog.resize(5000, 4000)
    dialog.show()
    room = dialog.screen().availableGeometry()
    assert dialog.width() < room.width() and dialog.height() < room.height()
    assert room.contains(dialog.frameGeometry().topLeft())


def test_message_boxes_are_watched_too_and_nothing_is_installed_on_the_application(qtbot) -> None:
    box = notify.message_box("error", None, "一段很长的说明" * 20)
    qtbot.addWidget(box)
    box.show()
    room = box.screen().availableGeometry()
    assert box.height() <= room.height() and box.width() <= room.width()
    assert box.property("clerkDeskScreenWatched") is True
    assert QApplication.instance().property("clerkDeskScreenWatched") is None
