"""违规记录 (一票否决): a month's late transfers and late decisions, per department, per person and one by one
(services/violations.py). The supervisor may excuse one with a reason; it stays in the record, marked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain import violations as vi
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.list_and_case import rows_table
from clerk_desk.ui.supervision.month_reader import MonthReader
from clerk_desk.ui.supervision.note_dialog import NoteDialog, text_box
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, label


def read_month(db: Database, year: int, month: int, site_code: str | None) -> Any:
    from clerk_desk.services import violations

    return violations.month(db, year, month, site_code=site_code)


def late_text(v: vi.Violation) -> str:
    if v.kind is vi.Kind.TRANSFER:
        return QCoreApplication.translate("ViolationsTab", "{0} min").format(max(1, v.late_s // 60))
    return QCoreApplication.translate("ViolationsTab", "{0} working day(s), {1} h").format(v.late_days or 0,
                                                                                          v.late_s // 3600)


class _Keyed(RowsTableModel[Any]):
    refreshing = True  # KeepPlace: the selection stays over a re-read


class TallyRow:
    """A line of a table, keyed for the list helpers."""

    def __init__(self, tally: vi.Tally, name: str) -> None:
        self.tally, self.name, self.uuid = tally, name, tally.key


class ViolationRow:
    def __init__(self, v: vi.Violation, department: str, person: str, excused_by: str) -> None:
        self.v, self.department, self.person, self.excused_by = v, department, person, excused_by
        self.uuid = f"{v.case_uuid}:{v.kind.value}"


def _tally_columns(first: str) -> list[Column[TallyRow]]:
    return [
        Column(first, lambda r: r.name),
        Column(QCoreApplication.translate("ViolationsTab", "Late transfers"), lambda r: str(r.tally.transfers)),
        Column(QCoreApplication.translate("ViolationsTab", "Late decisions"), lambda r: str(r.tally.decisions)),
        Column(QCoreApplication.translate("ViolationsTab", "Excused"), lambda r: str(r.tally.excused)),
        Column(QCoreApplication.translate("ViolationsTab", "Standing"), lambda r: str(r.tally.counted)),
        Column(QCoreApplication.translate("ViolationsTab", "Minutes late (transfers)"), lambda r: str(r.tally.transfer_minutes)),
        Column(QCoreApplication.translate("ViolationsTab", "Working days late (decisions)"), lambda r: str(r.tally.decision_days)),
    ]


class ExcuseDialog(NoteDialog):
    excused = Signal()

    def __init__(self, db: Database, runner: TaskRunner, supervisor: str, v: vi.Violation,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(runner, "excuse", self.tr("Excuse a violation"), parent)
        self.db, self.supervisor, self.v = db, supervisor, v
        self.setMinimumWidth(480)
        what = label(f"{v.case_number} {vi.KIND_ZH[v.kind]} {late_text(v)}", "excuseWhat", self, wrap=True)
        note = label(self.tr("The violation stays in the record, marked excused with this reason."),
                     "excuseNote", self, wrap=True)
        note.setProperty("role", "note")
        self.reason = text_box("excuseReason", self, self.tr("Why it is excused (required)"), height=80)
        self.form.addRow(self.tr("Violation"), what)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.finish(self.tr("Excuse"), above=note)

    def act(self) -> Callable[[], Any]:
        from clerk_desk.services import violations

        return partial(violations.excuse, self.db, self.v.case_uuid, self.v.kind, self.supervisor,
                       reason=self.reason.toPlainText())  # fmt: skip

    def done_with(self, result: Any) -> None:
        self.excused.emit()


class ViolationsTab(QWidget):
    openCase = Signal(str)  # noqa: N815 (Qt signal)
    loaded = Signal()

    def __init__(self, db: Database, runner: TaskRunner, session: Any, parent: QWidget | None = None, *,
                 now: Any = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.site_code = session.site.site_code or None
        self.data: Any = None
        self.dialog: ExcuseDialog | None = None
        self.reader = MonthReader(self, db, runner, self.site_code, "violations", now(), read_month, self.show_month)
        self.month, self.summary = self.reader.month, self.reader.summary
        self.excuse_button = button(self.tr("Excuse…"), "violationsExcuse", self)
        self.excuse_button.clicked.connect(self.start_excuse)
        self.departments = _Keyed(_tally_columns(QCoreApplication.translate("ViolationsTab", "Department")), self)
        self.people = _Keyed(_tally_columns(QCoreApplication.translate("ViolationsTab", "Person")), self)
        self.list = _Keyed([
            Column(QCoreApplication.translate("ViolationsTab", "When"), lambda r: r.v.at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")),
            Column(QCoreApplication.translate("ViolationsTab", "Case number"), lambda r: r.v.case_number),
            Column(QCoreApplication.translate("ViolationsTab", "Kind"), lambda r: vi.KIND_ZH[r.v.kind]),
            Column(QCoreApplication.translate("ViolationsTab", "Department"), lambda r: r.department),
            Column(QCoreApplication.translate("ViolationsTab", "Person"), lambda r: r.person),
            Column(QCoreApplication.translate("ViolationsTab", "How late"), lambda r: late_text(r.v)),
            Column(QCoreApplication.translate("ViolationsTab", "Excused"), lambda r: (QCoreApplication.translate("ViolationsTab", "Excused by {0}: {1}").format(r.excused_by, r.v.excuse.reason)
                                            if r.v.excuse else "")),
        ], self)  # fmt: skip
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("violationsSplit")
        # the sums go first when a narrow screen cannot show every column
        self.department_table = rows_table("violationsByDepartment", self.departments, self, stretch=0,
                                           drop=(6, 5))  # fmt: skip
        self.department_table.horizontalHeader().setResizeContentsPrecision(0)  # fit columns to the rows on screen, not to 1000
        self.person_table = rows_table("violationsByPerson", self.people, self, stretch=0, drop=(6, 5))
        self.person_table.horizontalHeader().setResizeContentsPrecision(0)  # fit columns to the rows on screen, not to 1000
        split.addWidget(self.department_table)
        split.addWidget(self.person_table)
        for t in (self.department_table, self.person_table):
            t.setMinimumHeight(96)  # a header and two rows: the list below keeps the room
        self.list_table = rows_table("violationsList", self.list, self, stretch=6, whole=(0, 2), drop=(3,), number=1,
                                     coloured=())  # (nothing coloured; the number gives up its site code first)
        self.list_table.horizontalHeader().setResizeContentsPrecision(0)  # fit columns to the rows on screen, not to 1000
        self.list_table.doubleClicked.connect(self._open)
        split.addWidget(self.list_table)
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Month"), ""))
        top.addWidget(self.month)
        top.addWidget(self.summary, 1)
        top.addWidget(self.excuse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt API)
        if watched is getattr(self, "list_table", None) and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):  # fmt: skip
            self._open(self.list_table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        self.reader.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.reader.shown(event.spontaneous())

    def cases_changed(self, uuids: frozenset[str]) -> None:
        self.reader.cases_changed(uuids)

    def show_month(self, m: Any) -> None:
        self.data = m
        names, depts = m.names, m.departments
        self.departments.set_rows([TallyRow(t, depts.get(t.key, t.key)) for t in m.by_department()])
        self.people.set_rows([TallyRow(t, names.get(t.key, t.key)) for t in m.by_person()])
        self.list.set_rows([ViolationRow(v, depts.get(v.department_code, v.department_code), names.get(v.person, v.person),
                                         names.get(v.excuse.by, v.excuse.by) if v.excuse else "")
                            for v in m.violations])  # fmt: skip
        excused = sum(v.excused for v in m.violations)
        self.summary.setText(self.tr("{0} violations this month, {1} excused").format(len(m.violations), excused))
        self.loaded.emit()

    def start_excuse(self) -> ExcuseDialog | None:
        index = self.list_table.currentIndex()
        if not index.isValid():
            notify.info(self, self.tr("Select a violation in the list first."))
            return None
        row = self.list.row_at(index.row())
        if row.v.excused:
            notify.info(self, self.tr("This violation is already excused."))
            return None
        dialog = ExcuseDialog(self.db, self.runner, self.session.user.username, row.v, self)
        dialog.excused.connect(self.refresh)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openCase.emit(self.list.row_at(index.row()).v.case_uuid)
