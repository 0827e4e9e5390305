"""首页: who is signed in and where, then what needs doing now, each line a way into the list or the case.

* at a window: the accepted cases waiting to be handed to the back office, the nearest deadline first,
  with their countdown in the list's amber and red; the results back to hand over (出件);
* in the back office: the cases to sign for, and the ones due within a working day or already late;
* a supervisor or an administrator also sees how much is late at this site.

The work is read (services/work_waiting.py, on the task runner) each time the page is shown, every
minute while it is, and whenever cases change (an act, a sync: ui/case_watch.py); the countdowns tick each second without reading. Enter or a click on a line opens
the list's view (``openView``) or the case (``openCase``); the main window does the opening.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import QApplication, QFormLayout, QFrame, QPushButton, QVBoxLayout, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.ui.calendar_warning import CalendarWarning
from clerk_desk.ui.qt_items import taken_widgets
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import WrappingLabel, label, menu_text, plain_tooltip

if TYPE_CHECKING:  # read on the worker thread; loaded with the first read, not at start-up
    from clerk_desk.services.supervision_orders import OrderRow
    from clerk_desk.services.work_waiting import BackOfficeWork, SiteLateness, Supervision, WindowWork

REREAD_MS = 60_000
ITEM_CHARS = 16  # an item name on a line is cut (with …) beyond this many characters; the tooltip has it all
COLOURS = {"amber": "color: #7a4b00; background: #ffe8a8; font-weight: bold;",
           "red": "color: #ffffff; background: #c0392b; font-weight: bold;", "": ""}


def weekday_name(day: date) -> str:
    names = [
        QCoreApplication.translate("HomePage", "Monday"),
        QCoreApplication.translate("HomePage", "Tuesday"),
        QCoreApplication.translate("HomePage", "Wednesday"),
        QCoreApplication.translate("HomePage", "Thursday"),
        QCoreApplication.translate("HomePage", "Friday"),
        QCoreApplication.translate("HomePage", "Saturday"),
        QCoreApplication.translate("HomePage", "Sunday"),
    ]
    return names[day.weekday()]


def date_text(day: date) -> str:
    return QCoreApplication.translate("HomePage", "{0}-{1:02d}-{2:02d}, {3}").format(
        day.year, day.month, day.day, weekday_name(day)
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Work:
    """What the home page shows: the work waiting for this person, as their roles see it."""

    window: WindowWork | None = None
    back_office: BackOfficeWork | None = None
    lateness: SiteLateness | None = None
    supervision: Supervision | None = None  # a supervisor, an administrator
    orders: Any = None  # (the oldest open 督办单, how many): the window's site, the approver's departments


def read_work(db: Database, session: DeskSession, now: datetime) -> Work:
    from clerk_desk.domain.org import Role
    from clerk_desk.services import work_waiting as ww

    if session.is_approver_mode:
        from clerk_desk.services.approvals import served_pairs

        return Work(back_office=ww.back_office_work(db, session.user.id, now),
                    orders=ww.orders_waiting(db, serves=served_pairs(db, session.user.id)))  # fmt: skip
    window = ww.window_work(db, now) if session.window is not None else None
    supervising = session.user.has(Role.SUPERVISOR) or session.is_admin
    late = ww.site_lateness(db, now) if supervising else None
    site = session.site.site_code or None
    if supervising:
        return Work(window=window, lateness=late, supervision=ww.supervision_work(db, site, now))
    return Work(window=window, orders=ww.orders_waiting(db, site_code=site))


class HomePage(QWidget):
    openView = Signal(str, object)  # page key ("cases", "inbox"), the list's view  # noqa: N815
    openCase = Signal(str, str)  # page key, case uuid  # noqa: N815
    loaded = Signal()

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None, *,
        today: date | None = None, now: Any = _utcnow,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.work: Work | None = None
        self._ticking: list[tuple[QPushButton, Any]] = []  # (line, row) whose countdown moves
        self._signing: list[tuple[QPushButton, Any]] = []  # (line, row) whose 签收 clock moves
        self._sign_minutes = 30
        # The hall's day (China's), asked again at each reading: a page kept past midnight (a desk left signed in
        # overnight, locked) showed the day it was built, and the PC's own date where Windows has another zone
        self.today: Callable[[], date] = (lambda: today) if today is not None else self._hall_today
        user = session.user
        # a long name (accounts may come from the hub) wraps instead of widening the page (docs/ui.md)
        heading = WrappingLabel(self.tr("Welcome, {0}").format(user.display_name), "homeHeading")
        heading.setProperty("role", "heading")
        card = QFrame()
        card.setObjectName("homeCard")
        facts = QFormLayout(card)
        facts.addRow(self.tr("Signed in as"),
                     WrappingLabel(f"{user.display_name}（{user.username}）· {user.roles_zh}", "homeUser"))
        facts.addRow(self.tr("Service centre"),
                     WrappingLabel(session.site.site_name or self.tr("not set up"), "homeSite"))
        facts.addRow(self.tr("Window"), WrappingLabel(self._window_text(), "homeWindow"))
        self.date = label(date_text(self.today()), "homeDate")
        facts.addRow(self.tr("Today"), self.date)

        title = label(self.tr("Waiting for you now"), "homeWorkHeading")
        title.setProperty("role", "subheading")
        self.work_box = QWidget(self)
        self.work_box.setObjectName("homeWork")
        self.work_layout = QVBoxLayout(self.work_box)
        self.work_layout.setContentsMargins(0, 0, 0, 0)
        self.work_layout.setSpacing(4)
        self.status = label(self.tr("Reading…"), "homeWorkStatus", wrap=True)
        self.status.setProperty("role", "note")
        self.work_layout.addWidget(self.status)

        # next year's holiday calendar missing at this desk: the supervisor and the admin are told
        self.calendar_warning = CalendarWarning(db, runner, session, self, today=self.today)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading)
        layout.addWidget(self.calendar_warning)
        # what is waiting comes first: at 1366×768 and 150 % the card above it pushed it below the fold
        layout.addSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.work_box)
        layout.addSpacing(12)
        layout.addWidget(card)
        layout.addStretch(1)

        self.reread = QTimer(self)
        self.reread.setInterval(REREAD_MS)
        self.reread.timeout.connect(self.refresh)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)

    def _window_text(self) -> str:
        s = self.session
        if s.is_approver_mode:
            return self.tr("Back office (approver mode)")
        if s.window is None:
            from clerk_desk.domain.org import Role

            if s.user.has(Role.SUPERVISOR):  # the hall manager: no mere administrator
                return self.tr("No window (hall management: supervision, figures)")
            return self.tr("No window (administration only)")
        name = s.window.label
        return name if s.window.kind_zh in name else f"{name} · {s.window.kind_zh}"

    # -- reading -----------------------------------------------------------------------------------
    def _hall_today(self) -> date:
        moment: datetime = self.now()
        return moment.astimezone(SHANGHAI).date()

    def refresh(self) -> None:
        self.date.setText(date_text(self.today()))
        self.runner.submit(read_work, self.db, self.session, self.now(), on_done=self.show_work,
                           on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        from clerk_desk.ui import notify

        self.status.setText(self.tr("The work waiting could not be read: {0}").format(notify.error_text(exc)))
        self.status.setVisible(True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()
            self.reread.start()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        """Cases changed (ui/case_watch.py): the work waiting on screen is read again at once."""
        if self.isVisible():
            self.refresh()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().hideEvent(event)
        if not event.spontaneous():
            self.reread.stop()
            self.ticker.stop()

    # -- showing -----------------------------------------------------------------------------------
    def show_work(self, work: Work) -> None:
        self.work = work
        place = self._focus_place()
        for w in taken_widgets(self.work_layout, keep=1):  # keep the status line
            w.hide()
            w.setParent(None)  # out of the page at once (a test or a screen reader finds the new lines)
            w.deleteLater()
        self._ticking = []
        self._signing = []
        shown = 0
        if work.window is not None:
            shown += self._window_work(work.window)
        if work.back_office is not None:
            shown += self._back_office_work(work.back_office)
        if work.orders is not None:
            shown += self._orders(*work.orders)
        if work.supervision is not None:
            shown += self._supervision(work.supervision)
        if work.lateness is not None:
            self._lateness(work.lateness)
        self.status.setText(self.tr("Nothing is waiting for you now.") if not shown else "")
        self.status.setVisible(not shown)
        if place is not None:
            self._refocus(*place)
        self.tick()
        if (self._ticking or self._signing) and self.isVisible():
            self.ticker.start()
        else:
            self.ticker.stop()
        self.loaded.emit()

    def _lines(self, name: str = "") -> list[QPushButton]:
        """The lines one can Tab to (of that objectName), top to bottom."""
        items = (self.work_layout.itemAt(i) for i in range(self.work_layout.count()))
        widgets = (item.widget() for item in items if item is not None)
        return [w for w in widgets if isinstance(w, QPushButton) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
                and (not name or w.objectName() == name)]

    def _focus_place(self) -> tuple[str, int] | None:
        """The line with the focus, as its name and place among the lines of that name."""
        focused = QApplication.focusWidget()
        if not isinstance(focused, QPushButton) or focused not in self._lines():
            return None
        name = focused.objectName()
        return name, self._lines(name).index(focused)

    def _refocus(self, name: str, place: int) -> None:
        """The lines are made again (every minute, whenever cases change): the focus goes back where it was, to
        the nearest line of the same kind, else the first line. It went to the next widget along when the line
        was taken away, and an approver Tabbing to a 督办单 or a case found it elsewhere."""
        same = self._lines(name)
        target = same[min(place, len(same) - 1)] if same else next(iter(self._lines()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _line(self, text: str, name: str, tip: str = "", *, heading: bool = False) -> QPushButton:
        b = QPushButton(menu_text(text), self.work_box)
        b.setObjectName(name)
        b.setAutoDefault(True)  # Enter on the focused line opens it
        b.setFlat(True)
        b.setCursor(Qt.CursorShape.PointingHandCursor)
        b.setStyleSheet("QPushButton { text-align: left; padding: 4px 8px; border: none; }"
                        + ("QPushButton { font-weight: bold; color: #1b4f72; }"
                           # with the focus a line takes the default button's blue ground (style.qss): white on it,
                           # the dark blue read at 1.7:1
                           "QPushButton:default { color: #ffffff; }" if heading else ""))
        if tip:
            b.setToolTip(plain_tooltip(tip))
        self.work_layout.addWidget(b)
        return b

    def _item(self, name: str) -> str:
        return QFontMetrics(self.font()).elidedText(
            name, Qt.TextElideMode.ElideRight, QFontMetrics(self.font()).horizontalAdvance("中" * ITEM_CHARS))

    def _window_work(self, w: WindowWork) -> int:
        from clerk_desk.services import case_queries as q
        from clerk_desk.ui.cases.case_format import countdown

        now = self.now()
        counts = [countdown(r, now) for r in w.waiting or w.to_transfer]  # all read, not only the lines shown
        if w.to_transfer_count:
            late = sum(1 for c in counts if c and c.urgency == "red")
            soon = sum(1 for c in counts if c and c.urgency == "amber")
            text = self.tr("Waiting to be handed to the back office: {0}").format(w.to_transfer_count)
            if late:
                text += self.tr(", {0} late").format(late)
            if soon:
                text += self.tr(", {0} due soon").format(soon)
            head = self._line(text, "homeToTransfer", heading=True)
            head.clicked.connect(lambda: self.openView.emit("cases", q.WindowView.TO_TRANSFER))
            for r in w.to_transfer:
                line = self._line("", "homeTransferCase", self._row_tip(r))
                line.clicked.connect(lambda _c=False, u=r.uuid: self.openCase.emit("cases", u))
                self._ticking.append((line, r))
        if w.results_count:
            head = self._line(self.tr("Results back to hand over: {0}").format(w.results_count), "homeResults",
                              heading=True)
            head.clicked.connect(lambda: self.openView.emit("cases", q.WindowView.RESULTS))
            for r in w.results:
                line = self._line(f"{r.applicant_name} · {self._item(r.item_name)}", "homeResultCase",
                                  self._row_tip(r))
                line.clicked.connect(lambda _c=False, u=r.uuid: self.openCase.emit("cases", u))
        return w.to_transfer_count + w.results_count

    def _row_tip(self, r: Any) -> str:
        return f"{r.case_number}\n{r.applicant_name}\n{r.item_name}"

    def tick(self) -> None:
        """Move the countdowns of the waiting transfers and the 签收 clocks (no reading)."""
        from clerk_desk.ui.cases.case_format import countdown

        now = self.now()
        for line, r in self._ticking:
            c = countdown(r, now)
            left = c.text if c else "—"
            line.setText(menu_text(f"{left} · {r.applicant_name} · {self._item(r.item_name)}"))
            urgency = c.urgency.value if c else ""
            line.setProperty("urgency", urgency)
            line.setStyleSheet("QPushButton { text-align: left; padding: 4px 8px; border: none; "
                               + COLOURS[urgency] + " }")
        if not self._signing:  # a window clerk's home page: the back office's module is not loaded for nothing
            return
        from clerk_desk.ui.inbox.inbox_format import sign_countdown

        for line, r in self._signing:  # the cases waiting to be signed for: the county's 签收 minutes
            c = sign_countdown(r.status, r.transfer, self._sign_minutes, now)
            line.setText(menu_text(f"{c.text if c else '—'} · {r.applicant_name} · {self._item(r.item_name)}"))
            urgency = c.urgency.value if c else ""
            line.setProperty("urgency", urgency)
            line.setStyleSheet("QPushButton { text-align: left; padding: 4px 8px; border: none; "
                               + COLOURS[urgency] + " }")

    def _back_office_work(self, w: BackOfficeWork) -> int:
        from clerk_desk.services.inbox import InboxView
        from clerk_desk.ui.cases.case_format import local_text
        from clerk_desk.ui.inbox.inbox_format import days_text, sign_countdown

        if w.to_sign_count:
            self._sign_minutes = w.sign_minutes
            now = self.now()
            clocks = [sign_countdown(r.status, r.transfer, w.sign_minutes, now) for r in w.to_sign_all or w.to_sign]
            text = self.tr("To sign for: {0}").format(w.to_sign_count)
            late = sum(1 for c in clocks if c and c.urgency == "red")
            soon = sum(1 for c in clocks if c and c.urgency == "amber")
            if late:  # of all read, not only the lines shown: as the 督办 list counts 流转后未签收
                text += self.tr(", {0} late").format(late)
            if soon:
                text += self.tr(", {0} due soon").format(soon)
            head = self._line(text, "homeToSign", heading=True)
            head.clicked.connect(lambda: self.openView.emit("inbox", InboxView.TO_SIGN))
            for r in w.to_sign:
                handed = local_text(r.transfer.last_at if r.transfer else None, "%m-%d %H:%M")
                line = self._line("", "homeSignCase", f"{self._row_tip(r)}\n{handed}")
                line.clicked.connect(lambda _c=False, u=r.uuid: self.openCase.emit("inbox", u))
                self._signing.append((line, r))
        if w.due_soon_count:
            text = self.tr("Due within a working day or late: {0}").format(w.due_soon_count)
            if w.overdue_count:
                text += self.tr(", {0} overdue").format(w.overdue_count)
            head = self._line(text, "homeDueSoon", heading=True)
            head.clicked.connect(lambda: self.openView.emit("inbox", InboxView.IN_HAND))
            for r in w.due_soon:
                line = self._line(f"{days_text(r)} · {r.applicant_name} · {self._item(r.item_name)}", "homeDueCase",
                                  self._row_tip(r))
                line.setProperty("urgency", r.urgency)
                line.setStyleSheet("QPushButton { text-align: left; padding: 4px 8px; border: none; "
                                   + COLOURS[r.urgency] + " }")
                line.clicked.connect(lambda _c=False, u=r.uuid: self.openCase.emit("inbox", u))
        return w.to_sign_count + w.due_soon_count

    def _orders(self, rows: tuple[OrderRow, ...], count: int) -> int:
        """督办单 on this desk's cases not yet answered: each opens its case, where it is answered."""
        if not count:
            return 0
        key = "inbox" if self.session.is_approver_mode else "cases"
        head = self._line(self.tr("Supervision orders to answer: {0}").format(count), "homeOrders", heading=True)
        head.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # opens nothing (the orders are answered on their cases): no stop
        head.setCursor(Qt.CursorShape.ArrowCursor)
        for r in rows:
            line = self._line(self._order_text(r), "homeOrderCase", f"{r.case_number}\n{r.item_name}\n{r.order.reason}")
            line.clicked.connect(lambda _c=False, u=r.order.case_uuid: self.openCase.emit(key, u))
        return count

    def _order_text(self, r: OrderRow) -> str:
        """A line of an open 督办单: the case, its item (cut), the date to answer by; the reason is in the tooltip."""
        by = r.order.reply_by.isoformat() if r.order.reply_by else "—"
        return self.tr("{0} · {1} · answer by {2}").format(r.case_number, self._item(r.item_name), by)

    def _supervision(self, s: Supervision) -> int:
        """The supervisor: what is late or nearly so, per stage (each opens the 督办 list on it), and the
        督办单 not yet answered."""
        for stage, stage_zh, red, amber in s.stages:
            line = self._line(self.tr("{0}: {1} late, {2} due soon").format(stage_zh, red, amber), "homeLateStage",
                              heading=True)  # fmt: skip
            if red:
                line.setProperty("urgency", "red")
            line.clicked.connect(lambda _c=False, v=stage: self.openView.emit("supervision", v))
        if s.orders_count:
            text = self.tr("Supervision orders not answered: {0}").format(s.orders_count)
            if s.orders_overdue:
                text += self.tr(", {0} past their date").format(s.orders_overdue)
            head = self._line(text, "homeOpenOrders", heading=True)
            head.clicked.connect(lambda: self.openView.emit("supervision", "orders"))
            for r in cast("tuple[OrderRow, ...]", s.orders):  # typed there as tuple[object, ...]
                line = self._line(self._order_text(r), "homeOpenOrder", f"{r.case_number}\n{r.item_name}\n{r.order.reason}")
                line.clicked.connect(lambda _c=False, u=r.order.case_uuid: self.openCase.emit("cases", u))
        return sum(red + amber for _s, _z, red, amber in s.stages) + s.orders_count

    def _lateness(self, s: SiteLateness) -> None:
        from clerk_desk.services import case_queries as q

        sub = label(self.tr("Late at this centre"), "homeLateHeading")
        sub.setProperty("role", "subheading")
        self.work_layout.addWidget(sub)
        for name, text, count, view in (
            ("homeLateTransfers", self.tr("Past the hand-over limit (5 / 15 minutes): {0}"), s.transfers_late,
             q.WindowView.TO_TRANSFER),
            ("homeLateDecisions", self.tr("Past the promised date in the back office: {0}"), s.decisions_late,
             q.WindowView.BACK_OFFICE),
            ("homeResultsWaiting", self.tr("Results waiting at the window: {0}"), s.results_waiting,
             q.WindowView.RESULTS),
        ):
            line = self._line(text.format(count), name)
            line.clicked.connect(lambda _c=False, v=view: self.openView.emit("cases", v))
            if count and name != "homeResultsWaiting":
                line.setStyleSheet("QPushButton { text-align: left; padding: 4px 8px; border: none; "
                                   "color: #b03a2e; font-weight: bold; }")
