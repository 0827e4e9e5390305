"""Python's cyclic garbage collector around the start (docs/performance.md, "Fifth round").

The GUI entry (clerk_desk/__main__.py) pauses the collector before anything is imported: every pass would
walk again the objects the start is making (modules, classes, widgets: ~130,000 by the first page). When the
work that follows sign-in begins, :func:`resume` freezes what is there (``gc.freeze``: later passes skip it)
and lets the collector run; a full collection of it instead held the GUI thread 45-50 ms, a second after the
first page, while the clerk may already be scrolling. Frozen objects are never collected, so at sign-out,
when the session's objects (in cycles with their slots) become garbage, :func:`thaw` gives them back.
"""

from __future__ import annotations

import gc


def resume() -> None:
    """Freeze what the start made and let the collector run. A no-op when it is running already."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def thaw() -> None:
    """The frozen objects go back to the collector (a signed-out session's may be garbage now)."""
    gc.unfreeze()
