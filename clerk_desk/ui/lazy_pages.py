"""The main window's pages, built on first use: a placeholder holds each page's place in the stack."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from clerk_desk.ui.pages import PageContext, PageSpec, build_page, visible_pages
from clerk_desk.ui.widgets import plain_label


class LazyPages(Mapping[str, QWidget]):
    def __init__(self, stack: QStackedWidget, ctx: PageContext,
                 on_built: Callable[[QWidget], None] | None = None) -> None:  # fmt: skip
        self.stack, self.ctx, self.on_built = stack, ctx, on_built
        self.specs: list[PageSpec] = visible_pages(ctx)
        self._built: dict[str, QWidget] = {}
        for spec in self.specs:
            holder = QWidget()
            holder.setObjectName(f"page_{spec.key}_placeholder")
            stack.addWidget(holder)
        for spec in self.specs:
            if spec.eager:
                self._build(spec.key)

    def _build(self, key: str) -> QWidget:
        index = next(i for i, s in enumerate(self.specs) if s.key == key)
        widget = build_page(self.specs[index], self.ctx)
        if widget is None:
            text = QCoreApplication.translate("QLabel", "This page is not available in this installation.")
            widget = plain_label(text, f"page_{key}")
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        current = self.stack.currentIndex()
        old = self.stack.widget(index)
        assert old is not None  # the placeholder (or the page) in its place since the start
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.stack.setCurrentIndex(current)
        self._built[key] = widget
        if self.on_built is not None:
            self.on_built(widget)
        return widget

    def __getitem__(self, key: str) -> QWidget:
        if key in self._built:
            return self._built[key]
        if key not in {s.key for s in self.specs}:
            raise KeyError(key)
        return self._build(key)

    def __contains__(self, key: object) -> bool:  # Mapping's default would build the page to find out
        return any(s.key == key for s in self.specs)

    def __iter__(self) -> Iterator[str]:
        return iter([s.key for s in self.specs])

    def __len__(self) -> int:
        return len(self.specs)

    def is_built(self, key: str) -> bool:
        return key in self._built
