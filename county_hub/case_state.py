"""Where the hub builds a case's state: one place, so the desk's fold of a case's events can take it over.

The hub needs a case's state twice: to check a pushed event against the lifecycle (county_hub.push_plan)
and to answer ``GET /snapshot`` (county_hub.queries). Both read the ``cases`` table, a projection that
each push keeps in step with the log: per case the lifecycle's :class:`CaseState` (status, version, owner,
open pledge, withdrawal request), the case's place (site, department) and its first and last seq.

Today a state is made from a ``cases`` row (:func:`state_of`) and moved on by one event with the lifecycle
table (:func:`advance`); what is written back is :func:`state_columns`. When clerk_desk.domain has a pure
fold of a case's events (issue #11, item 1), these three functions are the seam: ``advance`` becomes the
fold's step, and the row may carry more of the fold's view (a new hub migration adds the columns; the
writers in county_hub.storage write :func:`state_columns` as given). Nothing else in the hub turns rows
or events into a case's state.
"""

from __future__ import annotations

from typing import Any

from clerk_desk.domain.lifecycle import CaseState, Side, Status, apply_event

# The columns of ``cases`` that hold the state (the rest: case_uuid, site and department, first_seq,
# last_seq, updated_at).
STATE_COLUMNS = ("status", "version", "owner", "pledge_open", "withdrawal_requested")


def state_of(status: str, version: int, pledge_open: bool, withdrawal_requested: bool) -> CaseState:
    """The state a ``cases`` row holds (``owner`` follows from the status)."""
    return CaseState(Status(status), version, bool(pledge_open), bool(withdrawal_requested))


def advance(state: CaseState, event_type: str, side: Side | str, case_version: int) -> CaseState:
    """The case's state after one more event; raises clerk_desk.domain.lifecycle.TransitionError."""
    return apply_event(state, event_type, side, case_version)


def state_columns(state: CaseState) -> dict[str, Any]:
    """What a ``cases`` row keeps of a state, by column name (:data:`STATE_COLUMNS`)."""
    return {
        "status": state.status.value,
        "version": state.version,
        "owner": state.owner.value if state.owner is not None else None,
        "pledge_open": state.pledge_open,
        "withdrawal_requested": state.withdrawal_requested,
    }
