"""The 好差评 page: the cases closed at this site today that the applicant has not rated yet (Enter or
双击 opens the rating: one more Enter records 满意), and the supervisor's follow-up list of 不满意 and
非常不满意 ratings with their return calls. It follows the data (ui/case_watch.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QTableView, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import evaluation
from clerk_desk.services.case_queries import STATUS_ZH
from clerk_desk.services.evaluation import FollowUpRow, RatableCase, Rating, RatingRecord
from clerk_desk.services.intake import Clerk
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_actions import clerk_for
from clerk_desk.ui.column_fit import CASE_NUMBER_TAIL, fit_columns
from clerk_desk.ui.hall.follow_up_dialog import FollowUpDialog
from clerk_desk.ui.hall.rating_dialog import RatingDialog, rating_text
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, label

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext


def _today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


def _local(at: datetime | None) -> str:
    return at.astimezone(SHANGHAI).strftime("%m-%d %H:%M") if at else ""


def table(name: str, model: RowsTableModel, parent: QWidget, stretch: int = 1,
          whole: tuple[int, ...] = (), number: int | None = None) -> QTableView:  # fmt: skip
    """A read-only list whose columns fit the table (ui/column_fit.py): no horizontal scrolling; a cell
    too narrow for its text is elided and its tooltip holds the whole text, but never a ``whole`` one. The
    case number's column (``number``) gives up its head when room is short: 「…01-20261207-000014」, not
    「4212241…」 (every row alike at 1366×768 and 150 %)."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    fit_columns(view, stretch, whole=whole, tails=None if number is None else {number: CASE_NUMBER_TAIL})
    return view


def selected(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else (view.currentIndex().row() if view.currentIndex().isValid() else None)


class EvaluationPage(QWidget):
    loaded = Signal()

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, *,
                 today: Callable[[], date] = _today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationPage")
        self.db, self.runner, self.session, self.today = db, runner, session, today
        self.dialog: RatingDialog | FollowUpDialog | None = None
        layout = dialog_layout(self)
        heading = label(self.tr("Ratings (好差评)"), "evaluationHeading", self)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        layout.addWidget(label(self.tr("Closed today, not rated yet"), "evaluationAwaitingTitle", self))
        self.awaiting = RowsTableModel[RatableCase]([
            Column(self.tr("Case number"), lambda r: r.case_number),
            Column(self.tr("Item"), lambda r: r.item_name),
            Column(self.tr("Closed as"), lambda r: STATUS_ZH[r.status]),
            Column(self.tr("At"), lambda r: _local(r.closed_at)),
        ], self)
        self.awaiting_view = table("evaluationAwaiting", self.awaiting, self, number=0)
        layout.addWidget(self.awaiting_view, 1)
        self.rate_button = button(self.tr("Rate…"), "evaluationRate", self)
        self.rate_button.setToolTip("Enter")
        row = QHBoxLayout()
        self.message = label("", "evaluationMessage", self, wrap=True)
        self.last_act = ""  # what the last rating or return call recorded, said before the counts
        row.addWidget(self.message, 1)
        row.addWidget(self.rate_button)
        layout.addLayout(row)
        layout.addWidget(label(self.tr("Dissatisfied ratings: return calls"), "evaluationFollowUpTitle", self))
        self.follow = RowsTableModel[FollowUpRow]([
            Column(self.tr("Case number"), lambda r: r.case_number),
            Column(self.tr("Item"), lambda r: r.item_name),
            Column(self.tr("Applicant"), lambda r: r.applicant_name or "—"),
            Column(self.tr("Phone"), lambda r: r.applicant_phone or "—"),
            Column(self.tr("Rating"), lambda r: rating_text(r.rating)),
            Column(self.tr("Comment"), lambda r: r.comment),
            Column(self.tr("Rated at"), lambda r: _local(r.rated_at)),
            Column(self.tr("Return call"), self._call_text),
        ], self)
        # the number to call and when stay whole: the other columns give way (at 150 % there is no room for more)
        self.follow_view = table("evaluationFollowUps", self.follow, self, stretch=5, whole=(3, 6), number=0)
        layout.addWidget(self.follow_view, 1)
        self.show_done = QCheckBox(self.tr("Show those already called back"), self)
        self.show_done.setObjectName("evaluationShowDone")
        self.follow_button = button(self.tr("Record return call…"), "evaluationFollowUp", self)
        self.refresh_button = button(self.tr("Refresh"), "evaluationRefresh", self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_done)
        bottom.addStretch(1)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.follow_button)
        layout.addLayout(bottom)
        self.rate_button.clicked.connect(self.rate_selected)
        self.awaiting_view.activated.connect(lambda _i: self.rate_selected())
        self.follow_button.clicked.connect(self.follow_up_selected)
        self.show_done.toggled.connect(lambda _c: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        for key, slot in (("F5", self.refresh),):
            QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut).activated.connect(slot)

    def _call_text(self, r: FollowUpRow) -> str:
        if not r.done:
            return self.tr("Not yet")
        return f"{r.followed_up_on}（{r.followed_up_by}）{r.contact}：{r.response}"

    # -- reading -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        site = self.session.site.site_code or ""
        since = datetime.combine(self.today(), time(0), SHANGHAI)
        self.runner.submit(_load, self.db, site, since, self.show_done.isChecked(), on_done=self._show,
                           on_error=partial(notify.show_error, self))

    def _show(self, loaded: tuple[list[RatableCase], list[FollowUpRow]]) -> None:
        awaiting, follow = loaded
        self.awaiting.set_rows(awaiting)
        self.follow.set_rows(follow)
        if awaiting and selected(self.awaiting_view) is None:
            self.awaiting_view.selectRow(0)
        self.rate_button.setEnabled(bool(awaiting))
        self.follow_button.setEnabled(any(not r.done for r in follow))
        counts = self.tr("{0} to rate, {1} return calls open").format(len(awaiting), sum(not r.done for r in follow))
        self.message.setText(f"{self.last_act}；{counts}" if self.last_act else counts)
        self.loaded.emit()

    # -- acting --------------------------------------------------------------------------------
    def rate_selected(self) -> None:
        row = selected(self.awaiting_view)
        if row is None or row >= len(self.awaiting.rows):
            return
        case = self.awaiting.row_at(row)
        clerk = clerk_for(self.session)
        record = partial(_rate, self.db, case.case_uuid, clerk)
        dialog = self.dialog = RatingDialog(f"{case.case_number}  {case.item_name}", self.runner, record, self)
        dialog.accepted.connect(lambda: self._rated(case.case_number, dialog.chosen))
        dialog.open()

    def _rated(self, case_number: str, rating: Rating | None) -> None:
        if rating is not None:
            said = self.tr("Recorded: case {0} rated “{1}”").format(case_number, rating_text(rating))
            self.last_act = said + (self.tr(", put on the return-call list") if rating in evaluation.BAD else "")
        self.refresh()

    def follow_up_selected(self) -> None:
        row = selected(self.follow_view)
        rows = self.follow.rows
        if row is None or row >= len(rows) or rows[row].done:
            open_rows = [r for r in rows if not r.done]
            if not open_rows:
                return
            target = open_rows[0]
        else:
            target = rows[row]
        clerk = clerk_for(self.session)

        def record(contact: str, response: str, day: date) -> None:
            evaluation.record_follow_up(self.db, target.case_uuid, clerk, contact=contact, response=response, on=day)

        text = f"{target.case_number}  {target.item_name}  {rating_text(target.rating)}：{target.comment}"
        self.dialog = FollowUpDialog(text, self.today(), self.runner, record, self)
        self.dialog.accepted.connect(lambda: self._called_back(target.case_number))
        self.dialog.open()

    def _called_back(self, case_number: str) -> None:
        self.last_act = self.tr("Recorded: the return call on case {0}").format(case_number)
        self.refresh()


def _rate(db: Database, case_uuid: str, clerk: Clerk, rating: Rating, comment: str) -> RatingRecord:
    return evaluation.rate(db, case_uuid, clerk, rating, comment)


def _load(db: Database, site: str, since: datetime, include_done: bool) -> tuple[list[RatableCase], list[FollowUpRow]]:
    return (evaluation.awaiting_rating(db, site, since),
            evaluation.follow_up_list(db, site, include_done=include_done))


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return EvaluationPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
