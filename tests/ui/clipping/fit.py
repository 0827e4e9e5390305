"""Does every text on a surface fit the room it is drawn in? Worked out the way Qt draws it.

For every widget shown under a root (not hidden, not on a page of a stack behind another):

* a label: its size hint (text, margins, style-sheet padding) against its size (a label that gives way,
  ui/widgets.ElidedLabel: the text it shows against its room, and its whole text in the tooltip); a word-wrapped label
  the height it needs at its width;
* a push button, check box or radio button: the text against the contents rectangle the style leaves
  inside border and padding;
* a group box: its title; a tab bar: every tab inside the bar, at least as wide as its text, and no
  scroll buttons (a tab behind them cannot be read);
* a combo box: the current text in its edit field;
* a header: every section as wide as the style says its title needs; a view that needs horizontal
  scrolling fails too, and so does a scroll area holding a page or a dialog's body (it may scroll down, not sideways);
* item views (tables, trees, lists): every visible cell whose text does not fit is acceptable only when
  its tooltip holds the whole text;
* any widget smaller than its layout's minimum (its children overlap or are cut off), and any widget
  cut off by an ancestor that is not a scrolling viewport.

A window must also fit the screen: :func:`window_problem`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionHeader,
    QTabBar,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)

SLACK = 1  # px of rounding allowed
MAX_ROWS = 60  # visible rows of a view that are measured


@dataclass(frozen=True)
class Clip:
    surface: str
    where: str  # the widget's objectName path
    kind: str
    text: str
    need: int
    have: int

    def line(self) -> str:
        return f"{self.surface}: {self.kind} {self.where}: 「{self.text[:60]}」 needs {self.need} px, has {self.have}"


@dataclass
class Checked:
    surface: str
    widgets: int = 0
    texts: int = 0
    clips: list[Clip] = field(default_factory=list)


def where(w: QWidget) -> str:
    names = []
    node: QWidget | None = w
    while node is not None:
        names.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return "/".join(reversed(names[:4]))


def mnemonic(text: str) -> str:
    return re.sub(r"&(.)", r"\1", text)


def _plain_tooltip(tip: object) -> str:
    text = str(tip or "")
    text = re.sub(r"<[^>]+>", "", text) if text.startswith("<") else text
    return html.unescape(text)


def _scroll_content(w: QWidget) -> bool:
    """True for the viewport of a scroll area (its content may be larger: it scrolls)."""
    parent = w.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is w


def cut_by_ancestor(w: QWidget) -> QWidget | None:
    """The ancestor that cuts ``w`` off (its rectangle does not hold ``w``'s), if any."""
    top = w.window()
    rect = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    node = w.parentWidget()
    while node is not None and node is not top:
        if _scroll_content(node):
            return None
        area = QRect(node.mapTo(top, QPoint(0, 0)), node.size())
        if not area.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            return node
        node = node.parentWidget()
    return None


class Inspector:
    def __init__(self, surface: str) -> None:
        self.result = Checked(surface)

    def clip(self, w: QWidget, kind: str, text: str, need: int, have: int) -> None:
        self.result.clips.append(Clip(self.result.surface, where(w), kind, text, need, have))

    # -- widgets -----------------------------------------------------------------------------------
    def label(self, lbl: QLabel) -> None:
        text = lbl.text()
        if not text.strip() or not lbl.pixmap().isNull():
            return
        self.result.texts += 1
        if lbl.wordWrap():
            need = lbl.heightForWidth(lbl.width())
            if need > lbl.height() + SLACK:
                self.clip(lbl, "label (wrapped) height", text, need, lbl.height())
            return
        full = lbl.property("elidedFrom")
        if isinstance(full, str) and full:
            # a label that gives way (ui/widgets.ElidedLabel): what it shows must fit, and when that is cut
            # the tooltip must hold the whole text, as for a cell of a view
            need = QFontMetrics(lbl.font()).horizontalAdvance(text)
            if need > lbl.contentsRect().width() + SLACK:
                self.clip(lbl, "elided label width", text, need, lbl.contentsRect().width())
            elif text != full and full not in _plain_tooltip(lbl.toolTip()):
                self.clip(lbl, "label elided without its text in a tooltip", full, need, lbl.width())
            return
        hint = lbl.sizeHint()
        if hint.width() > lbl.width() + SLACK:
            self.clip(lbl, "label width", text, hint.width(), lbl.width())
        elif hint.height() > lbl.height() + SLACK:
            self.clip(lbl, "label height", text, hint.height(), lbl.height())

    def button(self, b: QPushButton | QCheckBox | QRadioButton) -> None:
        text = mnemonic(b.text())
        if not text.strip():
            return
        self.result.texts += 1
        opt = QStyleOptionButton()
        opt.initFrom(b)
        opt.text = b.text()
        opt.icon = b.icon()
        opt.iconSize = b.iconSize()
        element = {QCheckBox: QStyle.SubElement.SE_CheckBoxContents,
                   QRadioButton: QStyle.SubElement.SE_RadioButtonContents}.get(type(b),
                                                                              QStyle.SubElement.SE_PushButtonContents)
        if isinstance(b, QPushButton) and b.menu() is not None:
            opt.features |= QStyleOptionButton.ButtonFeature.HasMenu
        room = b.style().subElementRect(element, opt, b)
        fm = QFontMetrics(b.font())
        need = max(fm.horizontalAdvance(line) for line in text.split("\n"))
        if not b.icon().isNull():
            need += b.iconSize().width() + 4
        if isinstance(b, QPushButton) and b.menu() is not None:
            need += b.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, opt, b)
        if need > room.width() + SLACK:
            self.clip(b, f"{type(b).__name__} text", text, need, room.width())
        elif fm.height() > room.height() + 2 * SLACK + 2:
            self.clip(b, f"{type(b).__name__} height", text, fm.height(), room.height())

    def group(self, g: QGroupBox) -> None:
        title = mnemonic(g.title())
        if not title.strip():
            return
        self.result.texts += 1
        need = QFontMetrics(g.font()).horizontalAdvance(title) + 16
        if need > g.width() + SLACK:
            self.clip(g, "group box title", title, need, g.width())

    def tabs(self, bar: QTabBar) -> None:
        fm = QFontMetrics(bar.font())
        scrolled = any(b.isVisible() for b in bar.findChildren(QToolButton))
        for i in range(bar.count()):
            if not bar.isTabVisible(i):
                continue
            text = mnemonic(bar.tabText(i))
            self.result.texts += 1
            r = bar.tabRect(i)
            need = fm.horizontalAdvance(text) + 8
            if scrolled or r.left() < 0 or r.right() > bar.width() + SLACK:
                self.clip(bar, "tab out of sight", text, r.right(), bar.width())
            elif r.width() + SLACK < need:
                self.clip(bar, "tab text", text, need, r.width())

    def combo(self, c: QComboBox) -> None:
        text = c.currentText()
        if c.isEditable() or not text.strip():
            return
        self.result.texts += 1
        opt = QStyleOptionComboBox()
        opt.initFrom(c)
        opt.currentText = text
        opt.editable = False
        room = c.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                        QStyle.SubControl.SC_ComboBoxEditField, c)
        need = QFontMetrics(c.font()).horizontalAdvance(text)
        if not c.itemIcon(c.currentIndex()).isNull():
            need += c.iconSize().width() + 4
        if need > room.width() + SLACK:
            self.clip(c, "combo box text", text, need, room.width())

    def header(self, h: QHeaderView) -> None:
        model = h.model()
        if model is None:
            return
        for section in range(h.count()):
            if h.isSectionHidden(section) or h.sectionSize(section) == 0:
                continue
            text = str(model.headerData(section, h.orientation(), Qt.ItemDataRole.DisplayRole) or "")
            if not text.strip():
                continue
            self.result.texts += 1
            opt = QStyleOptionHeader()
            opt.initFrom(h)
            opt.section = section
            opt.text = text
            opt.orientation = h.orientation()
            opt.textAlignment = h.defaultAlignment()
            if h.isSortIndicatorShown() and h.sortIndicatorSection() == section:
                opt.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
            need = h.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, opt, QSize(), h)
            size = h.sectionSize(section)
            want = need.width() if h.orientation() == Qt.Orientation.Horizontal else need.height()
            if want > size + SLACK:
                self.clip(h, "header section", text, want, size)

    def view(self, v: QAbstractItemView) -> None:
        model = v.model()
        if model is None:
            return
        if isinstance(v, (QTableView, QTreeView)) and v.horizontalScrollBar().isVisible():
            self.clip(v, "needs horizontal scrolling", v.objectName(), v.horizontalScrollBar().maximum(), 0)
        viewport = v.viewport().rect()
        for index in self._visible_indexes(v):
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            if not text.strip():
                continue
            self.result.texts += 1
            rect = v.visualRect(index)
            have = min(rect.right(), viewport.right()) - rect.left() + 1
            need = v.sizeHintForIndex(index).width()
            if isinstance(v, QTableView):
                need = max(need, 0)
            if need > have + SLACK:
                tip = _plain_tooltip(model.data(index, Qt.ItemDataRole.ToolTipRole))
                if text not in tip:
                    self.clip(v, "cell elided without its text in a tooltip", text, need, have)

    @staticmethod
    def _visible_indexes(v: QAbstractItemView) -> list[QModelIndex]:
        model = v.model()
        out: list[QModelIndex] = []
        viewport = v.viewport().rect()
        top = v.indexAt(QPoint(1, 1))
        if not top.isValid():
            return out
        row_index = top.sibling(top.row(), 0)
        seen = 0
        while row_index.isValid() and seen < MAX_ROWS:
            rect = v.visualRect(row_index)
            if rect.top() > viewport.bottom():
                break
            columns = 1 if isinstance(v, QListView) else model.columnCount(row_index.parent())
            for col in range(columns):
                index = row_index.sibling(row_index.row(), col)
                if isinstance(v, QTableView) and v.isColumnHidden(col):
                    continue
                r = v.visualRect(index)
                if r.isValid() and r.left() <= viewport.right():
                    out.append(index)
            seen += 1
            below = v.indexBelow(row_index) if isinstance(v, QTreeView) else row_index.sibling(row_index.row() + 1, 0)
            row_index = below
        return out

    def squeezed(self, w: QWidget) -> None:
        layout = w.layout()
        if layout is None or _scroll_content(w):
            return
        if isinstance(w, QStackedWidget):  # only the page on screen needs the room
            page = w.currentWidget()
            if page is None or page.layout() is None:
                return
            need = page.layout().totalMinimumSize()
        else:
            need = layout.totalMinimumSize()
        if need.width() > w.width() + SLACK or need.height() > w.height() + SLACK:
            self.clip(w, "widget smaller than its layout's minimum", w.objectName() or type(w).__name__,
                      max(need.width() - w.width(), need.height() - w.height()), 0)

    # -- the walk ----------------------------------------------------------------------------------
    def widget(self, w: QWidget) -> None:
        self.result.widgets += 1
        self.squeezed(w)
        if isinstance(w, QLabel):
            self.label(w)
        elif isinstance(w, (QPushButton, QCheckBox, QRadioButton)):
            self.button(w)
        elif isinstance(w, QGroupBox):
            self.group(w)
        elif isinstance(w, QTabBar):
            self.tabs(w)
        elif isinstance(w, QComboBox):
            self.combo(w)
        elif isinstance(w, QHeaderView):
            self.header(w)
        elif isinstance(w, QAbstractItemView):
            self.view(w)
        elif isinstance(w, QScrollArea) and w.horizontalScrollBar().isVisible():
            # a page (or a dialog's body) wider than its room: the reader must scroll sideways to see its end
            self.clip(w, "needs horizontal scrolling", widest_inside(w), w.horizontalScrollBar().maximum(), 0)
        if isinstance(w, (QLabel, QPushButton, QCheckBox, QRadioButton, QComboBox, QGroupBox)):
            cutter = cut_by_ancestor(w)
            if cutter is not None:
                self.clip(w, f"cut off by {where(cutter)}", getattr(w, "text", lambda: "")() or w.objectName(),
                          0, 0)


def widest_inside(area: QScrollArea) -> str:
    """What makes a scroll area's content wider than its room: the deepest shown widget that asks for more
    width than the room (its objectName or class, and the width it asks for)."""
    room = area.viewport().width()
    found, depth = "", -1
    for w in area.findChildren(QWidget):
        if not w.isVisible() or w is area.widget():
            continue
        need = max(w.minimumSizeHint().width(), w.minimumWidth())
        level = 0
        p = w.parentWidget()
        while p is not None and p is not area:
            level, p = level + 1, p.parentWidget()
        if need > room and level > depth:
            found, depth = f"{w.objectName() or type(w).__name__} asks {need} px of {room}", level
    return found or (area.objectName() + ": its content's items side by side")


def inspect(root: QWidget, surface: str) -> Checked:
    """Check every widget shown under ``root`` (``root`` included)."""
    ins = Inspector(surface)
    for w in [root, *root.findChildren(QWidget)]:
        shown = w.isVisible() and w.width() > 0 and w.height() > 0 and not w.isWindow()
        if w is root or (shown and w.window() is root.window()):
            ins.widget(w)
    return ins.result


def window_problem(window: QWidget, room: QSize, frame: QSize) -> str | None:
    """Why ``window`` does not fit on a screen whose windows get ``room`` (the screen less the taskbar)
    with a frame of ``frame`` (borders and title bar), or None."""
    least = window.minimumSize().expandedTo(window.minimumSizeHint())
    size = window.size() if not window.isMaximized() else least
    outer = size + frame
    if outer.width() > room.width() or outer.height() > room.height():
        return f"{window.objectName()} needs {outer.width()}×{outer.height()} with its frame, the screen has {room.width()}×{room.height()}"
    return None
