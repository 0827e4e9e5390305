"""The catalog browser (事项目录 page): search as you type, filters, the item page, public lists to PDF.

No SQL here: everything goes through clerk_desk.services.catalog_service. A keystroke search runs on
the GUI thread (it is an in-memory lookup, p95 under 2 ms at 5,000 items; see benchmarks/catalog_search.py)
once the index is loaded, which happens on the task runner; the list printing reads the database through
the task runner too when one is given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.domain.org import DEPARTMENTS
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.forms import public_lists
from clerk_desk.forms.render import PreviewFactory
from clerk_desk.services import catalog_service as cs
from clerk_desk.services import routing
from clerk_desk.services.routing import WindowRouting
from clerk_desk.store.database import Database
from clerk_desk.ui import catalog_updates
from clerk_desk.ui.catalog.item_page import ItemPage
from clerk_desk.ui.widgets import keep_visible, menu_text, plain_label, plain_tooltip

ROLE_KIND = Qt.ItemDataRole.UserRole
ROLE_CODE = Qt.ItemDataRole.UserRole + 1
ROLE_REFUSED = Qt.ItemDataRole.UserRole + 2  # why this window cannot take the item (empty: it can)
RESULT_LIMIT = 200
FOLLOW_MS = 120
STEPS: dict[int, int] = {  # rows the search field's arrow keys move the results by (event.key() is an int)
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: 10,
    Qt.Key.Key_PageUp: -10,
}


class CatalogBrowser(QWidget):
    itemOpened = Signal(str)  # item code
    themeOpened = Signal(str)  # theme code
    listExported = Signal(str)  # PDF path

    def __init__(self, db: Database, runner: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogBrowser")
        self.db, self.runner = db, runner
        # injectable for tests: where to save a PDF (None = cancelled), how to preview a print, how to show errors
        self.ask_pdf_path: Callable[[str], str | None] = self._ask_pdf_path
        self.preview_factory: PreviewFactory | None = None
        self.printer: QPrinter | None = None  # None: the system's default queue
        self.show_error: Callable[[BaseException], None] = self._show_error
        self.site_name = ""
        # which items this window cannot take (listed greyed): read on the task runner by follow_window()
        self.window_id: str | None = None
        self.routing: WindowRouting | None = None
        self._build()
        self.reload_filters()
        # a catalog the sync brought in (its index is built already): the lists and the version follow
        catalog_updates.updates().changed.connect(self._catalog_changed)
        if runner is None:
            self.refresh()
        else:  # the search index loads on a worker (the first time it takes a moment), then the list fills
            runner.submit(cs.warm_up, db, on_done=lambda _r: self.refresh())

    # ---- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = keep_visible(QLineEdit(self))  # a pasted name finds what it shows
        self.search.setObjectName("catalogSearch")
        self.search.setPlaceholderText(
            self.tr("Search: name, pinyin, initials (cxjm), colloquial name or code")
        )
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.dept = QComboBox(self)
        self.dept.setObjectName("catalogDeptFilter")
        self.lists = QComboBox(self)
        self.lists.setObjectName("catalogListFilter")
        self.retired_box = QCheckBox(self.tr("Show retired"), self)
        self.retired_box.setObjectName("catalogShowRetired")
        self.print_button = QPushButton(self.tr("Print lists…"), self)
        self.print_button.setObjectName("catalogPrintList")
        self.print_menu = QMenu(self.print_button)
        self.print_menu.setObjectName("catalogPrintMenu")
        self.print_button.setMenu(self.print_menu)
        self.print_button.setStyleSheet("QPushButton { padding-right: 28px; }")  # room for the menu's arrow
        top = QHBoxLayout()  # the search and the filters on two rows: they fit a narrow (150 %) screen
        top.addWidget(self.search, 1)
        top.addWidget(self.print_button)
        filters = QHBoxLayout()
        filters.addWidget(self.dept, 1)
        filters.addWidget(self.lists, 2)
        filters.addWidget(self.retired_box)

        self.results = QListWidget(self)
        self.results.setObjectName("catalogResults")
        self.results.setUniformItemSizes(True)
        self.count = plain_label("", "catalogResultCount", self)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.results, 1)
        lv.addWidget(self.count)
        self.page = ItemPage(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.page)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.version = plain_label("", "catalogVersion", self, wrap=True)  # a long publisher's name wraps
        root = QVBoxLayout(self)
        root.addLayout(top)
        root.addLayout(filters)
        root.addWidget(split, 1)
        root.addWidget(self.version)

        self.search.textChanged.connect(self.refresh)
        self.dept.currentIndexChanged.connect(self.refresh)
        self.lists.currentIndexChanged.connect(self.refresh)
        self.retired_box.toggled.connect(self.refresh)
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        # The detail pane follows the highlighted row (a new search highlights its first hit), a moment
        # after the highlight settles, so typing does not read an item per keystroke.
        self.follow = QTimer(self)
        self.follow.setSingleShot(True)
        self.follow.setInterval(FOLLOW_MS)
        self.follow.timeout.connect(self._show_current)
        self.results.currentItemChanged.connect(lambda *_rows: self.follow.start())

    def reload_filters(self) -> None:
        """(Re)read departments, lists and the catalog version (after an import)."""
        for combo in (self.dept, self.lists):
            combo.blockSignals(True)
            combo.clear()
        self.dept.addItem(self.tr("All departments"), None)
        for code, name, n in cs.departments(self.db):
            self.dept.addItem(f"{name} ({n})", code)
        self.lists.addItem(self.tr("All lists"), None)
        self.print_menu.clear()
        for info in cs.lists(self.db):
            self.lists.addItem(f"{info.name} ({info.item_count})", info.code)
            pdf = self.print_menu.addAction(self.tr("Save as PDF: %1").replace("%1", menu_text(info.name)))
            pdf.setObjectName(f"catalogPrintListPdf_{info.code}")
            pdf.triggered.connect(lambda _=False, c=info.code: self.export_list(c))
            act = self.print_menu.addAction(self.tr("Print: %1").replace("%1", menu_text(info.name)))
            act.setObjectName(f"catalogPrintListPrint_{info.code}")
            act.triggered.connect(lambda _=False, c=info.code: self.print_list(c))
        for combo in (self.dept, self.lists):
            combo.blockSignals(False)
        catalog = cs.catalog_info(self.db)
        if catalog is None:
            self.version.setText(self.tr("No catalog imported yet"))
        else:
            demo = self.tr(" (demo)") if catalog.is_demo else ""
            self.version.setText(
                self.tr("Catalog version %1%2 · %3")
                .replace("%1", catalog.version)
                .replace("%2", demo)
                .replace("%3", catalog.publisher)
            )

    def _catalog_changed(self, kinds: list[str]) -> None:
        if catalog_updates.CATALOG in kinds:
            self.reload_filters()
            self.refresh()

    # ---- the window it serves ---------------------------------------------------------------------

    def follow_window(self, window_id: str | None) -> None:
        """Grey the items ``window_id`` cannot take; read again each time the page is shown (a tidal window's
        dates, windows an administrator added)."""
        self.window_id = window_id
        self._read_routing()

    def _read_routing(self) -> None:
        if self.window_id is None and self.routing is None:
            return
        day = datetime.now(SHANGHAI).date()
        if self.runner is None:
            self._routing_read(routing.at_window(self.db, self.window_id, day))
        else:
            self.runner.submit(routing.at_window, self.db, self.window_id, day, on_done=self._routing_read)

    def _routing_read(self, read: WindowRouting) -> None:
        self.routing = read
        self.refresh()

    # ---- search -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        text = self.search.text()
        dept, lst = self.dept.currentData(), self.lists.currentData()
        hits = cs.search(
            self.db,
            text,
            department=dept,
            list_code=lst,
            include_retired=self.retired_box.isChecked(),
            limit=RESULT_LIMIT,
        )
        themes = cs.search_themes(self.db, text) if text.strip() and dept is None and lst is None else []
        self.results.setUpdatesEnabled(False)
        self.results.clear()
        theme_word, retired_word = self.tr("Theme"), self.tr("Retired")  # outside the f-strings, for lupdate
        elsewhere = self.tr("Not at this window")
        refused = self.routing.refused(hits) if self.routing is not None else {}
        for code, name, _demo in themes:
            row = QListWidgetItem(f"【{theme_word}】{name}")
            row.setToolTip(plain_tooltip(row.text()))
            row.setData(ROLE_KIND, "theme")
            row.setData(ROLE_CODE, code)
            self.results.addItem(row)
        for h in hits:
            label = f"{h.name}    {h.department_name} · {h.kind_text}"
            if h.retired:
                label += f"  [{retired_word}]"
            why = refused.get(h.code)
            if why:
                label += f"  [{elsewhere}]"
            row = QListWidgetItem(label)
            row.setData(ROLE_KIND, "item")
            row.setData(ROLE_CODE, h.code)
            row.setData(ROLE_REFUSED, why or "")
            # the whole line where the list is narrow, the code, which key matched, and where it is taken
            row.setToolTip(plain_tooltip("\n".join(x for x in (label, h.code, h.match_zh, why) if x)))
            if h.retired or why:
                row.setForeground(QBrush(QColor("#888888")))
            self.results.addItem(row)
        self.results.setUpdatesEnabled(True)
        if self.results.count():
            self.results.setCurrentRow(0)
        more = (
            self.tr(" (first %1 shown)").replace("%1", str(RESULT_LIMIT)) if len(hits) >= RESULT_LIMIT else ""
        )
        self.count.setText(self.tr("%n result(s)", "", len(hits) + len(themes)) + more)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = STEPS[key]
                n = self.results.count()
                if n:
                    self.results.setCurrentRow(max(0, min(n - 1, self.results.currentRow() + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.results.currentItem()
                if current is not None:
                    self._open(current)
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.routing is not None:
            self._read_routing()
        QTimer.singleShot(0, self, self._focus_search)

    def _focus_search(self) -> None:
        """A moment after the page was shown, if it still is: a page left within that moment put the focus in
        its hidden search box, where what was typed on the page on screen went."""
        if self.isVisible():
            self.search.setFocus()

    # ---- opening ----------------------------------------------------------------------------------

    def _open(self, row: QListWidgetItem) -> None:
        kind, code = row.data(ROLE_KIND), row.data(ROLE_CODE)
        try:
            if kind == "theme":
                self.page.show_theme(cs.get_theme(self.db, code))
                self.themeOpened.emit(code)
            else:
                self.open_item(code)
        except ClerkDeskError as exc:
            self.show_error(exc)

    def _show_current(self) -> None:
        """Show the highlighted row in the detail pane (nothing highlighted: the pane says so)."""
        row = self.results.currentItem()
        if row is None:
            self.page.clear()
            return
        kind, code = row.data(ROLE_KIND), row.data(ROLE_CODE)
        if code == self.page.current_code:
            return
        try:
            if kind == "theme":
                self.page.show_theme(cs.get_theme(self.db, code))
            else:
                self.page.show_item(cs.get_item(self.db, code))
        except ClerkDeskError as exc:
            self.show_error(exc)

    def open_item(self, code: str) -> None:
        self.page.show_item(cs.get_item(self.db, code))
        self.itemOpened.emit(code)

    # ---- public lists -----------------------------------------------------------------------------

    def _list_doc(self, list_code: str) -> public_lists.PublicList:
        info, items = cs.list_items_detailed(self.db, list_code)
        return public_lists.build_public_list(
            info,
            items,
            cs.catalog_info(self.db),
            department_order=[c for c, _ in DEPARTMENTS],
            site_name=self.site_name,
        )

    def _with_doc(self, list_code: str, then: Callable[[public_lists.PublicList], object]) -> None:
        def done(doc: public_lists.PublicList) -> None:
            try:
                then(doc)
            except ClerkDeskError as exc:
                self.show_error(exc)

        if self.runner is None:
            try:
                doc = self._list_doc(list_code)
            except ClerkDeskError as exc:
                self.show_error(exc)
                return
            done(doc)
        else:
            self.runner.submit(self._list_doc, list_code, on_done=done, on_error=self.show_error)

    def export_list(self, list_code: str, path: str | None = None) -> None:
        """Save a public list as an A4 PDF (asks where unless ``path`` is given)."""
        target = path or self.ask_pdf_path(list_code)
        if not target:
            return

        def save(doc: public_lists.PublicList) -> None:
            public_lists.save_pdf(doc, target)
            self.listExported.emit(str(target))

        self._with_doc(list_code, save)

    def print_list(self, list_code: str) -> None:
        self._with_doc(
            list_code,
            lambda doc: public_lists.print_list(
                doc, preview_factory=self.preview_factory, printer=self.printer
            ),
        )

    def _ask_pdf_path(self, list_code: str) -> str | None:
        name = next((x.name for x in cs.lists(self.db) if x.code == list_code), list_code)
        # the list's name (the catalog's text) is the file's name, in the home folder: never a folder of its own
        # ("../", "C:\\", "a/b"), nor a character Windows refuses in a file name
        import re

        name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .") or list_code
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save list as PDF"), str(Path.home() / f"{name}.pdf"), "PDF (*.pdf)"
        )
        return path or None

    def _show_error(self, exc: BaseException) -> None:
        from clerk_desk.ui import notify

        notify.show_error(self, exc)
