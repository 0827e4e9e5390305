"""One event of a case as the fold reads it (domain/case_fold.py), and where it stands with the hub.

A desk's case_events row and an entry of the hub's log both become an :class:`EventRecord`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class PushState(StrEnum):
    """Where an event of this desk stands with the county hub (sync/outbox.py); pulled events are stored."""

    PENDING = "pending"  # saved here, not yet sent
    IN_FLIGHT = "in_flight"  # sent, the hub has not answered yet
    STORED = "stored"  # the hub stored it
    DUPLICATE = "duplicate"  # the hub had it already (an answer lost on the way): stored
    REJECTED = "rejected"  # the hub refused it (the sync panel says why)
    HELD = "held"  # waits behind a rejected event of the same case
    SET_ASIDE = "set_aside"  # the clerk set a rejected case's events aside: kept, never sent

    @property
    def acked(self) -> bool:
        return self in (PushState.STORED, PushState.DUPLICATE)

    @property
    def waiting(self) -> bool:
        return self in (PushState.PENDING, PushState.IN_FLIGHT, PushState.HELD)


# Events the hub refused, or that wait behind one, or that the clerk set aside: kept, but not part of the case.
NOT_IN_CASE = (PushState.REJECTED, PushState.HELD, PushState.SET_ASIDE)


class Origin(StrEnum):
    LOCAL = "local"  # made on this desk (the outbox)
    HUB = "hub"  # pulled from the county hub


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event of a case as the fold reads it: a row of the desk's case_events, or an entry of the
    hub's log (:func:`case_fold.from_wire`). ``payload`` is read, never changed."""

    uuid: str
    type: str
    side: str
    case_version: int
    occurred_at: datetime
    actor: str
    payload: Mapping[str, Any]
    origin: Origin = Origin.HUB
    push_state: PushState = PushState.STORED
    hub_seq: int | None = None
    device_code: str = ""
    last_error: str | None = None

    @property
    def acked(self) -> bool:
        """Part of the history the hub confirmed (pulled, or our own the hub stored)."""
        return self.origin is Origin.HUB or self.push_state.acked
