"""“The catalog or the calendar changed”: one signal the catalog page, intake and the status bar listen to.

The sync engine brings a new catalog or calendar in on its own thread (sync/follow.py); DeskSync passes
the kinds to :meth:`ResourceUpdates.notify`, which may be called from any thread and always delivers
``changed`` on the GUI thread. Kept small on purpose: a general change notification can take its place by
emitting ``changed(["catalog"])`` / ``changed(["calendar"])``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

CATALOG, CALENDAR = "catalog", "calendar"


class ResourceUpdates(QObject):
    changed = Signal(list)  # the kinds that changed: "catalog", "calendar"
    _from_any_thread = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self._from_any_thread.connect(self.changed.emit, Qt.ConnectionType.QueuedConnection)

    def notify(self, kinds: list[str]) -> None:
        """Safe from any thread: ``changed`` is emitted on the thread this object lives on (the GUI's)."""
        self._from_any_thread.emit(list(kinds))


_updates: ResourceUpdates | None = None


def updates() -> ResourceUpdates:
    """The application's one instance (made on the GUI thread by its first caller there)."""
    global _updates
    if _updates is None:
        _updates = ResourceUpdates()
    return _updates
