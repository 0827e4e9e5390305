"""Fixtures for the UI tests: Chinese translators on the test QApplication, a recording notifier,
a synchronous task runner, and a demo (or empty) data folder launched through clerk_desk.app.launch.

Dialogs are never exec()'d: the start-up controller shows them, and tests drive them by objectName.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from clerk_desk import app as desk_app
from clerk_desk.ui import look, notify
from clerk_desk.ui.startup import StartupController
from clerk_desk.ui.task_runner import SyncTaskRunner


@pytest.fixture(scope="session", autouse=True)
def zh_ui(qapp: QApplication) -> Iterator[None]:
    """The default UI language, as the app runs it."""
    look.apply_font(qapp)
    translators = look.install_translators(qapp, "zh_CN")
    yield
    for t in translators:
        qapp.removeTranslator(t)


@pytest.fixture
def notes() -> Iterator[notify.RecordingNotifier]:
    recorder = notify.RecordingNotifier()
    previous = notify.set_notifier(recorder)
    yield recorder
    notify.set_notifier(previous)


@pytest.fixture
def runner() -> SyncTaskRunner:
    return SyncTaskRunner()


@dataclass
class Started:
    launch: desk_app.Launch
    printed: str
    data_dir: Path

    @property
    def controller(self) -> StartupController:
        assert self.launch.controller is not None
        return self.launch.controller

    @property
    def passwords(self) -> dict[str, str]:
        rows = [line.split() for line in self.printed.splitlines() if line.startswith("  ")]
        return {r[0]: r[1] for r in rows}

    def child(self, name: str) -> QWidget:
        """A widget by objectName in the dialog on screen (or the main window)."""
        root = self.controller.dialog or self.controller.main_window
        assert root is not None, "nothing on screen"
        found = root.findChild(QWidget, name)
        assert found is not None, f"no widget named {name!r} in {root.objectName()}"
        return found

    def sign_in(self, username: str, password: str | None = None, *, window: str | None = "") -> None:
        """Sign in at the preselected window (``window=""``), at the first window whose name holds
        ``window``, or at none (``window=None``: 不坐窗口)."""
        self.child("loginUsername").setText(username)  # type: ignore[attr-defined]
        combo = self.child("loginWindow")
        if window is None:
            combo.setCurrentIndex(combo.findData(""))  # type: ignore[attr-defined]
        elif window:
            combo.setCurrentIndex(next(i for i in range(combo.count()) if window in combo.itemText(i)))  # type: ignore[attr-defined]
        self.child("loginPassword").setText(self.passwords[username] if password is None else password)  # type: ignore[attr-defined]
        self.child("loginSubmit").click()  # type: ignore[attr-defined]


@pytest.fixture
def start(
    tmp_path: Path, runner: SyncTaskRunner, notes: notify.RecordingNotifier
) -> Iterator[Callable[..., Started]]:
    launched: list[desk_app.Launch] = []

    def _start(demo: bool = True, data_dir: Path | None = None) -> Started:
        folder = data_dir or tmp_path / "data"
        out = io.StringIO()
        result = desk_app.launch(folder, demo, runner=runner, out=out)
        launched.append(result)
        return Started(result, out.getvalue(), folder)

    yield _start
    for result in launched:
        result.close()
