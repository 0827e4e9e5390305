"""Add a window: name, kind, the department for 部门专窗/公安窗口, the open dates for 潮汐窗口, and the items
named for a 潮汐窗口 (it takes them) or a 部门专窗 (it keeps them; none named: all of its department's)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import TypedDict

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.domain.org import WINDOW_KIND_ZH, WindowKind
from clerk_desk.services import site_setup
from clerk_desk.store.database import Database
from clerk_desk.ui.admin.saving import save_and_close
from clerk_desk.ui.qt_dates import picked_date
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, combo, dialog_layout, enter_presses_focused, line_edit

NEEDS_DEPARTMENT = (WindowKind.DEPARTMENT, WindowKind.POLICE)
NAMES_ITEMS = (WindowKind.DEPARTMENT, WindowKind.TIDAL)


class NewWindow(TypedDict):
    """A window to add, as keyword arguments for site_setup.add_window."""

    name: str
    kind: str
    department_code: str | None
    valid_from: date | None
    valid_to: date | None
    items: tuple[str, ...]


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class WindowDialog(QDialog):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        actor: str,
        departments: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.actor = db, runner, actor
        self.setObjectName("windowDialog")
        self.setWindowTitle(self.tr("Add a window"))
        self.setMinimumWidth(440)
        self.name = line_edit("windowName", placeholder=self.tr("e.g. Comprehensive window (4)"))
        self.kind = combo("windowKind")
        for kind, text in WINDOW_KIND_ZH.items():
            self.kind.addItem(text, kind.value)
        self.department = combo("windowDepartment")
        for code, name in departments:
            self.department.addItem(name, code)
        self.valid_from = _date_edit("windowFrom")
        self.valid_to = _date_edit("windowTo")
        self.items = line_edit("windowItems", placeholder=self.tr("item codes, separated by commas"))
        self.save = button(self.tr("Add"), "windowSave", default=True)
        self.cancel = button(self.tr("Cancel"), "windowCancel")
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Department"), self.department)
        form.addRow(self.tr("Open from"), self.valid_from)
        form.addRow(self.tr("Open until"), self.valid_to)
        form.addRow(self.tr("Items"), self.items)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.save)
        layout = dialog_layout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.save.clicked.connect(self.try_save)
        self.cancel.clicked.connect(self.reject)
        self._kind_changed()
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def current_kind(self) -> WindowKind:
        return WindowKind(self.kind.currentData())

    def set_kind(self, kind: WindowKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind.value))

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.department.setEnabled(kind in NEEDS_DEPARTMENT)
        if kind is WindowKind.POLICE:
            self.department.setCurrentIndex(max(0, self.department.findData("ga")))
        tidal = kind is WindowKind.TIDAL
        self.valid_from.setEnabled(tidal)
        self.valid_to.setEnabled(tidal)
        self.items.setEnabled(kind in NAMES_ITEMS)

    def values(self) -> NewWindow:
        kind = self.current_kind()
        tidal = kind is WindowKind.TIDAL
        return {
            "name": self.name.text(),
            "kind": kind.value,
            "department_code": self.department.currentData() if kind in NEEDS_DEPARTMENT else None,
            "valid_from": picked_date(self.valid_from) if tidal else None,
            "valid_to": picked_date(self.valid_to) if tidal else None,
            "items": split_codes(self.items.text()) if kind in NAMES_ITEMS else (),
        }

    def try_save(self) -> None:
        values = self.values()
        save_and_close(self, self.save, self.runner,
                       partial(site_setup.add_window, self.db, actor=self.actor, **values))


def split_codes(text: str) -> tuple[str, ...]:
    """Item codes as typed: separated by commas (either width), 、 or spaces."""
    return tuple(c for c in re.split(r"[,，、\s]+", text) if c)
