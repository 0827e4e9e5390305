"""The sync panel: what waits to go to the county hub and why, what came back and what to do about it.

A non-modal dialog, opened from the status bar item or 系统 → 同步状态. Its lists are read through the
task runner whenever it is shown and after each sync cycle while it is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.sync import live, outbox
from clerk_desk.sync.engine import SyncStatus
from clerk_desk.ui import notify
from clerk_desk.ui.column_fit import fit_columns
from clerk_desk.ui.sync import texts
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, enter_presses_focused, label, plain_tooltip

LIMIT = 200
CASE_ROLE = Qt.ItemDataRole.UserRole
CASE_NUMBER_COLUMN = 2  # 办件编号, in both lists


@dataclass(frozen=True)
class PanelData:
    waiting: list[dict[str, Any]]
    problems: list[dict[str, Any]]


def load(db: Database) -> PanelData:
    return PanelData(outbox.waiting(db, LIMIT), outbox.problems(db, LIMIT))


def _table(name: str, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    t.verticalHeader().setVisible(False)
    t.setTextElideMode(Qt.TextElideMode.ElideRight)
    # No horizontal scrolling: columns fit their content within the panel; the reason (last column)
    # takes the rest and wraps; a long item name is elided with the whole text in its tooltip.
    fit_columns(t, stretch=len(headers) - 1, whole=(CASE_NUMBER_COLUMN,))
    return t


def _fill(table: QTableWidget, rows: list[list[str]], case_uuids: list[str | None]) -> None:
    table.setRowCount(len(rows))
    for r, (cells, uuid) in enumerate(zip(rows, case_uuids, strict=True)):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(CASE_ROLE, uuid)
            item.setToolTip(plain_tooltip(text))
            table.setItem(r, c, item)
    table.resizeRowsToContents()
    for r in range(table.rowCount()):  # wrapped reasons need some air
        table.setRowHeight(r, table.rowHeight(r) + 10)


def _when(at: datetime | None) -> str:
    return f"{at.astimezone(SHANGHAI):%m-%d %H:%M}" if at else ""


class SyncPanel(QDialog):
    case_requested = Signal(str)  # case uuid
    sync_requested = Signal()
    enrol_requested = Signal()

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None, *, actor: str = "") -> None:
        super().__init__(parent)
        self.db, self.runner, self.actor = db, runner, actor
        self.status: SyncStatus | None = None
        self.data = PanelData([], [])
        self.setObjectName("syncPanel")
        self.setWindowTitle(self.tr("Sync with the county hub"))
        self.setModal(False)
        self.resize(1100, 640)
        self.summary = label("", "syncPanelSummary", wrap=True)
        self.summary.setProperty("role", "note")
        # What came of the last 立即同步: shown once the cycle it woke has finished, whatever its outcome.
        self.outcome = label("", "syncNowOutcome", wrap=True)
        self.outcome.setVisible(False)
        self._asked_after: int | None = None  # the engine's cycle count when 立即同步 was pressed
        self.problems_title = label(self.tr("Returned by the county hub, and held back"), "syncProblemsTitle")
        self.problems_title.setProperty("role", "subheading")
        self.problems = _table("syncProblemsTable", [
            self.tr("State"), self.tr("Record"), self.tr("Case number"), self.tr("Item"),
            self.tr("Why"), self.tr("What to do"),
        ])
        self.waiting_title = label("", "syncWaitingTitle")
        self.waiting_title.setProperty("role", "subheading")
        self.waiting = _table("syncWaitingTable", [
            self.tr("Time"), self.tr("Record"), self.tr("Case number"), self.tr("Item"),
            self.tr("Attempts"), self.tr("Why it waits"),
        ])
        self.open_case = button(self.tr("Open case"), "syncOpenCase")
        self.open_case.setEnabled(False)
        # After reading the reason: keep the returned records aside (never deleted) and redo on the
        # case as the county hub has it.
        self.set_aside = button(self.tr("Set aside and redo…"), "syncSetAside")
        self.set_aside.setEnabled(False)
        self.enrol = button(self.tr("Enrol with the county hub…"), "syncEnrol")
        self.sync_now = button(self.tr("Sync now"), "syncNow", default=True)
        self.close_button = button(self.tr("Close"), "syncClose")

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_case)
        buttons.addWidget(self.set_aside)
        buttons.addStretch(1)
        for b in (self.enrol, self.sync_now, self.close_button):
            buttons.addWidget(b)
        layout = dialog_layout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems, 3)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting, 2)
        layout.addLayout(buttons)

        self.sync_now.clicked.connect(self._sync_now)
        self.enrol.clicked.connect(self.enrol_requested)
        self.close_button.clicked.connect(self.close)
        self.open_case.clicked.connect(self._open_selected)
        self.set_aside.clicked.connect(self._set_aside_selected)
        for table in (self.problems, self.waiting):
            table.itemSelectionChanged.connect(lambda t=table: self._selection_changed(t))
            table.itemDoubleClicked.connect(lambda item: self._open(item.data(CASE_ROLE)))
        self.set_status(None)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    # -- status and lists ---------------------------------------------------------------------
    def set_status(self, st: SyncStatus | None) -> None:
        self.status = st
        self.enrol.setVisible(st is not None and not st.enrolled)
        self.summary.setText(self.summary_text(st))
        if st is not None and self._asked_after is not None and st.cycles > self._asked_after:
            self._asked_after = None
            self.outcome.setText(self.outcome_text(st))
            self.outcome.setProperty("role", "ok" if st.link_up and not st.fault else "error")
            self.outcome.style().polish(self.outcome)
            self.outcome.setVisible(True)
            self.sync_now.setEnabled(True)
        if self.isVisible():
            self.refresh()

    def summary_text(self, st: SyncStatus | None) -> str:
        if st is None:
            return self.tr("Checking the link to the county hub…")
        if not st.enrolled:
            return self.tr("This PC (or this Windows account) is not enrolled with the county hub. Cases are "
                           "kept on this PC and are uploaded once it is enrolled.")
        parts = [self.tr("Connected to the county hub.") if st.link_up else
                 self.tr("Not connected to the county hub: everything keeps working, records are uploaded "
                         "when the link is back.")]
        if st.link_up and st.live == live.HELD:
            parts.append(self.tr("Cases sent by other PCs arrive here at once."))
        elif st.link_up and st.live == live.POLLING:
            parts.append(self.tr("The network between this PC and the county hub cuts connections kept open, "
                                 "so this PC asks for other PCs' cases every few seconds instead of hearing "
                                 "of them at once."))
        parts.append(self.tr("Last successful sync: {0}.").format(texts.clock(st.last_success)))
        if st.fault:
            parts.append(self.tr("Problem: {0}.").format(texts.fault(st.fault)))
        elif st.last_error:
            parts.append(self.tr("Last problem: {0}.").format(texts.link_error(st.last_error)))
        if st.worker_restarts and st.fault != "worker_stopped":
            parts.append(texts.restarted(st.worker_restarts, st.last_restart_at))
        if st.skew_warning and st.skew_s is not None:
            parts.append(self.tr("This PC's clock is off by {0} minutes: ask IT to set it right.").format(
                texts.skew_minutes(st.skew_s)))
        # Sentences in Chinese end in "。" and take no space after it; English ones do.
        return "".join(p if i == 0 or parts[i - 1].endswith("。") else " " + p for i, p in enumerate(parts))

    def refresh(self) -> None:
        self.runner.submit(load, self.db, on_done=self.show_data)

    def show_data(self, data: PanelData) -> None:
        self.data = data
        _fill(self.problems, [self._problem_row(p) for p in data.problems], [p["case_uuid"] for p in data.problems])
        self.problems_title.setText(self.tr("Returned by the county hub, and held back ({0})").format(
            len(data.problems)))
        _fill(self.waiting, [self._waiting_row(w) for w in data.waiting], [w["case_uuid"] for w in data.waiting])
        more = self.tr(" (the first {0} shown)").format(LIMIT) if len(data.waiting) >= LIMIT else ""
        self.waiting_title.setText(self.tr("Waiting to upload ({0})").format(len(data.waiting)) + more)
        self._selection_changed()

    def _problem_row(self, p: dict[str, Any]) -> list[str]:
        why, todo = texts.problem(p["state"], p["reason"])
        state = self.tr("Returned") if p["state"] == "rejected" else self.tr("Held")
        return [state, texts.event_name(p["type"]), p["case_number"] or "", p["item_name"] or "", why, todo]

    def _waiting_row(self, w: dict[str, Any]) -> list[str]:
        if w["state"] == "held":
            why = texts.problem("held", None)[0]
        elif w["state"] == "in_flight":
            why = self.tr("Being sent")
        elif w["reason"]:
            why = texts.link_error(w["reason"])
        elif self.status is not None and not self.status.enrolled:
            why = self.tr("This PC is not enrolled")
        else:
            why = self.tr("Waiting for the next sync")
        return [_when(w["occurred_at"]), texts.event_name(w["type"]), w["case_number"] or "",
                w["item_name"] or "", str(w["attempts"]), why]

    # -- actions ------------------------------------------------------------------------------
    def outcome_text(self, st: SyncStatus) -> str:
        """The answer to 立即同步: done, or why not — never silence (offline, the clerk must know)."""
        at = texts.clock(datetime.now(UTC))
        if not st.enrolled:
            return self.tr("{0}: not synced, this PC is not enrolled with the county hub.").format(at)
        if st.link_up and not st.fault:
            left = st.waiting - st.held
            if left:
                return self.tr("{0}: synced; {1} records still wait (they go in the next rounds).").format(at, left)
            return self.tr("{0}: synced, nothing waits to be uploaded.").format(at)
        why = texts.fault(st.fault) if st.fault else texts.link_error(st.last_error) or texts.cannot_reach()
        return self.tr("{0}: could not sync ({1}). Everything is kept on this PC and uploaded by itself when "
                       "the link is back.").format(at, why)

    def _sync_now(self) -> None:
        self.summary.setText(self.tr("Syncing…"))
        self.outcome.setVisible(False)
        self._asked_after = self.status.cycles if self.status is not None else 0
        self.sync_now.setEnabled(False)  # until the answer: one press, one answer
        self.sync_requested.emit()

    def _selected_case(self) -> str | None:
        for table in (self.problems, self.waiting):
            items = table.selectedItems()
            if items:
                return cast("str | None", items[0].data(CASE_ROLE))  # set with the row
        return None

    def _selection_changed(self, table: QTableWidget | None = None) -> None:
        """One selection across both lists: selecting in one clears the other."""
        if table is not None and table.selectedItems():
            other = self.waiting if table is self.problems else self.problems
            other.blockSignals(True)
            other.clearSelection()
            other.blockSignals(False)
        self.open_case.setEnabled(self._selected_case() is not None)
        self.set_aside.setEnabled(bool(self.problems.selectedItems()))

    def _set_aside_selected(self) -> None:
        items = self.problems.selectedItems()
        case_uuid = items[0].data(CASE_ROLE) if items else None
        if not case_uuid or not notify.confirm(self, self.tr(
            "The records the county hub returned for this case will be kept aside (not deleted, not sent) "
            "and the case shown as the county hub has it. Then redo what is still needed. Continue?"
        )):
            return
        self.runner.submit(outbox.set_aside, self.db, case_uuid, self.actor,
                           on_done=lambda _n: self.refresh(), on_error=lambda e: notify.show_error(self, e))

    def _open_selected(self) -> None:
        self._open(self._selected_case())

    def _open(self, case_uuid: str | None) -> None:
        if case_uuid:
            self.case_requested.emit(case_uuid)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.refresh()
