"""Every dialog opens inside the screen, tall enough for its wrapped text.

Watched per dialog (:func:`watch`: ui/widgets.dialog_layout does it for every dialog of the desk, ui/notify
and the sync's message boxes for theirs), not on the application: a filter on the application sees every
event of every object and, in PySide6, makes each new Qt type it meets build its Python enums — ~45 ms of
the start for the two filters the desk had there (docs/performance.md). When a dialog is first shown it grows to the height its
wrapped lines need at its width (Qt sizes a new dialog from hints that leave that out, and then squeezes
its group boxes), and is then bounded to the screen's free area with room for its frame and moved inside
it: a dialog that asked for more (the sync panel's 1100×640 on a 1366×768 screen at 150 %) gets what the
screen has. A dialog whose fields need more height than that keeps them in a scroll area
(:func:`clerk_desk.ui.widgets.scroll_body`). A dialog already on screen whose content grows (an error line
shows up) grows with it, never shrinks.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from clerk_desk.ui.window_geometry import FRAME

FITTED = "clerkDeskScreenFitted"
WATCHED = "clerkDeskScreenWatched"


def fit_dialog(dialog: QWidget) -> None:
    screen = dialog.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    room = screen.availableGeometry().marginsRemoved(FRAME)
    size = dialog.size()
    if dialog.hasHeightForWidth():
        size.setHeight(max(size.height(), dialog.heightForWidth(size.width())))
    size = size.boundedTo(room.size()).expandedTo(dialog.minimumSize())
    if size != dialog.size():
        dialog.resize(size)
    frame = QRect(dialog.pos(), dialog.size())
    if not room.contains(frame):
        x = min(max(frame.x(), room.left()), max(room.left(), room.right() - frame.width() + 1))
        y = min(max(frame.y(), room.top()), max(room.top(), room.bottom() - frame.height() + 1))
        dialog.move(QPoint(x, y))


def grow_to_fit(dialog: QWidget) -> None:
    """A shown dialog whose content grew (an error line appeared, a message wrapped to a second line)
    grows in height to what its wrapped lines need, within the screen; it never shrinks."""
    if not shiboken6.isValid(dialog) or not dialog.isVisible() or not dialog.hasHeightForWidth():
        return
    need = dialog.heightForWidth(dialog.width())
    if need > dialog.height():
        fit_dialog(dialog)


class ScreenFit(QObject):
    """Fits the dialog it watches (its parent)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow() \
                and not watched.property(FITTED):  # fmt: skip
            watched.setProperty(FITTED, True)  # once: a dialog the clerk resized keeps its size
            fit_dialog(watched)
        elif kind == QEvent.Type.LayoutRequest and isinstance(watched, QDialog) and watched.property(FITTED):
            # after the layout has taken the change in (this filter runs before it does)
            QTimer.singleShot(0, lambda d=watched: grow_to_fit(d))
        return False


def watch(dialog: QDialog) -> None:
    """Fit ``dialog`` to the screen when it is first shown, and let it grow with its content."""
    if not dialog.property(WATCHED):
        dialog.setProperty(WATCHED, True)
        dialog.installEventFilter(ScreenFit(dialog))
