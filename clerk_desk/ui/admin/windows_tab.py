"""The site's windows: a table, add, open/close (deactivated windows are kept for the record)."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableView, QVBoxLayout, QWidget

from clerk_desk.services import site_setup
from clerk_desk.services.site_setup import WindowInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.admin.window_dialog import WindowDialog
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button


def _dates(w: WindowInfo) -> str:
    if not (w.valid_from or w.valid_to):
        return ""
    return f"{w.valid_from or ''} — {w.valid_to or ''}"


class WindowsTab(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.actor = db, runner, actor
        self.setObjectName("adminWindowsTab")
        self.departments: list[tuple[str, str]] = []
        self.dialog: WindowDialog | None = None
        active, inactive = self.tr("In use"), self.tr("Closed")
        self.model: RowsTableModel[WindowInfo] = RowsTableModel(
            [
                Column(self.tr("Name"), lambda w: w.name),
                Column(self.tr("Kind"), lambda w: w.kind_zh),
                Column(self.tr("Department"), lambda w: w.department_name or ""),
                Column(self.tr("Open dates"), _dates),
                Column(self.tr("Status"), lambda w: active if w.active else inactive),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("adminWindowsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add = button(self.tr("Add window…"), "windowAdd")
        self.toggle = button(self.tr("Close / reopen"), "windowToggleActive")
        row = QHBoxLayout()
        row.addWidget(self.add)
        row.addWidget(self.toggle)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.add.clicked.connect(self.open_add_dialog)
        self.toggle.clicked.connect(self.toggle_selected)
        self.refresh()

    def refresh(self) -> None:
        self.runner.submit(
            partial(site_setup.list_windows, self.db, include_inactive=True), on_done=self.model.set_rows
        )
        self.runner.submit(site_setup.departments, self.db, on_done=self._set_departments)

    def _set_departments(self, departments: list[tuple[str, str]]) -> None:
        self.departments = departments

    def selected(self) -> WindowInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_name(self, name: str) -> bool:
        for i, w in enumerate(self.model.rows):
            if w.name == name:
                self.table.selectRow(i)
                return True
        return False

    def open_add_dialog(self) -> None:
        self.dialog = WindowDialog(self.db, self.runner, self.actor, self.departments, self)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def toggle_selected(self) -> None:
        w = self.selected()
        if w is None:
            notify.error(self, self.tr("Please select a window in the table first."))
            return
        if w.active and not notify.confirm(
            self, self.tr("Close {0}? Clerks will no longer be able to choose it.").format(w.name)
        ):
            return
        self.runner.submit(
            partial(site_setup.set_window_active, self.db, w.id, not w.active, actor=self.actor),
            on_done=lambda _r: self.refresh(),
        )
