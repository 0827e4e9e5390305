"""What the idle lock's application event filter costs per event (ui/idle_lock.py, IdleWatch).

    .venv/bin/python benchmarks/idle_watch.py [--events 200000]

Every event the desk handles passes the filter (it only notes the time of keyboard and mouse input), so
its cost is per event, whatever the event. Sends the same mix of events (paint, timer, key, mouse move,
a custom one) through QCoreApplication.sendEvent to a widget, with and without the filter, in turns, and
prints µs per event and what that comes to at a busy desk's rate. Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from clerk_desk.ui.idle_lock import IdleWatch  # noqa: E402


def events() -> list[QEvent]:
    return [
        QEvent(QEvent.Type.UpdateRequest),
        QEvent(QEvent.Type.User),
        QEvent(QEvent.Type.StyleChange),
        QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"),
        QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(5, 5),
            QPointF(5, 5),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    ]


def run(widget: QWidget, mix: list[QEvent], n: int) -> float:
    """µs per event."""
    send = QCoreApplication.sendEvent
    start = time.perf_counter()
    for i in range(n):
        send(widget, mix[i % len(mix)])
    return (time.perf_counter() - start) / n * 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    widget = QWidget()
    mix = events()
    watch = IdleWatch(time.monotonic)
    bare, watched = [], []
    for _ in range(args.rounds):
        bare.append(run(widget, mix, args.events))
        app.installEventFilter(watch)
        watched.append(run(widget, mix, args.events))
        app.removeEventFilter(watch)
    b, w = statistics.median(bare), statistics.median(watched)
    print(f"events per round: {args.events:,} ({len(mix)} kinds in turn), {args.rounds} rounds, medians")
    print(f"without the filter: {b:.2f} µs/event")
    print(f"with the filter:    {w:.2f} µs/event  (+{w - b:.2f} µs, x{w / b:.2f})")
    for rate in (500, 2000, 10_000):
        print(
            f"at {rate:>6,} events/s the filter costs {(w - b) * rate / 1000:.2f} ms per second "
            f"({(w - b) * rate / 1e4:.3f} % of one core)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
