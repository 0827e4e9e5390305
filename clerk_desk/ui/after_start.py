"""What rests while the desk starts and comes back once the work after sign-in begins (docs/performance.md,
"Fifth round" and "Sixth round"): the cyclic garbage collector (ui/collector.py) and the log's rotation
(clerk_desk/log_file.py). A PC left at the sign-in dialog gets them back ``AT_LATEST_MS`` after the start."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, SignalInstance

from clerk_desk import log_file
from clerk_desk.ui import collector

AT_LATEST_MS = 10_000


def resume() -> None:
    """Everything back as after the start. Calling it again changes nothing."""
    collector.resume()
    log_file.rotate_from_now()


def when_started(started: SignalInstance, owner: QObject, at_latest_ms: int = AT_LATEST_MS) -> None:
    """:func:`resume` when ``started`` (the work after sign-in began) fires, or ``at_latest_ms`` from now."""
    started.connect(resume)
    QTimer.singleShot(at_latest_ms, owner, resume)
