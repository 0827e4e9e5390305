"""Screens follow the data: the store's change notification (store/changes.py), brought to the GUI thread
and gathered for a moment, then told to every open page that shows cases.

The database calls its commit listeners on whatever thread committed (a worker of the task runner, the
sync thread): the watch passes the news on by a queued signal, so it reaches the GUI thread in order.
The first news after a quiet moment is passed on at once (with whatever news is already queued behind
it): a case another desk handed over shows as soon as it lands. What comes within ``DEBOUNCE_MS`` after
that is gathered and passed on together when the time is up, and so on while news keeps coming (a
catch-up of many pages is a refresh every ``DEBOUNCE_MS``, not one per page). ``casesChanged`` carries
the case uuids; each page reads again, off the GUI thread, what it shows of them (ui/task_runner.py).
Nobody presses 刷新.

A page takes part by having ``cases_changed(uuids: frozenset[str])``: the main window connects every
page it builds that has one (ui/main_window.py).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from clerk_desk.store.changes import Changes
from clerk_desk.store.database import Database

DEBOUNCE_MS = 200  # after a refresh, news is gathered this long: at most one refresh per period


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
        self.timer = QTimer(self)  # the gathering period after a refresh
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self._flush)
        # The first news after quiet: passed on once the news already queued behind it has been collected.
        self._leading = QTimer(self)
        self._leading.setSingleShot(True)
        self._leading.setInterval(0)
        self._leading.timeout.connect(self._flush)
        self._listener = self._relay.changed.emit
        db.commit_listeners.append(self._listener)
        self.destroyed.connect(lambda *_a: self.detach())

    def detach(self) -> None:
        """Stop listening (sign-out): the database outlives the main window."""
        if self._listener in self.db.commit_listeners:
            self.db.commit_listeners.remove(self._listener)
        self.timer.stop()
        self._leading.stop()

    @Slot(object)
    def _collect(self, changes: Changes) -> None:
        if not changes.cases:
            return
        self._cases |= changes.cases
        if not self.timer.isActive() and not self._leading.isActive():  # quiet until now: at once
            self._leading.start()

    def _flush(self) -> None:
        """Pass on what was gathered and gather for another period; nothing gathered: quiet again."""
        cases, self._cases = frozenset(self._cases), set()
        if cases:
            self.timer.start()
            self.casesChanged.emit(cases)
