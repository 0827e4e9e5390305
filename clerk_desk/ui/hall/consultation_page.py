"""The 咨询服务窗口 page: the consultation log (a record, not a case) and 帮办代办 followed through its steps.

A consultation in few actions: the topic is focused; typing in the item search picks the first matching
catalog item; 已解答 is the default; the time taken counts itself from the first key of the topic (and can
be changed); Enter in any field records it and the form is ready for the next person. Name, phone and ID
number are asked only if the person gives them. It follows the data (ui/case_watch.py) like the case pages.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, catalog_service, consultation
from clerk_desk.services.consultation import AssistRequest, AssistRow, Consultation, ConsultationRow, Contact
from clerk_desk.services.intake import Clerk
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_actions import clerk_for
from clerk_desk.ui.hall.assist_dialogs import AssistStepDialog, NewAssistDialog
from clerk_desk.ui.hall.evaluation_page import selected, table
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, combo, dialog_layout, error_label, label, line_edit

if TYPE_CHECKING:
    from clerk_desk.catalog.views import ItemSummary
    from clerk_desk.ui.pages import PageContext


def _today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


def _hhmm(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%H:%M")


class ConsultationPage(QWidget):
    loaded = Signal()
    saved = Signal(str)  # a consultation's record uuid

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, *,
                 today: Callable[[], date] = _today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consultationPage")
        self.db, self.runner, self.session, self.today = db, runner, session, today
        self.dialog: NewAssistDialog | AssistStepDialog | None = None
        self._started: float | None = None  # monotonic time of the topic's first key
        self._minutes_typed = False
        self._helpers: list[tuple[str, str]] = []
        layout = dialog_layout(self)
        heading = label(self.tr("Consultation desk (咨询服务窗口)"), "consultHeading", self)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("consultTabs")
        self.tabs.addTab(self._consult_tab(), self.tr("Consultations"))
        self.tabs.addTab(self._assist_tab(), self.tr("帮办代办"))
        layout.addWidget(self.tabs, 1)

    # -- the consultation form --------------------------------------------------------------------
    def _consult_tab(self) -> QWidget:
        tab = QWidget(self)
        tab.setObjectName("consultTab")
        outer = QVBoxLayout(tab)
        form = QFormLayout()
        self.topic = line_edit("consultTopic", tab, placeholder=self.tr("What the person asked about"))
        self.item_search = line_edit("consultItemSearch", tab, placeholder=self.tr("Type to find the item (optional)"))
        self.item = combo("consultItem", tab)
        self.item.addItem(self.tr("(no item)"), None)
        item_row = QHBoxLayout()
        item_row.addWidget(self.item_search, 1)
        item_row.addWidget(self.item, 2)
        self.answered = QRadioButton(self.tr("Answered"), tab)
        self.answered.setObjectName("consultAnswered")
        self.answered.setChecked(True)
        self.referred = QRadioButton(self.tr("Referred"), tab)
        self.referred.setObjectName("consultReferred")
        group = QButtonGroup(tab)
        group.addButton(self.answered)
        group.addButton(self.referred)
        self.referred_to = line_edit("consultReferredTo", tab, placeholder=self.tr("Referred to (window, department)"))
        self.referred_to.setEnabled(False)
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.answered)
        outcome_row.addWidget(self.referred)
        outcome_row.addWidget(self.referred_to, 1)
        self.minutes = QSpinBox(tab)
        self.minutes.setObjectName("consultMinutes")
        self.minutes.setRange(1, consultation.MINUTES_MAX)
        self.minutes.setSuffix(self.tr(" min"))
        self.name = line_edit("consultName", tab, placeholder=self.tr("only if given"))
        self.phone = line_edit("consultPhone", tab, placeholder=self.tr("only if given"))
        self.id_number = line_edit("consultIdNumber", tab, placeholder=self.tr("only if given"))
        contact_row = QHBoxLayout()
        for w in (self.name, self.phone, self.id_number):
            contact_row.addWidget(w)
        form.addRow(label(self.tr("Topic"), "", tab), self.topic)
        form.addRow(label(self.tr("Item"), "", tab), item_row)
        form.addRow(label(self.tr("Outcome"), "", tab), outcome_row)
        form.addRow(label(self.tr("Time taken"), "", tab), self.minutes)
        form.addRow(label(self.tr("Name, phone, ID"), "", tab), contact_row)
        outer.addLayout(form)
        self.consult_error = error_label("consultError", tab)
        outer.addWidget(self.consult_error)
        self.save_button = button(self.tr("Record (Enter)"), "consultSave", tab)
        self.consult_count = label("", "consultCount", tab)
        row = QHBoxLayout()
        row.addWidget(self.consult_count, 1)
        row.addWidget(self.save_button)
        outer.addLayout(row)
        self.consults = RowsTableModel[ConsultationRow]([
            Column(self.tr("Time"), lambda r: _hhmm(r.at)),
            Column(self.tr("Topic"), lambda r: r.topic),
            Column(self.tr("Item"), lambda r: r.item_name or "—"),
            Column(self.tr("Outcome"), lambda r: consultation.OUTCOMES.get(r.outcome, r.outcome)
                   + (f"：{r.referred_to}" if r.referred_to else "")),
            Column(self.tr("Minutes"), lambda r: str(r.minutes)),
            Column(self.tr("Window"), lambda r: r.window_name),
        ], tab)
        self.consult_view = table("consultList", self.consults, tab)
        outer.addWidget(self.consult_view, 1)
        self.topic.textEdited.connect(self._topic_typed)
        self.minutes.lineEdit().textEdited.connect(self._minutes_edited)
        self.item_search.textEdited.connect(self._search_items)
        self.referred.toggled.connect(self._referred_toggled)
        self.save_button.clicked.connect(self.save)
        for edit in tab.findChildren(QLineEdit):
            edit.returnPressed.connect(self.save)
        return tab

    def _topic_typed(self, _text: str) -> None:
        if self._started is None:
            self._started = clock.monotonic()
        self._tick()

    def _tick(self) -> None:
        """The minutes since the topic's first key, unless the clerk typed the time taken."""
        if self._started is not None and not self._minutes_typed:
            self.minutes.setValue(max(1, round((clock.monotonic() - self._started) / 60)))

    def _minutes_edited(self, _text: str) -> None:
        self._minutes_typed = True

    def _referred_toggled(self, on: bool) -> None:
        self.referred_to.setEnabled(on)
        if on:
            self.referred_to.setFocus()

    def _search_items(self, text: str) -> None:
        text = text.strip()
        if len(text) < 2:
            self._show_items(text, [])
            return
        self.runner.submit(partial(catalog_service.search, self.db, text, limit=12),
                           on_done=partial(self._show_items, text), on_error=lambda _e: None)

    def _show_items(self, text: str, hits: list[ItemSummary]) -> None:
        if text != self.item_search.text().strip() and hits:
            return  # an older search answered late
        self.item.clear()
        self.item.addItem(self.tr("(no item)"), None)
        for h in hits:
            self.item.addItem(f"{h.name}（{h.department_name}）", (h.code, h.name))
        self.item.setCurrentIndex(1 if hits else 0)  # the best match is taken unless the clerk picks another

    def consultation(self) -> Consultation:
        self._tick()
        item = self.item.currentData()
        return Consultation(self.topic.text(), "referred" if self.referred.isChecked() else "answered",
                            item[0] if item else "", item[1] if item else "", self.referred_to.text(),
                            self.minutes.value(), Contact(self.name.text(), self.phone.text(), self.id_number.text()))

    def save(self) -> None:
        c = self.consultation()
        clerk = clerk_for(self.session)
        self.consult_error.setVisible(False)
        self.runner.submit(_log, self.db, clerk, c, on_done=self._saved, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.consult_error.setText(notify.error_text(exc))
        self.consult_error.setVisible(True)

    def _saved(self, uuid: str) -> None:
        for edit in (self.topic, self.item_search, self.referred_to, self.name, self.phone, self.id_number):
            edit.clear()
        self._show_items("", [])
        self.answered.setChecked(True)
        self.minutes.setValue(1)
        self._started, self._minutes_typed = None, False
        self.topic.setFocus()
        self.saved.emit(uuid)
        self.refresh()

    # -- 帮办代办 -------------------------------------------------------------------------------------
    def _assist_tab(self) -> QWidget:
        tab = QWidget(self)
        tab.setObjectName("assistTab")
        outer = QVBoxLayout(tab)
        self.assists = RowsTableModel[AssistRow]([
            Column(self.tr("Person"), lambda r: r.person_name),
            Column(self.tr("Phone"), lambda r: r.person_phone or "—"),
            Column(self.tr("Matter"), lambda r: r.matter),
            Column(self.tr("Helped by"), lambda r: self._helper_name(r.helper)),
            Column(self.tr("Online application"), lambda r: f"{r.platform} {r.application_no}".strip() or "—"),
            Column(self.tr("Steps"), lambda r: "，".join(f"{s} {d[5:]}" for s, d in r.steps)),
            Column(self.tr("Next"), lambda r: r.next_step or self.tr("Done")),
        ], tab)
        self.assist_view = table("assistList", self.assists, tab, stretch=2)
        self.assist_message = label("", "assistMessage", tab, wrap=True)  # what the last act recorded
        self.new_assist = button(self.tr("New request (委托)…"), "assistNew", tab)
        self.step_button = button(self.tr("Record next step…"), "assistStep", tab)
        row = QHBoxLayout()
        self.assist_count = label("", "assistCount", tab)
        row.addWidget(self.assist_count, 1)
        row.addWidget(self.new_assist)
        row.addWidget(self.step_button)
        # the buttons above the list: the page is as tall as the 咨询登记 form, so at 1366×768 and 150 % a row
        # below the list was below the fold
        outer.addLayout(row)
        outer.addWidget(self.assist_message)
        outer.addWidget(self.assist_view, 1)
        self.new_assist.clicked.connect(self.open_new_assist)
        self.step_button.clicked.connect(self.open_step)
        self.assist_view.activated.connect(lambda _i: self.open_step())
        return tab

    def _helper_name(self, username: str) -> str:
        return next((d for u, d in self._helpers if u == username), username)

    def open_new_assist(self) -> None:
        clerk = clerk_for(self.session)
        dialog = NewAssistDialog(self.today(), self._helpers or [(clerk.username, clerk.display_name)],
                                 clerk.username, self.runner, partial(_open_assist, self.db, clerk), self)
        dialog.accepted.connect(lambda: self._recorded(self.tr("Recorded the request (委托): {0}  {1}").format(
            dialog.name.text().strip(), dialog.matter.text().strip())))
        self.dialog = dialog
        dialog.open()

    def open_step(self) -> None:
        row = selected(self.assist_view)
        if row is None or row >= len(self.assists.rows):
            return
        a = self.assists.row_at(row)
        if a.next_step is None:
            return
        clerk = clerk_for(self.session)
        self.dialog = AssistStepDialog(f"{a.person_name}  {a.matter}", a.next_step, self.today(), a.platform,
                                       a.application_no, self.runner,
                                       partial(_step, self.db, clerk, a.uuid, a.next_step), self)
        self.dialog.accepted.connect(lambda: self._recorded(self.tr("Recorded {0}: {1}  {2}").format(
            a.next_step, a.person_name, a.matter)))
        self.dialog.open()

    def _recorded(self, text: str) -> None:
        self.assist_message.setText(text)
        self.refresh()

    # -- reading --------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()
            self.topic.setFocus()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        site = self.session.site.site_code or ""
        self.runner.submit(_load, self.db, site, self.today(), on_done=self._show,
                           on_error=partial(notify.show_error, self))

    def _show(self, loaded: tuple[list[ConsultationRow], list[AssistRow], list[tuple[str, str]]]) -> None:
        consults, assists, helpers = loaded
        self._helpers = helpers
        self.consults.set_rows(consults)
        self.assists.set_rows(assists)
        self.consult_count.setText(self.tr("{0} consultations today").format(len(consults)))
        self.assist_count.setText(self.tr("{0} open").format(sum(a.next_step is not None for a in assists)))
        if assists and selected(self.assist_view) is None:
            self.assist_view.selectRow(0)
        self.loaded.emit()


def _log(db: Database, clerk: Clerk, c: Consultation) -> str:
    return consultation.log_consultation(db, clerk, c)


def _open_assist(db: Database, clerk: Clerk, req: AssistRequest) -> str:
    return consultation.open_assist(db, clerk, req)


def _step(db: Database, clerk: Clerk, uuid: str, step: str, day: date, platform: str, number: str) -> None:
    consultation.record_step(db, clerk, uuid, step, on=day, platform=platform, application_no=number)


def _load(db: Database, site: str, day: date) -> tuple[list[ConsultationRow], list[AssistRow], list[tuple[str, str]]]:
    helpers = [(u.username, u.display_name) for u in accounts.list_users(db) if u.active and "approver" not in u.roles]
    return (consultation.consultations_on(db, site, day), consultation.assists(db, site), helpers)


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return ConsultationPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
