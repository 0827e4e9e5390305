"""Message boxes carry the program's Chinese name, show their text as it is, and a question defaults
to its act only where taking it on a stray Enter loses nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from clerk_desk.ui import notify


def test_every_box_is_titled_with_the_programs_chinese_name(qtbot: QtBot) -> None:
    for kind in ("error", "info", "confirm"):
        box = notify.message_box(kind, None, "<b>张三</b>")
        qtbot.addWidget(box)
        assert box.windowTitle() == "综合窗口受理" == notify.app_name()
        assert box.text() == "<b>张三</b>"
    assert notify.window_title("登录") == "综合窗口受理 — 登录"


def test_a_question_defaults_to_no_unless_its_act_is_safe(qtbot: QtBot) -> None:
    careful = notify.message_box("confirm", None, "停用该账户？")
    safe = notify.message_box("confirm", None, "现在移交后台？", default_yes=True)
    for box in (careful, safe):
        qtbot.addWidget(box)
    assert careful.defaultButton() is careful.button(QMessageBox.StandardButton.No)
    assert safe.defaultButton() is safe.button(QMessageBox.StandardButton.Yes)
