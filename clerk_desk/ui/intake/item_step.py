"""Step 1: what is applied for. Search items and 一件事 bundles as you type; arrows move, Enter picks.

A retired item is listed (greyed) so the clerk learns why it cannot be chosen; so is an item this window
cannot take (domain/routing.py), with the window that takes it. A returning applicant's
一次性告知 number starts the intake from that notice (item and applicant filled in).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from clerk_desk.catalog.views import days_text
from clerk_desk.store.database import Database
from clerk_desk.ui import catalog_updates, notify
from clerk_desk.ui.intake import lookups
from clerk_desk.ui.intake.model import Selection
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, error_label, label, line_edit, plain_tooltip

ROLE_KIND = Qt.ItemDataRole.UserRole
ROLE_CODE = Qt.ItemDataRole.UserRole + 1
ROLE_RETIRED = Qt.ItemDataRole.UserRole + 2
ROLE_REFUSED = Qt.ItemDataRole.UserRole + 3  # why this window cannot take the item (domain/routing.py)
GREY = "#8a96a3"
MOVES: dict[int, int] = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}


class ItemStep(QWidget):
    picked = Signal(object)  # Selection
    continued = Signal(object)  # lookups.Notice
    changed = Signal()

    def __init__(
        self, db: Database, runner: TaskRunner, parent: QWidget | None = None, window_id: str | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.window_id = db, runner, window_id
        self._asked = 0  # the newest search sent; older answers are dropped
        self._pick_when_found = False
        self._shown_for: str | None = None  # the search text the listed results answer
        self.search = line_edit("intakeSearch", self, placeholder=self.tr(
            "Item or theme bundle: name, pinyin initials (ncdb), colloquial name or code"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.results = QListWidget(self)
        self.results.setObjectName("intakeResults")
        self.results.setUniformItemSizes(True)
        self.results.setSpacing(2)
        self.results.installEventFilter(self)
        self.count = label("", "intakeResultCount", self)
        self.count.setProperty("role", "note")
        self.error = error_label("intakeItemError", self)
        self.notice = line_edit("intakeNoticeNumber", self, placeholder=self.tr(
            "Returning after a one-time notice? Type the notice number"))
        self.from_notice = button(self.tr("Continue from the notice"), "intakeFromNotice", self)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.from_notice)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(10)
        root.addWidget(label(self.tr("What does the applicant want to do?"), "", self))
        root.addWidget(self.search)
        root.addWidget(self.error)
        root.addWidget(self.results, 1)
        root.addWidget(self.count)
        root.addLayout(notice_row)
        self.search.textChanged.connect(self.refresh)
        self.results.itemActivated.connect(self.choose)
        self.notice.returnPressed.connect(self.continue_from_notice)
        self.from_notice.clicked.connect(self.continue_from_notice)
        # a new catalog from the county: the results list it (an item already chosen keeps its checklist)
        catalog_updates.updates().changed.connect(self._catalog_changed)
        self.refresh("")

    def _catalog_changed(self, kinds: list[str]) -> None:
        if catalog_updates.CATALOG in kinds:
            self.refresh()

    # ---- search ----------------------------------------------------------------------------------

    def refresh(self, text: str | None = None) -> None:
        self._asked += 1
        asked = self._asked
        self.error.setVisible(False)
        self.runner.submit(lookups.find, self.db, self.search.text() if text is None else text, self.window_id,
                           on_done=lambda found: self._show(asked, found))
        self.changed.emit()

    def _show(self, asked: int, found: lookups.Found) -> None:
        if asked != self._asked:
            return
        self._shown_for = found.text
        self.results.setUpdatesEnabled(False)
        self.results.clear()
        bundle, retired, elsewhere = self.tr("One-stop bundle"), self.tr("Retired"), self.tr("Not at this window")
        for code, name in found.themes:
            self._add(f"【{bundle}】{name}", "theme", code, False)
        for h in found.items:
            kind = h.kind_text if h.handling_kind else self.tr("kind to be confirmed")
            days = "" if h.handling_kind == "immediate" else (
                days_text(h.promised_days) if h.promised_days is not None else self.tr("time limit to be confirmed"))
            text = f"{h.name}　　" + " · ".join(p for p in (h.department_name, kind, days) if p)
            if h.retired:
                text += f"    [{retired}]"
            refused = found.refused.get(h.code)
            if refused and not h.retired:
                text += f"    [{elsewhere}]"
            self._add(text, "item", h.code, h.retired, refused)
        self.results.setUpdatesEnabled(True)
        if self.results.count():
            self.results.setCurrentRow(0)
        self.count.setText(self.tr("{0} found").format(self.results.count()) if found.text.strip()
                           else self.tr("Type to search the catalog; ↑ ↓ choose, Enter takes it."))
        if self._pick_when_found:
            self._pick_when_found = False
            self.choose_current()

    def _add(self, text: str, kind: str, code: str, retired: bool, refused: str | None = None) -> None:
        row = QListWidgetItem(text)
        row.setData(ROLE_KIND, kind)
        row.setData(ROLE_CODE, code)
        row.setData(ROLE_RETIRED, retired)
        row.setData(ROLE_REFUSED, refused or "")
        if retired or refused:
            row.setForeground(QBrush(QColor(GREY)))
        if refused:
            row.setToolTip(plain_tooltip(refused))
        self.results.addItem(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress or watched not in (self.search, self.results):
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched is self.search and key in MOVES:
            n = self.results.count()
            if n:
                self.results.setCurrentRow(max(0, min(n - 1, self.results.currentRow() + MOVES[key])))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.choose_current()
            return True
        return super().eventFilter(watched, event)

    # ---- choosing --------------------------------------------------------------------------------

    def choose_current(self) -> None:
        row = self.results.currentItem()
        if self._shown_for != self.search.text():
            # the results for what was typed are still on their way (a worker thread): take the top hit then
            self._pick_when_found = True
            return
        if row is not None:
            self.choose(row)

    def choose(self, row: QListWidgetItem) -> None:
        kind, code = row.data(ROLE_KIND), row.data(ROLE_CODE)
        if row.data(ROLE_RETIRED):
            self.show_error(self.tr("This item has been retired from the catalog and can no longer be "
                                    "accepted. Please choose the item that replaces it."))
            return
        if row.data(ROLE_REFUSED):
            self.show_error(row.data(ROLE_REFUSED))  # it names the window that takes the item
            return
        fn = lookups.theme_selection if kind == "theme" else lookups.item_selection
        self.runner.submit(fn, self.db, code, on_done=self._picked, on_error=self._failed)

    def _picked(self, selection: Selection) -> None:
        self.error.setVisible(False)
        self.picked.emit(selection)

    def _failed(self, exc: BaseException) -> None:
        self.show_error(notify.error_text(exc))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def continue_from_notice(self) -> None:
        number = self.notice.text().strip()
        if not number:
            self.notice.setFocus()
            return
        self.runner.submit(lookups.load_notice, self.db, number, on_done=self._noticed, on_error=self._failed)

    def _noticed(self, notice: lookups.Notice) -> None:
        self.error.setVisible(False)
        self.notice.clear()
        self.continued.emit(notice)

    # ---- page use ---------------------------------------------------------------------------------

    def reset(self, search: str = "") -> None:
        self.notice.clear()
        self.error.setVisible(False)
        self.search.setText(search)
        self.refresh()

    def focus(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

