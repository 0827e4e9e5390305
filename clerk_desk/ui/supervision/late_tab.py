"""督办: every case at risk or late at this site, by stage, who holds it and by how much
(services/supervision.py). Filters by department, window, person and stage; Enter or a double click opens
the case; the list is read again when cases change (ui/case_watch.py) and each half minute while shown,
since lateness grows with the clock alone.

Opened with nothing on screen yet, the tab first reads the oldest ``FIRST_PAGE`` cases of each stage (a
few milliseconds) and paints them, then reads the whole list and puts it in their place, the selection
and the scroll kept (docs/supervision.md, "First paint")."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import supervision
from clerk_desk.store.database import Database
from clerk_desk.ui.flow_layout import FlowLayout, pair
from clerk_desk.ui.list_and_case import rows_table
from clerk_desk.ui.qt_dates import picked_date
from clerk_desk.ui.supervision.after_paint import after_paint
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, combo, label, plain_tooltip

REREAD_MS = 30_000
FIRST_PAGE = 40  # cases per watched status read for the first paint
LEVEL_COLOURS = {sv.Level.RED: (QColor("#ffffff"), QColor("#c0392b")),
                 sv.Level.AMBER: (QColor("#7a4b00"), QColor("#ffe8a8"))}  # fmt: skip
COL_LEVEL = 1
_COLOURED = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole)



def deadline_text(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")


def how_late(a: sv.Alert) -> str:
    text = _how_late(a)
    if a.paused:  # 特别程序: the count stands still and the deadline moves later on resume
        text += QCoreApplication.translate("LateTab", " (clock stopped)")
    return text


def _how_late(a: sv.Alert) -> str:
    """By how much, in the stage's own unit: minutes for the hand-over and 签收, days after that."""
    if a.over_s is not None:
        minutes = abs(a.over_s) // 60
        if a.over_s > 0:
            return QCoreApplication.translate("LateTab", "{0} min over").format(max(1, minutes)) if minutes < 600 else QCoreApplication.translate("LateTab", "{0} h over").format(minutes // 60)
        return QCoreApplication.translate("LateTab", "{0} min left").format(minutes)
    days = a.over_days or 0
    working = a.stage in (sv.Stage.DECISION, sv.Stage.ARCHIVE)
    if a.level is sv.Level.AMBER:
        if days == 0:
            return QCoreApplication.translate("LateTab", "due today")
        return QCoreApplication.translate("LateTab", "{0} working day(s) left").format(-days) if working else QCoreApplication.translate("LateTab", "{0} day(s) left").format(-days)
    if days <= 0:
        return QCoreApplication.translate("LateTab", "past due")
    return QCoreApplication.translate("LateTab", "{0} working day(s) over").format(days) if working else QCoreApplication.translate("LateTab", "{0} day(s) over").format(days)


def partial_scan(db: Database, now: datetime) -> supervision.Scan:
    """The first page: the oldest ``FIRST_PAGE`` cases of each watched status."""
    return supervision.scan(db, now, cap=FIRST_PAGE)


class AlertModel(RowsTableModel[supervision.Row]):
    refreshing = True  # every read is the same list again: the selection and the scroll stay (KeepPlace)
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column(QCoreApplication.translate("LateTab", "Stage"), lambda r: r.stage_zh),
            Column(QCoreApplication.translate("LateTab", "State"), lambda r: r.level_zh),
            Column(QCoreApplication.translate("LateTab", "Case number"), lambda r: r.alert.case_number or QCoreApplication.translate("LateTab", "(no number)")),
            Column(QCoreApplication.translate("LateTab", "Item"), lambda r: r.alert.item_name),
            Column(QCoreApplication.translate("LateTab", "Department"), lambda r: r.department_name),
            Column(QCoreApplication.translate("LateTab", "Window"), lambda r: r.window_name),
            Column(QCoreApplication.translate("LateTab", "Held by"), lambda r: r.holder_name or QCoreApplication.translate("LateTab", "the department")),
            Column(QCoreApplication.translate("LateTab", "Deadline"), lambda r: deadline_text(r.alert.deadline)),
            Column(QCoreApplication.translate("LateTab", "By how much"), lambda r: how_late(r.alert)),
        ], parent)  # fmt: skip
        self._bold = QFont()
        self._bold.setBold(True)
        self._texts: dict[int, tuple[str, ...]] = {}  # row -> its cells' texts, made when first asked for
        self.modelAboutToBeReset.connect(self._texts.clear)
        self.modelReset.connect(self._texts.clear)

    def texts(self, row: int) -> tuple[str, ...]:
        """A row's texts, made once: a view asks for each cell many times (fitting, painting, tooltips)."""
        found = self._texts.get(row)
        if found is None:
            r = self.row_at(row)
            found = self._texts[row] = tuple(c.text(r) for c in self._columns)
        return found

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(index.row())[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.texts(index.row())[index.column()])
        if role == Qt.ItemDataRole.UserRole:
            return self.row_at(index.row()).alert.case_uuid
        if index.column() in (COL_LEVEL, 8) and role in _COLOURED:
            fg, bg = LEVEL_COLOURS[self.row_at(index.row()).alert.level]
            return QBrush(fg) if role == Qt.ItemDataRole.ForegroundRole else (
                QBrush(bg) if role == Qt.ItemDataRole.BackgroundRole else self._bold)
        return None


class LateTab(QWidget):
    openCase = Signal(str)  # noqa: N815 (Qt signal) case uuid
    loaded = Signal()  # the whole list is shown
    first_page = Signal()  # the first read is shown (the whole list follows unless it was all of it)

    issued = Signal(str)  # noqa: N815 (Qt signal) an order was issued on this case

    def __init__(self, db: Database, runner: TaskRunner, session: Any, parent: QWidget | None = None, *,
                 now: Any = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.scan: supervision.Scan | None = None  # the whole list
        self.partial: supervision.Scan | None = None  # its first page, until the whole list comes
        self.dialog: QWidget | None = None
        self.department = combo("lateDepartment", self)
        self.window_box = combo("lateWindow", self)
        self.person = combo("latePerson", self)
        self.stage = combo("lateStage", self)
        self.late_only = QCheckBox(self.tr("Late only"), self)
        self.late_only.setObjectName("lateOnly")
        self.stage.addItem(self.tr("All stages"), "")
        for stage in sv.STAGE_ORDER:
            self.stage.addItem(supervision.STAGE_ZH[stage], stage.value)
        # the filters wrap onto a second line when the page is narrow (1366×768 at 150 %), instead of making
        # the whole 督查督办 page scroll sideways (ui/flow_layout.py)
        filters = FlowLayout()
        for text, box in ((self.tr("Department"), self.department), (self.tr("Window"), self.window_box),
                          (self.tr("Held by"), self.person), (self.tr("Stage"), self.stage)):  # fmt: skip
            filters.addWidget(pair(label(text), box, parent=self))
        filters.addWidget(self.late_only)
        self.issue_button = button(self.tr("Issue an order…"), "lateIssue", self)
        self.issue_button.clicked.connect(self.start_issue)
        filters.addWidget(self.issue_button)
        self.summary = label(self.tr("Reading…"), "lateSummary", wrap=True)
        self.note = label("", "lateCapped", wrap=True)
        self.note.setProperty("role", "note")
        self.note.setVisible(False)
        self.message = label("", "lateMessage", wrap=True)  # what the last act did (an order issued)
        self.message.setVisible(False)
        self.model = AlertModel(self)
        # the stage, the level, the deadline and how late are never cut ("超时 257 …" lost its unit at 150 %)
        self.table = rows_table("lateTable", self.model, self, stretch=3, whole=(0, 1, 7, 8), drop=(5, 4), number=2,
                                coloured=(COL_LEVEL, 8))  # (the number gives up its site code first)
        self.table.horizontalHeader().setResizeContentsPrecision(0)  # fit columns to the rows on screen, not to 1000
        self.table.doubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        for box in (self.department, self.window_box, self.person, self.stage):
            box.currentIndexChanged.connect(self._show)
        self.late_only.toggled.connect(self._show)
        self.reread = QTimer(self)
        self.reread.setInterval(REREAD_MS)
        self.reread.timeout.connect(self.refresh)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt API): Enter opens the case

        if watched is getattr(self, "table", None) and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):  # fmt: skip
            self._open(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # -- reading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        now = self.now()
        if self.scan is not None:  # a list on screen: read the whole list again in its place
            self.runner.submit(supervision.scan, self.db, now, on_done=self.show_scan, on_error=self._failed)
            return

        def read_all() -> None:
            self.runner.submit(supervision.scan, self.db, now, on_done=self.show_scan, on_error=self._failed)

        def then_all(first: supervision.Scan) -> None:
            if self.scan is not None:  # a whole list arrived in the meantime
                return
            if first.whole:  # nothing was left out (a hall's few dozen open cases): it is the whole list
                self.show_scan(first)
                self.first_page.emit()
                return
            self._show_scan(first, partial=True)
            self.first_page.emit()
            # The whole list is read once the first page is painted: its reading holds the interpreter for
            # a while, which would slow the painting of the first page (the columns are fitted in Python).
            after_paint(self.table.viewport(), read_all)

        self.runner.submit(partial_scan, self.db, now, on_done=then_all, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        from clerk_desk.ui import notify

        self.summary.setText(self.tr("The list could not be read: {0}").format(notify.error_text(exc)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()
            self.reread.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().hideEvent(event)
        if not event.spontaneous():
            self.reread.stop()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.isVisible():
            self.refresh()

    # -- showing -----------------------------------------------------------------------------------
    def show_scan(self, scan: supervision.Scan) -> None:
        self._show_scan(scan, partial=False)
        self.loaded.emit()

    def _show_scan(self, scan: supervision.Scan, *, partial: bool) -> None:
        self.scan = None if partial else scan
        self.partial = scan if partial else None
        holders = {r.alert.holder: r.holder_name for r in scan.rows if r.alert.holder}
        for box, everything, entries in (
            (self.department, self.tr("All departments"), scan.departments.items()),
            (self.window_box, self.tr("All windows"), scan.windows.items()),
            (self.person, self.tr("Everyone"), sorted(holders.items(), key=lambda kv: kv[1])),
        ):
            kept = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, "")
            for key, name in entries:
                box.addItem(name, key)
            at = box.findData(kept) if kept else 0
            box.setCurrentIndex(max(0, at))
            box.blockSignals(False)
        self._show()

    def filter(self) -> supervision.Filter:
        stage = self.stage.currentData()
        return supervision.Filter(self.department.currentData() or "", self.window_box.currentData() or "",
                                  self.person.currentData() or "", sv.Stage(stage) if stage else None,
                                  self.late_only.isChecked())  # fmt: skip

    def _show(self, *_args: object) -> None:
        scan = self.scan or self.partial
        if scan is None:
            return
        keep = self.filter()
        rows = [r for r in scan.rows if keep.keeps(r)]
        self.model.set_rows(rows)
        counts = Counter((r.alert.stage, r.alert.level) for r in rows)
        parts = [self.tr("{0}: {1} late, {2} due soon").format(supervision.STAGE_ZH[s], counts[(s, sv.Level.RED)],
                                                               counts[(s, sv.Level.AMBER)])
                 for s in sv.STAGE_ORDER if counts[(s, sv.Level.RED)] or counts[(s, sv.Level.AMBER)]]  # fmt: skip
        if self.scan is None:  # the first page: its counts are not the list's
            self.summary.setText(self.tr("Reading the whole list…"))
            self.note.setVisible(False)
            return
        self.summary.setText("；".join(parts) if parts else self.tr("Nothing is late or due soon."))
        capped = scan.capped
        self.note.setVisible(bool(capped))
        if capped:
            self.note.setText(self.tr("More than {0} cases wait at some stages: the list shows the oldest {0} of "
                                      "each.").format(scan.cap))

    def start_issue(self) -> QWidget | None:
        """督办单 on the selected case: the reason starts from what the list says of it."""
        index = self.table.currentIndex()
        if not index.isValid():
            from clerk_desk.ui import notify

            notify.info(self, self.tr("Select a case in the list first."))
            return None
        from clerk_desk.ui.supervision.order_dialogs import IssueDialog

        r = self.model.row_at(index.row())
        reason = self.tr("{0}, {1} ({2}): please explain and act.").format(r.stage_zh, r.level_zh, how_late(r.alert))
        dialog = IssueDialog(self.db, self.runner, self.session, r.alert.case_uuid,
                             f"{r.alert.case_number} {r.alert.item_name}", reason=reason, stage=r.alert.stage.value,
                             now=self.now(), parent=self)  # fmt: skip
        number = r.alert.case_number or self.tr("(no number)")
        dialog.issued.connect(lambda _o, u=r.alert.case_uuid: self._issued(u, number, dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _issued(self, case_uuid: str, number: str, dialog: Any) -> None:
        """Say what was done: the dialog closed and the list looks the same as before."""
        self.message.setText(self.tr("Supervision order issued on case {0}, to be answered by {1}; the answer "
                                     "will show on the 督办单 tab.").format(number, picked_date(dialog.reply_by)))
        self.message.setVisible(True)
        self.issued.emit(case_uuid)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openCase.emit(self.model.row_at(index.row()).alert.case_uuid)
