"""Keeping what an approver typed and has not sent (decision drafts, 督办 answer drafts): the writes go to the
task runner one at a time, and only the latest text of each key waits.

One at a time because order matters: a keep still on its way must not land after the forget that follows the act
(the draft would come back for an act already taken). Latest only because nobody needs the words typed a second
ago once newer ones are there. A write that fails is logged by its kind, never with its text (it may name a
person), and the next one goes on (what is typed is still on screen and kept again at the next pause).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from clerk_desk.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class DraftWrites(Generic[K, V]):
    """``put(key, value)`` queues ``write(key, value)`` on the runner; a newer value for a key still waiting
    replaces it. ``write`` runs on a worker thread (it opens its own database session)."""

    def __init__(self, runner: TaskRunner, write: Callable[[K, V], object], kind: str) -> None:
        self.runner, self.write, self.kind = runner, write, kind
        self._waiting: dict[K, V] = {}
        self._busy = False

    def put(self, key: K, value: V) -> None:
        self._waiting[key] = value
        self._next()

    def _next(self) -> None:
        if self._busy or not self._waiting:
            return
        key = next(iter(self._waiting))
        value = self._waiting.pop(key)
        self._busy = True
        self.runner.submit(self.write, key, value, on_done=self._written, on_error=self._not_written)

    def _written(self, _result: object = None) -> None:
        self._busy = False
        self._next()

    def _not_written(self, exc: BaseException) -> None:
        log.warning("%s not kept: %s", self.kind, type(exc).__name__)
        self._written()
