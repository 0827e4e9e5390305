"""The transactional outbox: a case changes only by an event written in the same transaction.

:func:`append_event` checks the event with the shared lifecycle (the hub runs the same check), moves
the case row to the new state and writes the event row with the next device-wide sequence number, all
inside the caller's transaction. If anything fails, neither the case nor the event is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import Conflict
from clerk_desk.domain.event_record import Origin, PushState
from clerk_desk.domain.lifecycle import CaseState, EventType, Side, Status, TransitionError, apply_event
from clerk_desk.store import changes
from clerk_desk.store.changes import ChangeKind
from clerk_desk.store.models import Case, CaseEvent, User, utcnow
from clerk_desk.store.sequences import next_event_seq

# What the clerk is told when the lifecycle refuses an act (the code comes from lifecycle.TransitionError).
_REFUSAL_ZH = {
    "stale_version": "该办件已被更新，请刷新后再操作",
    "illegal_transition": "该办件当前状态下不能进行此操作",
    "wrong_side": "此操作只能由另一方（窗口或后台）进行",
    "wrong_owner": "该办件目前由另一方负责，不能进行此操作",
    "not_requested": "窗口尚未申请撤回，后台不能撤回该办件",
    "pledge_open": "该办件已有未履行的容缺承诺",
    "no_pledge": "该办件没有容缺承诺",
    "already_requested": "已申请撤回，请等待后台处理",
}


def state_of(case: Case) -> CaseState:
    return CaseState(Status(case.status), case.version, case.pledge_open, case.withdrawal_requested)


def append_event(
    session: Session,
    case: Case,
    event_type: EventType,
    side: Side,
    *,
    actor: str,
    device_code: str,
    payload: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Apply one event to ``case`` and queue it for the hub; raises Conflict if the lifecycle refuses."""
    before = state_of(case)
    try:
        after = apply_event(before, event_type, side, before.version)
    except TransitionError as exc:
        raise Conflict(_REFUSAL_ZH.get(exc.code, exc.message), code=exc.code) from exc
    now = now or utcnow()
    payload = dict(payload or {})
    if "actor_name" not in payload:  # so a desk that does not know the account still shows who it was
        name = session.scalar(select(User.display_name).where(User.username == actor))
        if name:
            payload["actor_name"] = name
    event = CaseEvent(
        case_uuid=case.uuid,
        case_version=before.version,
        type=event_type.value,
        side=side.value,
        payload=payload,
        actor=actor,
        device_code=device_code,
        occurred_at=now,
        device_seq=next_event_seq(session, device_code),
        origin=Origin.LOCAL,
        push_state=PushState.PENDING,
    )
    case.status = after.status.value
    case.version = after.version
    case.pledge_open = after.pledge_open
    case.withdrawal_requested = after.withdrawal_requested
    case.updated_at = now
    session.add(event)
    changes.mark(session, ChangeKind.LOCAL, (case.uuid,))  # the screens showing it read it again (ui/case_watch.py)
    return event
