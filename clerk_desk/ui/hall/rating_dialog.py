"""The applicant's rating (好差评): five buttons, 满意 focused and default, so the usual answer is one key
(Enter). A comment, if the applicant gives one, is typed first; any rating button then records it.

``record(rating, comment)`` runs on the task runner; the dialog closes when it is done and stays open with
the reason (and the comment typed) when it is refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from clerk_desk.services.evaluation import Rating
from clerk_desk.ui.notify import error_text
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.tr_mark import QT_TRANSLATE_NOOP
from clerk_desk.ui.widgets import NotesEdit, button, dialog_layout, enter_presses_focused, error_label, label

RATING_TEXT = {
    Rating.VERY_SATISFIED: QT_TRANSLATE_NOOP("Rating", "Very satisfied"),
    Rating.SATISFIED: QT_TRANSLATE_NOOP("Rating", "Satisfied"),
    Rating.BASICALLY_SATISFIED: QT_TRANSLATE_NOOP("Rating", "Fairly satisfied"),
    Rating.DISSATISFIED: QT_TRANSLATE_NOOP("Rating", "Dissatisfied"),
    Rating.VERY_DISSATISFIED: QT_TRANSLATE_NOOP("Rating", "Very dissatisfied"),
}
BUTTON_NAMES = {
    Rating.VERY_SATISFIED: "ratingVerySatisfied",
    Rating.SATISFIED: "ratingSatisfied",
    Rating.BASICALLY_SATISFIED: "ratingBasicallySatisfied",
    Rating.DISSATISFIED: "ratingDissatisfied",
    Rating.VERY_DISSATISFIED: "ratingVeryDissatisfied",
}


def rating_text(rating: Rating) -> str:
    return QCoreApplication.translate("Rating", RATING_TEXT[rating])


class RatingDialog(QDialog):
    def __init__(self, case_text: str, runner: TaskRunner, record: Callable[[Rating, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.record = runner, record
        self.setObjectName("ratingDialog")
        self.setWindowTitle(self.tr("Applicant's rating"))
        self.chosen: Rating | None = None
        layout = dialog_layout(self)
        layout.addWidget(label(case_text, "ratingCase", self, wrap=True))
        layout.addWidget(label(self.tr("How satisfied is the applicant? (Enter: satisfied)"), "ratingAsk", self))
        row = QHBoxLayout()
        self.buttons: dict[Rating, QPushButton] = {}
        for rating in Rating:
            b = button(rating_text(rating), BUTTON_NAMES[rating], self, default=rating is Rating.SATISFIED)
            b.clicked.connect(lambda _c=False, r=rating: self._choose(r))
            row.addWidget(b)
            self.buttons[rating] = b
        layout.addLayout(row)
        layout.addWidget(label(self.tr("Comment (optional, type it before choosing)"), "", self))
        self.comment = NotesEdit(self)
        self.comment.setObjectName("ratingComment")
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(self.comment.fontMetrics().height() * 4)
        layout.addWidget(self.comment)
        self.error = error_label("ratingError", self)
        layout.addWidget(self.error)
        self.cancel = button(self.tr("Not now"), "ratingCancel", self)
        self.cancel.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.cancel)
        layout.addLayout(bottom)
        self.buttons[Rating.SATISFIED].setFocus()
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        for b in self.buttons.values():  # the style sheet's font is known once shown: room for the whole text
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(b.text()) + 3 * b.fontMetrics().height())
        super().showEvent(event)
        self.buttons[Rating.SATISFIED].setFocus()

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def _choose(self, rating: Rating) -> None:
        self.error.setVisible(False)
        self.runner.submit(self.record, rating, self.comment_text(),
                           on_done=lambda _r: self._recorded(rating), on_error=self._refused)

    def _recorded(self, rating: Rating) -> None:
        self.chosen = rating
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.error.setVisible(True)
