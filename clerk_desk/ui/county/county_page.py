"""全县统计 (county figures): the county hub's figures and 督办 list for a period, one row per township and
department, read from the hub by a county supervisor device (clerk_desk.sync.county_figures; docs/hub.md,
"County figures"). The hub sends counts and case numbers only, never an applicant's personal data.

Every text from the hub is plain text in the tables (ui/table_model.py). The hub is asked on a worker
thread; the page shows the answer, or why there is none (not a county device, no link), in its status line.
Keys: F5 asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QHBoxLayout, QTableView, QTabWidget, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import site_setup
from clerk_desk.services.supervision import LEVEL_ZH, STAGE_ZH
from clerk_desk.store.database import Database
from clerk_desk.sync.county_figures import (
    CountyFigures,
    CountyOverdue,
    OverdueCase,
    TownshipFigures,
    Volume,
    load,
)
from clerk_desk.ui.column_fit import ColumnFit, fit_columns
from clerk_desk.ui.qt_dates import picked_date
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.tr_mark import QT_TRANSLATE_NOOP
from clerk_desk.ui.widgets import button, dialog_layout, label, line_edit

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext

# The stages and levels in the words of the site's 督办 page (services/supervision.py), which the hub's list
# follows: a county supervisor and a township's read the same case the same way.
STAGES = {stage.value: text for stage, text in STAGE_ZH.items()}
LEVELS = {level.value: text for level, text in LEVEL_ZH.items()}
Loader = Callable[[Database, date, date, "str | None"], "tuple[CountyFigures, CountyOverdue]"]


def _today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


def _tr(text: str) -> str:
    return QCoreApplication.translate("CountyPage", text)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f}"


UNITS = (QT_TRANSLATE_NOOP("CountyPage", "d"), QT_TRANSLATE_NOOP("CountyPage", "h"),
         QT_TRANSLATE_NOOP("CountyPage", "min"))  # fmt: skip
LATE, LEFT = QT_TRANSLATE_NOOP("CountyPage", "late %1"), QT_TRANSLATE_NOOP("CountyPage", "%1 left")


def span(seconds: int) -> str:
    """How late (or, negative, how long is left) in days, hours and minutes."""
    left = abs(seconds)
    d, h, m = left // 86400, left % 86400 // 3600, left % 3600 // 60
    day, hour, minute = (_tr(u) for u in UNITS)
    text = (f"{d}{day} " if d else "") + (f"{h}{hour} " if d or h else "") + f"{m}{minute}"
    return _tr(LATE if seconds > 0 else LEFT).replace("%1", text)


WORK_DAYS = (QT_TRANSLATE_NOOP("CountyPage", "late %1 working days"),
             QT_TRANSLATE_NOOP("CountyPage", "%1 working days left"))  # fmt: skip
DAYS = QT_TRANSLATE_NOOP("CountyPage", "late %1 days"), QT_TRANSLATE_NOOP("CountyPage", "%1 days left")
DUE_TODAY = QT_TRANSLATE_NOOP("CountyPage", "due today")


def how_late(case: OverdueCase) -> str:
    """Days for the stages counted in days (working days for the decision and archiving, as the site's page
    counts them: a paused clock is counted where it stopped), else days, hours and minutes."""
    n = case.over_days
    if n is None or n == 0 and case.late:
        return span(case.late_seconds)
    if n == 0:
        return _tr(DUE_TODAY)
    late, left = WORK_DAYS if case.stage in ("decision", "archive") else DAYS
    return _tr(late if n > 0 else left).replace("%1", str(abs(n)))


def _table(name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    return view


class CountyPage(QWidget):
    loaded = Signal()  # an answer (or why there is none) is shown

    def __init__(self, db: Database, runner: TaskRunner, *, today: Callable[[], date] = _today,
                 loader: Loader = load, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("countyPage")
        self.db, self.runner, self.loader = db, runner, loader
        layout = dialog_layout(self)
        heading = label(self.tr("County figures by township"), "countyHeading", self)
        heading.setProperty("role", "heading")
        d = today()
        self.first, self.last = QDateEdit(self), QDateEdit(self)
        for edit, name, day in (
            (self.first, "countyFrom", d - timedelta(days=29)),
            (self.last, "countyTo", d),
        ):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day.year, day.month, day.day))
        self.site = line_edit("countySite", self)
        self.site.setPlaceholderText(self.tr("all townships"))
        self.site.setMaxLength(32)
        self.refresh_button = button(self.tr("Refresh"), "countyRefresh", self)
        self.refresh_button.setToolTip("F5")
        top = QHBoxLayout()
        for widget in (label(self.tr("From"), "", self), self.first, label(self.tr("to"), "", self), self.last,
                       label(self.tr("Township"), "", self), self.site, self.refresh_button):  # fmt: skip
            top.addWidget(widget)
        top.addStretch(1)
        self.status = label("", "countyStatus", self, wrap=True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("countyTabs")
        self.volumes = RowsTableModel[TownshipFigures]([
            Column(self.tr("Township"), lambda r: self.township(r.site_code)),
            Column(self.tr("Dept."), lambda r: self.department(r.department_code)),
            Column(self.tr("Intakes"), lambda r: str(r.counts["intakes"])),
            Column(self.tr("Told once"), lambda r: percent(r.rates["notified_rate"])),
            Column(self.tr("Refused"), lambda r: percent(r.rates["refused_rate"])),
            Column(self.tr("On the spot"), lambda r: percent(r.rates["on_spot_share"])),
            Column(self.tr("Waiting"), lambda r: str(r.counts["results_waiting"])),
        ], self)  # fmt: skip
        self.timeliness = RowsTableModel[TownshipFigures]([
            Column(self.tr("Township"), lambda r: self.township(r.site_code)),
            Column(self.tr("Dept."), lambda r: self.department(r.department_code)),
            Column(self.tr("Transfers"), lambda r: str(r.counts["transfers"])),
            Column(self.tr("In time"), lambda r: percent(r.rates["transfer_on_time_rate"])),
            Column(self.tr("Decided"), lambda r: str(r.counts["decisions"])),
            Column(self.tr("By due date"), lambda r: percent(r.rates["decided_in_time_rate"])),
            Column(self.tr("Avg h"), lambda r: hours(r.avg_decision_seconds)),
            Column(self.tr("P90 h"), lambda r: hours(r.p90_decision_seconds)),
        ], self)  # fmt: skip
        self.overdue = RowsTableModel[OverdueCase]([
            Column(self.tr("Township"), lambda r: self.township(r.site_code)),
            Column(self.tr("Dept."), lambda r: self.department(r.department_code)),
            Column(self.tr("Case no."), lambda r: r.case_number),
            Column(self.tr("Item"), lambda r: self.item(r.item_code)),
            Column(self.tr("Stage"), lambda r: STAGES.get(r.stage, r.stage)),
            Column(self.tr("Level"), lambda r: LEVELS.get(r.level, r.level)),
            Column(self.tr("Holder"), lambda r: r.holder),
            Column(self.tr("How late"), how_late),
        ], self)  # fmt: skip
        self.by_day = self._volume_model(self.tr("Day"))
        self.by_item = self._volume_model(self.tr("Dept. / item"), self.department_and_item)
        self.by_channel = self._volume_model(self.tr("Channel"))
        self.names: dict[str, str] = {}
        self.departments: dict[str, str] = {}  # code -> name, read with each answer
        self.items: dict[str, str] = {}  # item code -> name in this desk's catalog, the same
        self.hub_items: dict[str, str] = {}  # item code -> name the townships' intakes gave it (the hub's)
        self.views: dict[str, QTableView] = {}
        self.fits: list[ColumnFit] = []
        for name, title, model, stretch, whole in (
            ("countyVolumes", self.tr("Volumes"), self.volumes, 0, ()),
            ("countyTimeliness", self.tr("Timeliness"), self.timeliness, 0, ()),
            ("countyOverdue", self.tr("Late and at risk"), self.overdue, 3, (7,)),  # how late: always whole
            ("countyByDay", self.tr("By day"), self.by_day, 1, ()),
            ("countyByItem", self.tr("By item"), self.by_item, 1, ()),
            ("countyByChannel", self.tr("By channel"), self.by_channel, 1, ()),
        ):
            view = _table(name, self.tabs)
            view.setModel(model)
            self.tabs.addTab(view, title)
            self.views[name] = view
            self.fits.append(fit_columns(view, stretch, whole=whole))
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self._asked = False

    def _volume_model(self, title: str, shown: Callable[[str], str] = str) -> RowsTableModel[Volume]:
        return RowsTableModel[Volume]([
            Column(self.tr("Township"), lambda r: self.township(r.site_code)),
            Column(title, lambda r: shown(r.key)),
            Column(self.tr("Intakes"), lambda r: str(r.intakes)),
        ], self)  # fmt: skip

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._asked:
            self.refresh()

    def township(self, code: str) -> str:
        """A township's name as the hub knows it, or its code."""
        return self.names.get(code) or code

    def department(self, code: str) -> str:
        """A department's name as this desk's catalog has it (人社, not rs), or its code."""
        return self.departments.get(code) or code

    def item(self, code: str) -> str:
        """An item's name as the hub has it from the townships' intakes (an item of another township's own
        catalog too), else as this desk's catalog has it (a hub before names), else its code."""
        return self.hub_items.get(code) or self.items.get(code) or code

    def department_and_item(self, key: str) -> str:
        """「人社 / 临时生活救助的给付」 for the hub's 「rs / 000511002000」."""
        dept, _, code = key.partition(" / ")
        return f"{self.department(dept)} / {self.item(code)}" if code else key

    def period(self) -> tuple[date, date]:
        return picked_date(self.first), picked_date(self.last)

    def refresh(self) -> None:
        self._asked = True
        first, last = self.period()
        if last < first:
            self.show_problem(self.tr("The end of the period comes before its start."))
            return
        self.status.setText(self.tr("Asking the county hub…"))
        self.refresh_button.setEnabled(False)
        site = self.site.text().strip() or None
        self.runner.submit(
            _ask, self.loader, self.db, first, last, site, on_done=self._answered, on_error=self._failed
        )

    def _answered(self, answer: tuple[CountyFigures, CountyOverdue, dict[str, str], dict[str, str]]) -> None:
        figures, overdue, self.departments, self.items = answer
        self.show_answer(figures, overdue)

    def _failed(self, exc: BaseException) -> None:
        self.show_problem(str(exc))

    def show_problem(self, text: str) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(text)
        self.loaded.emit()

    def show_answer(self, figures: CountyFigures, overdue: CountyOverdue) -> None:
        self.refresh_button.setEnabled(True)
        self.names = {**figures.names, **overdue.names}
        self.hub_items = {**figures.item_names, **overdue.item_names}
        self.volumes.set_rows(figures.townships)
        self.timeliness.set_rows(figures.townships)
        self.overdue.set_rows(overdue.cases)
        self.by_day.set_rows(figures.by_day)
        self.by_item.set_rows(figures.by_item)
        self.by_channel.set_rows(figures.by_channel)
        shown = len(overdue.cases)
        more = self.tr(" (the first %1 shown)").replace("%1", str(shown)) if overdue.total > shown else ""
        self.status.setText(
            self.tr("%1 to %2: %3 townships; %4 cases late or at risk%5").replace("%1", figures.first.isoformat())
            .replace("%2", figures.last.isoformat()).replace("%3", str(len({t.site_code for t in figures.townships})))
            .replace("%4", str(overdue.total)).replace("%5", more)
        )  # fmt: skip
        for fit in self.fits:
            fit.refit()
        self.loaded.emit()


def _ask(loader: Loader, db: Database, first: date, last: date, site: str | None
         ) -> tuple[CountyFigures, CountyOverdue, dict[str, str], dict[str, str]]:  # fmt: skip
    """The hub's answers and the departments' and items' names in this desk's catalog (the hub names the items
    its intakes named, an older hub none); on the task runner."""
    from clerk_desk.services import catalog_service

    figures, overdue = loader(db, first, last, site)
    codes = {c.item_code for c in overdue.cases} | {v.key.partition(" / ")[2] for v in figures.by_item}
    codes -= {*figures.item_names, *overdue.item_names}  # named by the hub already
    return figures, overdue, dict(site_setup.departments(db)), catalog_service.item_names(db, codes)


def make_page(ctx: PageContext) -> CountyPage:
    return CountyPage(ctx.db, ctx.runner, parent=ctx.parent)
