"""Screens follow the data: the store's change notification (store/changes.py), brought to the GUI thread
and gathered for a moment, then told to every open page that shows cases.

The database calls its commit listeners on whatever thread committed (a worker of the task runner, the
sync thread): the watch passes the news on by a queued signal, so it reaches the GUI thread in order,
and collects what arrives within ``DEBOUNCE_MS`` of the first news (a pull of 500 events is one
refresh, not 500). Then ``casesChanged`` carries the case uuids; each page reads again, off the GUI
thread, what it shows of them (ui/task_runner.py). Nobody presses 刷新.

A page takes part by having ``cases_changed(uuids: frozenset[str])``: the main window connects every
page it builds that has one (ui/main_window.py).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from clerk_desk.store.changes import Changes
from clerk_desk.store.database import Database

DEBOUNCE_MS = 200  # a refresh at most this long after the first change: quick to see, few reads


class _Relay(QObject):
    """Emitted on the committing thread; its queued connection delivers on the GUI thread."""

    changed = Signal(object)


class CaseWatch(QObject):
    casesChanged = Signal(object)  # noqa: N815 (Qt signal) frozenset[str]: the cases that changed

    def __init__(self, db: Database, *, debounce_ms: int = DEBOUNCE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._relay = _Relay()
        self._relay.changed.connect(self._collect, Qt.ConnectionType.QueuedConnection)
        self._cases: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self._flush)
        self._listener = self._relay.changed.emit
        db.commit_listeners.append(self._listener)
        self.destroyed.connect(lambda *_a: self.detach())

    def detach(self) -> None:
        """Stop listening (sign-out): the database outlives the main window."""
        if self._listener in self.db.commit_listeners:
            self.db.commit_listeners.remove(self._listener)
        self.timer.stop()

    @Slot(object)
    def _collect(self, changes: Changes) -> None:
        if not changes.cases:
            return
        self._cases |= changes.cases
        if not self.timer.isActive():  # the first news starts the clock; later news rides along
            self.timer.start()

    def _flush(self) -> None:
        cases, self._cases = frozenset(self._cases), set()
        if cases:
            self.casesChanged.emit(cases)
