"""The case page (办件详情): header, the checklist as reviewed, the timeline; transfer, reprint, back.

Printing is injectable: ``print_fn(document, paper) -> bool`` (default: the print preview, then the
default printer). The paper carries the number of prints before it (补打 from the second on); the print
is recorded once the printer took it, never for a preview closed without printing (ui/paper_print.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QWidget

from clerk_desk.domain.lifecycle import Side
from clerk_desk.forms.paper import Paper
from clerk_desk.services.case_queries import status_text, withdrawal_act
from clerk_desk.services.papers import papers_of
from clerk_desk.services.print_log import DOCUMENT_KINDS
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.cases.case_actions import (
    clerk_for,
    load_case,
    transfer_cases,
)
from clerk_desk.ui.cases.case_format import TRANSFERABLE, Urgency, due_overdue, grouped_number, local_text
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.flow_layout import FlowLayout
from clerk_desk.ui.paper_print import paper_document, read_paper, record_printed
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, combo, dialog_layout, enter_clicks, label, plain_tooltip

if TYPE_CHECKING:  # printing (QtPrintSupport, segno) is imported on the first print, not at start-up
    from clerk_desk.domain.case_view import CaseView
    from clerk_desk.forms.documents import Document
    from clerk_desk.forms.render import PreviewFactory
    from clerk_desk.services.handover import DeliveredResult
    from clerk_desk.services.transfer import TransferReport

PrintFn = Callable[["Document", Paper], bool]


class CasePage(QWidget):
    backRequested = Signal()
    changed = Signal(str)  # case uuid: transferred or printed
    loaded = Signal(str)

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("casePage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.view: CaseView | None = None
        self.preview_factory: PreviewFactory | None = None
        self.printer_name: str | None = None
        self.print_fn: PrintFn = self._print_with_preview
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def _build(self) -> None:
        layout = dialog_layout(self)
        # A withdrawal the window asked for and the back office has not answered (withdraw_dialog.py).
        view = sec.build_case_view(
            self, layout, "case",
            [("caseItem", self.tr("Item")), ("caseDepartment", self.tr("Department")),
             ("caseApplicant", self.tr("Applicant")), ("caseAgent", self.tr("Agent")),
             ("caseChannel", self.tr("Channel")), ("caseDelivery", self.tr("Delivery")),
             ("caseAcceptedAt", self.tr("Accepted at")), ("caseUrgency", self.tr("Urgency")),
             ("caseTransferDue", self.tr("Transfer deadline")),
             ("caseDue", self.tr("Due")), ("casePledge", self.tr("Pledge (容缺)"))],
            checklist_title=self.tr("Materials as reviewed"), timeline_title=self.tr("Timeline"),
            withdrawal_style="color: #9a6200; font-weight: bold;", wrap_facts=True,
        )  # fmt: skip
        self.number, self.status, self.withdrawal = view.number, view.status, view.withdrawal
        self.facts, self.checklist, self.timeline = view.facts, view.checklist, view.timeline
        self.splitter = view.splitter
        # 督办单 on this case not yet answered (docs/supervision.md): shown above the facts, with 答复
        from clerk_desk.ui.supervision.order_dialogs import OrderBanner

        self.orders = OrderBanner(self.db, self.runner, self.session, "case", self)
        self.orders.answered.connect(self._order_answered)
        view.body.insertWidget(2, self.orders)  # (after the heading and the withdrawal line)

        self.back_button = button(self.tr("Back"), "caseBack", self)
        self.back_button.clicked.connect(self.backRequested.emit)
        self.transfer_button = button(self.tr("Transfer to back office"), "caseTransfer", self)
        self.transfer_button.clicked.connect(self.transfer)
        self.document = combo("caseDocument", self)
        self.paper = combo("casePaper", self)
        self.paper.addItem(self.tr("A4"), Paper.A4.value)
        self.paper.addItem(self.tr("80 mm roll"), Paper.ROLL_80MM.value)
        self.reprint_button = button(self.tr("Reprint…"), "caseReprint", self)
        self.reprint_button.clicked.connect(self.reprint)
        self.deliver_button = button(self.tr("Hand over result…"), "caseDeliver", self)  # 出件 (handover_dialog.py)
        self.deliver_button.clicked.connect(self.deliver)
        self.deliver_dialog: QWidget | None = None
        self.rating_dialog: QWidget | None = None
        self.withdraw_button = button(self.tr("Withdraw…"), "caseWithdraw", self)
        self.withdraw_button.clicked.connect(lambda: self.withdraw("withdraw"))
        self.request_withdrawal_button = button(self.tr("Request withdrawal…"), "caseRequestWithdrawal", self)
        self.request_withdrawal_button.clicked.connect(lambda: self.withdraw("request"))
        self.withdraw_dialog: QWidget | None = None
        self.message = label("", "caseMessage", self, wrap=True)  # on its own line above the bar, when it says something
        self.message.setVisible(False)
        # 返回 on the left, the acts on the right; the acts wrap onto a second line when the page is narrow
        # (1366×768 at 150 %: in one row they made the page scroll sideways; ui/flow_layout.py)
        acts = FlowLayout(right=True)
        for w in (self.withdraw_button, self.request_withdrawal_button, self.deliver_button, self.transfer_button,
                  self.document, self.paper, self.reprint_button):
            acts.addWidget(w)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        bar.addLayout(acts, 1)

        layout.addWidget(self.message)
        layout.addLayout(bar)
        # Tab as the page reads: the two tables (the arrows move in them, Tab leaves), then 返回 on the left and
        # the acts from left to right. Tab walked the tables cell by cell, and 撤回 / 出件 came after 补打.
        for table in (self.checklist, self.timeline):
            table.setTabKeyNavigation(False)
        order = (self.checklist, self.timeline, self.back_button, self.withdraw_button,
                 self.request_withdrawal_button, self.deliver_button, self.transfer_button, self.document,
                 self.paper, self.reprint_button)
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)
        enter_clicks(self, self.back_button, self.withdraw_button, self.request_withdrawal_button,
                     self.deliver_button, self.transfer_button, self.reprint_button)
        self._lead_next = False  # the next load puts the focus on the act that comes next (lead_act)
        # Window-wide while the page is on screen: Esc goes back with the focus in the navigation too.
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WindowShortcut)
        back.activated.connect(self.backRequested.emit)

    # -- loading -------------------------------------------------------------------------------
    @property
    def case_uuid(self) -> str | None:
        return self.view.uuid if self.view else None

    def open(self, uuid: str) -> None:
        self._tell("")
        self._lead_next = True
        self.runner.submit(load_case, self.db, uuid, on_done=self._show)

    def _tell(self, text: str) -> None:
        """What the last act did, above the buttons (no empty line when there is nothing to say)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def reload(self) -> None:
        if self.case_uuid:
            self.runner.submit(load_case, self.db, self.case_uuid, on_done=self._show)

    def _order_answered(self, uuid: str) -> None:
        self.changed.emit(uuid)
        self.reload()

    def _show(self, view: CaseView) -> None:
        self.view = view
        now = self.now()
        self.number.setText(grouped_number(view.case_number) or self.tr("(no number)"))
        self.status.setText(status_text(view.status, view.withdrawal_requested))
        for name, text in sec.header_facts(view, now).items():
            self.facts[name].setText(text)
        self.facts["caseDue"].setToolTip(plain_tooltip(sec.due_tooltip(view)))
        self.tick()
        overdue = due_overdue(view.status, view.due_at, now)
        self.facts["caseDue"].setStyleSheet(sec.LABEL_COLOURS[Urgency.RED if overdue else Urgency.NONE])
        sec.fill(self.checklist, sec.checklist_rows(view))
        rows, colours = sec.timeline_rows(view.events)
        sec.fill(self.timeline, rows, colours, sec.SYNC_COLUMN)
        sec.fit_split(self.splitter, self.checklist, self.timeline)
        self.timeline.scrollToBottom()
        self.transfer_button.setVisible(view.status in TRANSFERABLE)
        self.deliver_button.setVisible(view.status == "result_at_window")
        act = withdrawal_act(view.state)
        self.withdraw_button.setVisible(act == "withdraw")
        self.request_withdrawal_button.setVisible(act == "request")
        self.withdrawal.setText(self._withdrawal_text(view) if view.withdrawal_requested else "")
        self.withdrawal.setVisible(view.withdrawal_requested)
        self.orders.show_case(view.uuid, view.events)
        kind = self.document.currentData()
        self.document.clear()
        for k in papers_of(view):
            self.document.addItem(DOCUMENT_KINDS[k], k)
        if kind is not None and self.document.findData(kind) >= 0:  # a refresh keeps the clerk's choice
            self.document.setCurrentIndex(self.document.findData(kind))
        self.reprint_button.setEnabled(self.document.count() > 0)
        if self._lead_next:
            self._lead_next = False
            self.lead_act().setFocus()
        self.loaded.emit(view.uuid)

    def lead_act(self) -> QWidget:
        """What the clerk does next with this case: 出件 when its result is here, 流转后台 while its paper may
        go, otherwise 返回."""
        for b in (self.deliver_button, self.transfer_button):
            if not b.isHidden() and b.isEnabled():
                return b
        return self.back_button

    # -- acting --------------------------------------------------------------------------------
    def transfer(self) -> None:
        view = self.view
        if view is None:
            return
        text = self.tr("Hand over the paper of case {0} to the back office now?").format(view.case_number)
        row_due = view.transfer.due_at if view.transfer else None
        if row_due is not None and self.now() > row_due:
            text += "\n\n" + self.tr("This transfer is past its deadline ({0}).").format(sec.transfer_text(view, self.now()))
        if not notify.confirm(self, text, default_yes=True):
            return
        self.runner.submit(
            transfer_cases, self.db, [(view.uuid, view.case_number)], clerk_for(self.session), None,
            on_done=self._transferred,
        )

    def _transferred(self, report: TransferReport) -> None:
        if report.refused:
            notify.error(self, "\n".join(r.message for r in report.refused))
        else:
            self._tell(self.tr("Transferred to the back office"))
        if self.case_uuid:
            self.changed.emit(self.case_uuid)
        self._lead_next = True  # 流转后台 goes away: the focus to what comes next, not the next button along
        self.reload()

    def deliver(self) -> None:
        """出件: the dialog records how the result reached the applicant."""
        if self.view is None or self.view.status != "result_at_window":
            return
        from clerk_desk.ui.cases.handover_dialog import HandoverDialog

        kept = self.deliver_dialog
        if isinstance(kept, HandoverDialog) and kept.case.uuid == self.view.uuid and not kept.handed_over:
            kept.open()  # closed with Esc or 取消: opens again as the clerk left it, nothing typed lost
            return
        dialog = HandoverDialog(self.db, self.runner, self.session, self.view, self)

        def handed_over(result: DeliveredResult) -> None:
            self._tell(self.tr("Result handed over"))
            self.changed.emit(result.case_uuid)
            self._lead_next = True
            self.reload()

        def print_receipt(_result: DeliveredResult) -> None:
            if dialog.print_receipt.isChecked():
                self.print_paper("handover_receipt", Paper(dialog.paper.currentData()))

        dialog.delivered.connect(handed_over)
        dialog.delivered.connect(print_receipt)
        dialog.delivered.connect(lambda result: self.offer_rating(result.case_uuid))  # 好差评 at hand-over
        self.deliver_dialog = dialog
        dialog.open()

    def offer_rating(self, case_uuid: str) -> None:
        """好差评 at hand-over: the applicant's rating, 满意 in one key (docs/hall-services.md)."""
        from functools import partial

        from clerk_desk.services import evaluation
        from clerk_desk.ui.cases.case_actions import clerk_for
        from clerk_desk.ui.hall.rating_dialog import RatingDialog

        view = self.view
        text = f"{view.case_number}  {view.item.name}" if view is not None and view.uuid == case_uuid else case_uuid
        record = partial(evaluation.rate, self.db, case_uuid, clerk_for(self.session), moment="handover")
        self.rating_dialog = RatingDialog(text, self.runner, record, self)
        self.rating_dialog.accepted.connect(self.reload)
        self.rating_dialog.open()

    def _withdrawal_text(self, view: CaseView) -> str:
        asked = view.withdrawal
        if asked is None or asked.requested is None:
            return self.tr("Withdrawal requested: waiting for the back office")
        return self.tr("Withdrawal requested on {0}: {1} (waiting for the back office)").format(
            local_text(asked.requested.at), asked.reason)

    def withdraw(self, mode: str) -> None:
        """撤回 (the window holds the case) or 申请撤回 (the back office holds it): the dialog records who
        asked, their ID checked and the reason."""
        if self.view is None:
            return
        from clerk_desk.ui.cases.withdraw_dialog import WithdrawDialog

        kept = self.withdraw_dialog
        if (isinstance(kept, WithdrawDialog) and kept.case.uuid == self.view.uuid and kept.mode == mode
                and not kept.done_ok):
            kept.open()  # closed with Esc or 取消: opens again as the clerk left it, the reason still typed
            return
        dialog = WithdrawDialog(self.db, self.runner, self.session, self.view, mode, self)
        dialog.recorded.connect(self._withdrawal_recorded)
        self.withdraw_dialog = dialog
        dialog.open()

    def _withdrawal_recorded(self, result: Any) -> None:
        self._tell(self.tr("Withdrawn") if result.event == "withdrawn"
                             else self.tr("Withdrawal requested: the back office will answer"))
        self.changed.emit(result.case_uuid)
        self.reload()

    def reprint(self) -> None:
        if self.view is None or self.document.currentIndex() < 0:
            return
        self.print_paper(str(self.document.currentData()), Paper(self.paper.currentData()))

    def print_paper(self, kind: str, paper: Paper) -> None:
        """Print a paper of the case (the first is the original, later ones 补打); recorded once printed."""
        if self.view is None:
            return
        self.runner.submit(read_paper, self.db, self.view.uuid, kind,
                           on_done=lambda result: self._print(kind, paper, *result))

    def _print(self, kind: str, paper: Paper, case: CaseView, reprint: int) -> None:
        try:
            doc = paper_document(case, kind, reprint, self.session)
            printed = self.print_fn(doc, paper)
        except Exception as exc:  # a printer problem is shown; nothing went out, nothing is recorded
            notify.show_error(self, exc)
            printed = False
        if not printed:
            return
        self.runner.submit(record_printed, self.db, case.uuid, kind, paper.value, self.session.user.username,
                           Side.WINDOW, reprint, on_done=lambda _n: self._recorded(kind, case.uuid))

    def _recorded(self, kind: str, case_uuid: str) -> None:
        self._tell(self.tr("Printed: {0}").format(DOCUMENT_KINDS[kind]))
        self.changed.emit(case_uuid)
        self.reload()

    def _print_with_preview(self, doc: Document, paper: Paper) -> bool:
        from clerk_desk.forms import render

        return render.print_document(doc, paper, self.printer_name, preview=True, preview_factory=self.preview_factory)

    def tick(self) -> None:
        """Keep the transfer countdown in the header current (no database access)."""
        if self.view is None:
            return
        text, urgency = sec.transfer_state(self.view, self.now())
        label_ = self.facts["caseTransferDue"]
        label_.setText(text)
        label_.setStyleSheet(sec.LABEL_COLOURS[urgency])
