"""The hand-over to the back office (流转后台) as every list row and case view tells it: when, how long it
took after acceptance, and whether within its 5 (urgent) / 15 (承诺件) minutes (plan 四(二)).

A module of its own, light to import: the window's case list reads it on the desk's start-up path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, EventType


@dataclass(frozen=True, slots=True)
class Transfer:
    """The hand-over to the back office (流转后台) and its 5 / 15 minutes."""

    due_at: datetime | None  # the window's deadline for the first hand-over
    limit_minutes: int
    first_at: datetime | None = None
    last_at: datetime | None = None  # the latest hand-over (after 补正: the re-transfer)
    took_s: int | None = None  # accepted -> first hand-over
    late: bool = False
    retransferred: bool = False  # the latest hand-over came back from 补正



def transfer_facts(accepted_at: datetime | None, urgent: bool,
                   handed: Iterable[tuple[str, datetime, bool]]) -> Transfer:  # fmt: skip
    """The hand-over facts from (event type, when, payload's ``late``) of transfers in order."""
    limit = TRANSFER_MINUTES[bool(urgent)]
    due = accepted_at + timedelta(minutes=limit) if accepted_at else None
    first: tuple[datetime, bool] | None = None
    last: tuple[str, datetime] | None = None
    for kind, at, late in handed:
        if kind == EventType.TRANSFERRED.value and first is None:
            first = (at, late)
        last = (kind, at)
    if first is None:
        return Transfer(due, limit, last_at=last[1] if last else None, retransferred=bool(last))
    took = int((first[0] - accepted_at).total_seconds()) if accepted_at else None
    return Transfer(
        due,
        limit,
        first[0],
        last[1] if last else first[0],
        took,
        first[1] or (took or 0) > limit * 60,
        bool(last and last[0] == EventType.RETRANSFERRED.value),
    )
