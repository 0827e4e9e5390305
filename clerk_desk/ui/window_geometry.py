"""Where the main window opens: as the Windows account left it (size, place, maximised), always inside the
screen's available area (docs/ui.md, "The main window on the screen").

Kept per OS user (QSettings in the user's profile), not in the data folder's desk-settings.ini: one clerk's
window layout is theirs, and a hall PC is shared. A saved place that no longer fits (the PC moved to a
smaller screen, a higher scaling) is clamped into the available area; with nothing saved the window takes
:data:`DEFAULT_SIZE`, or opens maximised when that does not fit with its frame (1366×768 with a taskbar).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QSettings, QSize

DEFAULT_SIZE = QSize(1180, 760)
MIN_SIZE = QSize(640, 420)  # below this the pages scroll inside the window (ui/main_window.py)
# The frame Windows draws around a window before Qt can ask (borders and title bar, logical pixels).
FRAME = QMargins(8, 31, 8, 8)
KEY_GEOMETRY = "mainWindow/geometry"  # x, y, width, height of the normal (not maximised) window
KEY_MAXIMISED = "mainWindow/maximised"


@dataclass(frozen=True)
class Placement:
    """Where the main window was left: its normal geometry and whether it was maximised."""

    rect: QRect  # the window's normal geometry (without its frame)
    maximised: bool


def fit(rect: QRect, available: QRect, frame: QMargins = FRAME) -> QRect:
    """``rect`` made small enough for ``available`` with its frame, and moved inside it."""
    room = available.size().shrunkBy(frame)
    size = rect.size().boundedTo(room).expandedTo(MIN_SIZE.boundedTo(room))
    left_most = available.left() + frame.left()
    top_most = available.top() + frame.top()
    x = min(max(rect.x(), left_most), available.right() - frame.right() - size.width() + 1)
    y = min(max(rect.y(), top_most), available.bottom() - frame.bottom() - size.height() + 1)
    return QRect(QPoint(x, y), size)


def initial(available: QRect, saved: Placement | None, frame: QMargins = FRAME) -> Placement:
    """Where the window opens on a screen whose free area is ``available``."""
    if saved is not None:
        return Placement(fit(saved.rect, available, frame), saved.maximised)
    room = available.size().shrunkBy(frame)
    fits = DEFAULT_SIZE.width() <= room.width() and DEFAULT_SIZE.height() <= room.height()
    size = DEFAULT_SIZE.boundedTo(room)
    centred = QRect(QPoint(0, 0), size)
    centred.moveCenter(available.center())
    return Placement(fit(centred, available, frame), maximised=not fits)


def read(settings: QSettings) -> Placement | None:
    raw = settings.value(KEY_GEOMETRY)
    if raw is None:
        return None
    try:
        x, y, w, h = (int(v) for v in (raw if isinstance(raw, list) else str(raw).split(",")))
    except (TypeError, ValueError):
        return None  # a hand-edited or damaged value: open as on a new PC
    if w <= 0 or h <= 0:
        return None
    maximised = str(settings.value(KEY_MAXIMISED, "false")).lower() in ("true", "1")
    return Placement(QRect(x, y, w, h), maximised)


def write(settings: QSettings, placement: Placement) -> None:
    r = placement.rect
    settings.setValue(KEY_GEOMETRY, f"{r.x()},{r.y()},{r.width()},{r.height()}")
    settings.setValue(KEY_MAXIMISED, placement.maximised)
    settings.sync()
