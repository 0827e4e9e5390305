"""Keeping the GUI thread's interpreter free while a worker builds or drops large structures.

Python runs one thread at a time; the GUI thread waits whenever a worker holds the interpreter in one
long step. Three such steps showed in a 5,000-item catalog import (benchmarks/catalog_follow.py): the
collector's full collections, which a few hundred thousand new objects trigger again and again (each
walks every object: 0.1-0.3 s, and 1.5 s of the import's time in all); a full collection to settle the
new search index; and freeing a structure of half a million objects at once (0.05 s). So the heavy work
runs with the collector paused (what it allocates dies by reference counting; what survives is frozen
out of later collections, gc.freeze), and large structures are dropped a piece at a time.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_paused = 0


SWITCH_S = 0.001  # while a worker is busy: the GUI thread gets the interpreter within 1 ms, not 5 ms
_switch = sys.getswitchinterval()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside (process-wide, so kept to a few seconds of work); afterwards what
    survived is frozen, so later collections never walk it. Meanwhile threads take turns every
    millisecond (sys.setswitchinterval), so the GUI thread is never kept waiting for the interpreter
    behind the worker for long. Nested and concurrent uses are counted."""
    global _paused, _switch
    with _lock:
        _paused += 1
        if _paused == 1:
            was = gc.isenabled()
            _switch = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch, SWITCH_S))
        else:
            was = True
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.freeze()
                sys.setswitchinterval(_switch)
                if was:
                    gc.enable()


def settle() -> None:
    """After loading a long-lived structure: move it out of the collector's way (gc.freeze) instead of a
    full collection. The young generations are collected first when the collector runs (they are small
    then); with the collector paused they hold everything made since, so they are frozen as they are."""
    if gc.isenabled():
        gc.collect(1)
    gc.freeze()


def release(value: Any, depth: int = 4) -> None:
    """Drop a large structure a piece at a time. Only containers nothing else refers to are emptied;
    anything shared is merely let go."""
    if depth < 0:
        return
    if isinstance(value, dict):
        while value:
            item = value.popitem()[1]
            if sys.getrefcount(item) <= 2:
                release(item, depth - 1)
            del item
    elif isinstance(value, list):
        while value:
            item = value.pop()
            if sys.getrefcount(item) <= 2:
                release(item, depth - 1)
            del item
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        attrs = vars(value)
        for name in list(attrs):
            item = attrs.pop(name)
            if sys.getrefcount(item) <= 2:
                release(item, depth - 1)
            del item
