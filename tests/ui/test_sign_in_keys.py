"""Signing in with the keyboard only: the user name, Enter, the password, Enter; the window list by Tab and
the arrows. Keys go to the widget with the focus, as a clerk's keyboard sends them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.ui.conftest import Started
from tests.ui.intake.driver import wait_until
from tests.ui.keys import focused, press, typed


def login_on_screen(s: Started) -> QWidget:
    wait_until(lambda: s.controller.dialog is not None and s.controller.dialog.objectName() == "loginDialog")
    dialog = s.controller.dialog
    assert dialog is not None
    dialog.activateWindow()
    assert QTest.qWaitForWindowActive(dialog)
    return dialog


def test_enter_on_the_user_name_goes_to_the_password_without_an_error(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    login_on_screen(s)
    assert focused() == "loginUsername"
    typed("clerk1")
    press(Qt.Key.Key_Return)
    assert focused() == "loginPassword"
    assert not s.child("loginError").isVisible()  # nothing is wrong: the password comes next


def test_a_wrong_password_says_so_and_the_focus_is_back_in_the_password(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    login_on_screen(s)
    typed("clerk1")
    press(Qt.Key.Key_Return)
    typed("wrong-password")
    press(Qt.Key.Key_Return)
    assert s.child("loginError").text() == "用户名或密码不正确（连续输错 5 次将锁定账户 15 分钟）"
    assert focused() == "loginPassword" and s.child("loginPassword").text() == ""  # type: ignore[attr-defined]
    typed(s.passwords["clerk1"])
    press(Qt.Key.Key_Tab)  # to today's window: the arrows pick another one, Enter signs in
    assert focused() == "loginWindow"
    press(Qt.Key.Key_Down)
    picked = s.child("loginWindow").currentText()  # type: ignore[attr-defined]
    press(Qt.Key.Key_Return)
    wait_until(lambda: s.controller.main_window is not None)
    assert s.controller.main_window.session.window.name == picked  # type: ignore[union-attr]


def test_the_sign_in_dialog_tabs_in_reading_order(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    login_on_screen(s)
    seen = [focused()]
    for _ in range(5):
        press(Qt.Key.Key_Tab)
        seen.append(focused())
    assert seen == ["loginUsername", "loginPassword", "loginWindow", "loginCancel", "loginSubmit", "loginUsername"]
