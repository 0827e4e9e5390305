"""Step 5: done. The case number in large type (grouped for reading aloud), the due date, the transfer
countdown, the papers to print (recorded once printed: a preview closed unprinted leaves no record) and
the hand-over. Single keys work here (there is nothing to type): P prints A4,
R the 80 mm roll, V previews, C prints the pledge letter, T hands the case over, E asks for the applicant's
rating, N starts the next one.

好差评 on the spot (docs/hall-services.md): a case finished on the spot (即办件) is rated here. Once its
result slip is printed the rating dialog opens by itself with 满意 focused (one key, Enter, records it);
E opens it any time before. The one rating goes to every case of the intake.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QDialog, QFrame, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from clerk_desk.domain.case_numbers import group_for_reading
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.forms import render
from clerk_desk.forms.documents import Document
from clerk_desk.forms.paper import Paper
from clerk_desk.services.intake import CaseOutcome, Clerk, IntakeResult
from clerk_desk.services.print_log import DOCUMENT_KINDS
from clerk_desk.services.transfer import TransferReport, transfer_cases
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_format import duration_text, left_text
from clerk_desk.ui.flow_layout import FlowLayout
from clerk_desk.ui.intake import lookups
from clerk_desk.ui.intake.fields import set_primary
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, enter_clicks, html_text, label, rich_label

AMBER_SECONDS = 120
PAPERS = {"a4": Paper.A4, "roll80": Paper.ROLL_80MM}
PrintSink = Callable[[Document, Paper, bool], bool]
COLOURS = {"calm": "#1b4f72", "amber": "#b9770e", "red": "#a61b1b", "done": "#1e8449"}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class _CardArea(QScrollArea):
    """The card of numbers and dates, scrolling on its own when the page is short: a 一件事 of three items
    at 1366×768 and 125 % made the card taller than the page, and the print and hand-over buttons below it
    went out of sight. The area asks for the card's whole height and gives way below it, so a short card
    keeps the buttons right under it and a tall one scrolls while the buttons stay on screen."""

    def __init__(self, card: QFrame, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("doneCardArea")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # (the buttons take the keys; the card has nothing to type)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.card = card  # (before setWidget: the area's own filter on the card sees its events from then on)
        self.setWidget(card)
        card.installEventFilter(self)  # the card's lines change with each outcome: ask again for its height

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.card and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        card = self.card
        width = self.viewport().width() if self.viewport().width() > 0 else card.sizeHint().width()
        height = card.heightForWidth(width) if card.hasHeightForWidth() else -1
        return QSize(card.sizeHint().width(), height if height > 0 else card.sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, min(self.sizeHint().height(), 90))  # the title at least: the buttons come first at 150 %

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.updateGeometry()  # the card's height at the new width (its wrapped lines)


class DonePanel(QWidget):
    next_requested = Signal()

    def __init__(self, db: Database, runner: TaskRunner, clerk: Clerk, site_name: str,
                 parent: QWidget | None = None, *, clock: Callable[[], datetime] = _utcnow) -> None:
        super().__init__(parent)
        self.db, self.runner, self.clerk, self.site_name = db, runner, clerk, site_name
        self.clock = clock
        self.print_sink: PrintSink = self._print  # tests put a PDF writer here
        self.preview_factory: render.PreviewFactory | None = None
        self.printer_name: str | None = None  # None: the system's default queue
        self.result: IntakeResult | None = None
        # One print at a time: a paper is numbered (original or 补打) from the prints recorded before it, so
        # P then R pressed before the A4 was recorded printed two originals. Later presses wait their turn.
        self._printing = False
        self._waiting_prints: list[tuple[tuple[str, ...], str, str, bool]] = []
        self.kind = "receipt"
        self.transferred_at: datetime | None = None
        self._handed: set[str] = set()
        self.title = label("", "doneTitle", self)
        self.title.setProperty("role", "heading")
        self.number_caption = label("", "doneNumberCaption", self)
        self.number = rich_label("", "doneCaseNumber", self, wrap=True)  # several cases: the item's name beside each (wraps below)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number.setStyleSheet("font-size: 24pt; font-weight: bold; color: #1b4f72; letter-spacing: 1px;")
        self.due = rich_label("", "doneDue", self, wrap=True)
        self.countdown = label("", "doneTransferCountdown", self)
        self.countdown.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.status = label("", "doneStatus", self, wrap=True)
        self.status.setProperty("role", "note")
        self.print_a4 = button(self.tr("Print A4  (P)"), "donePrintA4", self)
        self.print_80 = button(self.tr("Print 80 mm slip  (R)"), "donePrint80", self)
        self.preview = button(self.tr("Preview  (V)"), "donePreview", self)
        self.print_pledge = button(self.tr("Print pledge letter  (C)"), "donePrintPledge", self)
        self.transfer = button(self.tr("Hand over to the back office  (T)"), "doneTransfer", self)
        self.rate = button(self.tr("Applicant's rating…  (E)"), "doneRate", self)
        self.rating_dialog: QDialog | None = None
        self.rated = False
        self.next = button(self.tr("Next applicant  (N)"), "doneNext", self)
        enter_clicks(self, self.print_a4, self.print_80, self.preview, self.print_pledge, self.transfer, self.rate,
                     self.next)
        # Rows of big buttons across the page that wrap when it is narrow (1366×768 at 150 %: the four print
        # buttons in one row made the page scroll sideways, the last ones out of sight; ui/flow_layout.py).
        grid = FlowLayout(spacing=12, fill=True)
        for b in (self.print_a4, self.print_80, self.preview, self.print_pledge):
            b.setMinimumHeight(40)
            grid.addWidget(b)
        lower = FlowLayout(spacing=12, fill=True)
        for b in (self.transfer, self.rate, self.next):
            b.setMinimumHeight(48)
            lower.addWidget(b)
        card = QFrame(self)
        card.setObjectName("doneCard")
        inside = QVBoxLayout(card)
        inside.setContentsMargins(20, 14, 20, 16)
        inside.setSpacing(8)
        for w in (self.title, self.number_caption, self.number, self.due, self.countdown):
            inside.addWidget(w)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(12)
        root.addWidget(_CardArea(card, self))
        root.addLayout(grid)
        root.addLayout(lower)
        root.addWidget(self.status)
        root.addStretch(1)
        self.print_a4.clicked.connect(lambda: self.print_paper(self.kind, "a4", False))
        self.print_80.clicked.connect(lambda: self.print_paper(self.kind, "roll80", False))
        self.preview.clicked.connect(lambda: self.print_paper(self.kind, "a4", True))
        self.print_pledge.clicked.connect(lambda: self.print_paper("pledge", "a4", False))
        self.transfer.clicked.connect(self.hand_over)
        self.rate.clicked.connect(self.offer_rating)
        self.next.clicked.connect(self.next_requested)
        for key, b in (("P", self.print_a4), ("R", self.print_80), ("V", self.preview), ("C", self.print_pledge),
                       ("T", self.transfer), ("E", self.rate), ("N", self.next)):
            self._shortcut(key, b)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    def _shortcut(self, key: str, b: QPushButton) -> None:
        s = QShortcut(QKeySequence(key), self)
        s.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        s.activated.connect(lambda: b.click() if b.isVisible() and b.isEnabled() else None)

    def show_result(self, result: IntakeResult, kind: str, pledged: bool) -> None:
        self.result, self.kind, self.transferred_at = result, kind, None
        self._handed = set()  # cases of this intake already with the back office
        titles = {"accepted": self.tr("Accepted with a material owed") if pledged else self.tr("Accepted"),
                  "completed": self.tr("Finished on the spot"),
                  "notified": self.tr("One-time notice given"), "refused": self.tr("Refused")}
        self.title.setText(titles.get(result.outcome, result.outcome))
        numbered = result.outcome in ("accepted", "completed")
        self.number_caption.setText(self.tr("Case number") if numbered else self.tr("Notice number"))
        cases = result.cases if numbered else result.cases[:1]
        lines = [html_text(group_for_reading(c.case_number)) for c in cases]
        if len(cases) > 1:
            lines = [f"{n}    <span style='font-size:13pt; font-weight:normal'>"
                     f"{html_text(c.item_name)}</span>" for n, c in zip(lines, cases, strict=True)]
        self.number.setText("<br>".join(lines))
        self.due.setText("<br>".join(html_text(self._due_line(c)) for c in result.cases if c.due is not None))
        self.due.setVisible(any(c.due is not None for c in result.cases))
        accepted = result.outcome == "accepted"
        self.rated = False
        self.rate.setVisible(result.outcome == "completed")  # 即办件: rated here, on the spot
        self.rate.setEnabled(True)
        self.print_pledge.setVisible(pledged)
        self.transfer.setVisible(accepted)
        self.transfer.setEnabled(accepted)
        self.countdown.setVisible(accepted)
        self.status.setText("")
        self.status.setVisible(False)
        self.tick()
        if accepted:
            self.timer.start()
        else:
            self.timer.stop()

    def _due_line(self, c: CaseOutcome) -> str:
        assert c.due is not None
        when = c.due.due_local_date.strftime("%Y-%m-%d")
        text = self.tr("Due by {0} ({1} working days)").format(when, c.days)
        if c.days_confirmed_by_department:
            text += self.tr(", time limit confirmed by the department")
        if c.due.provisional:
            text += self.tr(", estimated: next year's holidays are not published yet")
        name = c.item_name if self.result and len(self.result.cases) > 1 else ""
        return f"{name}　{text}" if name else text

    def tick(self) -> None:
        if self.result is None or self.result.outcome != "accepted":
            return
        if self.transferred_at is not None:
            at = self.transferred_at.astimezone(SHANGHAI).strftime("%H:%M")
            self._count(self.tr("Handed over to the back office at {0}").format(at), "done")
            self.timer.stop()
            return
        due = min(c.transfer_due_at for c in self.result.cases if c.transfer_due_at)
        left = (due - self.clock()).total_seconds()
        if left >= 0:  # minutes and seconds left, in words: "14:57" would read as a clock time
            self._count(self.tr("Hand over to the back office: {0}").format(left_text(left)),
                        "amber" if left <= AMBER_SECONDS else "calm")
        else:
            self._count(self.tr("Hand-over to the back office is late by {0}").format(duration_text(left)), "red")

    def _count(self, text: str, tone: str) -> None:
        self.countdown.setText(text)
        self.countdown.setProperty("tone", tone)
        self.countdown.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {COLOURS[tone]};")

    # ---- printing and hand-over ------------------------------------------------------------------

    def _cases(self) -> tuple[str, ...]:
        return tuple(c.case_uuid for c in self.result.cases) if self.result else ()

    def print_paper(self, kind: str, paper: str, preview: bool) -> None:
        """Print (a second print of the same paper is labelled 补打); the print is recorded once it went out.
        A print asked for while another is under way waits for that one to be recorded."""
        self._print_cases(self._cases(), kind, paper, preview)

    def _print_cases(self, cases: tuple[str, ...], kind: str, paper: str, preview: bool) -> None:
        if self._printing:
            self._waiting_prints.append((cases, kind, paper, preview))
            return
        self._printing = True
        job = partial(lookups.prepare_print, self.db, cases, kind, site_name=self.site_name,
                      window_name=self.clerk.window_name, clerk_name=self.clerk.display_name)
        self.runner.submit(job, on_done=lambda p: self._render(p, kind, paper, preview), on_error=self._print_failed)

    def _render(self, printable: lookups.Printable, kind: str, paper: str, preview: bool) -> None:
        try:
            printed = self.print_sink(printable.document, PAPERS[paper], preview)
        except Exception as exc:  # a printer problem must not lose the done panel; nothing is recorded
            self._print_failed(exc)
            return
        if not printed:
            self._next_print()  # a preview closed without printing: no record, the next print is still the original
            return
        record = partial(lookups.record_printed, self.db, printable, kind, actor=self.clerk.username, paper=paper)
        self.runner.submit(record, on_done=lambda _n: self._printed(printable, kind), on_error=self._print_failed)

    def _print_failed(self, exc: BaseException) -> None:
        notify.show_error(self, exc)
        self._next_print()

    def _next_print(self) -> None:
        self._printing = False
        if self._waiting_prints:
            self._print_cases(*self._waiting_prints.pop(0))

    def _printed(self, printable: lookups.Printable, kind: str) -> None:
        what = DOCUMENT_KINDS[kind]
        self.say(self.tr("{0} printed.").format(what) if not printable.reprint else
                 self.tr("{0} reprinted, marked as reprint no. {1}.").format(what, printable.reprint))
        if self.transfer.isVisible() and self.transfer.isEnabled():
            self._lead(self.transfer)  # paper in hand: next comes the hand-over
        elif self.rate.isVisible() and not self.rated and self.rating_dialog is None:
            self.offer_rating()  # 即办件 done and its paper in hand: the applicant's rating, 满意 in one key
        elif self.rating_dialog is None:
            self._lead(self.next)  # a notice or a refusal in hand (or a paper again): Enter is 下一位, not 补打
        self._next_print()

    def _print(self, doc: Document, paper: Paper, preview: bool) -> bool:
        return render.print_document(doc, paper, self.printer_name, preview=preview,
                                     preview_factory=self.preview_factory)

    def hand_over(self) -> None:
        """流转后台: the act at the window of handing the cases and their paper to the back office (the case
        list's act too: a case that may not go is named, the others still go)."""
        waiting = [(c.case_uuid, c.case_number) for c in self.result.cases if c.case_uuid not in self._handed] \
            if self.result else []
        self.runner.submit(transfer_cases, self.db, waiting, self.clerk, on_done=self._handed_over,
                           on_error=lambda e: notify.show_error(self, e))

    def _handed_over(self, report: TransferReport) -> None:
        self._handed |= {c.case_uuid for c in report.done}
        if report.all_done:
            self.mark_transferred(self.clock())
            return
        if report.done:
            self.say(self.tr("{0} case(s) transferred to the back office").format(len(report.done)))
        notify.error(self, "\n".join(f"{r.case_number}：{r.message}" for r in report.refused))

    def mark_transferred(self, at: datetime) -> None:
        self.transferred_at = at
        self.transfer.setEnabled(False)
        self.tick()
        self._lead(self.next)

    def _lead(self, b: QPushButton) -> None:
        """Make ``b`` the highlighted button with the focus (Enter presses it)."""
        for other in (self.print_a4, self.transfer, self.rate, self.next):
            set_primary(other, other is b)
        b.setFocus()

    # ---- 好差评 on the spot ---------------------------------------------------------------------------

    def offer_rating(self) -> None:
        """The rating dialog for the case(s) finished on the spot: 满意 focused, Enter records it."""
        from clerk_desk.services import evaluation
        from clerk_desk.ui.hall.rating_dialog import RatingDialog

        if self.result is None or self.rated or not self.rate.isVisible():
            return
        text = "\n".join(f"{group_for_reading(c.case_number)}  {c.item_name}" for c in self.result.cases)
        record = partial(evaluation.rate_cases, self.db, self._cases(), self.clerk, moment="on_the_spot")
        dialog = RatingDialog(text, self.runner, record, self)
        dialog.accepted.connect(lambda: self._rated(dialog))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.rating_dialog = dialog
        dialog.open()

    def _rated(self, dialog: QDialog) -> None:
        from clerk_desk.ui.hall.rating_dialog import RatingDialog, rating_text

        self.rated = True
        self.rate.setEnabled(False)
        if isinstance(dialog, RatingDialog) and dialog.chosen is not None:
            self.say(self.tr("Rating recorded: {0}").format(rating_text(dialog.chosen)))
        QTimer.singleShot(0, self, lambda: self._back(self.next))

    def _closed(self, dialog: QDialog) -> None:
        if self.rating_dialog is dialog:
            self.rating_dialog = None
        if not self.rated:  # 暂不评价: E (or Enter) opens it again
            QTimer.singleShot(0, self, lambda: self._back(self.rate))

    def _back(self, b: QPushButton) -> None:
        """Once the dialog has closed: the panel's window active again, ``b`` leading."""
        self.window().activateWindow()
        self._lead(b)

    def say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(True)

    def stop(self) -> None:
        self.timer.stop()

    def focus(self) -> None:
        self._lead(self.print_a4 if self.result is not None else self.next)

