"""What a person reads on a surface (a page, a dialog, a paper), worked out the way Qt draws it.

A label in AutoText shows its text as HTML when Qt.mightBeRichText() says so (so does every tooltip);
buttons, tabs, group boxes and menu entries turn "&x" into a mnemonic; window titles drop "[*]". Item
views draw their model's text as plain text; a chart draws every title and label as HTML.
:func:`collect` reads every one of these under a widget, :meth:`Report.check` then compares with the hostile values the surface should show, and renders the
surface (``grab()``, and each tooltip or hidden rich label in a probe label, as QToolTip would) while
the canary counts what Qt tried to load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from clerk_desk.ui.widgets import plain_label
from tests.ui.hostile.canary import Canary
from tests.ui.hostile.hostile_desk import Hostile

OBJECT = "\ufffc"  # what QTextDocument.toPlainText() puts where an image is drawn
TEXT_ITEM = 8  # QGraphicsTextItem.Type (its items come back from a scene typed as plain QGraphicsItem)


@dataclass(frozen=True)
class Shown:
    where: str
    raw: str
    rendered: str
    rich: bool  # drawn as HTML


def _normal(text: str) -> str:
    return text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\xa0", " ")


def as_html(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return _normal(doc.toPlainText())


def auto(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> tuple[str, bool]:
    """(what is read, drawn as HTML?) for a label's text in ``fmt`` (AutoText: also every tooltip)."""
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if fmt == Qt.TextFormat.MarkdownText:
        doc = QTextDocument()
        doc.setMarkdown(text)
        return _normal(doc.toPlainText()), True
    return (as_html(text), True) if rich else (text, False)


def mnemonic(text: str) -> str:
    """A button's, tab's or menu entry's text as drawn: "&&" is "&", "&x" underlines x."""
    return re.sub(r"&(.)", r"\1", text)


def window_title(text: str) -> str:
    """A window title as shown (not modified): "[*]" is dropped, "[*][*]" shows "[*]"."""
    return text.replace("[*][*]", "\0").replace("[*]", "").replace("\0", "[*]")


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _has_children(model: QAbstractItemModel, index: QModelIndex) -> bool:
    try:
        return model.hasChildren(index)
    except TypeError:
        return False


def _model_texts(model: QAbstractItemModel, where: str, limit: int = 2000) -> Iterable[Shown]:
    for col in range(_columns(model, QModelIndex())):
        head = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(head, str):
            yield Shown(f"{where} header {col}", head, head, False)
    stack = [QModelIndex()]
    seen = 0
    while stack and seen < limit:
        parent = stack.pop()
        for r in range(model.rowCount(parent)):
            for c in range(_columns(model, parent)):
                index = model.index(r, c, parent)
                seen += 1
                text = model.data(index, Qt.ItemDataRole.DisplayRole)
                if isinstance(text, str) and text:
                    yield Shown(f"{where} [{r},{c}]", text, text, False)
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and tip:
                    yield Shown(f"{where} [{r},{c}] tooltip", tip, *auto(tip))
                if c == 0 and _has_children(model, index):
                    stack.append(index)


def _actions(actions: Iterable[QAction], where: str) -> Iterable[Shown]:
    for a in actions:
        if a.text():
            yield Shown(f"{where} action {a.objectName() or a.text()}", a.text(), mnemonic(a.text()), False)
        if a.menu() is not None:
            yield from _actions(a.menu().actions(), where)


def _scene_texts(scene: QGraphicsScene, where: str) -> Iterable[Shown]:
    """The texts a graphics view draws (a chart's titles and axis labels): QtCharts draws each through a
    QGraphicsTextItem set with HTML, whatever the text looks like."""
    for item in scene.items():
        if item.type() != TEXT_ITEM:
            continue
        text = item.toGraphicsObject()
        if isinstance(text, QGraphicsTextItem):
            yield Shown(f"{where} chart text", text.toHtml(), _normal(text.toPlainText()), True)


def collect(root: QWidget) -> list[Shown]:
    """Every text shown by ``root`` and the widgets inside it (hidden ones too: they show when shown)."""
    out: list[Shown] = []
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__}#{w.objectName()}"
        if w.isWindow() and w.windowTitle():
            out.append(Shown(f"{where} title", w.windowTitle(), window_title(w.windowTitle()), False))
        if w.toolTip():
            out.append(Shown(f"{where} tooltip", w.toolTip(), *auto(w.toolTip())))
        if isinstance(w, QLabel):
            full = w.property("elidedFrom")  # ui/widgets.ElidedLabel: a plain cut of this text, whole in the tooltip
            if isinstance(full, str) and full and w.textFormat() == Qt.TextFormat.PlainText:
                out.append(Shown(where, full, *auto(full, w.textFormat())))
            else:
                out.append(Shown(where, w.text(), *auto(w.text(), w.textFormat())))
        elif isinstance(w, QAbstractButton):
            out.append(Shown(where, w.text(), mnemonic(w.text()), False))
        elif isinstance(w, QGroupBox):
            out.append(Shown(where, w.title(), mnemonic(w.title()), False))
        elif isinstance(w, QLineEdit):
            out.append(Shown(where, w.text(), w.text(), False))
            out.append(Shown(f"{where} placeholder", w.placeholderText(), w.placeholderText(), False))
        elif isinstance(w, QPlainTextEdit):
            out.append(Shown(where, w.toPlainText(), w.toPlainText(), False))
        elif isinstance(w, QTextEdit):
            out.append(Shown(where, w.toHtml(), _normal(w.document().toPlainText()), True))
        elif isinstance(w, QComboBox):
            out.extend(
                Shown(f"{where} item {i}", w.itemText(i), w.itemText(i), False) for i in range(w.count())
            )
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                out.append(Shown(f"{where} tab {i}", w.tabText(i), mnemonic(w.tabText(i)), False))
                if w.tabToolTip(i):
                    out.append(Shown(f"{where} tab {i} tooltip", w.tabToolTip(i), *auto(w.tabToolTip(i))))
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
            out.extend(_model_texts(w.model(), where))
        elif isinstance(w, QMenu):
            out.extend(_actions(w.actions(), where))
        elif isinstance(w, QGraphicsView) and w.scene() is not None:
            out.extend(_scene_texts(w.scene(), where))
        out.extend(_actions((a for a in w.actions() if a.parent() is w and not isinstance(w, QMenu)), where))
    return out


def _shows(value: str, shown: Shown) -> bool:
    """``value`` is read on ``shown``: whole, or, on a chart's label too long for its room, cut with the "..."
    QtCharts puts there, as long as what is left shows the value's markup as typed."""
    if value in shown.rendered:
        return True
    cut = shown.rendered.removesuffix("...")
    return (shown.where.endswith(" chart text") and cut != shown.rendered and value.startswith(cut)
            and any(c in cut for c in "<&"))


@dataclass
class Outcome:
    surface: str
    widgets: int = 0
    texts: int = 0
    tried: int = 0  # hostile values this surface shows
    literal: list[str] = field(default_factory=list)
    mangled: list[str] = field(default_factory=list)  # the tag shows, the value does not: read as markup
    mangled_where: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # not on the surface at all (a test set-up mistake)
    images: list[str] = field(default_factory=list)  # rich texts that draw an image
    loads: int = 0  # canary opens while the surface was drawn

    @property
    def failures(self) -> int:
        return len(self.mangled) + len(self.images) + (1 if self.loads else 0)


@dataclass
class Report:
    canary: Canary
    hostile: Hostile
    outcomes: list[Outcome] = field(default_factory=list)
    probes: list[QLabel] = field(default_factory=list)

    def _draw(self, root: QWidget | None, shown: list[Shown]) -> int:
        before = self.canary.hits()
        if root is not None:
            root.grab()
        for s in shown:  # tooltips and hidden rich labels, drawn as QToolTip / the label would
            if s.rich:
                probe = plain_label("")
                probe.setTextFormat(
                    Qt.TextFormat.AutoText if s.where.endswith("tooltip") else Qt.TextFormat.RichText
                )
                probe.setText(s.raw)
                probe.adjustSize()
                probe.grab()
                probe.deleteLater()
        return self.canary.hits() - before

    def check(
        self, surface: str, root: QWidget | None, tags: Iterable[str], *, shown: list[Shown] | None = None
    ) -> Outcome:
        """Read ``root`` (or the given texts), compare with the values of ``tags``, draw it, count loads."""
        texts = shown if shown is not None else collect(root)  # type: ignore[arg-type]
        out = Outcome(surface, len(root.findChildren(QWidget)) + 1 if root is not None else 1, len(texts))
        for tag in tags:
            value, mark = self.hostile(tag), self.hostile.mark(tag)
            out.tried += 1
            showing = [s for s in texts if mark in s.rendered]
            if not showing:
                out.absent.append(tag)
            elif all(_shows(value, s) for s in showing):
                out.literal.append(tag)
            else:  # some widget reads it as markup
                out.mangled.append(tag)
                out.mangled_where.extend(s.where for s in showing if value not in s.rendered)
        out.images = [s.where for s in texts if s.rich and OBJECT in s.rendered]
        out.loads = self._draw(root, texts)
        self.outcomes.append(out)
        return out

    def paper(self, surface: str, texts: Iterable[str], tags: Iterable[str], loads: int) -> Outcome:
        """A printed paper: ``texts`` are what is read on it (the laid-out document's text, and the PDF's
        text from pdftotext, whose reading order may interleave the lines of wrapped table cells),
        ``loads`` the canary opens while it was painted."""
        out = Outcome(surface, 1, 1)

        def flat(t: str) -> str:  # lines wrap anywhere on paper; pdftotext writes "fi" as a ligature
            return re.sub(r"\s+", "", unicodedata.normalize("NFKC", t))

        read = [flat(t) for t in texts]
        for tag in tags:
            out.tried += 1
            value, mark = flat(self.hostile(tag)), self.hostile.mark(tag)
            if any(value in r for r in read):
                out.literal.append(tag)
            else:
                (out.mangled if any(mark in r for r in read) else out.absent).append(tag)
        out.loads = loads
        self.outcomes.append(out)
        return out


    def workbook(self, surface: str, path: Path, tags: Iterable[str]) -> Outcome:
        """An exported .xlsx: each value of ``tags`` is a text cell as it is; a cell holding a value as a
        formula (a name that starts with "=": Excel and WPS would run it) is mangled."""
        from openpyxl import load_workbook

        cells = [c for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str)]  # fmt: skip
        out = Outcome(surface, 1, len(cells))
        for tag in tags:
            out.tried += 1
            value, mark = self.hostile(tag), self.hostile.mark(tag)
            showing = [c for c in cells if mark in c.value]
            if not showing:
                out.absent.append(tag)
            elif all(value in c.value and c.data_type == "s" for c in showing):
                out.literal.append(tag)
            else:
                out.mangled.append(tag)
                out.mangled_where.extend(f"{c.parent.title}!{c.coordinate} ({c.data_type})" for c in showing)
        self.outcomes.append(out)
        return out


def problems(outcomes: Iterable[Outcome]) -> list[str]:
    """What is wrong, one line per surface (empty when every value shows literally and nothing loads)."""
    lines = []
    for o in outcomes:
        if o.failures or o.absent:
            lines.append(
                f"{o.surface}: mangled {o.mangled} in {o.mangled_where[:5]}, absent {o.absent}, "
                f"images {o.images[:5]}, "
                f"loads {o.loads}"
            )
    return lines
