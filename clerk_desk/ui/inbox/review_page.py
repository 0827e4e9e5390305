"""The approver's case page: the case as the window accepted it, the checklist as reviewed there, the
timeline, and the back office's acts (each a dialog; the buttons follow what the case allows now).

Keys: Ctrl+1 签收, Ctrl+2 特别程序 / 恢复计时, Ctrl+3 退回补正, Ctrl+4 审批决定, Ctrl+5 结果返回窗口,
Ctrl+6 同意撤回 (only while the window's withdrawal request waits), Esc back to the list. The act the
case waits for has the focus whenever the page comes up, so Enter opens it; a pending withdrawal request
comes first. The keys work wherever the focus is in the window (the navigation, a table) while the page
is on screen; a key for an act the case does not allow now says why in the message line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.lifecycle import Side, Status
from clerk_desk.services import decision_drafts
from clerk_desk.services.approvals import PROCEDURES, ActionResult, ApprovalService
from clerk_desk.services.case_queries import EVENT_ZH, status_text
from clerk_desk.store.database import Database
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.cases.case_format import Urgency, grouped_number, local_text
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.draft_writes import DraftWrites
from clerk_desk.ui.inbox import action_dialogs as dlg
from clerk_desk.ui.inbox.inbox_actions import ReviewDetail, approver_for, load_review
from clerk_desk.ui.inbox.inbox_format import (
    days_text,
    sign_countdown,
    sign_limit_text,
    supplement_clock_text,
    transfer_text,
)
from clerk_desk.ui.paper_print import PaperPrintControls
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.tr_mark import QT_TRANSLATE_NOOP
from clerk_desk.ui.widgets import button, dialog_layout, enter_clicks, label, plain_tooltip, when_edited

# Which act each button stands for, and in which states it is offered.
ACTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("receive", "reviewReceive", ("transferred",)),
    ("pause", "reviewPause", ("in_review",)),
    ("resume", "reviewResume", ("paused",)),
    ("supplement", "reviewSupplement", ("in_review", "paused")),
    ("decide", "reviewDecide", ("in_review",)),
    ("return", "reviewReturn", ("decided",)),
)

KEEP_TYPED_AFTER_MS = 1_000  # a pause in typing this long keeps what is in the open dialog
NEXT_ACT = {"transferred": "receive", "in_review": "decide", "paused": "resume", "decided": "return"}
DONE_TEXT = {
    "received": QT_TRANSLATE_NOOP("ReviewPage", "Signed for"),
    "clock_paused": QT_TRANSLATE_NOOP("ReviewPage", "Clock stopped (special procedure)"),
    "clock_resumed": QT_TRANSLATE_NOOP("ReviewPage", "Clock resumed"),
    "supplement_requested": QT_TRANSLATE_NOOP("ReviewPage", "Sent back to the window for supplement"),
    "decided": QT_TRANSLATE_NOOP("ReviewPage", "Decision recorded"),
    "result_returned": QT_TRANSLATE_NOOP("ReviewPage", "Result returned to the window"),
    "withdrawn": QT_TRANSLATE_NOOP("ReviewPage", "Withdrawal accepted: the case is withdrawn"),
}


class ReviewPage(QWidget):
    backRequested = Signal()
    changed = Signal(str)  # case uuid: an act was recorded
    loaded = Signal(str)

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.svc = ApprovalService(db)
        self.approver = approver_for(session)
        self.detail: ReviewDetail | None = None
        self.dialog: dlg.ActionDialog | None = None
        self.dialog_act = ""  # the act of the dialog last opened
        # What was typed in a dialog closed without acting, by (case, act): it comes back when the dialog is
        # opened again, after a sign-out or a restart too (kept sealed on this PC: services/decision_drafts.py).
        self.drafts: dict[tuple[str, str], dict[str, object]] = {}
        self.runner.submit(decision_drafts.kept, db, session.user.id, on_done=self._drafts_read)
        self._typing = QTimer(self)  # what is typed is kept a moment after the last key (a power cut loses little)
        self._typing.setSingleShot(True)
        self._typing.setInterval(KEEP_TYPED_AFTER_MS)
        self._typing.timeout.connect(self._keep_typed)
        self._typed_in: tuple[dlg.ActionDialog, tuple[str, str]] | None = None  # the dialog typed in, its (case, act)
        # (one write at a time, the latest state of each (case, act): a keep must not land after the act's forget)
        self._writes: DraftWrites[tuple[str, str], dict[str, object]] = DraftWrites(
            runner, self._write, "decision draft")
        self.sign_timer = QTimer(self)  # the 签收 clock of a case waiting to be signed for
        self.sign_timer.setInterval(1000)
        self.sign_timer.timeout.connect(self._show_transfer)
        self._build()

    def _build(self) -> None:
        layout = dialog_layout(self)
        # The window's withdrawal request, while the back office has not answered it.
        view = sec.build_case_view(
            self, layout, "review",
            [("reviewItem", self.tr("Item")), ("reviewDepartment", self.tr("Department")),
             ("reviewApplicant", self.tr("Applicant")), ("reviewAgent", self.tr("Agent")),
             ("reviewChannel", self.tr("Channel")), ("reviewDelivery", self.tr("Delivery")),
             ("reviewAcceptedAt", self.tr("Accepted at")), ("reviewUrgency", self.tr("Urgency")),
             ("reviewTransfer", self.tr("Handed over")),
             ("reviewDue", self.tr("Due")), ("reviewState", self.tr("Back office"))],
            checklist_title=self.tr("Materials as reviewed at the window"), timeline_title=self.tr("Timeline"),
            withdrawal_style="color: #b03a2e; font-weight: bold;", wrap_facts=True,
        )  # fmt: skip
        self.number, self.status, self.withdrawal = view.number, view.status, view.withdrawal
        self.facts, self.checklist, self.timeline = view.facts, view.checklist, view.timeline
        self.splitter = view.splitter
        # 督办单 on this case not yet answered (docs/supervision.md): shown above the facts, with 答复
        from clerk_desk.ui.supervision.order_dialogs import OrderBanner

        self.orders = OrderBanner(self.db, self.runner, self.session, "review", self)
        self.orders.answered.connect(self._order_answered)
        view.body.insertWidget(2, self.orders)  # (after the heading and the withdrawal line)

        self.back_button = button(self.tr("Back"), "reviewBack", self)
        self.back_button.setAutoDefault(True)  # Enter on a focused button presses it
        self.back_button.clicked.connect(self.backRequested.emit)
        texts = {
            "receive": self.tr("Sign for"), "pause": self.tr("Special procedure…"), "resume": self.tr("Resume clock…"),
            "supplement": self.tr("Send back for supplement…"), "decide": self.tr("Decide…"),
            "return": self.tr("Return result to window…"),
        }
        keys = {"receive": "Ctrl+1", "pause": "Ctrl+2", "resume": "Ctrl+2", "supplement": "Ctrl+3",
                "decide": "Ctrl+4", "return": "Ctrl+5"}
        self.buttons: dict[str, QPushButton] = {}
        self.message = label("", "reviewMessage", self)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.message, 1)
        # 审批决定书 / 不予许可决定书, once decided (print_log records it; a second print is 补打)
        self.print_decision = PaperPrintControls(self.db, self.runner, self.session, "decision_letter",
                                                 self.tr("Print decision letter…"), "reviewPrintDecision",
                                                 "reviewPaper", side=Side.BACK_OFFICE, parent=self)
        self.print_decision.printed.connect(self._printed)
        bar.addWidget(self.print_decision)
        self.act_names = {act: text.rstrip("…") for act, text in texts.items()}
        for act, name, _states in ACTS:
            b = button(texts[act], name, self)
            b.setAutoDefault(True)  # the act the case waits for has the focus: Enter opens it
            b.setToolTip(plain_tooltip(keys[act]))
            b.clicked.connect(lambda _c=False, a=act: self.start(a))
            self.buttons[act] = b
            bar.addWidget(b)
        self.withdraw_button = button(self.tr("Accept withdrawal…"), "reviewWithdraw", self)
        self.withdraw_button.setToolTip("Ctrl+6")
        self.withdraw_button.setAutoDefault(True)
        self.withdraw_button.clicked.connect(lambda: self.start("withdraw"))
        bar.insertWidget(2, self.withdraw_button)
        # Window-wide while the page is on screen (a hidden page's keys do not fire): the keys work with the
        # focus in the navigation or a table too.
        window_keys = Qt.ShortcutContext.WindowShortcut
        sc = QShortcut(QKeySequence("Ctrl+6"), self, context=window_keys)
        sc.activated.connect(self._withdraw_key)
        for key, acts in (("Ctrl+1", ("receive",)), ("Ctrl+2", ("pause", "resume")), ("Ctrl+3", ("supplement",)),
                          ("Ctrl+4", ("decide",)), ("Ctrl+5", ("return",))):
            sc = QShortcut(QKeySequence(key), self, context=window_keys)
            sc.activated.connect(lambda acts=acts: self._shortcut(acts))

        layout.addLayout(bar)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=window_keys)
        back.activated.connect(self.backRequested.emit)
        for table in (self.checklist, self.timeline):  # the arrows move in a table; Tab leaves it (not cell by cell)
            table.setTabKeyNavigation(False)
        enter_clicks(self, self.print_decision.button)  # Enter on a focused button presses it
        self._tab_order()

    def _tab_order(self) -> None:
        """Tab as the page reads: each 督办单's 答复… (above the facts), the checklist, the timeline, then 返回 on the
        left and the acts from left to right. The banner's buttons are made as orders come, so they came last, after
        the acts; the tables were walked cell by cell."""
        answers = self.orders.findChildren(QPushButton)
        order: list[QWidget] = [*answers, self.checklist, self.timeline, self.back_button, self.withdraw_button,
                                self.print_decision.paper, self.print_decision.button,
                                *(self.buttons[act] for act, _name, _states in ACTS)]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    # -- loading -------------------------------------------------------------------------------
    @property
    def case_uuid(self) -> str | None:
        return self.detail.view.uuid if self.detail else None

    def open(self, uuid: str) -> None:
        self.message.setText("")
        self.runner.submit(load_review, self.db, uuid, self.now(), on_done=self._show)

    def reload(self) -> None:
        if self.case_uuid:
            self.runner.submit(load_review, self.db, self.case_uuid, self.now(), on_done=self._show)

    def _order_answered(self, uuid: str) -> None:
        self.changed.emit(uuid)
        self.reload()

    def _show(self, detail: ReviewDetail) -> None:
        self.detail = detail
        view, clock = detail.view, detail.clock
        self.number.setText(grouped_number(view.case_number) or self.tr("(no number)"))
        self.status.setText(status_text(view.status, view.withdrawal_requested))
        header = sec.header_facts(view, self.now())
        for name in ("Item", "Department", "Applicant", "Agent", "Channel", "Delivery", "AcceptedAt", "Urgency"):
            self.facts[f"review{name}"].setText(header[f"case{name}"])
        self._show_transfer()
        due = days_text(clock, view.status)
        if view.due is not None and view.due.days is not None:
            due += "  " + self.tr("({0} working days promised)").format(view.due.days)
        self.facts["reviewDue"].setText(due)
        self.facts["reviewDue"].setToolTip(plain_tooltip(
            supplement_clock_text() if view.status == Status.SUPPLEMENT_REQUESTED else ""))
        urgency = {"red": Urgency.RED, "amber": Urgency.AMBER}.get(clock.urgency, Urgency.NONE)
        self.facts["reviewDue"].setStyleSheet(sec.LABEL_COLOURS[urgency])
        self.facts["reviewState"].setText(self._state_text(view))
        sec.fill(self.checklist, sec.checklist_rows(view))
        rows, colours = sec.timeline_rows(view.events)
        sec.fill(self.timeline, rows, colours, sec.SYNC_COLUMN)
        sec.fit_split(self.splitter, self.checklist, self.timeline)
        self.timeline.scrollToBottom()
        self.print_decision.set_case(view.uuid if view.decision else None)
        status = view.status
        for act, _name, states in ACTS:
            self.buttons[act].setVisible(status in states)
        asked = view.withdrawal if view.withdrawal_requested else None
        self.withdraw_button.setVisible(asked is not None)
        self.withdrawal.setVisible(asked is not None)
        self.orders.show_case(view.uuid, view.events)
        self._tab_order()
        self.withdrawal.setText(self.tr("The window asked to withdraw this case on {0}: {1}").format(
            local_text(asked.requested.at if asked.requested else None), asked.reason) if asked else "")
        if self.dialog is not None and self.dialog.isVisible():  # what the sync brought while typing
            self._tell_withdrawal(self.dialog)  # (the focus stays in the dialog)
            self._tell_taken(self.dialog, self.dialog_act)
        else:
            self.focus_next_act()
        self.loaded.emit(view.uuid)

    def _tell_withdrawal(self, dialog: dlg.ActionDialog) -> None:
        """An act's dialog says that the window's withdrawal request waits (not the dialog that accepts it)."""
        if dialog.prefix == "withdrawAccept" or self.detail is None:
            return
        view = self.detail.view
        asked = view.withdrawal if view.withdrawal_requested else None
        dialog.show_withdrawal(self.tr(
            "The window asked to withdraw this case on {0}: {1}. To accept, cancel here (what you typed is kept) "
            "and press Ctrl+6.").format(local_text(asked.requested.at if asked.requested else None),
                                        asked.reason.rstrip("。")) if asked else "")

    def _tell_taken(self, dialog: dlg.ActionDialog, act: str) -> None:
        """The case moved on under the open dialog (another approver's act on another PC, brought by the sync) so that
        its act is no longer possible: said in its red line at once, with who did what, not only when pressed."""
        if self.detail is None:
            return
        view = self.detail.view
        allowed = view.withdrawal_requested if act == "withdraw" else \
            view.status in next((states for a, _n, states in ACTS if a == act), ())
        if allowed:
            return
        last = next((e for e in reversed(view.events) if e.applied), None)
        if last is None:
            return
        who = f"{last.act.actor_name}（{last.act.actor}）" if last.act.actor_name else last.act.actor
        name = self.withdraw_button.text().rstrip("…") if act == "withdraw" else self.act_names.get(act, act)
        dialog.error.setText(self.tr(
            "{0} has already acted on this case ({1}); it is now “{2}”, so “{3}” cannot be recorded. Press Cancel to "
            "go back (what you typed is kept).").format(
                who, EVENT_ZH.get(last.type, last.type), status_text(view.status, view.withdrawal_requested), name))
        dialog.error.setVisible(True)
        dialog.adjustSize()

    def _show_transfer(self) -> None:
        """The hand-over, and while the case waits to be signed for, its 签收 clock (ticking each second)."""
        if self.detail is None:
            return
        view = self.detail.view
        text = transfer_text(view.transfer)
        sign = sign_countdown(view.status, view.transfer, self.detail.sign_minutes, self.now(), mark_again=False)
        late = view.transfer is not None and view.transfer.late
        if sign is not None:
            text = self.tr("{0}; {1}").format(text, sign.text)
            if not self.sign_timer.isActive():
                self.sign_timer.start()
        else:
            self.sign_timer.stop()
        urgency = sign.urgency if sign is not None else (Urgency.RED if late else Urgency.NONE)
        self.facts["reviewTransfer"].setText(text)
        self.facts["reviewTransfer"].setStyleSheet(sec.LABEL_COLOURS[urgency])
        tip = sign_limit_text(self.detail.sign_minutes) if sign is not None else ""
        self.facts["reviewTransfer"].setToolTip(plain_tooltip(tip))

    def focus_next_act(self) -> None:
        """The act the case waits for takes the focus (Enter opens it); the back button when none."""
        if self.detail is None or not self.isVisible():
            return
        nxt = NEXT_ACT.get(self.detail.view.status)
        if self.withdraw_button.isVisible():
            self.withdraw_button.setFocus()
        elif nxt is not None and self.buttons[nxt].isVisible():
            self.buttons[nxt].setFocus()
        else:
            self.back_button.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)  # back from another page (the focus was left in the navigation)
        if getattr(self.window(), "browsing", False):
            return  # going through the pages with the arrows: the focus stays there, Enter comes in (take_focus)
        QTimer.singleShot(0, self, self.focus_next_act)  # (not after the page is gone)

    def _state_text(self, view: CaseView) -> str:
        if view.status == Status.TRANSFERRED:  # the 签收 of an earlier round (before 补正) is not this one
            if view.supplement is not None and view.transfer is not None and view.transfer.retransferred:
                return self.tr("Handed over again after supplement, not yet signed for again; {0}").format(
                    view.supplement.summary.rstrip("。"))
            return self.tr("Not yet signed for")
        parts = []
        if view.received:
            parts.append(view.received.summary)
        pause = view.current_pause
        if pause is not None:
            parts.append(self.tr("Special procedure since {0}: {1} ({2})").format(
                local_text(pause.started.at), pause.reason, PROCEDURES.get(pause.procedure, "")))
        if view.status == Status.SUPPLEMENT_REQUESTED and view.supplement:
            parts.append(view.supplement.summary)
        if view.decision:
            parts.append(view.decision.summary)
        return "；".join(p.rstrip("。") for p in parts if p) or self.tr("Not yet signed for")

    # -- acting --------------------------------------------------------------------------------
    def _shortcut(self, acts: tuple[str, ...]) -> None:
        for act in acts:
            if self.buttons[act].isVisible():
                self.start(act)
                return
        self.message.setText(self._not_now(self.act_names[acts[0]]))

    def _withdraw_key(self) -> None:
        if self.withdraw_button.isVisible():
            self.start("withdraw")
        else:
            self.message.setText(self.tr("No withdrawal request from the window waits for this case"))

    def _not_now(self, act: str) -> str:
        """Why a key's act cannot be taken now (said in the message line, never silently ignored)."""
        if self.detail is None:
            return ""
        view = self.detail.view
        if view.status == "transferred":
            return self.tr("“{0}” is not possible yet: sign for the paper first (Ctrl+1)").format(act)
        return self.tr("“{0}” is not possible now: the case is “{1}”").format(
            act, status_text(view.status, view.withdrawal_requested))

    def start(self, act: str) -> dlg.ActionDialog | None:
        """Open the dialog of ``act`` for the case shown; returns it (tests drive it by objectName)."""
        if self.detail is None:
            return None
        view = self.detail.view
        uuid = view.uuid
        if act == "withdraw":
            from clerk_desk.ui.inbox.withdrawal_dialog import AcceptWithdrawalDialog

            dialog: dlg.ActionDialog = AcceptWithdrawalDialog(self.db, self.approver, uuid, view.withdrawal,
                                                              self.runner, self)
        elif act == "supplement":
            names = [m.name for m in view.checklist]
            dialog = dlg.SupplementDialog(self.svc, self.approver, uuid, names, self.runner, self)
        elif act == "receive":  # 当面核实: the materials the window received
            provided = [m.name for m in view.checklist if m.provided]
            dialog = dlg.ReceiveDialog(self.svc, self.approver, uuid, self.runner, self, provided)
        else:
            dialog = dlg.DIALOGS[act](self.svc, self.approver, uuid, self.runner, self)
        dialog.acted.connect(self._acted)
        self.dialog_act = act
        dialog.finished.connect(lambda _r: self._closed(dialog, (uuid, act)))
        self.dialog = dialog
        dialog.open()
        kept = self.drafts.get((uuid, act))
        if kept:  # closed before without acting: what was typed comes back
            dialog.restore(kept)
        self._tell_withdrawal(dialog)
        when_edited(dialog, lambda *_a, d=dialog, k=(uuid, act): self._typed(d, k))
        return dialog

    def _typed(self, dialog: dlg.ActionDialog, key: tuple[str, str]) -> None:
        self._typed_in = (dialog, key)
        self._typing.start()

    def _keep_typed(self) -> None:
        if self._typed_in is None:
            return
        dialog, key = self._typed_in
        if dialog.isVisible() and dialog.submit.isEnabled():  # (while the act is being recorded: not now)
            self._keep(key, dialog.typed())

    def _closed(self, dialog: dlg.ActionDialog, key: tuple[str, str]) -> None:
        self._typing.stop()
        if dialog.result() == QDialog.DialogCode.Rejected:
            self._keep(key, dialog.typed())  # Esc, 取消 or a sign-out on a half-typed reason must not lose it
            self.reload()  # nothing changed; re-focus the act the case waits for
        else:
            self._keep(key, {})  # acted: the draft goes

    def _keep(self, key: tuple[str, str], typed: dict[str, object]) -> None:
        if typed == self.drafts.get(key, {}):
            return
        if typed:
            self.drafts[key] = typed
        else:
            self.drafts.pop(key, None)
        self._writes.put(key, typed)

    def _write(self, key: tuple[str, str], typed: dict[str, object]) -> None:  # (on a worker thread)
        decision_drafts.keep(self.db, self.session.user.id, *key, typed)

    def _drafts_read(self, kept: dict[tuple[str, str], dict[str, object]]) -> None:
        self.drafts = {**kept, **self.drafts}  # (what was typed meanwhile wins)

    def _printed(self, case_uuid: str, title: str) -> None:
        if title:
            self.message.setText(self.tr("Printed: {0}").format(title))
        self.changed.emit(case_uuid)
        self.reload()

    def _acted(self, result: ActionResult) -> None:
        self.message.setText(QCoreApplication.translate("ReviewPage", DONE_TEXT[result.event]))
        self.changed.emit(result.case_uuid)
        self.reload()
