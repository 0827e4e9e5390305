"""Drafts on screen and on disk: the keeper saves the intake as it is typed; the banner offers drafts back.

The keeper saves ~300 ms after the last change and at once on a step change, always through the task
runner, one save at a time (a change during a save is saved right after it). The draft id is chosen
here, before the first save, so every save and the finished outcome name the same draft.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget
from shiboken6 import Shiboken

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import drafts
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.intake.model import DraftState
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import WrappingLabel, button

DEBOUNCE_MS = 300


class DraftKeeper(QObject):
    saved = Signal(str)  # draft id
    failed = Signal(str)  # the clerk-readable reason

    def __init__(self, db: Database, runner: TaskRunner, user_id: str, window_id: str | None,
                 snapshot: Callable[[], dict[str, Any] | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.user_id, self.window_id = db, runner, user_id, window_id
        self.snapshot = snapshot
        self.draft_id = str(uuid.uuid4())
        self.paused = False
        self._busy = False
        self._dirty = False
        self._then: list[Callable[[], object]] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.save_now)

    def touch(self) -> None:
        if not self.paused:
            self.timer.start()

    def flush(self) -> None:
        """Save now what is still waiting for the pause (the page is leaving the screen: another page, a
        sign-out, the app closing), so the last keys before it are not lost."""
        if self.timer.isActive():
            self.save_now()

    def save_now(self) -> None:
        self.timer.stop()
        if self.paused:
            return
        if self._busy:
            self._dirty = True
            return
        data = self.snapshot()
        if data is None:  # nothing worth keeping typed yet
            self._settled()
            return
        self._busy, self._dirty = True, False
        self.runner.submit(_save, self.db, self.draft_id, self.user_id, self.window_id, data,
                           on_done=self._done, on_error=self._error)

    def _done(self, draft_id: str) -> None:
        if not Shiboken.isValid(self):  # saved after its page was closed (a sign-out): nothing left to tell
            return
        self._busy = False
        self.saved.emit(draft_id)
        self._after()

    def _error(self, exc: BaseException) -> None:
        if not Shiboken.isValid(self):
            notify.show_error(None, exc)
            return
        self._busy = False
        self.failed.emit(notify.error_text(exc))
        self._after()

    def _after(self) -> None:
        if self._dirty and not self.paused:
            self.save_now()
        else:
            self._settled()

    def _settled(self) -> None:
        then, self._then = self._then, []
        for fn in then:
            fn()

    def settle(self, then: Callable[[], object]) -> None:
        """Stop saving, then run ``then`` once no save is in flight (the outcome replaces the draft)."""
        self.paused = True
        self.timer.stop()
        self._dirty = False
        if self._busy:
            self._then.append(then)
        else:
            then()

    def resume(self) -> None:
        """Saving again (after a failed outcome): the draft must keep what is on screen."""
        self.paused = False
        self.save_now()

    def restart(self, draft_id: str | None = None) -> None:
        """A new intake (or a restored one, keeping its draft id)."""
        self.timer.stop()
        self.paused, self._dirty = False, False
        self.draft_id = draft_id or str(uuid.uuid4())


def _save(db: Database, draft_id: str, user_id: str, window_id: str | None, data: dict[str, Any]) -> str:
    return drafts.save(db, draft_id=draft_id, user_id=user_id, window_id=window_id, data=data)


class DraftBanner(QWidget):
    """"An unfinished intake is waiting": continue or discard (discarding asks first)."""

    resume = Signal(object)  # drafts.Draft
    discarded = Signal(str)  # draft id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBanner")
        self.waiting: list[drafts.Draft] = []
        self.text = WrappingLabel("", "draftInfo", self)  # the applicant's name may be a long Latin one
        self.text.setProperty("role", "note")
        self.resume_button = button(self.tr("&Continue"), "draftResume", self)
        self.discard_button = button(self.tr("&Discard…"), "draftDiscard", self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        self.resume_button.clicked.connect(self._resume_first)
        self.discard_button.clicked.connect(self._discard)
        self.setVisible(False)

    def _resume_first(self) -> None:
        if self.waiting:
            self.resume.emit(self.waiting[0])

    def offer(self, waiting: list[drafts.Draft]) -> None:
        self.waiting = list(waiting)
        self.setVisible(bool(self.waiting))
        if not self.waiting:
            return
        first = self.waiting[0]
        try:
            summary = DraftState.from_json(first.data).summary
        except (KeyError, TypeError, ValueError):
            summary = ""
        at = (first.updated_at if first.updated_at.tzinfo else first.updated_at.replace(tzinfo=UTC)).astimezone(
            SHANGHAI)
        text = self.tr("Unfinished intake saved at {0}: {1}").format(at.strftime("%m-%d %H:%M"),
                                                                    summary or self.tr("(nothing named yet)"))
        if len(self.waiting) > 1:
            text += self.tr(" (and {0} more)").format(len(self.waiting) - 1)
        self.text.setText(text)

    def _discard(self) -> None:
        if not self.waiting:
            return
        if notify.confirm(self, self.tr("Discard this unfinished intake? What was typed in it will be deleted.")):
            self.discarded.emit(self.waiting[0].id)
