"""The store's one change notification: after a transaction commits, which cases it changed and why.

Whatever writes a case marks it in its unit of work (:func:`mark`): a local act (services/case_events),
sync applying pulled events, the hub's answers to a push, events going out and coming back to pending
(sync/apply.py, sync/outbox.py). When the transaction commits, the database calls its commit listeners
once with a :class:`Changes` (store/database.py); a transaction that rolls back says nothing. Listeners
run on the committing thread (a worker, the sync thread) and must be quick: the desk's screens hand the
news over to the GUI thread and read again there (ui/case_watch.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ChangeKind(StrEnum):
    LOCAL = "local"  # an act on this desk (intake, transfer, a back-office act, a print, set aside …)
    PULLED = "pulled"  # sync applied events other desks made
    ACKED = "acked"  # the hub answered a push (stored, or returned): the push state changed
    SENDING = "sending"  # events went out to the hub, or back to pending to be sent again
    PURGED = "purged"  # personal data left after the retention period
    RECOUNTED = "recounted"  # due dates counted again when the year's calendar arrived (services/due_dates.py)


@dataclass(frozen=True, slots=True)
class Changes:
    """What one committed write transaction changed: the cases it touched and the kinds of other data."""

    cases: frozenset[str] = frozenset()  # the case uuids the transaction changed
    kinds: frozenset[ChangeKind] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.cases or self.kinds)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.cases | other.cases, self.kinds | other.kinds)


NOTHING = Changes()
_KEY = "clerk_desk_changes"


def mark(unit: Any, kind: ChangeKind, case_uuids: Iterable[str]) -> None:
    """Record in a unit of work (an ORM session, or anything with an ``info`` dict) that it changes
    these cases; said to the listeners when it commits."""
    found: dict[str, Any] = unit.info.setdefault(_KEY, {"cases": set(), "kinds": set()})
    found["cases"].update(case_uuids)
    found["kinds"].add(kind)


def take(unit: Any) -> Changes:
    """What the unit of work marked (and forget it): at its commit, or at its rollback."""
    found = unit.info.pop(_KEY, None)
    if not found:
        return NOTHING
    return Changes(frozenset(found["cases"]), frozenset(found["kinds"]))
