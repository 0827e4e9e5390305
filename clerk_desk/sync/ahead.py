"""Run one hub call ahead on a helper thread while the sync thread works on the database.

Both directions of a catch-up overlap the desk's work with the hub's (docs/sync-protocol.md, "Catch-up
after a day offline"): the push sends the next batch while the answers to the last are recorded, the
pull fetches the next page while the last is applied. The helper thread only talks HTTP; every database
write stays on the sync thread.

The outcome comes back as a one-item list that :func:`take` empties: an exception kept in a Future (or in
a frame its traceback passes) makes a reference cycle, which held a failed connection open until the
garbage collector ran.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
Ahead = Future[list[Any]]


def helper() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="clerk-desk-sync-ahead")


def start(pool: ThreadPoolExecutor, call: Callable[..., T], *args: Any) -> Ahead:
    def run() -> list[Any]:
        try:
            return [call(*args)]
        except BaseException as exc:  # noqa: BLE001 - handed to take(), raised on the sync thread
            return [exc]

    return pool.submit(run)


def take(ahead: Ahead) -> Any:
    """The call's result, or its exception raised here."""
    outcome = ahead.result().pop()
    if isinstance(outcome, BaseException):
        try:
            raise outcome
        finally:
            outcome = None  # no cycle through this frame
    return outcome


def drop(ahead: Ahead | None) -> None:
    """Wait for a call nobody needs any more (so it is done with the client before the client closes)."""
    if ahead is not None:
        ahead.result().clear()
