"""撤回: the applicant withdraws an application, at the window, whoever holds the case.

Who may do what follows the lifecycle's ownership (docs/architecture.md §3, domain/lifecycle.py):

* the case is at the window (accepted and not yet handed over, or sent back for 补正): the window
  withdraws it at once (``withdrawn``, window side);
* the case is in the back office (transferred, signed for, in a 特别程序, decided but not yet
  returned): the window may only ask — it records the applicant's request (``withdrawal_requested``,
  which does not change the case) and the case shows 撤回申请中; the back office then accepts it
  (``withdrawn``, back-office side) from its case page.

The back office has no event to decline a request: a withdrawal is the applicant's to make while the
matter is undecided, so an approver who does not act on it simply carries on. The request stays in the
timeline; once the case comes back to the window (补正, or the result returned) the lifecycle drops the
pending request, and the window may withdraw there itself.

Who asked is recorded (the applicant, or the agent named at intake) with the ID card checked, the
same as 出件. Each act is one transaction: the case row and its outbox event
(:func:`services.case_events.append_event`). No personal data goes into the payloads: the person is
named by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.services.approvals import ActionResult, Approver, _check_approver, check_device_side
from clerk_desk.services.case_events import append_event, state_of
from clerk_desk.services.case_queries import STATUS_ZH, withdrawal_act
from clerk_desk.services.intake import Clerk
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, utcnow

# Where the case is decides what the window may do (the lifecycle's owners).
AT_WINDOW = frozenset({Status.DRAFT.value, Status.ACCEPTED.value, Status.SUPPLEMENT_REQUESTED.value})
IN_BACK_OFFICE = frozenset({Status.TRANSFERRED.value, Status.IN_REVIEW.value, Status.PAUSED.value,
                            Status.DECIDED.value})
REQUESTERS = {"applicant": "申请人本人", "agent": "代理人"}
MAX_TEXT = 500


@dataclass(frozen=True)
class Withdrawal:
    """What the clerk records when the applicant (or the agent) withdraws or asks to withdraw."""

    reason: str
    requested_by: str = "applicant"  # applicant | agent
    id_checked: bool = False  # the person's ID card was checked at the window


@dataclass(frozen=True)
class WithdrawalResult:
    case_uuid: str
    case_number: str
    event: str  # withdrawn | withdrawal_requested
    status: str
    status_zh: str
    at: datetime


def window_act(case: Case) -> str | None:
    """What the window may offer on a case: "withdraw" (at once), "request" (ask the back office), or
    None (closed, already asked, or past the decision). The lifecycle decides (case_queries)."""
    return withdrawal_act(state_of(case))


def _device_code(s: Session) -> str:
    return this_device.device_code(s)


def _case(s: Session, case_uuid: str) -> Case:
    case = s.get(Case, case_uuid)
    if case is None:
        raise NotFound("找不到该办件")
    return case


def _check_window_pc(s: Session, case: Case) -> None:
    """On an enrolled PC the window's acts need a window PC (the hub refuses a whole push otherwise)."""
    try:
        check_device_side(s, Side.WINDOW, case.site_code, case.department_code)
    except Conflict as exc:
        if exc.code != "wrong_device":
            raise
        raise Conflict("本机登记为后台审批电脑，撤回须在窗口电脑上办理", code="wrong_device") from exc


def _status_zh(case: Case) -> str:
    return STATUS_ZH[Status(case.status)]


def _check_input(w: Withdrawal, case: Case) -> str:
    reason = (w.reason or "").strip()
    problems = []
    if not reason:
        problems.append("请填写撤回理由")
    elif len(reason) > MAX_TEXT:
        problems.append(f"撤回理由过长（最多 {MAX_TEXT} 字）")
    if w.requested_by not in REQUESTERS:
        problems.append("请选择提出撤回的人：申请人本人或代理人")
    elif w.requested_by == "agent" and case.agent_id is None:
        problems.append("该办件没有代理人，撤回须由申请人本人提出")
    if not w.id_checked:
        problems.append("请核验提出撤回者的身份证件")
    if problems:
        raise InputError("；".join(problems))
    return reason


def _payload(case: Case, w: Withdrawal, reason: str, clerk: Clerk, head: str) -> dict[str, Any]:
    person = case.applicant_id if w.requested_by == "applicant" else case.agent_id
    return {
        "case_number": case.case_number, "reason": reason, "requested_by": w.requested_by,
        "requester_id": person, "id_checked": True, "window_id": clerk.window_id,
        "summary": f"{head}（{REQUESTERS[w.requested_by]}，已核验身份证件）：{reason}",
    }


def _result(case: Case, event: EventType, now: datetime) -> WithdrawalResult:
    return WithdrawalResult(case.uuid, case.case_number or "", event.value, case.status, _status_zh(case), now)


def withdraw(db: Database, case_uuid: str, clerk: Clerk, w: Withdrawal, *, now: datetime | None = None) -> WithdrawalResult:
    """撤回 at the window: the case is still (or again) at the window, so it is withdrawn at once."""
    now = now or utcnow()
    with db.transaction() as s:
        case = _case(s, case_uuid)
        if case.status in IN_BACK_OFFICE:
            raise Conflict("该办件已流转后台，不能在窗口直接撤回：请办理“申请撤回”，由后台同意后撤回"
                           f"（当前状态：{_status_zh(case)}）", code="wrong_owner")
        if case.status not in AT_WINDOW:
            raise Conflict(f"该办件已办结或已关闭，不能撤回（当前状态：{_status_zh(case)}）",
                           code="illegal_transition")
        reason = _check_input(w, case)
        _check_window_pc(s, case)
        append_event(s, case, EventType.WITHDRAWN, Side.WINDOW, actor=clerk.username, device_code=_device_code(s),
                     now=now, payload=_payload(case, w, reason, clerk, "申请人撤回申请"))
        return _result(case, EventType.WITHDRAWN, now)


def request_withdrawal(
    db: Database, case_uuid: str, clerk: Clerk, w: Withdrawal, *, now: datetime | None = None,
) -> WithdrawalResult:
    """申请撤回: the case is in the back office; the window records the applicant's request for it."""
    now = now or utcnow()
    with db.transaction() as s:
        case = _case(s, case_uuid)
        if case.status in AT_WINDOW:
            raise Conflict(f"该办件在窗口，可直接撤回，无需向后台申请（当前状态：{_status_zh(case)}）",
                           code="illegal_transition")
        if case.status not in IN_BACK_OFFICE:
            raise Conflict(f"该办件已不在后台办理中，不能申请撤回（当前状态：{_status_zh(case)}）",
                           code="illegal_transition")
        if case.withdrawal_requested:
            raise Conflict("已申请撤回，请等待后台处理", code="already_requested")
        reason = _check_input(w, case)
        _check_window_pc(s, case)
        append_event(s, case, EventType.WITHDRAWAL_REQUESTED, Side.WINDOW, actor=clerk.username,
                     device_code=_device_code(s), now=now, payload=_payload(case, w, reason, clerk, "申请撤回"))
        return _result(case, EventType.WITHDRAWAL_REQUESTED, now)


def accept_withdrawal(
    db: Database, case_uuid: str, approver: Approver, *, note: str = "", now: datetime | None = None,
) -> ActionResult:
    """The back office accepts the window's withdrawal request: the case is withdrawn (``withdrawn``)."""
    now = now or utcnow()
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise InputError(f"说明过长（最多 {MAX_TEXT} 字）")
    with db.transaction() as s:
        case = _case(s, case_uuid)
        _check_approver(s, approver, case)
        check_device_side(s, Side.BACK_OFFICE, case.site_code, case.department_code)
        if case.status not in IN_BACK_OFFICE:
            raise Conflict(f"该办件不在后台办理中，不能由后台撤回（当前状态：{_status_zh(case)}）",
                           code="illegal_transition")
        if not case.withdrawal_requested:
            raise Conflict("窗口尚未申请撤回，后台不能撤回该办件", code="not_requested")
        data = {"case_number": case.case_number, "note": note,
                "summary": "后台同意撤回" + (f"：{note}" if note else "")}
        append_event(s, case, EventType.WITHDRAWN, Side.BACK_OFFICE, actor=approver.username,
                     device_code=_device_code(s), now=now, payload=data)
        return ActionResult(case.uuid, case.case_number or "", EventType.WITHDRAWN.value, case.status,
                            _status_zh(case), case.due_at, now)
