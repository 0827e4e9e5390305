"""Drive the intake page the way a clerk does: by objectName, keys and clicks, counting every action.

Used by the intake tests, by the kill-test harness (a real desk in a subprocess) and by
benchmarks/intake_actions.py. Chinese text arrives as an input-method commit (one QInputMethodEvent,
as a real IME delivers it); Latin text and digits as key clicks.

Counting (see docs/intake.md): ``keys`` counts every key press and click; ``actions`` counts the same
except that a value the applicant dictates (name, ID number, phone) is one action per field.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QKeyCombination, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QRadioButton, QWidget

from clerk_desk import app as desk_app
from clerk_desk.ui.intake.intake_page import IntakePage
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.task_runner import TaskRunner

NO_MODS = Qt.KeyboardModifier.NoModifier


@dataclass
class Count:
    keys: int = 0  # every key press and click
    actions: int = 0  # the same, with each dictated field value as one
    log: list[str] = field(default_factory=list)

    def add(self, what: str, keys: int, actions: int) -> None:
        self.keys += keys
        self.actions += actions
        self.log.append(f"{what}: {keys} key(s), {actions} action(s)")


def type_into(widget: QWidget, text: str) -> None:
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    for chunk in _runs(text):
        if chunk.isascii():
            QTest.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QCoreApplication.sendEvent(widget, event)


def _runs(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        if out and out[-1].isascii() == ch.isascii():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Let the event loop run (a worker thread's results arrive through it) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)


class Clerk:
    """One signed-in clerk at the intake page of a launched desk."""

    def __init__(self, launch: desk_app.Launch, printed: str, username: str = "clerk1", *,
                 open_intake: bool = True, window: str | None = None) -> None:
        self.launch, self.printed = launch, printed
        passwords = {r.split()[0]: r.split()[1] for r in printed.splitlines() if r.startswith("  ")}
        controller = launch.controller
        assert controller is not None
        wait_until(lambda: controller.dialog is not None and controller.dialog.objectName() == "loginDialog")
        d = controller.dialog
        d.findChild(QWidget, "loginUsername").setText(username)  # type: ignore[attr-defined]
        d.findChild(QWidget, "loginPassword").setText(passwords[username])  # type: ignore[attr-defined]
        if window is not None:  # the first window unless told (the routing decides what it takes)
            picker = d.findChild(QWidget, "loginWindow")
            index = next(i for i in range(picker.count()) if window in picker.itemText(i))  # type: ignore[attr-defined]
            picker.setCurrentIndex(index)  # type: ignore[attr-defined]
        d.findChild(QWidget, "loginSubmit").click()  # type: ignore[attr-defined]
        wait_until(lambda: controller.main_window is not None)
        window = controller.main_window
        assert isinstance(window, MainWindow)
        self.window = window
        window.show()
        window.activateWindow()
        QTest.qWaitForWindowActive(window)
        if open_intake:
            window.show_page("intake")
        page = window.pages["intake"]
        assert isinstance(page, IntakePage)
        self.page = page
        self.count = Count()

    @staticmethod
    def start(data_dir: Path, runner: TaskRunner, username: str = "clerk1", *, open_intake: bool = True,
              window: str | None = None) -> Clerk:
        out = io.StringIO()
        launched = desk_app.launch(data_dir, True, runner=runner, out=out)
        assert launched.exit_code is None, launched.exit_code
        return Clerk(launched, out.getvalue(), username, open_intake=open_intake, window=window)

    # ---- finding ---------------------------------------------------------------------------------

    def w(self, name: str) -> QWidget:
        found = self.page.findChild(QWidget, name)
        assert found is not None, f"no widget {name!r} on the intake page"
        return found

    def text(self, name: str) -> str:
        return self.w(name).text()  # type: ignore[attr-defined,no-any-return]

    # ---- acting (counted) --------------------------------------------------------------------------

    def type(self, name: str, text: str, *, dictated: bool = False) -> None:
        """Type into a field (it gets the focus first, as a clerk's Tab or click would give it)."""
        widget = self.w(name)
        if QApplication.focusWidget() is not widget:
            widget.setFocus()
        type_into(widget, text)
        self.count.add(f"type {name}", len(text), 1 if dictated else len(text))

    def type_here(self, text: str) -> None:
        """Type where the focus is (e.g. a table cell's editor)."""
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        type_into(widget, text)
        self.count.add("type into the focused editor", len(text), len(text))

    def key(self, key: Qt.Key, mods: Qt.KeyboardModifier = NO_MODS, *, to: str | None = None) -> None:
        """A key press where the focus is (or on ``to``)."""
        target = self.w(to) if to else QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        QTest.keyClick(target, key, mods)
        QApplication.processEvents()
        self.count.add(f"key {_key_text(key, mods)} on {target.objectName()}", 1, 1)

    def click(self, name: str) -> None:
        widget = self.w(name)
        assert isinstance(widget, QAbstractButton)
        assert widget.isVisible() and widget.isEnabled(), f"{name} cannot be clicked"
        # a check box or radio button reacts on its box and text, not on the empty stretch to its right
        pos = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox | QRadioButton) else QPoint()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, NO_MODS, pos)
        QApplication.processEvents()
        self.count.add(f"click {name}", 1, 1)

    def focused(self) -> str:
        widget = QApplication.focusWidget()
        return widget.objectName() if widget is not None else ""

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # a window already closed by signing out
            self.window.close()
        self.launch.close()


def _key_text(key: Qt.Key, mods: Qt.KeyboardModifier) -> str:
    return QKeySequence(QKeyCombination(mods, key)).toString()


class Flow:
    """The usual moves, in keys: used by the tests and the action benchmark."""

    def __init__(self, clerk: Clerk) -> None:
        self.c = clerk

    def pick(self, query: str) -> None:
        """Search and take the top hit with Enter."""
        self.c.type("intakeSearch", query)
        self.c.key(Qt.Key.Key_Return)

    def person(self, name: str, id_number: str, phone: str = "", *, finish: bool = True) -> None:
        """Name, ID and phone, each followed by Enter (the focus moves on by itself); Enter on the empty
        address finishes the step."""
        for field_name, value in (("applicantName", name), ("applicantId", id_number), ("applicantPhone", phone)):
            if value:
                self.c.type(field_name, value, dictated=True)
            self.c.key(Qt.Key.Key_Return, to=field_name if not value else None)
        if finish:
            self.c.key(Qt.Key.Key_Return)

    def all_provided_and_on(self) -> None:
        self.c.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.c.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


FIELDS = ("intakeSearch", "applicantName", "applicantId", "applicantPhone", "applicantAddress", "agentName",
          "agentId", "agentRelation", "agentPhone", "channelAppNo", "deliveryAddress", "refuseReason", "resultText")


def screen_values(page: IntakePage) -> dict[str, object]:
    """Everything typed on the intake page, read from its widgets (to compare before and after)."""
    values: dict[str, object] = {name: page.findChild(QWidget, name).text() for name in FIELDS}  # type: ignore[attr-defined]
    values["step"] = page.step
    values["item"] = [i.code for i in page.selection.items] if page.selection else []
    values["applicantKind"] = "organisation" if page.applicant.org.isChecked() else "person"
    values["agentToggle"] = page.applicant.agent_toggle.isChecked()
    values["channel"] = page.applicant.channel()
    values["checklist"] = [[c.name, c.provided, c.form, c.copies, c.ok, c.problem] for c in page.checklist.checks()]
    values["deliveryMethod"] = page.outcome.delivery.currentData()
    values["pledgeDue"] = page.outcome.fields().pledge_due
    return values
