"""督办单 on screen: the supervisor's dialog to issue one, the holder's dialog to answer (说明), both on the
shared form of ui/supervision/note_dialog.py, and the line a case page shows while an order on its case
waits for an answer (services/supervision_orders.py).

Every text here (the reason, the answer, names) is shown as plain text (ui/widgets.py). The service that
writes is imported when a dialog first sends: a case page must not load SQLAlchemy on the way to its first paint.
An answer typed and not sent is kept on this PC (services/answer_drafts.py, plain SQL, sealed), a moment after
the last key and when the dialog closes, and comes back when 答复… is pressed again, after a sign-out or a
restart too, until it is sent."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDateEdit, QDialog, QHBoxLayout, QVBoxLayout, QWidget

from clerk_desk.domain import supervision_orders as so
from clerk_desk.domain.lifecycle import Side
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import answer_drafts
from clerk_desk.store.database import Database
from clerk_desk.ui.draft_writes import DraftWrites
from clerk_desk.ui.qt_dates import picked_date, qdate
from clerk_desk.ui.qt_items import taken_widgets
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.supervision.note_dialog import NoteDialog, text_box
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, label

if TYPE_CHECKING:
    from clerk_desk.domain.case_view import TimelineEvent

log = logging.getLogger(__name__)

KEEP_TYPED_AFTER_MS = 1_000  # a pause in typing this long keeps the answer on this PC (as the decision drafts)


class IssueDialog(NoteDialog):
    """The supervisor issues a 督办单 on one case: the reason and the date to answer by."""

    issued = Signal(str)  # the order's uuid

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, case_uuid: str, case_text: str,
                 *, reason: str = "", stage: str = "", now: datetime | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(runner, "issueOrder", self.tr("Issue a supervision order"), parent)
        self.db, self.session, self.case_uuid, self.stage = db, session, case_uuid, stage
        self.at = now  # the act's time (the desk's clock when None)
        today = now.astimezone(SHANGHAI).date() if now else date.today()
        self.case = label(case_text, "issueOrderCase", self, wrap=True)
        self.reason = text_box("issueOrderReason", self, self.tr("What the holder must explain (required)"))
        self.reason.setPlainText(reason)
        self.reply_by = QDateEdit(qdate(today + timedelta(days=1)), self)
        self.reply_by.setObjectName("issueOrderReplyBy")
        self.reply_by.setCalendarPopup(True)
        self.reply_by.setMinimumDate(qdate(today))
        self.reply_by.setDisplayFormat("yyyy-MM-dd")
        self.form.addRow(self.tr("Case"), self.case)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.form.addRow(self.tr("Answer by"), self.reply_by)
        # an order already waiting on this case: said before a second one is sent (the holder would get both)
        self.existing = label("", "issueOrderExisting", self, wrap=True)
        self.existing.setStyleSheet("color: #b03a2e;")
        self.existing.setVisible(False)
        self.finish(self.tr("Issue"), above=self.existing)
        runner.submit(_open_orders, db, case_uuid, on_done=self._show_existing, on_error=lambda _e: None)

    def _show_existing(self, waiting: list[so.Order]) -> None:
        if not waiting:
            return
        first = min(waiting, key=lambda o: o.issued_at)
        self.existing.setText(self.tr("This case already has %n order(s) not yet answered (the first issued by {0} "
                                      "on {1}, to be answered by {2}).", "", len(waiting)).format(
            first.issued_by_name or first.issued_by, first.issued_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            first.reply_by.isoformat() if first.reply_by else "—"))
        self.existing.setVisible(True)

    def act(self) -> Callable[[], Any]:
        from clerk_desk.services import supervision_orders as orders  # writes: loaded when first used

        return partial(orders.issue, self.db, self.case_uuid, self.session.user.username,
                       reason=self.reason.toPlainText(), reply_by=picked_date(self.reply_by), stage=self.stage,
                       now=self.at)  # fmt: skip

    def done_with(self, result: Any) -> None:
        self.issued.emit(result)


def _open_orders(db: Database, case_uuid: str) -> list[so.Order]:
    from clerk_desk.services import supervision_orders as orders

    return [r.order for r in orders.list_orders(db, case_uuid=case_uuid, open_only=True)]


class AnswerDialog(NoteDialog):
    """The holder's 说明 on an open order (the window, or the back office in approver mode)."""

    answered = Signal(str)  # the order's uuid

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, order: so.Order,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(runner, "answerOrder", self.tr("Answer the supervision order"), parent)
        self.db, self.session, self.order = db, session, order
        asked = label(order.reason, "answerOrderReason", self, wrap=True)
        by = label(order.issued_by_name or order.issued_by, "answerOrderIssuedBy", self)
        self.text = text_box("answerOrderText", self, self.tr("What was done, and why (required)"))
        self.form.addRow(self.tr("Issued by"), by)
        self.form.addRow(self.tr("Reason"), asked)
        self.form.addRow(self.tr("Answer"), self.text)
        self.finish(self.tr("Send the answer"))

    def open(self) -> None:
        super().open()
        self.text.setFocus()  # the answer is what is asked for (the act is refused without it)

    def act(self) -> Callable[[], Any]:
        side = Side.BACK_OFFICE if self.session.is_approver_mode else Side.WINDOW
        from clerk_desk.services import supervision_orders as orders  # writes: loaded when first used

        return partial(orders.answer, self.db, self.order.uuid, self.session.user.username, side,
                       text=self.text.toPlainText())  # fmt: skip

    def done_with(self, result: Any) -> None:
        self.answered.emit(self.order.uuid)


class OrderBanner(QWidget):
    """On a case page: each 督办单 of the case not yet answered, with a button to answer it."""

    answered = Signal(str)  # case uuid

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, prefix: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.session, self.prefix = db, runner, session, prefix
        self.setObjectName(f"{prefix}Orders")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(2)
        self.dialog: AnswerDialog | None = None
        # By order: an answer typed and not sent (Esc, 取消, a sign-out, the desk closed) comes back until it is
        # sent. Kept on this PC for this account too (services/answer_drafts.py): read for the open orders of
        # each case shown, the first time; from then on what is here is the truth (written after it).
        self.typed: dict[str, str] = {}
        self._known: set[str] = set()
        self._typing = QTimer(self)  # kept a moment after the last key (the desk closing loses at most that)
        self._typing.setSingleShot(True)
        self._typing.setInterval(KEEP_TYPED_AFTER_MS)
        self._typing.timeout.connect(self._keep_typed)
        self._typed_in: tuple[AnswerDialog, str] | None = None  # the dialog typed in, its order
        # (one write at a time, the latest text of each order: a keep must not land after an answer's forget)
        self._writes: DraftWrites[str, str] = DraftWrites(runner, self._write, "answer draft")
        self.case_uuid = ""
        self.open: list[so.Order] = []
        self.setVisible(False)

    def show_case(self, case_uuid: str, events: Iterable[TimelineEvent]) -> None:
        self.case_uuid = case_uuid
        self.open = [o for o in so.from_timeline(case_uuid, events) if o.open]
        for w in taken_widgets(self.box):
            w.setParent(None)
            w.deleteLater()
        for o in self.open:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = self.tr("Supervision order from {0}, answer by {1}: {2}").format(
                o.issued_by_name or o.issued_by, o.reply_by.isoformat() if o.reply_by else "—", o.reason)
            note = label(text, f"{self.prefix}OrderText", row, wrap=True)
            note.setStyleSheet("color: #b03a2e; font-weight: bold;")
            answer = button(self.tr("Answer…"), f"{self.prefix}OrderAnswer", row)
            answer.setAutoDefault(True)  # Enter on the focused button opens the answer
            answer.clicked.connect(partial(self.start_answer, o))
            line.addWidget(note, 1)
            line.addWidget(answer)
            self.box.addWidget(row)
        self.setVisible(bool(self.open))
        unread = [o.uuid for o in self.open if o.uuid not in self._known]
        if unread:  # (on the task runner: no database on the GUI thread)
            self.runner.submit(answer_drafts.kept, self.db, self.session.user.id, unread,
                               on_done=partial(self._drafts_read, unread), on_error=self._not_read)  # fmt: skip

    def _drafts_read(self, asked: list[str], kept: dict[str, str]) -> None:
        for order in asked:
            if order in self._known:
                continue  # typed and kept here meanwhile: that wins
            self._known.add(order)
            text = kept.get(order, "")
            if not text:
                continue
            self.typed[order] = text
            d = self.dialog  # opened before the read came back, nothing typed yet: the answer as it was left
            if d is not None and d.order.uuid == order and d.isVisible() and not d.text.toPlainText():
                self._show_typed(d, text)

    def _not_read(self, exc: BaseException) -> None:
        log.warning("answer drafts not read: %s", type(exc).__name__)

    def start_answer(self, order: so.Order) -> AnswerDialog:
        dialog = AnswerDialog(self.db, self.runner, self.session, order, self.window())
        dialog.answered.connect(lambda _u: self.answered.emit(self.case_uuid))
        self._show_typed(dialog, self.typed.get(order.uuid, ""))
        dialog.text.textChanged.connect(partial(self._typed, dialog, order.uuid))
        dialog.finished.connect(lambda _r: self._closed(order.uuid, dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    @staticmethod
    def _show_typed(dialog: AnswerDialog, text: str) -> None:
        dialog.text.setPlainText(text)
        dialog.text.moveCursor(QTextCursor.MoveOperation.End)  # typing goes on where it stopped

    def _typed(self, dialog: AnswerDialog, order: str) -> None:
        self._typed_in = (dialog, order)
        self._typing.start()

    def _keep_typed(self) -> None:
        if self._typed_in is None:
            return
        dialog, order = self._typed_in
        if dialog.isVisible() and dialog.submit.isEnabled():  # (while the answer is being sent: not now)
            self._keep(order, dialog.text.toPlainText())

    def _closed(self, order: str, dialog: AnswerDialog) -> None:
        self._typing.stop()
        self._typed_in = None
        sent = dialog.result() != QDialog.DialogCode.Rejected
        # sent: the draft goes (the answer's own transaction deleted it; this follows any keep still on its way),
        # and one still being read is not wanted any more
        if sent:
            self._known.add(order)
        self._keep(order, "" if sent else dialog.text.toPlainText())

    def _keep(self, order: str, text: str) -> None:
        text = text if text.strip() else ""
        if text == self.typed.get(order, ""):
            return  # (nothing changed: a kept draft still being read is still wanted)
        self._known.add(order)
        if text:
            self.typed[order] = text
        else:
            self.typed.pop(order, None)
        self._writes.put(order, text)

    def _write(self, order: str, text: str) -> None:  # (on a worker thread)
        answer_drafts.keep(self.db, self.session.user.id, order, text)
