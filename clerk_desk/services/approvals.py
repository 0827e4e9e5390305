"""What the back office does to a transferred case (approver mode), one transaction per act.

签收 ``received`` (with the paper hand-over), 特别程序 ``clock_paused`` / ``clock_resumed``, 退回补正
``supplement_requested``, the decision ``decided`` (准予 / 不予) and ``result_returned`` (the result goes
to the window for 出件). Each act writes the case row and its outbox event together
(:func:`services.case_events.append_event`, which checks the shared lifecycle: only the owner's side may
act). On top of the lifecycle:

* the approver must be an active account with the approver role that serves the case's (site,
  department) pair (``user_services``);
* on a PC enrolled with the county hub, the PC itself must be an approver device whose scope covers the
  pair: the hub refuses a whole push that holds a back-office event from a window PC or an event outside
  the device's scope, which would stop this PC's other uploads too;
* the time a case spends stopped — 特别程序 from ``clock_paused`` to ``clock_resumed``, and 补正 from
  ``supplement_requested`` until the window re-transfers it — does not count: the working days it
  touched move the due date later (domain/workdays.py). The new due date travels in the event that ends
  the stop (``clock_resumed``, or the ``received`` after a re-transfer), so every desk shows the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import AuthError, Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike, DueDate, add_working_days
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_queries import STATUS_ZH
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, Setting, User, utcnow

# Settings written by enrolment (sync/enrolment.py); read here without importing the sync layer.
_HUB_URL, _HUB_SCOPE = "hub_url", "hub_scope"

# 特别程序 kinds (《行政许可法》第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审 …)
PROCEDURES = {
    "hearing": "听证",
    "tender": "招标、拍卖",
    "inspection": "检验、检测、检疫",
    "appraisal": "鉴定",
    "expert_review": "专家评审",
    "site_check": "现场核查",
    "other": "其他",
}

APPROVED, DENIED = "approved", "denied"
DECISIONS = {APPROVED: "准予", DENIED: "不予"}

STOPS = (EventType.CLOCK_PAUSED.value, EventType.SUPPLEMENT_REQUESTED.value)
RESTARTS = (EventType.CLOCK_RESUMED.value, EventType.RETRANSFERRED.value)

MAX_TEXT = 500  # each text of an act (the dialogs put the focus on a longer one)


@dataclass(frozen=True)
class Approver:
    """Who acts in the back office (the signed-in user)."""

    user_id: str
    username: str
    display_name: str


@dataclass(frozen=True)
class ActionResult:
    case_uuid: str
    case_number: str
    event: str
    status: str
    status_zh: str
    due_at: datetime | None
    at: datetime


def stopped_intervals(events: Sequence[tuple[str, datetime]], until: datetime) -> list[tuple[datetime, datetime]]:
    """The spans a case's clock stood still, from its events in order: a 特别程序 pause until it is
    resumed, a 补正 until the window re-transfers (a pause followed by 补正 is one span). A span still
    open ends at ``until``."""
    out: list[tuple[datetime, datetime]] = []
    start: datetime | None = None
    for kind, at in events:
        if kind in STOPS and start is None:
            start = at
        elif kind in RESTARTS and start is not None:
            out.append((start, max(start, at)))
            start = None
    if start is not None:
        out.append((start, max(start, until)))
    return out


def due_with_stops(case: Case, events: Sequence[tuple[str, datetime]], calendar: CalendarLike,
                   until: datetime) -> DueDate | None:
    """The case's due date with the stopped spans left out; None when the case has no day count."""
    days = (case.details or {}).get("days")
    if case.accepted_at is None or days is None:
        return None
    return add_working_days(case.accepted_at, int(days), calendar, stopped_intervals(events, until))


def _text(value: str, what: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(f"请填写{what}")
    if len(text) > MAX_TEXT:
        raise InputError(f"{what}过长（最多 {MAX_TEXT} 字）")
    return text


@dataclass(frozen=True)
class MaterialVerified:
    """当面核实 of one material: 已核实 (``verified``), or 有问题 with ``note`` saying what."""

    name: str
    verified: bool = True
    note: str = ""


def _verification(verified: Sequence[MaterialVerified], paper_received: bool) -> list[dict[str, Any]]:
    if verified and not paper_received:
        raise InputError("未收到纸质材料，不能当面核实")
    out, problems = [], []
    for m in verified:
        note = m.note.strip()
        if not m.verified and not note:
            problems.append(m.name)
        if len(note) > 200:
            raise InputError(f"“{m.name}”的核实说明不能超过 200 个字")
        out.append({"name": m.name, "verified": m.verified, "note": note})
    if problems:
        raise InputError("有问题的材料请写明问题：" + "、".join(problems))
    return out


def _device_code(s: Session) -> str:
    return this_device.device_code(s)


def check_device_side(s: Session, side: Side, site_code: str, department_code: str) -> None:
    """On an enrolled PC: the PC's kind must match the side, and its scope must cover the pair."""
    if s.get(Setting, _HUB_URL) is None:
        return  # not enrolled (demo, first start): nothing is sent, so nothing can be refused as a whole
    mode_row = s.get(Setting, "mode")
    mode = mode_row.value if mode_row else "clerk"
    if side is Side.BACK_OFFICE and mode != "approver":
        raise Conflict("本机登记为窗口电脑，后台审批操作须在后台审批电脑上办理", code="wrong_device")
    if side is Side.WINDOW and mode == "approver":
        raise Conflict("本机登记为后台审批电脑，出件须在窗口电脑上办理", code="wrong_device")
    scope_row = s.get(Setting, _HUB_SCOPE)
    try:
        scope = json.loads(scope_row.value) if scope_row else []
    except ValueError:
        scope = []
    covered = any(p.get("site_code") == site_code and p.get("department_code") in ("*", department_code)
                  for p in scope)
    if scope and not covered:
        raise Conflict("县级平台未授权本机办理该部门的办件", code="out_of_scope")


def served_pairs(db: Database, user_id: str) -> tuple[tuple[str, str], ...]:
    """The (site, department) pairs an account serves, as stored now."""
    with db.reading() as s:
        user = s.get(User, user_id)
        return tuple(sorted((sv.site_code, sv.department_code) for sv in user.serves)) if user else ()


def _check_approver(s: Session, approver: Approver, case: Case) -> None:
    user = s.get(User, approver.user_id)
    if user is None or not user.active:
        raise AuthError("账户不存在或已停用，请重新登录")
    if "approver" not in (user.roles or []):
        raise AuthError("只有后台审批人员可以办理此操作")
    if (case.site_code, case.department_code) not in {(sv.site_code, sv.department_code) for sv in user.serves}:
        dept = s.get(Department, case.department_code)
        raise AuthError(f"您不负责“{dept.name if dept else case.department_code}”的审批，不能办理此办件",
                        code="not_served")


def _events(s: Session, case_uuid: str) -> list[tuple[str, datetime]]:
    rows = s.execute(select(CaseEvent.type, CaseEvent.occurred_at).where(CaseEvent.case_uuid == case_uuid)
                     .order_by(CaseEvent.case_version, CaseEvent.hub_seq))
    return [(t, at) for t, at in rows]


# What the approver is told when the case is not in the state an act needs (before the lifecycle speaks).
_NEEDS: dict[EventType, tuple[tuple[Status, ...], str]] = {
    EventType.RECEIVED: ((Status.TRANSFERRED,), "只有已流转到后台、尚未签收的办件可以签收"),
    EventType.CLOCK_PAUSED: ((Status.IN_REVIEW,), "只有已签收、正在审批的办件可以进入特别程序"),
    EventType.CLOCK_RESUMED: ((Status.PAUSED,), "该办件没有处于特别程序（暂停计时）中"),
    EventType.SUPPLEMENT_REQUESTED: ((Status.IN_REVIEW, Status.PAUSED), "只有已签收、尚未决定的办件可以退回补正"),
    EventType.DECIDED: ((Status.IN_REVIEW,), "只有已签收、正在审批的办件可以作出决定"),
    EventType.RESULT_RETURNED: ((Status.DECIDED,), "只有已作出决定的办件可以将结果返回窗口"),
}
_HINTS = {
    (EventType.DECIDED, Status.PAUSED): "该办件处于特别程序（暂停计时），请先恢复计时再作决定",
    (EventType.DECIDED, Status.TRANSFERRED): "请先签收纸质材料，再作出决定",
    (EventType.CLOCK_PAUSED, Status.TRANSFERRED): "请先签收纸质材料",
    (EventType.SUPPLEMENT_REQUESTED, Status.TRANSFERRED): "请先签收纸质材料，核实后再退回补正",
    (EventType.RECEIVED, Status.IN_REVIEW): "该办件已签收",
    (EventType.RECEIVED, Status.PAUSED): "该办件已签收",
}


class ApprovalService:
    def __init__(self, db: Database, data_dir: Path | None = None) -> None:
        self.db = db
        self.data_dir = data_dir or db.data_dir

    def _act(
        self,
        case_uuid: str,
        approver: Approver,
        event: EventType,
        now: datetime | None,
        payload: Callable[[Session, Case, datetime], dict[str, Any]],
        then: Callable[[Session, Case, datetime], None] | None = None,
    ) -> ActionResult:
        now = now or utcnow()
        with self.db.transaction() as s:
            case = s.get(Case, case_uuid)
            if case is None:
                raise NotFound("找不到该办件")
            _check_approver(s, approver, case)
            check_device_side(s, Side.BACK_OFFICE, case.site_code, case.department_code)
            statuses, message = _NEEDS[event]
            if case.status not in {st.value for st in statuses}:
                status = Status(case.status)
                raise Conflict(_HINTS.get((event, status), message) + f"（当前状态：{STATUS_ZH[status]}）",
                               code="illegal_transition")
            data = {"case_number": case.case_number, **payload(s, case, now)}
            append_event(s, case, event, Side.BACK_OFFICE, actor=approver.username, device_code=_device_code(s),
                         now=now, payload=data)
            if then is not None:  # a second event of the same act, in the same transaction
                then(s, case, now)
            if data.get("due_at"):
                case.due_at = datetime.fromisoformat(data["due_at"])
                case.due_calendar_version = data.get("calendar_version") or case.due_calendar_version
            status = Status(case.status)
            return ActionResult(case.uuid, case.case_number or "", event.value, status.value, STATUS_ZH[status],
                                case.due_at, now)

    def _new_due(self, s: Session, case: Case, now: datetime) -> dict[str, Any]:
        due = due_with_stops(case, _events(s, case.uuid), work_calendar(self.data_dir), now)
        if due is None:
            return {}
        return {"due_at": due.due_at.isoformat(), "calendar_version": due.calendar_version,
                "provisional": due.provisional}

    # -- the acts ------------------------------------------------------------------------------------
    def receive(
        self, case_uuid: str, approver: Approver, *, paper_received: bool, note: str = "",
        verified: Sequence[MaterialVerified] = (), now: datetime | None = None,
    ) -> ActionResult:
        """签收: the back office has the case; ``paper_received`` says whether the paper came with it.
        ``verified``: 当面核实, material by material (已核实, or 有问题 with the note), recorded with the 签收 as
        ``materials_verified`` (docs/hall-operations.md)."""
        note = _text(note, "说明", required=False)
        if not paper_received and not note:
            raise InputError("未收到纸质材料时，请在说明中写明情况（例如：材料在途、已电话联系窗口）")
        checked = _verification(verified, paper_received)

        def verify(s: Session, case: Case, now: datetime) -> None:
            if not checked:
                return
            problems = [m for m in checked if not m["verified"]]
            summary = f"当面核实：{len(checked) - len(problems)} 项已核实" + (
                "；有问题：" + "；".join(f"{m['name']}（{m['note']}）" for m in problems) if problems else "")
            append_event(s, case, EventType.MATERIALS_VERIFIED, Side.BACK_OFFICE, actor=approver.username,
                         device_code=_device_code(s), now=now,
                         payload={"case_number": case.case_number, "materials": checked, "summary": summary})

        def payload(s: Session, case: Case, now: datetime) -> dict[str, Any]:
            handed = [t for t, _at in _events(s, case.uuid) if t in ("transferred", "retransferred")]
            retransfer = bool(handed) and handed[-1] == EventType.RETRANSFERRED.value
            summary = "纸质材料已签收" if paper_received else "未收到纸质材料"
            data: dict[str, Any] = {"paper_received": paper_received, "note": note, "retransfer": retransfer,
                                    "summary": summary + (f"：{note}" if note else "")}
            if retransfer:  # the 补正 span has ended: the due date moves by the working days it took
                data.update(self._new_due(s, case, now))
            return data

        return self._act(case_uuid, approver, EventType.RECEIVED, now, payload, verify)

    def pause(
        self, case_uuid: str, approver: Approver, *, procedure: str, reason: str, now: datetime | None = None,
    ) -> ActionResult:
        """特别程序: the clock stops (听证、检验、鉴定、专家评审 …) until :meth:`resume`."""
        if procedure not in PROCEDURES:
            raise InputError("请选择特别程序的种类")
        reason = _text(reason, "特别程序的事由", required=True)

        def payload(_s: Session, _c: Case, _now: datetime) -> dict[str, Any]:
            return {"procedure": procedure, "reason": reason,
                    "summary": f"特别程序（{PROCEDURES[procedure]}）：{reason}"}

        return self._act(case_uuid, approver, EventType.CLOCK_PAUSED, now, payload)

    def resume(self, case_uuid: str, approver: Approver, *, note: str = "", now: datetime | None = None) -> ActionResult:
        """特别程序 ends: the clock runs again and the due date moves by the paused working days."""
        note = _text(note, "说明", required=False)

        def payload(s: Session, case: Case, now: datetime) -> dict[str, Any]:
            data: dict[str, Any] = {"note": note}
            data.update(self._new_due(s, case, now))
            moved = f"，办结时限顺延至 {datetime.fromisoformat(data['due_at']).astimezone(SHANGHAI).date()}" \
                if data.get("due_at") else ""
            data["summary"] = "恢复计时" + moved + (f"：{note}" if note else "")
            return data

        return self._act(case_uuid, approver, EventType.CLOCK_RESUMED, now, payload)

    def request_supplement(
        self, case_uuid: str, approver: Approver, *, missing: Sequence[str], note: str = "",
        now: datetime | None = None,
    ) -> ActionResult:
        """退回补正: the case goes back to the window, which tells the applicant and re-transfers it."""
        items = [m.strip() for m in missing if m and m.strip()]
        note = _text(note, "补正说明", required=False)
        if not items:
            raise InputError("请列出需要补正的材料")
        if any(len(m) > 100 for m in items):
            raise InputError("材料名称过长（最多 100 字）")

        def payload(_s: Session, _c: Case, _now: datetime) -> dict[str, Any]:
            return {"missing": items, "note": note,
                    "summary": "需补正：" + "、".join(items) + (f"；{note}" if note else "")}

        return self._act(case_uuid, approver, EventType.SUPPLEMENT_REQUESTED, now, payload)

    def decide(
        self, case_uuid: str, approver: Approver, *, decision: str, result_text: str = "", document_number: str = "",
        reason: str = "", now: datetime | None = None,
    ) -> ActionResult:
        """审批决定: 准予 (the result, e.g. the licence or the letter, and its number) or 不予 (with the reason)."""
        if decision not in DECISIONS:
            raise InputError("请选择审批决定：准予或不予")
        document_number = _text(document_number, "文书编号", required=False)
        if decision == APPROVED:
            result_text = _text(result_text, "审批结果（例如：准予办理、证照名称）", required=True)
            reason = _text(reason, "说明", required=False)
        else:
            reason = _text(reason, "不予许可（不予办理）的理由", required=True)
            result_text = _text(result_text, "结果文书内容", required=False)

        def payload(_s: Session, _c: Case, _now: datetime) -> dict[str, Any]:
            head = f"{DECISIONS[decision]}：" + (result_text if decision == APPROVED else reason)
            return {"decision": decision, "result_text": result_text, "document_number": document_number,
                    "denial_reason": reason if decision == DENIED else "", "note": reason if decision == APPROVED else "",
                    "summary": head + (f"（文号 {document_number}）" if document_number else "")}

        return self._act(case_uuid, approver, EventType.DECIDED, now, payload)

    def return_result(
        self, case_uuid: str, approver: Approver, *, note: str = "", now: datetime | None = None,
    ) -> ActionResult:
        """The result (and its paper) goes to the window for 出件."""
        note = _text(note, "说明", required=False)

        def payload(_s: Session, _c: Case, _now: datetime) -> dict[str, Any]:
            return {"note": note, "summary": "审批结果已送至窗口" + (f"：{note}" if note else "")}

        return self._act(case_uuid, approver, EventType.RESULT_RETURNED, now, payload)
