"""The approver PC's 每日归档 page: the paper the departments served signed for on a day (and the paper of cases
withdrawn that day after the hand-over, before anyone signed: domain/paper_custody.py), ticked and filed into
each department's folder, with the 归档交接清单 printed (and printed again, saying 补打); paper signed for on an
earlier day and not filed yet is flagged (services/department_archive.py, docs/hall-operations.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QTableWidgetItem, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import department_archive as da
from clerk_desk.services.approvals import Approver, served_pairs
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.qt_dates import follow_today
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, label

if TYPE_CHECKING:
    from clerk_desk.forms.archive_list import ArchiveList
    from clerk_desk.ui.pages import PageContext

LATE_STYLE = "color: #9a6200; font-weight: bold;"


def _today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


def load(db: Database, user_id: str, day: date) -> da.FilingDay:
    return da.signed_on(db, day, served_pairs(db, user_id))


def lists_of(lines: Sequence[da.FilingLine], day: date, session: DeskSession, *, reprint: bool) -> list[ArchiveList]:
    """One 归档交接清单 per department."""
    from clerk_desk.forms.archive_list import ArchiveLine, ArchiveList
    from clerk_desk.forms.documents import Applicant

    now = datetime.now(UTC)
    out = []
    for dept in dict.fromkeys(line.department_name for line in lines):
        rows = tuple(ArchiveLine(line.case_number, line.item_name, Applicant(line.applicant_name, line.applicant_id_number,
                                                                        line.applicant_is_organisation), line.how,
                                 line.signed_at) for line in lines if line.department_name == dept)  # fmt: skip
        out.append(ArchiveList(session.site.site_name or "", dept, day, f"{dept}后台", session.user.display_name,
                               rows, now, reprint=reprint, demo=session.site.demo, by_department=True))  # fmt: skip
    return out


class FilingPage(QWidget):
    loaded = Signal()

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, *,
                 today: Callable[[], date] = _today, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("filingPage")
        self.db, self.runner, self.session = db, runner, session
        u = session.user
        self.approver = Approver(u.id, u.username, u.display_name)
        self.data: da.FilingDay | None = None
        self.print_fn: Callable[[Sequence[ArchiveList]], bool] = self._print_with_preview
        layout = dialog_layout(self)
        heading = label(self.tr("Daily filing: the paper signed for, into each department's folder"),
                        "filingHeading", self)  # fmt: skip
        heading.setProperty("role", "heading")
        self.date = QDateEdit(self)
        self.date.setObjectName("filingDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        d = today()
        self.today, self.as_of = today, d  # the day the field stops at (qt_dates.follow_today)
        self.date.setDate(QDate(d.year, d.month, d.day))
        self.date.setMaximumDate(QDate(d.year, d.month, d.day))
        self.count = label("", "filingCount", self)
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Signed for on"), "", self))
        top.addWidget(self.date)
        top.addStretch(1)
        top.addWidget(self.count)
        self.late = label("", "filingLate", self, wrap=True)
        self.late.setStyleSheet(LATE_STYLE)
        self.late.setVisible(False)
        headers = [self.tr("Case number"), self.tr("Item"), self.tr("Department"), self.tr("Applicant"),
                   self.tr("Signed for"), self.tr("Filed")]  # fmt: skip
        # the number whole: cut at its end, every row of a day read 「421224100-01-20261208-0…」 at 1366×768 and 150 %
        self.table = sec.table("filingTable", headers, self, stretch=1, whole=(0,))
        self.submit_button = button(self.tr("File the ticked paper and print the lists…"), "filingSubmit", self)
        self.reprint_button = button(self.tr("Print the lists again…"), "filingReprint", self)
        self.message = label("", "filingMessage", self, wrap=True)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.reprint_button)
        bar.addWidget(self.submit_button)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.late)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self.date.dateChanged.connect(lambda _d: self.refresh())
        self.submit_button.clicked.connect(self.submit)
        self.reprint_button.clicked.connect(self.reprint)
        self.table.itemChanged.connect(lambda _i: self._update_buttons())
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():  # a page kept past midnight: today can be chosen (a new day is read)
            self.as_of = follow_today(self.date, self.as_of, self.today())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isVisible() and self.isActiveWindow():
            # on screen while the desk was locked overnight (the lock hides nothing): unlocked, the window is
            # active again
            self.as_of = follow_today(self.date, self.as_of, self.today())

    @property
    def day(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        self.runner.submit(load, self.db, self.session.user.id, self.day, on_done=self._show,
                           on_error=lambda exc: notify.show_error(self, exc))  # fmt: skip

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        self.refresh()

    def _show(self, data: da.FilingDay) -> None:
        if data.day != self.day:
            return
        self.data = data
        rows = [[line.case_number, line.item_name, line.department_name, line.applicant_name,
                 (line.signed_at.astimezone(SHANGHAI).strftime("%H:%M") if line.signed
                  else self.tr("Withdrawn {0} (after the hand-over)").format(
                      line.signed_at.astimezone(SHANGHAI).strftime("%H:%M"))),
                 self.tr("Filed {0}").format(line.filed_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M"))
                 if line.filed_at else ""] for line in data.lines]  # fmt: skip
        self.table.blockSignals(True)
        sec.fill(self.table, rows)
        for r, line in enumerate(data.lines):
            cell = self.table.item(r, 0)
            assert isinstance(cell, QTableWidgetItem)
            if line.filed:
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            else:
                cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                cell.setCheckState(Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self.count.setText(self.tr("%n case(s) signed for", "", len(data.lines)))
        self.late.setVisible(data.late > 0)
        if data.late and data.earliest_late:
            self.late.setText(self.tr("{0} cases signed for on earlier days are not filed yet (the earliest on {1})")
                              .format(data.late, data.earliest_late.isoformat()))  # fmt: skip
        self._update_buttons()
        self.loaded.emit()

    def ticked(self) -> list[str]:
        if self.data is None:
            return []
        return [line.uuid for r, line in enumerate(self.data.lines)
                if (cell := self.table.item(r, 0)) is not None and cell.checkState() == Qt.CheckState.Checked]

    def check_all(self) -> None:
        for r, line in enumerate(self.data.lines if self.data else ()):
            cell = self.table.item(r, 0)
            if cell is not None and not line.filed:
                cell.setCheckState(Qt.CheckState.Checked)

    def _update_buttons(self) -> None:
        self.submit_button.setEnabled(bool(self.ticked()))
        self.reprint_button.setEnabled(any(line.filed for line in (self.data.lines if self.data else ())))

    def submit(self) -> None:
        chosen = self.ticked()
        if not chosen:
            return
        call = partial(da.file_paper, self.db, self.approver, chosen, self.day)
        self.runner.submit(call, on_done=self._filed, on_error=lambda exc: notify.show_error(self, exc))

    def _filed(self, lines: list[da.FilingLine]) -> None:
        self.message.setText(self.tr("Filed: %n case(s)", "", len(lines)))
        self._print(lists_of(lines, self.day, self.session, reprint=False))
        self.refresh()

    def reprint(self) -> None:
        lines = [line for line in (self.data.lines if self.data else ()) if line.filed]
        if lines:
            self._print(lists_of(lines, self.day, self.session, reprint=True))

    def _print(self, lists: list[ArchiveList]) -> None:
        try:
            self.print_fn(lists)
        except Exception as exc:  # the filing is recorded; the lists can be printed again
            notify.show_error(self, exc)

    def _print_with_preview(self, lists: Sequence[ArchiveList]) -> bool:
        from clerk_desk.forms import archive_list

        return archive_list.print_lists(lists, preview=True)


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return FilingPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
