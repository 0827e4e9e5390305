"""Where the hub builds a case's state: one place, so the desk's fold of a case's events can take it over.

The hub needs a case's state twice: to check a pushed event against the lifecycle (county_hub.push_plan)
and to answer ``GET /snapshot`` (county_hub.queries). Both read the ``cases`` table, a projection that
each push keeps in step with the log: per case the lifecycle's :class:`CaseState` (status, version, owner,
open pledge, withdrawal request), the case's place (site, department) and its first and last seq.

A state is made from a ``cases`` row (:func:`state_of`) and moved on by one event with the desk's own
fold step (:func:`advance` is ``clerk_desk.domain.case_fold.step``, the lifecycle's transition), so the
hub and every desk place an event the same way; what is written back is :func:`state_columns`. Where the
hub needs more of a case than its state, ``case_fold.fold_wire`` folds the hub's log into the same
``CaseView`` a desk shows (tests/sync/test_case_view_matches_hub.py). Nothing else in the hub turns rows
or events into a case's state (docs/architecture.md §6, §8).
"""

from __future__ import annotations

from typing import Any

from clerk_desk.domain.case_fold import step
from clerk_desk.domain.lifecycle import CaseState, Side, Status

# The columns of ``cases`` that hold the state (the rest: case_uuid, site and department, first_seq,
# last_seq, updated_at).
STATE_COLUMNS = ("status", "version", "owner", "pledge_open", "withdrawal_requested")


def state_of(status: str, version: int, pledge_open: bool, withdrawal_requested: bool) -> CaseState:
    """The state a ``cases`` row holds (``owner`` follows from the status)."""
    return CaseState(Status(status), version, bool(pledge_open), bool(withdrawal_requested))


def advance(state: CaseState, event_type: str, side: Side | str, case_version: int) -> CaseState:
    """The case's state after one more event; raises clerk_desk.domain.lifecycle.TransitionError."""
    return step(state, event_type, side, case_version)


def state_columns(state: CaseState) -> dict[str, Any]:
    """What a ``cases`` row keeps of a state, by column name (:data:`STATE_COLUMNS`)."""
    return {
        "status": state.status.value,
        "version": state.version,
        "owner": state.owner.value if state.owner is not None else None,
        "pledge_open": state.pledge_open,
        "withdrawal_requested": state.withdrawal_requested,
    }
