"""A stack of pages that asks only for the room of the page on screen, and the scroll area that holds it.

QStackedWidget asks for the largest minimum of all its pages, so one tall page (the intake) would make
every page scroll on a small screen. :class:`PageStack` asks for the current page's minimum only and
asks again when the page changes. :func:`scrolling` puts it in a frameless scroll area: a page that does
not fit the window (1366×768 at 150 %) scrolls instead of being squeezed until its text is cut off.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QStackedWidget, QWidget


class PageStack(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return super().sizeHint() if page is None else page.sizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        """The least height the page on screen needs at ``width`` (wrapped text gets all its lines): the
        scroll area gives it at least that much and scrolls, instead of cutting lines off."""
        page = self.currentWidget()
        if page is None or not page.hasHeightForWidth():
            return -1
        layout = page.layout()
        if isinstance(page, PageStack) or layout is None:
            return page.heightForWidth(width)
        # The least height, not the preferred one: the page's tables shrink before the page scrolls.
        return max(layout.totalMinimumHeightForWidth(width), page.minimumSizeHint().height())


def scrolling(widget: QWidget, name: str, parent: QWidget | None = None, *, follow_focus: bool = False) -> QScrollArea:
    """``widget`` in a frameless scroll area that gives it its whole room, and scrolls below its minimum.

    ``follow_focus``: the area also scrolls to a field the focus is moved to by hand (:class:`_FocusShown`)."""
    area = QScrollArea(parent)
    area.setObjectName(name)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(widget)
    # No Tab stop of its own: a frameless area shows no focus, so Tab seemed to vanish there once per
    # page (and once more around the intake steps). Tab to a widget inside still scrolls it into view.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if follow_focus:
        _FocusShown(area)
    return area


class _FocusShown(QObject):
    """Scrolls its area to the field that takes the focus inside it, however it got there: Qt does so for
    Tab only, and Enter in the intake's fields moves the focus on by hand (the next time limit stayed below
    the fold while it was typed into). A widget taller than the area (a table) is left where it is: Qt
    would centre it, a jump under the clerk's mouse. Dies with its area, and its connection with it."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.follow)

    def follow(self, _old: QWidget | None, now: QWidget | None) -> None:
        inside = self.area.widget()
        if (now is None or inside is None or not inside.isAncestorOf(now) or not now.isVisible()
                or now.height() >= self.area.viewport().height()):  # fmt: skip
            return
        self.area.ensureWidgetVisible(now, 16, 16)
