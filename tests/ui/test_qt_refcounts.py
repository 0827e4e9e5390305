"""Guard against Qt bindings that leak references to None/True (PySide6 6.12.0 on Python 3.11 aborts a
long-running desk with ``bool_dealloc`` after a few hundred signal emits)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(bool)


def test_signal_emits_and_void_calls_keep_reference_counts(qapp: object) -> None:
    o = _Emitter()
    got = [0]

    def count(_value: bool) -> None:
        got[0] += 1

    o.fired.connect(count)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        o.fired.emit(True)
        o.setObjectName("emitter")
    assert got[0] == 200
    # Other threads may hold a few more or fewer references meanwhile; a leak loses one per call.
    assert abs(sys.getrefcount(True) - true_before) < 50
    assert abs(sys.getrefcount(None) - none_before) < 100
