"""Quitting with records not yet at the county hub: warn, and offer to sync first.

The main window calls the guard from its close event with a ``proceed`` callable. The count is read
through the task runner; when something waits, a window-modal message box (opened, never exec()'d, so
tests click its buttons by objectName) offers 立即同步后退出 / 仍然退出 / 取消. Syncing first waits up to
``wait_s`` seconds in the runner, with a progress note on screen, then quits either way: what is left
goes out the next time the desk starts — and when something stayed behind, the clerk is told how much
and that it is safe before the desk quits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment, outbox
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.ui import notify, screen_fit
from clerk_desk.ui.sync import texts
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import plain_title

WAIT_S = 10.0


def unsent(db: Database) -> int:
    """Records that could go to the hub but have not (held ones wait for the clerk, not for the link).
    A PC that is not enrolled sends nothing, so it has nothing to warn about."""
    if enrolment.hub_settings(db) is None:
        return 0
    c = outbox.counts(db)
    return c.waiting - c.held


def flush(engine: SyncEngine, db: Database, timeout_s: float) -> int:
    """Wake the engine and wait (off the GUI thread) until nothing sendable is left; returns what is left.
    A cycle that finished without the link (or with a fault) ends the wait at once: waiting out the
    timeout would only keep the clerk looking at a progress note."""
    deadline = time.monotonic() + timeout_s
    before = engine.status().cycles
    engine.trigger()
    while True:
        left = unsent(db)
        st = engine.status()
        if left == 0 or time.monotonic() >= deadline:
            return left
        if st.cycles > before and (not st.link_up or st.fault):
            return left
        time.sleep(0.2)


class QuitGuard(QObject):
    def __init__(self, db: Database, runner: TaskRunner, engine: SyncEngine, window: QWidget,
                 wait_s: float = WAIT_S) -> None:
        super().__init__(window)
        self.db, self.runner, self.engine, self.window, self.wait_s = db, runner, engine, window, wait_s
        self.box: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self.left_after_sync: int | None = None

    def __call__(self, proceed: Callable[[], None]) -> None:
        if self.box is not None or self.progress is not None:
            return  # already asking, or already syncing before quitting
        self.runner.submit(unsent, self.db, on_done=lambda n: self._decide(n, proceed))

    def _decide(self, count: int, proceed: Callable[[], None]) -> None:
        if count == 0:
            QTimer.singleShot(0, proceed)  # not from inside the close event that asked
            return
        box = QMessageBox(QMessageBox.Icon.Warning, notify.app_name(), self.tr(
            "{0} case records have not been uploaded to the county hub yet. After quitting, they are uploaded "
            "the next time this program opens. Quit now?").format(count), parent=self.window)
        box.setObjectName("syncQuitDialog")
        screen_fit.watch(box)
        box.setTextFormat(Qt.TextFormat.PlainText)
        after_sync = box.addButton(self.tr("Sync, then quit"), QMessageBox.ButtonRole.AcceptRole)
        after_sync.setObjectName("syncQuitAfterSync")
        anyway = box.addButton(self.tr("Quit anyway"), QMessageBox.ButtonRole.DestructiveRole)
        anyway.setObjectName("syncQuitAnyway")
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("syncQuitCancel")
        box.setDefaultButton(after_sync)
        box.setEscapeButton(cancel)

        def answered(clicked: object) -> None:
            self.box = None
            box.deleteLater()
            if clicked is after_sync:
                self._sync_then(proceed)
            elif clicked is anyway:
                QTimer.singleShot(0, proceed)

        box.buttonClicked.connect(answered)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.box = box
        box.open()

    def _sync_then(self, proceed: Callable[[], None]) -> None:
        progress = QProgressDialog(self.tr("Uploading to the county hub (at most {0} seconds)…").format(
            int(self.wait_s)), "", 0, 0, self.window)
        progress.setObjectName("syncQuitProgress")
        screen_fit.watch(progress)
        progress.setWindowTitle(plain_title(notify.app_name()))
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.show()
        self.progress = progress

        def finished(left: int) -> None:
            self.left_after_sync = left
            self.progress = None
            progress.close()
            progress.deleteLater()
            if left == 0:
                QTimer.singleShot(0, proceed)
            else:
                self._tell_left(left, proceed)

        self.runner.submit(flush, self.engine, self.db, self.wait_s, on_done=finished,
                           on_error=lambda _exc: finished(-1))

    def _tell_left(self, left: int, proceed: Callable[[], None]) -> None:
        """Never quit without a word when records stayed behind: say how many, and that they are safe."""
        st = self.engine.status()
        why = texts.fault(st.fault) if st.fault else texts.link_error(st.last_error) or texts.cannot_reach()
        if left < 0:
            text = self.tr("The upload could not be finished ({0}). The records are kept on this PC and are "
                           "uploaded the next time this program opens.").format(why)
        else:
            text = self.tr("{0} records could not be uploaded ({1}). They are kept on this PC and are uploaded "
                           "the next time this program opens.").format(left, why)
        box = notify.message_box("info", self.window, text)
        box.setObjectName("syncQuitLeft")
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def closed(_result: int) -> None:
            self.box = None
            box.deleteLater()
            QTimer.singleShot(0, proceed)

        box.finished.connect(closed)
        self.box = box
        box.open()
