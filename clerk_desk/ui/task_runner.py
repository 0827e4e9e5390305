"""Run slow work (password hashing, database access) off the GUI thread; deliver results by signal.

``runner.submit(fn, *args, on_done=..., on_error=...)`` returns a :class:`Task`. ``on_done(result)`` or
``on_error(exc)`` is called on the GUI thread, and the task's ``done``/``failed`` signals fire. Without an
``on_error`` the error is shown through :mod:`clerk_desk.ui.notify`. :class:`SyncTaskRunner` has the same
interface and runs the call at once (tests); :class:`ThreadTaskRunner` uses a QThreadPool (the app).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from clerk_desk.ui import notify

log = logging.getLogger(__name__)

OnDone = Callable[[Any], object]  # what it returns is not used
OnError = Callable[[BaseException], None]


class Task(QObject):
    """One submitted call. Lives on the GUI thread; ``done``/``failed`` are emitted there."""

    done = Signal(object)
    failed = Signal(object)
    settled = Signal(object)  # emitted last, with the task itself

    def __init__(self, on_done: OnDone | None, on_error: OnError | None) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.finished = False

    @Slot(bool, object)
    def deliver(self, ok: bool, value: object) -> None:
        self.finished = True
        try:
            if ok:
                if self._on_done:
                    self._on_done(value)
                self.done.emit(value)
                return
            assert isinstance(value, BaseException)
            if self._on_error:
                self._on_error(value)
            else:
                notify.show_error(None, value)
            self.failed.emit(value)
        finally:
            self.settled.emit(self)


class TaskRunner(Protocol):
    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
    ) -> Task: ...


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, object]:
    try:
        return True, fn(*args)
    except Exception as exc:  # delivered to the caller, never swallowed
        if not hasattr(exc, "message_zh"):
            log.exception("background task %s failed", getattr(fn, "__name__", fn))
        return False, exc


class SyncTaskRunner:
    """Runs the call immediately on the calling thread; same interface as ThreadTaskRunner."""

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
    ) -> Task:
        task = Task(on_done, on_error)
        ok, value = _call(fn, args)
        task.deliver(ok, value)
        return task


class _Signals(QObject):
    result = Signal(bool, object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.fn, self.args = fn, args
        self.signals = _Signals()  # created on the GUI thread, so delivery is queued back to it
        self.setAutoDelete(False)

    def run(self) -> None:
        ok, value = _call(self.fn, self.args)
        try:
            self.signals.result.emit(ok, value)
        except RuntimeError:  # the app quit while this ran (the catalog's warm-up): nobody is left to tell
            log.info("background task %s finished after the app quit", getattr(self.fn, "__name__", self.fn))


class ThreadTaskRunner(QObject):
    """Executes calls on a QThreadPool. ``idle`` fires when the last pending task has been delivered."""

    idle = Signal()

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._pending: dict[Task, _Job] = {}

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
    ) -> Task:
        task = Task(on_done, on_error)
        job = _Job(fn, args)
        job.signals.result.connect(task.deliver)
        task.settled.connect(self._forget)
        self._pending[task] = job
        self.pool.start(job)
        return task

    @Slot(object)
    def _forget(self, task: Task) -> None:
        self._pending.pop(task, None)
        if not self._pending:
            self.idle.emit()
