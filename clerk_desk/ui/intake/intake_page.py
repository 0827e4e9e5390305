"""The intake page (受理): item → applicant → checklist → outcome → done, on one screen, keyboard first.

Enter moves on inside a step, Ctrl+Enter moves to the next step, Esc goes back a step (on the first
step it asks before setting the intake aside; the draft stays). Every change is saved as a draft, so
a crash or a power cut loses nothing; the finished outcome deletes the draft in its own transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import drafts
from clerk_desk.services.intake import Clerk, IntakeResult
from clerk_desk.services.intake_forms import IntakeForm
from clerk_desk.services.papers import FIRST_PAPER
from clerk_desk.services.pledges import pledge_window
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.intake import actions, lookups
from clerk_desk.ui.intake.applicant_step import ApplicantStep
from clerk_desk.ui.intake.checklist_step import ChecklistStep
from clerk_desk.ui.intake.done_panel import DonePanel
from clerk_desk.ui.intake.drafts_ui import DraftBanner, DraftKeeper
from clerk_desk.ui.intake.fields import PRIMARY_QSS
from clerk_desk.ui.intake.item_step import ItemStep
from clerk_desk.ui.intake.model import STEPS, DraftState, OutcomeFields, Selection, availability
from clerk_desk.ui.intake.outcome_step import OutcomeStep
from clerk_desk.ui.page_stack import PageStack, scrolling
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import WrappingLabel, button, enter_clicks, html_text, label, rich_label


class _Step(Protocol):  # each step of the stack (item, applicant, checklist, outcome, done)
    def focus(self) -> None: ...  # puts the focus where the clerk goes on


class IntakePage(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakePage")
        self.setStyleSheet(PRIMARY_QSS)
        self.db, self.runner, self.session = db, runner, session
        w = session.window
        self.clerk = Clerk(session.user.id, session.user.username, session.user.display_name,
                           w.id if w else None, w.name if w else "")
        self.selection: Selection | None = None
        self.previous_notice: str | None = None
        self.result: IntakeResult | None = None
        self._submitted = ""
        self.keeper = DraftKeeper(db, runner, session.user.id, self.clerk.window_id, self.snapshot, self)
        self._build()
        self.keeper.saved.connect(lambda _id: self._draft_status(self.tr("Draft saved automatically at {0}").format(
            datetime.now(SHANGHAI).strftime("%H:%M:%S")), ok=True))
        self.keeper.failed.connect(lambda text: self._draft_status(self.tr("Draft not saved: {0}").format(text), False))
        self.go("item", save=False)
        self.check_drafts(bring_forward=True)

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.steps_label = rich_label("", "intakeSteps", self)
        self.summary = WrappingLabel("", "intakeSummary", self)  # a long Latin name wraps (docs/ui.md)
        self.summary.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1b4f72;")
        self.draft_status = label("", "intakeDraftStatus", self)
        self.banner = DraftBanner(self)
        self.item = ItemStep(self.db, self.runner, self, self.clerk.window_id)
        self.applicant = ApplicantStep(self)
        self.checklist = ChecklistStep(self)
        self.outcome = OutcomeStep(self)
        self.done = DonePanel(self.db, self.runner, self.clerk, self.session.site.site_name or "", self)
        self.stack = PageStack(self)  # asks for the room of the step on screen only (ui/page_stack.py)
        self.stack.setObjectName("intakeStack")
        for step in (self.item, self.applicant, self.checklist, self.outcome, self.done):
            self.stack.addWidget(step)
        self.back = button(self.tr("Back  (Esc)"), "intakeBack", self)
        self.next = button(self.tr("Next  (Ctrl+Enter)"), "intakeNext", self)
        footer = QHBoxLayout()
        for w, stretch in ((self.draft_status, 1), (self.back, 0), (self.next, 0)):
            footer.addWidget(w, stretch)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 16, 24, 16)
        root.setSpacing(10)
        for part in (self.steps_label, self.banner, self.summary):
            root.addWidget(part)
        # The step scrolls on its own when it is taller than the window (an applicant with an agent at 1366×768
        # and 125 % or 150 %): the steps above it and 上一步 / 下一步 below it stay on screen.
        root.addWidget(scrolling(self.stack, "intakeStepScroll", self, follow_focus=True), 1)
        root.addLayout(footer)

        self.item.picked.connect(self.use_selection)
        self.item.continued.connect(self.continue_notice)
        self.applicant.finished.connect(lambda: self.go("checklist"))
        self.checklist.finished.connect(lambda: self.go("outcome"))
        self.checklist.changed.connect(self._rules_changed)
        self.outcome.submit.connect(self.submit)
        for step in (self.applicant, self.checklist, self.outcome):
            step.changed.connect(self._changed)
        self.applicant.changed.connect(self._show_summary)
        self.done.next_requested.connect(self.new_intake)
        self.banner.resume.connect(self.restore)
        self.banner.discarded.connect(lambda i: self.runner.submit(drafts.discard, self.db, i,
                                                                    on_done=lambda _r: self.check_drafts()))
        enter_clicks(self, self.back, self.next, self.banner.resume_button, self.banner.discard_button,
                     self.item.from_notice)
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        for keys, slot in (("Ctrl+Return", self.go_next), ("Ctrl+Enter", self.go_next),
                           ("Esc", self.go_back), ("Ctrl+N", self.set_aside)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # ---- steps -----------------------------------------------------------------------------------

    @property
    def step(self) -> str:
        return STEPS[self.stack.currentIndex()]

    def go(self, step: str, *, save: bool = True) -> None:
        self.stack.setCurrentIndex(STEPS.index(step))
        names = (self.tr("Item"), self.tr("Applicant"), self.tr("Materials"), self.tr("Outcome"), self.tr("Done"))
        current = STEPS.index(step)
        parts = [f"<b style='color:#1b4f72'>{i + 1}. {html_text(n)}</b>" if i == current else
                 f"<span style='color:#8a96a3'>{i + 1}. {html_text(n)}</span>" for i, n in enumerate(names)]
        self.steps_label.setText("  ›  ".join(parts))
        self.back.setVisible(0 < current < 4)
        self.next.setVisible(current < 3)
        if step == "outcome":
            self._rules_changed()
        self._show_summary()
        if self.isVisible():  # a hidden page takes the focus when shown (showEvent), not by a setFocus kept for
            self._focus_step()  # later: that one took it even while the clerk was passing with the arrows
        if save:
            self.keeper.save_now()

    def go_next(self) -> None:
        if self.step == "item":
            if self.selection is None:
                self.item.choose_current()
            else:
                self.go("applicant")
        elif self.step == "applicant" and self.applicant.validate():
            self.go("checklist")
        elif self.step == "checklist":
            self.go("outcome")

    def go_back(self) -> None:
        if self.step == "item":
            self.set_aside()
        elif self.step != "done":
            self.go(STEPS[STEPS.index(self.step) - 1])

    def _changed(self) -> None:
        if self.step != "done":
            self.keeper.touch()

    def _rules_changed(self) -> None:
        items = self.selection.items if self.selection else ()
        self.outcome.set_rules(availability(items, self.checklist.checks()))

    def _show_summary(self) -> None:
        self.summary.setVisible(self.selection is not None)
        if self.selection is None:
            return
        name = self.applicant.name.text().strip()
        notice = self.tr("continues notice {0}").format(self.previous_notice) if self.previous_notice else ""
        self.summary.setText("　·　".join(p for p in (self.selection.title, name, notice) if p))

    def use_selection(self, selection: Selection, *, restoring: bool = False) -> None:
        self.selection = selection
        if not restoring:
            self.checklist.load(selection)
            self.outcome.set_selection(selection)
            self.runner.submit(pledge_window, self.db.data_dir, selection.items, datetime.now(UTC),
                               on_done=lambda w: self.outcome.set_pledge_window(w.default, w.latest))
            self.go("applicant")

    def continue_notice(self, notice: lookups.Notice) -> None:
        self.previous_notice = notice.number
        self.applicant.set_values(notice.applicant, notice.agent, "on_site", "")
        self.use_selection(notice.selection)
        if notice.answers:  # the applicant's situation as the notice recorded it
            self.checklist.set_answers(notice.answers)

    # ---- drafts ----------------------------------------------------------------------------------

    def form(self) -> IntakeForm:
        s = self.selection
        return IntakeForm(
            items=s.items if s else (), applicant=self.applicant.applicant(), checklist=self.checklist.checks(),
            agent=self.applicant.agent(), channel=self.applicant.channel(),
            online_application_no=self.applicant.app_no.text().strip() if self.applicant.channel() != "on_site"
            else "", theme_code=s.theme_code if s else None, previous_notice=self.previous_notice,
            situations=self.checklist.situation_answers(),
        )

    def snapshot(self) -> dict[str, Any] | None:
        a = self.applicant.applicant()
        if self.selection is None and not (a.name or a.id_number or a.phone):
            return None
        state = DraftState(self.form(), self.selection, self.step if self.step != "done" else "outcome",
                           self.item.search.text(), self.outcome.fields())
        return state.to_json()

    def _draft_status(self, text: str, ok: bool) -> None:
        self.draft_status.setText(text)
        self.draft_status.setStyleSheet("color: #4a5a6a;" if ok else "color: #a61b1b; font-weight: bold;")

    def check_drafts(self, bring_forward: bool = False) -> None:
        def offer(waiting: list[drafts.Draft]) -> None:
            self.banner.offer([d for d in waiting if d.id != self.keeper.draft_id])
            if bring_forward and self.banner.waiting:
                QTimer.singleShot(0, self, self._bring_forward)

        self.runner.submit(drafts.pending, self.db, self.session.user.id, on_done=offer)

    def _bring_forward(self) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("intake")
        self.banner.resume_button.setFocus()

    def restore(self, draft: drafts.Draft) -> None:
        """Put a saved draft back on screen, every field as it was typed."""
        if self.snapshot() is not None:
            self.keeper.save_now()  # the intake on screen stays a draft too
        state = DraftState.from_json(draft.data)
        self.keeper.restart(draft.id)
        self.keeper.paused = True  # filling the fields is not a change
        self.previous_notice = state.form.previous_notice
        self.item.reset(state.search)
        self.selection = state.selection
        self.checklist.load(state.selection, state.form.checklist, {a.code: a.answer for a in state.form.situations})
        self.outcome.set_selection(state.selection)
        self.outcome.set_fields(state.outcome)
        f = state.form
        self.applicant.set_values(f.applicant, f.agent, f.channel, f.online_application_no)
        self.keeper.paused = False
        self.go(state.step if state.selection else "item", save=False)
        self.check_drafts()
        if state.selection is not None:
            self.runner.submit(lookups.refresh_selection, self.db, state.selection, on_done=self._recheck)

    def _recheck(self, selection: Selection) -> None:
        """An item retired since the draft was saved cannot be finished: pick its replacement."""
        self.selection = selection
        if selection.retired:
            self.go("item", save=False)
            self.item.show_error(self.tr("“{0}” has been retired from the catalog since this draft was saved. "
                                         "Choose the item that replaces it; the applicant's details stay.")
                                 .format("、".join(i.name for i in selection.retired)))

    def set_aside(self) -> None:
        """Start afresh; the intake on screen stays a draft (asks first, so nothing vanishes unseen)."""
        if self.step == "done":
            self.new_intake()
            return
        if self.snapshot() is None:
            return
        if not notify.confirm(self, self.tr("Set this intake aside and start a new one? It stays saved as a "
                                            "draft and can be continued later."), default_yes=True):
            return  # safe to take on Enter: nothing is lost, the draft can be continued
        self.keeper.save_now()
        self.new_intake()

    def new_intake(self) -> None:
        self.done.stop()
        self.keeper.restart()
        self.keeper.paused = True
        self.selection, self.previous_notice, self.result = None, None, None
        self.item.reset()
        self.applicant.clear()
        self.checklist.load(None)
        self.outcome.set_selection(None)
        self.outcome.set_fields(OutcomeFields())
        self.keeper.paused = False
        self.draft_status.setText("")
        self.go("item", save=False)
        self.check_drafts()

    # ---- outcome --------------------------------------------------------------

    def submit(self, outcome: str) -> None:
        if self.outcome.missing_field(outcome) is not None:
            return
        rules = availability(self.selection.items if self.selection else (), self.checklist.checks())
        args = (outcome, self.form(), self.clerk, self.outcome.fields(), rules.owed)
        self._submitted = outcome
        self.keeper.settle(lambda: self.runner.submit(actions.run_outcome, self.db, *args, self.keeper.draft_id,
                                                      on_done=self._finished, on_error=self._failed))

    def _finished(self, result: IntakeResult) -> None:
        self.result = result
        self.done.show_result(result, FIRST_PAPER[result.outcome], self._submitted == "pledge")
        self.go("done", save=False)
        self.draft_status.setText("")

    def _failed(self, exc: BaseException) -> None:
        notify.show_error(self, exc)  # everything typed stays on screen, and in the draft
        self.keeper.resume()

    def _focus_step(self) -> None:
        cast(_Step, self.stack.currentWidget()).focus()

    def take_focus(self) -> None:
        """Enter (or a click) on 受理 in the navigation: the focus where the step goes on."""
        self._focus_step()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if getattr(self.window(), "browsing", False):
            return  # the clerk is going through the pages with the arrows: Enter comes in (MainWindow.enter_page)
        QTimer.singleShot(0, self, self._focus_shown_step)

    def _focus_shown_step(self) -> None:
        """The focus a moment after the page was shown, if it still is: a page left within that moment (the
        unfinished intake brought forward as the clerk clicks another page) put the focus in its hidden search
        box, and what the clerk typed on the page on screen went there."""
        if self.isVisible():
            self._focus_step()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.keeper.flush()  # the last keys before another page, a sign-out or closing (docs/intake.md, "Drafts")
        super().hideEvent(event)

