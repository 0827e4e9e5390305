"""督办单: every order of this site, open and answered, with the reason, the date to answer by and the 说明
(services/supervision_orders.py). Open ones past their date are red. Double click or Enter opens the case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.ui.list_and_case import rows_table
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import combo, label

OPEN, ANSWERED, ALL = "open", "answered", "all"
COL_STATE = 6



def state_text(row: Any, today: Any) -> str:
    o = row.order
    if o.answer is not None:
        return QCoreApplication.translate("OrdersTab", "Answered")
    return QCoreApplication.translate("OrdersTab", "Not answered, past its date") if o.reply_overdue(today) else QCoreApplication.translate("OrdersTab", "Not answered")


def _at(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")


def read_orders(db: Database, site_code: str | None) -> list[Any]:
    from clerk_desk.services import supervision_orders as orders

    return orders.list_orders(db, site_code=site_code)


class OrderModel(RowsTableModel[Any]):
    refreshing = True  # every read is the same list again: the selection and the scroll stay (KeepPlace)
    def __init__(self, today: Any, parent: Any = None) -> None:
        self.today = today
        super().__init__([
            Column(QCoreApplication.translate("OrdersTab", "Issued"), lambda r: r.order.issued_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")),
            Column(QCoreApplication.translate("OrdersTab", "Case number"), lambda r: r.case_number or QCoreApplication.translate("OrdersTab", "(no number)")),
            Column(QCoreApplication.translate("OrdersTab", "Item"), lambda r: r.item_name),
            Column(QCoreApplication.translate("OrdersTab", "Department"), lambda r: r.department_name),
            Column(QCoreApplication.translate("OrdersTab", "Reason"), lambda r: r.order.reason),
            Column(QCoreApplication.translate("OrdersTab", "Answer by"), lambda r: r.order.reply_by.isoformat() if r.order.reply_by else "—"),
            Column(QCoreApplication.translate("OrdersTab", "State"), lambda r: state_text(r, self.today())),
            Column(QCoreApplication.translate("OrdersTab", "Answer"), lambda r: r.order.answer.text if r.order.answer else ""),
            Column(QCoreApplication.translate("OrdersTab", "Answered by"), lambda r: (r.order.answer.actor_name or r.order.answer.actor)
                   if r.order.answer else ""),
        ], parent)  # fmt: skip

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == COL_STATE and role == Qt.ItemDataRole.ForegroundRole:
            o = self.row_at(index.row()).order
            if o.reply_overdue(self.today()):
                return QBrush(QColor("#b03a2e"))
            return QBrush(QColor("#1e7b34")) if o.answer else None
        return super().data(index, role)


class OrdersTab(QWidget):
    openCase = Signal(str)  # noqa: N815 (Qt signal)
    loaded = Signal()

    def __init__(self, db: Database, runner: TaskRunner, site_code: str | None, parent: QWidget | None = None, *,
                 now: Any = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.site_code, self.now = db, runner, site_code, now
        self.rows: list[Any] = []
        self.which = combo("ordersWhich", self)
        for key, text in ((OPEN, self.tr("Not answered")), (ANSWERED, self.tr("Answered")), (ALL, self.tr("All"))):
            self.which.addItem(text, key)
        self.which.currentIndexChanged.connect(self._show)
        self.summary = label(self.tr("Reading…"), "ordersSummary", wrap=True)
        self.model = OrderModel(lambda: self.now().astimezone(SHANGHAI).date(), self)
        # the date to answer by and the state whole; the number gives up its site code first; only the state is
        # coloured (the other columns are painted without a call into Python)
        self.table = rows_table("ordersTable", self.model, self, stretch=4, whole=(0, 5, COL_STATE), drop=(8, 3),
                                number=1, coloured=(COL_STATE,))
        self.table.horizontalHeader().setResizeContentsPrecision(0)  # fit columns to the rows on screen, not to 1000
        self.table.doubleClicked.connect(self._open)
        # the chosen order whole: at 150 % the table has room for a few characters of the reason and the answer
        self.detail = label("", "ordersDetail", self, wrap=True)
        self.detail.setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.model.modelReset.connect(self._show_detail)
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Show"), ""))
        top.addWidget(self.which)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt API): Enter opens the case
        if watched is getattr(self, "table", None) and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):  # fmt: skip
            self._open(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        self.runner.submit(read_orders, self.db, self.site_code, on_done=self.show_orders, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        from clerk_desk.ui import notify

        self.summary.setText(self.tr("The orders could not be read: {0}").format(notify.error_text(exc)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.isVisible():
            self.refresh()

    def show_orders(self, rows: list[Any]) -> None:
        self.rows = rows
        self._show()
        self.loaded.emit()

    def _show(self, *_args: object) -> None:
        which = self.which.currentData()
        shown = [r for r in self.rows if which == ALL or (r.order.open == (which == OPEN))]
        self.model.set_rows(shown)
        today = self.now().astimezone(SHANGHAI).date()
        waiting = sum(1 for r in self.rows if r.order.open)
        late = sum(1 for r in self.rows if r.order.reply_overdue(today))
        self.summary.setText(self.tr("{0} not answered ({1} past their date), {2} answered").format(
            waiting, late, len(self.rows) - waiting))

    def _show_detail(self, *_args: object) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.detail.setVisible(False)
            return
        o = self.model.row_at(index.row()).order
        lines = [self.tr("Issued by {0} at {1}: {2}").format(o.issued_by_name or o.issued_by, _at(o.issued_at), o.reason)]
        if o.answer is None:
            lines.append(self.tr("Not answered yet; to be answered by {0}.").format(
                o.reply_by.isoformat() if o.reply_by else "—"))
        else:
            lines.append(self.tr("Answered by {0} at {1}: {2}").format(o.answer.actor_name or o.answer.actor,
                                                                       _at(o.answer.at), o.answer.text))
        self.detail.setText("\n".join(lines))
        self.detail.setVisible(True)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openCase.emit(self.model.row_at(index.row()).order.case_uuid)
