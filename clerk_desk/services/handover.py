"""出件 at the window: the result the back office returned goes to the applicant (``delivered``).

How: picked up at the window (the recipient's ID is checked; the applicant, the agent, or another person
the applicant sent), posted (with the tracking number), or sent electronically (where to). One
transaction writes the case and its outbox event; a person other than the applicant or agent is kept
in the purgeable ``persons`` table and the event names them by id only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.identifiers import InvalidIdentifier, validate_resident_id
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.services.approvals import check_device_side
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_queries import STATUS_ZH
from clerk_desk.services.intake import Clerk
from clerk_desk.services.intake_forms import PARTY_NAME_MAX
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, Person, utcnow

METHODS = {"window": "窗口领取", "post": "邮寄送达", "electronic": "电子送达"}
RECIPIENTS = {"applicant": "申请人本人", "agent": "代理人", "other": "委托他人"}


@dataclass(frozen=True)
class Handover:
    """What the clerk records at 出件."""

    method: str  # window | post | electronic
    recipient: str = "applicant"  # window pick-up: applicant | agent | other
    other_name: str = ""  # recipient "other": name and resident ID (checked)
    other_id_number: str = ""
    id_checked: bool = False  # window pick-up: the recipient's ID card was checked
    tracking_no: str = ""  # post
    sent_to: str = ""  # electronic: where (e.g. 鄂汇办, an e-mail address)
    note: str = ""


@dataclass(frozen=True)
class DeliveredResult:
    case_uuid: str
    case_number: str
    status: str
    at: datetime


def _problems(h: Handover, case: Case) -> list[str]:
    out = []
    if h.method not in METHODS:
        return ["请选择送达方式"]
    if h.method == "window":
        if h.recipient not in RECIPIENTS:
            out.append("请选择领取人")
        elif h.recipient == "agent" and case.agent_id is None:
            out.append("该办件没有代理人，请选择申请人本人或委托他人")
        elif h.recipient == "other":
            if not h.other_name.strip():
                out.append("请填写领取人姓名")
            elif len(h.other_name.strip()) > PARTY_NAME_MAX:  # as at intake: the receipt prints it in a cell
                out.append(f"领取人姓名过长（最多 {PARTY_NAME_MAX} 字）")
            try:
                validate_resident_id(h.other_id_number)
            except InvalidIdentifier as exc:  # "领取人请输入身份证号码" read wrong: the person goes inside
                out.append("请填写领取人的身份证号码" if exc.code == "empty" else f"领取人{exc.message_zh}")
        if not h.id_checked:
            out.append("请核验领取人的身份证件后再出件")
    elif h.method == "post":
        if not h.tracking_no.strip():
            out.append("邮寄送达请填写邮件单号")
        elif len(h.tracking_no.strip()) > 40:
            out.append("邮件单号过长")
    elif not h.sent_to.strip():
        out.append("电子送达请写明送达的渠道或地址（例如：鄂汇办、电子邮箱）")
    if len(h.note) > 500:
        out.append("说明过长（最多 500 字）")
    return out


def deliver(db: Database, case_uuid: str, clerk: Clerk, handover: Handover, *, now: datetime | None = None) -> DeliveredResult:
    """出件: record how the result reached the applicant. Only a case whose result is at the window."""
    now = now or utcnow()
    with db.transaction() as s:
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        if case.status != Status.RESULT_AT_WINDOW.value:
            raise Conflict(f"审批结果尚未返回窗口，不能出件（当前状态：{STATUS_ZH[Status(case.status)]}）",
                           code="illegal_transition")
        problems = _problems(handover, case)
        if problems:
            raise InputError("；".join(problems))
        check_device_side(s, Side.WINDOW, case.site_code, case.department_code)
        device = this_device.device_code(s)
        data: dict[str, Any] = {"case_number": case.case_number, "method": handover.method,
                                "note": handover.note.strip(), "window_id": clerk.window_id}
        if handover.method == "window":
            if handover.recipient == "other":
                # as the check reads it (full-width digits from an input method are not kept as typed)
                person = Person(kind="person", name=handover.other_name.strip(),
                                id_number=validate_resident_id(handover.other_id_number).value)
                s.add(person)
                s.flush()
                recipient_id: str | None = person.id
            else:
                recipient_id = case.applicant_id if handover.recipient == "applicant" else case.agent_id
            data.update(recipient=handover.recipient, recipient_id=recipient_id, id_checked=True,
                        summary=f"窗口领取（{RECIPIENTS[handover.recipient]}，已核验身份证件）")
        elif handover.method == "post":
            data.update(tracking_no=handover.tracking_no.strip(),
                        summary=f"邮寄送达，邮件单号 {handover.tracking_no.strip()}")
        else:
            data.update(sent_to=handover.sent_to.strip(), summary=f"电子送达：{handover.sent_to.strip()}")
        if data["note"]:
            data["summary"] += f"；{data['note']}"
        append_event(s, case, EventType.DELIVERED, Side.WINDOW, actor=clerk.username, device_code=device,
                     now=now, payload=data)
        return DeliveredResult(case.uuid, case.case_number or "", case.status, now)
