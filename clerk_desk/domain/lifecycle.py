"""The case lifecycle: every event, who owns the case in each state, the allowed transitions.

One table, one function (:func:`apply_event`); the desk calls it before writing an event to its outbox
and the county hub calls it before appending an event to its log, so both sides agree by construction.

Ownership (docs/architecture.md §3): the window owns a case from intake until transfer; the back office from
transfer until it decides or sends it back for 补正; then the window again until delivery and archiving.
Only the owner's side may emit an event that changes the case's state. The other side may only *ask*
(``withdrawal_requested``) or annotate (printing, pledge follow-up), which never moves the state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Side(StrEnum):
    WINDOW = "window"
    BACK_OFFICE = "back_office"


class Status(StrEnum):
    NEW = "new"  # no event yet
    DRAFT = "draft"  # intake_saved: a half-finished intake
    ACCEPTED = "accepted"  # 受理, waiting for transfer at the window
    COMPLETED = "completed"  # 即办件 finished on the spot
    NOTIFIED = "notified"  # 一次性告知 given, not accepted
    REFUSED = "refused"  # 不予受理
    TRANSFERRED = "transferred"  # handed to the back office, not yet signed for
    IN_REVIEW = "in_review"  # 签收: the back office has the paper
    PAUSED = "paused"  # 特别程序: the clock is stopped
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 退回补正: back at the window
    DECIDED = "decided"  # the back office decided; result not yet at the window
    RESULT_AT_WINDOW = "result_at_window"  # result returned, waiting for hand-over (出件)
    DELIVERED = "delivered"  # handed to the applicant
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"


class EventType(StrEnum):
    INTAKE_SAVED = "intake_saved"
    ACCEPTED = "accepted"
    COMPLETED_ON_SPOT = "completed_on_spot"
    SUPPLEMENT_NOTIFIED = "supplement_notified"
    REFUSED = "refused"
    PLEDGE_RECORDED = "pledge_recorded"
    PLEDGE_FULFILLED = "pledge_fulfilled"
    PLEDGE_OVERDUE = "pledge_overdue"
    TRANSFERRED = "transferred"
    RETRANSFERRED = "retransferred"
    RECEIVED = "received"
    CLOCK_PAUSED = "clock_paused"
    CLOCK_RESUMED = "clock_resumed"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    DECIDED = "decided"
    RESULT_RETURNED = "result_returned"
    DELIVERED = "delivered"
    WITHDRAWAL_REQUESTED = "withdrawal_requested"
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"
    DOCUMENT_PRINTED = "document_printed"
    REPRINTED = "reprinted"
    # -- supervision (docs/supervision.md): annotations, never a change of state ---------------------
    SUPERVISION_ISSUED = "supervision_issued"  # 督办单: a hall supervisor asks the holder to explain
    SUPERVISION_ANSWERED = "supervision_answered"  # the holder's 说明
    VIOLATION_EXCUSED = "violation_excused"  # a late transfer or decision excused, with the reason
    # -- hall services (docs/hall-services.md): annotations that never move a case --------------
    RATED = "rated"  # 好差评: the applicant's rating of the service, at hand-over or on the spot
    RATING_FOLLOWED_UP = "rating_followed_up"  # the supervisor's return call on a 不满意 rating
    # --- hall operations (docs/hall-operations.md): annotations that never move the case's state ---
    APPLICANT_NOTIFIED = "applicant_notified"  # the window called the applicant about the result: reached or not
    MATERIALS_VERIFIED = "materials_verified"  # 当面核实 at 签收: each material 已核实 / 有问题 (with the note)
    PAPER_FILED = "paper_filed"  # the department filed the paper it signed for (一天一归档 by each 审批单位)


# The window hands an accepted case to the back office within this many minutes: urgent / 承诺件
# (plan 四(二)). Met by the window's own transfer event and the paper hand-over, not by the hub.
TRANSFER_MINUTES = {True: 5, False: 15}

OWNER: dict[Status, Side | None] = {
    Status.NEW: Side.WINDOW,
    Status.DRAFT: Side.WINDOW,
    Status.ACCEPTED: Side.WINDOW,
    Status.COMPLETED: Side.WINDOW,
    Status.NOTIFIED: Side.WINDOW,
    Status.REFUSED: Side.WINDOW,
    Status.TRANSFERRED: Side.BACK_OFFICE,
    Status.IN_REVIEW: Side.BACK_OFFICE,
    Status.PAUSED: Side.BACK_OFFICE,
    Status.SUPPLEMENT_REQUESTED: Side.WINDOW,
    Status.DECIDED: Side.BACK_OFFICE,
    Status.RESULT_AT_WINDOW: Side.WINDOW,
    Status.DELIVERED: Side.WINDOW,
    Status.WITHDRAWN: None,
    Status.ARCHIVED: None,
}

# States where the case is closed for good (nothing but printing, filing its paper, and archiving a withdrawn
# file, may follow).
TERMINAL: frozenset[Status] = frozenset({Status.NOTIFIED, Status.WITHDRAWN, Status.ARCHIVED})

_OPEN_IN_BACK_OFFICE = (Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED)
_ANY_AFTER_INTAKE = tuple(s for s in Status if s not in (Status.NEW, Status.DRAFT))


@dataclass(frozen=True)
class Rule:
    """One row of the table: from which states, by which side, to which state (None: unchanged)."""

    sources: tuple[Status, ...]
    side: Side | None  # None: either side may emit it
    target: Status | None
    changes_case: bool = True  # False for annotations the non-owner may also make


TRANSITIONS: dict[EventType, Rule] = {
    EventType.INTAKE_SAVED: Rule((Status.NEW, Status.DRAFT), Side.WINDOW, Status.DRAFT),
    EventType.ACCEPTED: Rule((Status.NEW, Status.DRAFT), Side.WINDOW, Status.ACCEPTED),
    EventType.COMPLETED_ON_SPOT: Rule((Status.NEW, Status.DRAFT), Side.WINDOW, Status.COMPLETED),
    EventType.SUPPLEMENT_NOTIFIED: Rule((Status.NEW, Status.DRAFT), Side.WINDOW, Status.NOTIFIED),
    EventType.REFUSED: Rule((Status.NEW, Status.DRAFT), Side.WINDOW, Status.REFUSED),
    EventType.PLEDGE_RECORDED: Rule((Status.ACCEPTED,), Side.WINDOW, None),
    # The applicant brings the owed material to the window, or straight to the back office, whoever owns the
    # case by then (docs/hall-operations.md, "容缺 pledges").
    EventType.PLEDGE_FULFILLED: Rule(
        (Status.ACCEPTED, *_OPEN_IN_BACK_OFFICE, Status.SUPPLEMENT_REQUESTED, Status.RESULT_AT_WINDOW),
        None,
        None,
        changes_case=False,
    ),
    EventType.PLEDGE_OVERDUE: Rule(
        (Status.ACCEPTED, *_OPEN_IN_BACK_OFFICE, Status.SUPPLEMENT_REQUESTED, Status.RESULT_AT_WINDOW),
        None,
        None,
        changes_case=False,
    ),
    EventType.TRANSFERRED: Rule((Status.ACCEPTED,), Side.WINDOW, Status.TRANSFERRED),
    EventType.RETRANSFERRED: Rule((Status.SUPPLEMENT_REQUESTED,), Side.WINDOW, Status.TRANSFERRED),
    EventType.RECEIVED: Rule((Status.TRANSFERRED,), Side.BACK_OFFICE, Status.IN_REVIEW),
    EventType.CLOCK_PAUSED: Rule((Status.IN_REVIEW,), Side.BACK_OFFICE, Status.PAUSED),
    EventType.CLOCK_RESUMED: Rule((Status.PAUSED,), Side.BACK_OFFICE, Status.IN_REVIEW),
    EventType.SUPPLEMENT_REQUESTED: Rule(
        (Status.IN_REVIEW, Status.PAUSED), Side.BACK_OFFICE, Status.SUPPLEMENT_REQUESTED
    ),
    EventType.DECIDED: Rule((Status.IN_REVIEW,), Side.BACK_OFFICE, Status.DECIDED),
    EventType.RESULT_RETURNED: Rule((Status.DECIDED,), Side.BACK_OFFICE, Status.RESULT_AT_WINDOW),
    EventType.DELIVERED: Rule((Status.RESULT_AT_WINDOW,), Side.WINDOW, Status.DELIVERED),
    EventType.WITHDRAWAL_REQUESTED: Rule(_OPEN_IN_BACK_OFFICE, Side.WINDOW, None, changes_case=False),
    # Withdrawal by the owner: the window for cases it holds; the back office only after the window asked.
    EventType.WITHDRAWN: Rule(
        (Status.DRAFT, Status.ACCEPTED, Status.SUPPLEMENT_REQUESTED, *_OPEN_IN_BACK_OFFICE), None, Status.WITHDRAWN
    ),
    EventType.ARCHIVED: Rule(
        (Status.COMPLETED, Status.REFUSED, Status.DELIVERED, Status.WITHDRAWN), Side.WINDOW, Status.ARCHIVED
    ),
    EventType.DOCUMENT_PRINTED: Rule(_ANY_AFTER_INTAKE, None, None, changes_case=False),
    EventType.REPRINTED: Rule(_ANY_AFTER_INTAKE, None, None, changes_case=False),
    # -- supervision (docs/supervision.md): either side may carry them; the hub lets only a supervisor
    # issue a 督办单 or excuse a violation (county_hub/admission.py), and the holders answer.
    EventType.SUPERVISION_ISSUED: Rule(
        tuple(s for s in _ANY_AFTER_INTAKE if s not in TERMINAL), None, None, changes_case=False
    ),
    EventType.SUPERVISION_ANSWERED: Rule(_ANY_AFTER_INTAKE, None, None, changes_case=False),
    EventType.VIOLATION_EXCUSED: Rule(_ANY_AFTER_INTAKE, None, None, changes_case=False),
    # -- hall services: recorded at the window whoever holds the case; the state never moves ---------
    EventType.RATED: Rule(_ANY_AFTER_INTAKE, Side.WINDOW, None, changes_case=False),
    EventType.RATING_FOLLOWED_UP: Rule(_ANY_AFTER_INTAKE, Side.WINDOW, None, changes_case=False),
    # --- hall operations (docs/hall-operations.md) ---
    EventType.APPLICANT_NOTIFIED: Rule((Status.RESULT_AT_WINDOW,), Side.WINDOW, None, changes_case=False),
    EventType.MATERIALS_VERIFIED: Rule(
        (Status.IN_REVIEW, Status.PAUSED), Side.BACK_OFFICE, None, changes_case=False
    ),
    # from the hand-over on, and after the case closed: a case withdrawn (or archived) during the day keeps the
    # paper the department holds until it files it that evening; the desk files only paper handed over and
    # not filed yet (domain/paper_custody.py, services/department_archive.py)
    EventType.PAPER_FILED: Rule(
        (Status.IN_REVIEW, Status.PAUSED, Status.SUPPLEMENT_REQUESTED, Status.DECIDED, Status.RESULT_AT_WINDOW,
         Status.DELIVERED, Status.WITHDRAWN, Status.ARCHIVED),
        Side.BACK_OFFICE,
        None,
        changes_case=False,
    ),
}


@dataclass(frozen=True)
class CaseState:
    """What the rules need to know of a case: its status, version and open flags."""

    status: Status = Status.NEW
    version: int = 0  # number of events applied; an event names the version it was made against
    pledge_open: bool = False
    withdrawal_requested: bool = False

    @property
    def owner(self) -> Side | None:
        return OWNER[self.status]


class TransitionError(ValueError):
    """An event the lifecycle does not allow. ``code`` is stable (for the hub's answers and the UI)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def allowed_events(state: CaseState, side: Side) -> list[EventType]:
    """Events ``side`` may emit on a case in ``state`` (for enabling buttons)."""
    out = []
    for event_type in EventType:
        try:
            apply_event(state, event_type, side, state.version)
        except TransitionError:
            continue
        out.append(event_type)
    return out


def apply_event(state: CaseState, event_type: EventType | str, side: Side | str, expected_version: int) -> CaseState:
    """Check one event against the table and return the case state after it.

    Raises :class:`TransitionError` (never anything else) for an unknown type, a stale version, the
    wrong side, or a transition the table does not list.
    """
    try:
        et = EventType(event_type)
    except ValueError:
        raise TransitionError("unknown_event", f"unknown event type {event_type!r}") from None
    try:
        sd = Side(side)
    except ValueError:
        raise TransitionError("unknown_side", f"unknown side {side!r}") from None
    if expected_version != state.version:
        raise TransitionError(
            "stale_version",
            f"event made against case version {expected_version}, the case is at version {state.version}",
        )
    rule = TRANSITIONS[et]
    if state.status not in rule.sources:
        raise TransitionError("illegal_transition", f"{et.value} is not allowed when the case is {state.status.value}")
    if rule.side is not None and rule.side is not sd:
        raise TransitionError("wrong_side", f"{et.value} may only come from the {rule.side.value}")
    if et is EventType.WITHDRAWN:
        owner = state.owner
        if owner is not sd:
            raise TransitionError("wrong_owner", f"only the {owner} may withdraw a case it holds")
        if sd is Side.BACK_OFFICE and not state.withdrawal_requested:
            raise TransitionError("not_requested", "the back office may withdraw a case only after the window asks")
    elif rule.changes_case and rule.target is not None and state.owner not in (None, sd):
        # A closed case (withdrawn) has no owner; the rule's side alone decides who may archive it.
        raise TransitionError("wrong_owner", f"the case is held by the {state.owner}, not the {sd.value}")
    if et is EventType.PLEDGE_RECORDED and state.pledge_open:
        raise TransitionError("pledge_open", "a pledge is already open on this case")
    if et in (EventType.PLEDGE_FULFILLED, EventType.PLEDGE_OVERDUE) and not state.pledge_open:
        raise TransitionError("no_pledge", "the case has no open pledge")
    if et is EventType.WITHDRAWAL_REQUESTED and state.withdrawal_requested:
        raise TransitionError("already_requested", "withdrawal was already requested")

    new = replace(state, version=state.version + 1)
    if rule.target is not None:
        new = replace(new, status=rule.target)
    if et is EventType.PLEDGE_RECORDED:
        new = replace(new, pledge_open=True)
    elif et is EventType.PLEDGE_FULFILLED:
        new = replace(new, pledge_open=False)
    elif et is EventType.WITHDRAWAL_REQUESTED:
        new = replace(new, withdrawal_requested=True)
    if state.owner is Side.BACK_OFFICE and new.owner is Side.WINDOW:
        # Back at the window, a pending request is moot (the window may withdraw itself); keeping it
        # would block a new request and let the back office withdraw later without one.
        new = replace(new, withdrawal_requested=False)
    return new


def replay(events: list[tuple[EventType | str, Side | str]]) -> CaseState:
    """Fold a case's events (in order) into its state; raises TransitionError at the first bad one."""
    state = CaseState()
    for event_type, side in events:
        state = apply_event(state, event_type, side, state.version)
    return state
