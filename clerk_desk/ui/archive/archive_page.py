"""The 归档 page (window PCs): the cases closed at this site on one day whose paper the window kept (即办件,
不予受理, withdrawn before any hand-over: domain/paper_custody.py), by department, each with a tick for
"paper original put in the department's folder"; archiving records ``archived`` for the ticked cases (one
transaction per department) and prints each department's 归档交接清单 for the clerk and the department's
archivist to sign.

Keys: the date field first (Up/Down change the day), Tab to the list, Space ticks, Ctrl+Return archives
and prints, F5 reads the day again. Printing is injectable: ``print_fn(lists) -> bool`` (default: the
print preview, then the default printer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QHBoxLayout, QTreeWidget, QTreeWidgetItem, QWidget

from clerk_desk.domain.identifiers import mask_resident_id
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.archive import archive_actions as acts
from clerk_desk.ui.cases.case_actions import clerk_for
from clerk_desk.ui.column_fit import fit_columns
from clerk_desk.ui.qt_dates import follow_today
from clerk_desk.ui.qt_items import child_items, top_items
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, label, plain_tooltip

if TYPE_CHECKING:
    from clerk_desk.forms.archive_list import ArchiveList
    from clerk_desk.forms.render import PreviewFactory
    from clerk_desk.services.archive import ArchiveDay, ArchiveReport
    from clerk_desk.services.case_rows import CaseRow
    from clerk_desk.ui.pages import PageContext

UUID_ROLE = Qt.ItemDataRole.UserRole
DEPT_ROLE = Qt.ItemDataRole.UserRole + 1
# number (tick), item, applicant, ID number, how closed, when, materials, archived. The name has a column of its
# own: beside the masked ID number in one cell the fit cut it to 「皇甫建…」 at 1366×768 and 125 %.
COLUMNS = 8
APPLICANT, ID_NUMBER, CLOSED_AS, ARCHIVED = 2, 3, 4, 7


def _today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


class ArchivePage(QWidget):
    loaded = Signal()  # a day's list is shown

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, *,
                 today: Callable[[], date] = _today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("archivePage")
        self.db, self.runner, self.session = db, runner, session
        self.day_data: ArchiveDay | None = None
        self.preview_factory: PreviewFactory | None = None
        self.printer_name: str | None = None
        self.print_fn: Callable[[Sequence[ArchiveList]], bool] = self._print_with_preview
        layout = dialog_layout(self)
        heading = label(self.tr("Daily archive: paper originals into each department's folder"), "archiveHeading", self)
        heading.setProperty("role", "heading")
        self.date = QDateEdit(self)
        self.date.setObjectName("archiveDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        d = today()
        self.today, self.as_of = today, d  # the day the field stops at (qt_dates.follow_today)
        self.date.setDate(QDate(d.year, d.month, d.day))
        self.date.setMaximumDate(QDate(d.year, d.month, d.day))
        self.refresh_button = button(self.tr("Refresh"), "archiveRefresh", self)
        self.refresh_button.setToolTip("F5")
        self.count = label("", "archiveCount", self)
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Closed on"), "", self))
        top.addWidget(self.date)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.count)
        self.scope = label(self.tr("Only the paper kept at the window: cases finished on the spot, refused, or withdrawn "
                                   "before the hand-over. Paper handed to the back office is filed by its department "
                                   "(每日归档 on the approver's PC)."), "archiveScope", self, wrap=True)
        self.earlier = label("", "archiveEarlier", self, wrap=True)
        self.earlier.setStyleSheet("color: #9a6200; font-weight: bold;")
        self.earlier.setVisible(False)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("archiveTree")
        self.tree.setColumnCount(COLUMNS)
        self.tree.setHeaderLabels([self.tr("Case number"), self.tr("Item"), self.tr("Applicant"), self.tr("ID number"),
                                   self.tr("Closed as"), self.tr("Closed at"), self.tr("Materials"),
                                   self.tr("Archived")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        # the item takes the room left; a short name is never cut (column_fit.SHORT_CHARS), the ID number gives way
        # and, when not even the titles fit, goes (the name's tooltip has it)
        self.columns = fit_columns(self.tree, 1, whole=(0,), drop=(ID_NUMBER,))
        self.check_all_button = button(self.tr("Tick all not yet archived"), "archiveCheckAll", self)
        self.reprint_button = button(self.tr("Print the list again…"), "archiveReprint", self)
        self.submit_button = button(self.tr("Archive ticked cases and print the hand-over lists…"), "archiveSubmit", self)
        self.submit_button.setToolTip("Ctrl+Return")
        self.message = label("", "archiveMessage", self, wrap=True)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        for b in (self.check_all_button, self.reprint_button, self.submit_button):
            bar.addWidget(b)
        layout.addWidget(heading)
        layout.addWidget(self.scope)
        layout.addLayout(top)
        layout.addWidget(self.earlier)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bar)
        self.date.dateChanged.connect(lambda _d: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.check_all_button.clicked.connect(self.check_all)
        self.reprint_button.clicked.connect(self.reprint)
        self.submit_button.clicked.connect(self.submit)
        for key, slot in (("F5", self.refresh), ("Ctrl+Return", self.submit), ("Ctrl+Enter", self.submit)):
            sc = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        self.tree.itemChanged.connect(lambda _i, _c: self._update_buttons())
        self._loaded_once = False

    # -- reading -------------------------------------------------------------------------------
    @property
    def day(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            shown = self.day
            self.as_of = follow_today(self.date, self.as_of, self.today())  # a page kept past midnight
            if self.day == shown:  # (a new day is read by the field's change)
                self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isVisible() and self.isActiveWindow():
            # 归档 is the day's last work: the page stays on screen while the desk is locked overnight (the lock
            # hides nothing), so it is not shown again; unlocked, its window is active again (a new day is read
            # by the field's change)
            self.as_of = follow_today(self.date, self.as_of, self.today())

    def refresh(self) -> None:
        self.runner.submit(acts.load_day, self.db, self.session.site.site_code or "", self.day, on_done=self._show)

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        """Cases changed (ui/case_watch.py): a case closed or archived (here or on another PC) shows, and
        what the clerk ticked stays ticked."""
        if self.isVisible():
            self.refresh()

    def _show(self, data: ArchiveDay) -> None:
        if data.day != self.day:
            return  # an answer for a date the clerk has left
        self.day_data = data
        ticked = {uuid for uuids in self.selection().values() for uuid in uuids}
        was = self.tree.currentItem()
        place = (was.data(0, UUID_ROLE) or was.data(0, DEPT_ROLE)) if was is not None else None
        scrolled = self.tree.verticalScrollBar().value()
        self.tree.blockSignals(True)
        self.tree.clear()
        for g in data.groups:
            top = QTreeWidgetItem(self.tree)
            top.setText(0, self.tr("{0}: {1} cases, {2} not yet archived").format(g.name, len(g.cases), len(g.pending)))
            top.setFirstColumnSpanned(True)
            top.setData(0, DEPT_ROLE, g.code)
            if g.pending:
                top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            for c in g.cases:  # the department's tick follows its cases' (auto tristate)
                item = self._case_item(top, c)
                if c.uuid in ticked and not c.archived:
                    item.setCheckState(0, Qt.CheckState.Checked)
            top.setExpanded(True)
        self.tree.blockSignals(False)
        self.columns.refit()
        total = sum(len(g.pending) for g in data.groups)
        self.count.setText(self.tr("{0} cases closed, {1} to archive").format(data.count, total))
        self.earlier.setVisible(data.earlier_pending > 0)
        if data.earlier_pending and data.earliest_pending:
            self.earlier.setText(self.tr("{0} cases closed on earlier days are not archived yet (the earliest on {1})")
                                 .format(data.earlier_pending, data.earliest_pending.isoformat()))
        again = [i for i in self._all_items() if place is not None and place in (i.data(0, UUID_ROLE), i.data(0, DEPT_ROLE))]
        if again:  # read again while the clerk works on it: the same row stays current
            self.tree.setCurrentItem(again[0])
            self.tree.verticalScrollBar().setValue(scrolled)
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(top_items(self.tree)[0])
        self._update_buttons()
        self.loaded.emit()

    def _case_item(self, top: QTreeWidgetItem, c: CaseRow) -> QTreeWidgetItem:
        item = QTreeWidgetItem(top)
        who = c.applicant_id_number if c.applicant_is_organisation else mask_resident_id(c.applicant_id_number)
        at = acts.closed_at(c).astimezone(SHANGHAI).strftime("%H:%M")
        done = ""
        if c.archived and c.archived_at:
            done = self.tr("Archived {0} ({1})").format(c.archived_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M"),
                                                       c.archived_by)
        for col, text in enumerate((c.case_number, c.item_name, c.applicant_name, who, c.closed_as_zh, at,
                                    c.materials_text, done)):
            item.setText(col, text)
            item.setData(col, Qt.ItemDataRole.ToolTipRole, plain_tooltip(text))  # a narrow column elides it
        item.setData(APPLICANT, Qt.ItemDataRole.ToolTipRole, plain_tooltip(f"{c.applicant_name}  {who}".strip()))
        item.setData(0, UUID_ROLE, c.uuid)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not c.archived:
            item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
        else:  # ticked for good: a department row reads its children's ticks, and needs one on each
            item.setFlags(flags)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setForeground(ARCHIVED, Qt.GlobalColor.darkGreen)
        return item

    # -- ticking -------------------------------------------------------------------------------
    def _all_items(self) -> list[QTreeWidgetItem]:
        return [*top_items(self.tree), *self.case_items()]

    def case_items(self) -> list[QTreeWidgetItem]:
        return [child for top in top_items(self.tree) for child in child_items(top)]

    def selection(self) -> dict[str, list[str]]:
        """Department code -> the ticked cases' uuids (cases not yet archived)."""
        out: dict[str, list[str]] = {}
        for top in top_items(self.tree):
            ticked = [child.data(0, UUID_ROLE) for child in child_items(top)
                      if child.flags() & Qt.ItemFlag.ItemIsUserCheckable
                      and child.checkState(0) == Qt.CheckState.Checked]  # fmt: skip
            if ticked:
                out[str(top.data(0, DEPT_ROLE))] = ticked
        return out

    def check_all(self) -> None:
        for item in self.case_items():
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(0, Qt.CheckState.Checked)
        self.tree.setFocus()

    def _update_buttons(self) -> None:
        data = self.day_data
        self.submit_button.setEnabled(bool(self.selection()))
        self.check_all_button.setEnabled(bool(data and any(g.pending for g in data.groups)))
        self.reprint_button.setEnabled(bool(data and any(c.archived for g in data.groups for c in g.cases)))

    # -- acting --------------------------------------------------------------------------------
    def _paperwork(self) -> acts.Paperwork:
        w = self.session.window
        return acts.Paperwork(self.session.site.site_name or "", w.name if w else "", self.session.user.display_name,
                              self.session.site.demo)

    def submit(self) -> None:
        chosen = self.selection()
        if not chosen:
            self.message.setText(self.tr("Tick the cases whose paper original is in the department's folder"))
            return
        n = sum(len(v) for v in chosen.values())
        if not notify.confirm(self, self.tr("Record {0} cases of {1} as archived and print the hand-over lists of {2} "
                                            "departments?").format(n, self.day.isoformat(), len(chosen))):
            return
        self.submit_button.setEnabled(False)
        call = partial(acts.archive_and_list, self.db, clerk_for(self.session), self.session.site.site_code or "",
                       self.day, chosen, self._paperwork())
        self.runner.submit(call, on_done=self._archived, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._update_buttons()
        notify.show_error(self, exc)

    def _archived(self, result: tuple[ArchiveReport, list[ArchiveList]]) -> None:
        report, lists = result
        done = "、".join(self.tr("{0}: %n case(s)", "", len(b.cases)).format(b.department_name) for b in report.done)
        if report.done:
            self.message.setText(self.tr("Archived: {0}").format(done))
        if report.failed:
            notify.error(self, "\n".join(f"{name}：{text}" for name, text in report.failed))
        self._print(lists)
        self.refresh()

    def reprint(self) -> None:
        item = self.tree.currentItem()
        top = item.parent() or item if item is not None else None
        dept = str(top.data(0, DEPT_ROLE)) if top is not None else None
        call = partial(acts.archived_lists, self.db, self.session.site.site_code or "", self.day, dept, self._paperwork())
        self.runner.submit(call, on_done=self._print)

    def _print(self, lists: list[ArchiveList]) -> None:
        if not lists:
            return
        try:
            self.print_fn(lists)
        except Exception as exc:  # the archive is recorded; the list can be printed again
            notify.show_error(self, exc)

    def _print_with_preview(self, lists: Sequence[ArchiveList]) -> bool:
        from clerk_desk.forms import archive_list

        return archive_list.print_lists(lists, printer_name=self.printer_name, preview=True,
                                        preview_factory=self.preview_factory)


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return ArchivePage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
