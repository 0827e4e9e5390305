"""The 在岗 page: the clerk signs on to the window picked at sign-in, takes breaks, signs off; the monthly
sheet per clerk and per window (days, hours on window, cases), printed (A4) or saved as .xlsx; and the
windows with nobody on them during today's opening hours (what the supervisor watches; the figures come
from services/attendance.py, which the supervisor's own pages may call too).

Printing and the .xlsx file name are injectable: ``print_fn(paper) -> bool`` (default: the print preview)
and ``save_path_fn(suggested) -> str`` (default: a save dialog; "" cancels)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain.org import Role
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.forms.attendance_sheet import AttendancePaper, SheetRow
from clerk_desk.services import attendance
from clerk_desk.services.attendance import Gap, MonthSheet, SheetLine, Stint
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.intake import Clerk
from clerk_desk.services.workplace import WindowInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_actions import clerk_for
from clerk_desk.ui.hall.evaluation_page import table
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, label, line_edit

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext


OPEN, CLOSED, NOT_WORKDAY = "open", "closed", "not_workday"  # the hall at the moment the page reads


def _now() -> datetime:
    return datetime.now(UTC)


def _hhmm(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%H:%M")


def paper_of(sheet: MonthSheet, site_name: str, printed_by: str, at: datetime) -> AttendancePaper:
    def rows(lines: list[SheetLine]) -> tuple[SheetRow, ...]:
        return tuple(SheetRow(x.name, x.days, x.hours, x.cases, x.breaks, x.open_stints) for x in lines)

    return AttendancePaper(site_name, sheet.year, sheet.month, rows(sheet.by_clerk), rows(sheet.by_window), at,
                           printed_by)


def _room_left(view: QAbstractItemView) -> QAbstractItemView:
    """A table that takes the room its tab has left and asks for none: the tabs share one height (the tallest
    tab's wish), and a table's wish of ~190 px put 开放时间 below the fold on every tab at 1366×768 and 150 %."""
    view.setSizePolicy(view.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Ignored)
    return view


class AttendancePage(QWidget):
    loaded = Signal()

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, *,
                 now: Callable[[], datetime] = _now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendancePage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.stint: Stint | None = None
        self.sheet: MonthSheet | None = None
        self.print_fn: Callable[[AttendancePaper], bool] = self._print_with_preview
        self.save_path_fn: Callable[[str], str] = self._ask_path
        layout = dialog_layout(self)
        heading = label(self.tr("On the window (在岗)"), "attendanceHeading", self)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("attendanceTabs")
        self.tabs.addTab(self._me_tab(), self.tr("My window"))
        self.tabs.addTab(self._empty_tab(), self.tr("Who is on now"))  # who is on which window, and which has nobody
        self.tabs.addTab(self._sheet_tab(), self.tr("Monthly sheet"))
        if session.window is None:  # the hall manager, signed in at no window: the hall's tab, who is on where
            self.tabs.setCurrentIndex(1)
        layout.addWidget(self.tabs, 1)

    # -- signing on and off ---------------------------------------------------------------------------
    def _me_tab(self) -> QWidget:
        tab = QWidget(self)
        outer = QVBoxLayout(tab)
        self.status = label("", "attendanceStatus", tab, wrap=True)
        outer.addWidget(self.status)
        self.sign_on_button = button(self.tr("Sign on"), "attendanceSignOn", tab)
        self.break_button = button(self.tr("Start a break"), "attendanceBreak", tab)
        self.sign_off_button = button(self.tr("Sign off"), "attendanceSignOff", tab)
        row = QHBoxLayout()
        for b in (self.sign_on_button, self.break_button, self.sign_off_button):
            row.addWidget(b)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.sign_on_button.clicked.connect(lambda: self._act(attendance.sign_on))
        self.break_button.clicked.connect(self._toggle_break)
        self.sign_off_button.clicked.connect(lambda: self._act(attendance.sign_off))
        return tab

    def _act(self, fn: Callable[..., object]) -> None:
        clerk = clerk_for(self.session)
        self.runner.submit(_call, fn, self.db, clerk, self.now(), on_done=lambda _r: self.refresh(),
                           on_error=partial(notify.show_error, self))

    def _toggle_break(self) -> None:
        self._act(attendance.end_break if self.stint and self.stint.on_break else attendance.start_break)

    def _show_me(self, stint: Stint | None) -> None:
        self.stint = stint
        w = self.session.window
        if stint is None:
            self.status.setText(
                self.tr("Not signed on. Window picked at sign-in: {0}").format(w.name) if w is not None
                else self.tr("Signed in at no window: to sign on, choose the window when signing in. "
                             "Who is on which window: the tab \"Who is on now\"."))  # fmt: skip
        elif stint.on_break:
            self.status.setText(self.tr("On a break since {0} ({1})").format(
                _hhmm(stint.breaks[-1][0]), stint.window_name))
        else:
            self.status.setText(self.tr("On {0} since {1}").format(stint.window_name, _hhmm(stint.started_at)))
        self.sign_on_button.setEnabled(stint is None and w is not None)
        self.break_button.setEnabled(stint is not None)
        self.break_button.setText(self.tr("End the break") if stint and stint.on_break else self.tr("Start a break"))
        self.sign_off_button.setEnabled(stint is not None)

    # -- windows with nobody on them -------------------------------------------------------------------
    def _empty_tab(self) -> QWidget:
        tab = QWidget(self)
        outer = QVBoxLayout(tab)
        self.on_now = label("", "attendanceOnNow", tab, wrap=True)  # who is on which window
        outer.addWidget(self.on_now)
        self.empty_now = label("", "attendanceEmptyNow", tab, wrap=True)
        outer.addWidget(self.empty_now)
        outer.addWidget(label(self.tr("Today's unstaffed time within the opening hours (5 minutes or more):"),
                              "attendanceGapsTitle", tab, wrap=True))
        self.gaps = RowsTableModel[Gap]([
            Column(self.tr("Window"), lambda g: g.window_name),
            Column(self.tr("From"), lambda g: _hhmm(g.start)),
            Column(self.tr("To"), lambda g: _hhmm(g.end)),
            Column(self.tr("Minutes"), lambda g: str(g.minutes)),
        ], tab)
        self.gap_view = _room_left(table("attendanceUnstaffed", self.gaps, tab, stretch=0))
        outer.addWidget(self.gap_view, 1)
        self.opening = line_edit("attendanceOpeningHours", tab)
        self.opening_save = button(self.tr("Save opening hours"), "attendanceOpeningSave", tab)
        may_set = self.session.user.has(Role.ADMIN) or self.session.user.has(Role.SUPERVISOR)
        self.opening.setEnabled(may_set)
        self.opening_save.setEnabled(may_set)
        row = QHBoxLayout()
        row.addWidget(label(self.tr("Opening hours (working days)"), "", tab))
        row.addWidget(self.opening, 1)
        row.addWidget(self.opening_save)
        outer.addLayout(row)
        self.opening_save.clicked.connect(self._save_opening)
        return tab

    def _save_opening(self) -> None:
        self.runner.submit(attendance.set_opening_hours, self.db, self.opening.text(),
                           on_done=lambda _r: self.refresh(), on_error=partial(notify.show_error, self))

    # -- the monthly sheet ------------------------------------------------------------------------------
    def _sheet_tab(self) -> QWidget:
        tab = QWidget(self)
        outer = QVBoxLayout(tab)
        self.month = QDateEdit(tab)
        self.month.setObjectName("attendanceMonth")
        self.month.setDisplayFormat("yyyy-MM")
        today = self.now().astimezone(SHANGHAI).date()
        self.month.setDate(QDate(today.year, today.month, 1))
        self.print_button = button(self.tr("Print…"), "attendancePrint", tab)
        self.export_button = button(self.tr("Save as .xlsx…"), "attendanceExport", tab)
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Month"), "", tab))
        top.addWidget(self.month)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)
        outer.addLayout(top)

        def columns(first: str) -> list[Column[SheetLine]]:
            return [Column(first, lambda x: x.name), Column(self.tr("Days"), lambda x: str(x.days)),
                    Column(self.tr("Hours on window"), lambda x: f"{x.hours:.1f}"),
                    Column(self.tr("Cases"), lambda x: str(x.cases)), Column(self.tr("Breaks"), lambda x: str(x.breaks)),
                    Column(self.tr("Not signed off"), lambda x: str(x.open_stints))]  # 0 too, as on paper

        self.by_clerk = RowsTableModel[SheetLine](columns(self.tr("Clerk")), tab)
        self.by_window = RowsTableModel[SheetLine](columns(self.tr("Window")), tab)
        outer.addWidget(_room_left(table("attendanceByClerk", self.by_clerk, tab, stretch=0)), 1)
        outer.addWidget(_room_left(table("attendanceByWindow", self.by_window, tab, stretch=0)), 1)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.print_button.clicked.connect(self.print_sheet)
        self.export_button.clicked.connect(self.export_sheet)
        return tab

    def _paper(self) -> AttendancePaper | None:
        if self.sheet is None:
            return None
        return paper_of(self.sheet, self.session.site.site_name or "", self.session.user.display_name, self.now())

    def print_sheet(self) -> None:
        paper = self._paper()
        if paper is not None:
            self.print_fn(paper)

    def export_sheet(self) -> None:
        if self.sheet is None:
            return
        path = self.save_path_fn(f"在岗统计-{self.sheet.year}-{self.sheet.month:02d}.xlsx")
        if not path:
            return
        from clerk_desk.services.attendance_xlsx import write_xlsx

        self.runner.submit(write_xlsx, self.sheet, self.session.site.site_name or "", Path(path),
                           on_done=lambda p: notify.info(self, self.tr("Saved: {0}").format(p)),
                           on_error=partial(notify.show_error, self))

    def _print_with_preview(self, paper: AttendancePaper) -> bool:
        from clerk_desk.forms import attendance_sheet

        return attendance_sheet.print_sheet(paper, preview=True)

    def _ask_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the monthly sheet"), suggested, "Excel (*.xlsx)")
        return path

    # -- reading --------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        d = self.month.date()
        self.runner.submit(_load, self.db, self.session.site.site_code or "", self.session.user.username,
                           d.year(), d.month(), self.now(), on_done=self._show,
                           on_error=partial(notify.show_error, self))

    def _show(self, loaded: tuple[Stint | None, list[WindowInfo], list[Gap], MonthSheet, str, str, list[Stint]]
              ) -> None:  # fmt: skip
        stint, empty, gaps, sheet, opening, hall, on_duty = loaded
        self._show_me(stint)
        if on_duty:
            self.on_now.setText(self.tr("On the windows now: {0}").format("；".join(
                self.tr("{0} {1} (on a break since {2})").format(st.window_name, st.display_name,
                                                                _hhmm(st.breaks[-1][0])) if st.on_break
                else self.tr("{0} {1} (since {2})").format(st.window_name, st.display_name, _hhmm(st.started_at))
                for st in on_duty)))  # fmt: skip
        else:
            self.on_now.setText(self.tr("Nobody is signed on to a window now."))
        self.gaps.set_rows(gaps)
        if hall == NOT_WORKDAY:
            now_text = self.tr("Today is not a working day: the hall is closed, nobody needs to be on.")
        elif hall == CLOSED:
            now_text = self.tr("The hall is closed now (working days {0}): nobody needs to be on.").format(opening)
        elif empty:
            now_text = self.tr("Nobody on now: {0}").format("，".join(w.name for w in empty))
        else:
            now_text = self.tr("Every open window has someone on it now.")
        self.empty_now.setText(now_text)
        self.empty_now.setProperty("role", "error" if empty else "")
        if not self.opening.hasFocus():
            self.opening.setText(opening)
        self.sheet = sheet
        self.by_clerk.set_rows(sheet.by_clerk)
        self.by_window.set_rows(sheet.by_window)
        self.loaded.emit()


def _call(fn: Callable[..., object], db: Database, clerk: Clerk, now: datetime) -> object:
    return fn(db, clerk, now=now)


def _load(db: Database, site: str, username: str, year: int, month: int, now: datetime
          ) -> tuple[Stint | None, list[WindowInfo], list[Gap], MonthSheet, str, str, list[Stint]]:
    cal = work_calendar(db.data_dir)
    today = now.astimezone(SHANGHAI).date()
    hours = attendance.opening_hours(db)
    text = ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours)
    if not cal.is_workday(today):
        hall = NOT_WORKDAY
    else:
        hall = OPEN if any(a <= now < b for a, b in attendance.opening_spans(today, hours, cal.is_workday)) else CLOSED
    return (attendance.current(db, username, now=now), attendance.unstaffed_now(db, site, cal.is_workday, now=now),
            attendance.unstaffed(db, site, today, cal.is_workday, now=now, min_minutes=5),
            attendance.monthly_sheet(db, site, year, month, now=now), text, hall,
            attendance.on_duty(db, site, now=now))


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return AttendancePage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
