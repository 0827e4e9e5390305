"""Intake outcomes at the window: accept (incl. 容缺), finish on the spot, tell once, refuse; transfer.

Each outcome is one transaction: the applicant's personal data, one case per item (a 一件事 bundle
yields several cases sharing a bundle id), and every case's events in the outbox. The returned result
carries what the printed document needs, so printing never reads half-written state.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clerk_desk.domain.case_numbers import format_case_number
from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, EventType, Side, Status
from clerk_desk.domain.workdays import SHANGHAI, DueDate, add_working_days
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_events import append_event
from clerk_desk.services.intake_forms import Delivery, IntakeForm, Party, Pledge, check_form
from clerk_desk.store import this_device
from clerk_desk.store.catalog_models import CatalogVersion
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, IntakeDraft, Person, utcnow
from clerk_desk.store.sequences import next_case_seq


@dataclass(frozen=True)
class Clerk:
    """Who acts, at which window (the signed-in user)."""

    user_id: str
    username: str
    display_name: str
    window_id: str | None
    window_name: str = ""


@dataclass(frozen=True)
class CaseOutcome:
    case_uuid: str
    case_number: str
    item_code: str
    item_name: str
    department_code: str
    status: str
    due: DueDate | None = None
    days: int | None = None
    days_confirmed_by_department: bool = False
    transfer_due_at: datetime | None = None


@dataclass(frozen=True)
class IntakeResult:
    outcome: str  # accepted | completed | notified | refused
    cases: tuple[CaseOutcome, ...]
    bundle_id: str | None
    at: datetime


def _device(s: Session) -> tuple[str, str]:
    return this_device.site_and_device(s)


def _person(s: Session, p: Party) -> Person:
    person = Person(
        kind=p.kind,
        name=p.name.strip(),
        id_number=p.id_number.strip().upper() or None,
        phone=p.phone.strip() or None,
        address=p.address.strip() or None,
        legal_representative=p.legal_representative.strip() or None,
    )
    s.add(person)
    s.flush()
    return person


def _checklist_json(form: IntakeForm, item_code: str) -> list[dict[str, Any]]:
    return [
        {
            "name": m.name,
            "required": m.required,
            "waivable": m.waivable,
            "provided": m.provided,
            "form": m.form,
            "copies": m.copies,
            "ok": m.ok,
            "problem": m.problem,
            "each": m.each,
        }
        for m in form.checklist
        if not m.item_codes or item_code in m.item_codes
    ]


def _open_cases(
    s: Session, form: IntakeForm, clerk: Clerk, now: datetime, extra: dict[str, Any], draft_id: str | None
) -> tuple[list[Case], str, str | None]:
    site_code, device_code = _device(s)
    if draft_id:  # the finished intake replaces its draft in the same transaction
        s.execute(delete(IntakeDraft).where(IntakeDraft.id == draft_id))
    applicant = _person(s, form.applicant)
    agent = _person(s, form.agent) if form.agent else None
    bundle_id = str(uuid.uuid4()) if len(form.items) > 1 else None
    local_day = now.astimezone(SHANGHAI).date()
    catalog = s.scalar(select(CatalogVersion.version).order_by(CatalogVersion.id.desc()).limit(1))
    cases = []
    for item in form.items:
        seq = next_case_seq(s, device_code)
        case = Case(
            case_number=format_case_number(site_code, device_code, local_day, seq),
            site_code=site_code,
            department_code=item.department_code,
            item_code=item.code,
            item_name=item.name,
            status=Status.NEW.value,
            version=0,
            applicant_id=applicant.id,
            agent_id=agent.id if agent else None,
            window_id=clerk.window_id,
            clerk_user_id=clerk.user_id,
            device_code=device_code,
            channel=form.channel,
            handling_kind=item.handling_kind,
            urgent=item.urgent,
            created_at=now,
            details={
                "checklist": _checklist_json(form, item.code),
                "online_application_no": form.online_application_no or None,
                "theme_code": form.theme_code,
                "bundle_id": bundle_id,
                "previous_notice": form.previous_notice,
                "agent_relation": form.agent.relation if form.agent else None,
                # the item as accepted: its checklist above and its days never follow a later catalog
                "item": {"legal_days": item.legal_days, "promised_days": item.promised_days,
                         "catalog_version": item.catalog_version},
                "notes": form.notes or None,
                "situations": [asdict(a) for a in form.situations] or None,  # which materials applied
                "catalog_version": item.catalog_version or catalog,  # the catalog the window accepted under
                **extra,
            },
        )
        s.add(case)
        cases.append(case)
    s.flush()
    return cases, device_code, bundle_id


def _event_payload(case: Case, **more: Any) -> dict[str, Any]:
    """The intake's event says what the window recorded (no personal data: people go by id), so every desk
    and the county hub fold the same case from it (domain/case_fold.py)."""
    d = case.details or {}
    item = d.get("item") or {}
    return {
        "case_number": case.case_number,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "applicant_id": case.applicant_id,
        "agent_id": case.agent_id,
        "window_id": case.window_id,
        "channel": case.channel,
        "handling_kind": case.handling_kind,
        "urgent": case.urgent,
        "catalog_version": item.get("catalog_version") or d.get("catalog_version"),
        "legal_days": item.get("legal_days"),
        "promised_days": item.get("promised_days"),
        **{k: d.get(k) for k in _TOLD if d.get(k)},  # situations: which materials applied
        **more,
    }


# Intake facts of the case details every intake event carries (the checklist as reviewed, how it came).
_TOLD = ("checklist", "online_application_no", "agent_relation", "theme_code", "bundle_id", "previous_notice",
         "situations")


def _days_for(form: IntakeForm, confirmed_days: dict[str, int] | None) -> dict[str, tuple[int, bool]]:
    out: dict[str, tuple[int, bool]] = {}
    for item in form.items:
        given = (confirmed_days or {}).get(item.code)
        if item.promised_days is not None and given is None:
            out[item.code] = (item.promised_days, False)
        elif given is not None:
            if given < 0 or given > 365:
                raise InputError(f"“{item.name}”的承诺时限应为 0 到 365 个工作日")
            out[item.code] = (given, True)
        else:
            raise InputError(f"“{item.name}”的承诺时限待确认：请填写部门确认的工作日数")
    return out


class IntakeService:
    def __init__(self, db: Database, data_dir: Path | None = None) -> None:
        self.db = db
        self.data_dir = data_dir or db.data_dir

    def accept(
        self,
        form: IntakeForm,
        clerk: Clerk,
        *,
        delivery: Delivery,
        confirmed_days: dict[str, int] | None = None,
        pledge: Pledge | None = None,
        now: datetime | None = None,
        draft_id: str | None = None,
    ) -> IntakeResult:
        """受理 (with a 容缺 pledge when waivable materials are owed)."""
        now = now or utcnow()
        problems = check_form(form)
        missing = [m for m in form.checklist if m.required and m.missing_or_defective]
        owed = {m.name for m in missing if m.waivable}
        blocking = [m.name for m in missing if not m.waivable]
        if blocking:
            problems.add("缺少必需材料：" + "、".join(blocking) + "（可改为一次性告知）")
        if owed and pledge is None:
            problems.add("缺少可容缺材料：" + "、".join(sorted(owed)) + "，请办理容缺受理并填写承诺补齐日期")
        if pledge is not None:
            if not pledge.materials:
                problems.add("容缺受理需列出所缺材料")
            if pledge.due <= now.astimezone(SHANGHAI).date():
                problems.add("容缺材料的补齐日期应晚于今天")
        if delivery.method not in ("window", "post", "electronic"):
            problems.add("请选择结果送达方式")
        if delivery.method == "post" and not delivery.address.strip():
            problems.add("邮寄送达需要填写邮寄地址")
        problems.raise_if_any()
        days = _days_for(form, confirmed_days)
        calendar = work_calendar(self.data_dir)
        outcomes = []
        with self.db.transaction() as s:
            extra = {"delivery": {"method": delivery.method, "address": delivery.address, "contact": delivery.contact}}
            cases, device_code, bundle_id = _open_cases(s, form, clerk, now, extra, draft_id)
            for case in cases:
                n, confirmed = days[case.item_code]
                due = add_working_days(now, n, calendar)
                case.accepted_at = now
                case.due_at = due.due_at
                case.due_calendar_version = due.calendar_version
                case.transfer_due_at = now + timedelta(minutes=TRANSFER_MINUTES[case.urgent])
                case.details = {**case.details, "days": n, "days_confirmed_by_department": confirmed}
                append_event(
                    s, case, EventType.ACCEPTED, Side.WINDOW, actor=clerk.username, device_code=device_code, now=now,
                    payload=_event_payload(
                        case, days=n, days_confirmed=confirmed, due_at=due.due_at.isoformat(),
                        calendar_version=due.calendar_version, provisional=due.provisional,
                        delivery=extra["delivery"],  # the rest of the intake: _event_payload (every outcome)
                    ),
                )
                if pledge is not None and (set(pledge.materials) & {m["name"] for m in case.details["checklist"]}):
                    case.details = {**case.details, "pledge": {"materials": list(pledge.materials),
                                                               "due": pledge.due.isoformat(), "text": pledge.text}}
                    append_event(
                        s, case, EventType.PLEDGE_RECORDED, Side.WINDOW, actor=clerk.username,
                        device_code=device_code, now=now,
                        payload={"materials": list(pledge.materials), "due": pledge.due.isoformat(),
                                 "text": pledge.text},
                    )
                outcomes.append(CaseOutcome(case.uuid, case.case_number or "", case.item_code, case.item_name,
                                            case.department_code, case.status, due, n, confirmed,
                                            case.transfer_due_at))
        return IntakeResult("accepted", tuple(outcomes), bundle_id, now)

    def complete_on_spot(
        self, form: IntakeForm, clerk: Clerk, *, result: str, now: datetime | None = None, draft_id: str | None = None
    ) -> IntakeResult:
        """即办件: the result is given at the window and the case is closed there."""
        now = now or utcnow()
        problems = check_form(form)
        for item in form.items:
            if item.handling_kind == "promise":
                problems.add(f"“{item.name}”是承诺件，不能当场办结，请受理后流转后台")
        if not result.strip():
            problems.add("请填写办理结果")
        missing = [m.name for m in form.checklist if m.required and m.missing_or_defective]
        if missing:
            problems.add("材料不齐不能当场办结：" + "、".join(missing))
        problems.raise_if_any()
        return self._close(
            form, clerk, now, EventType.COMPLETED_ON_SPOT, "completed", {"result": result.strip()}, draft_id
        )

    def notify_supplement(
        self, form: IntakeForm, clerk: Clerk, *, now: datetime | None = None, draft_id: str | None = None
    ) -> IntakeResult:
        """一次性告知: one notice lists every missing or defective material at once."""
        now = now or utcnow()
        problems = check_form(form)
        missing = [
            {"name": m.name, "reason": (m.problem or "未提供") if m.provided else "未提供", "required": m.required}
            for m in form.checklist
            if m.missing_or_defective and (m.required or m.provided)
        ]
        if not missing:
            problems.add("材料已齐全且无问题，无需一次性告知，可直接受理")
        problems.raise_if_any()
        return self._close(form, clerk, now, EventType.SUPPLEMENT_NOTIFIED, "notified", {"missing": missing}, draft_id)

    def refuse(
        self, form: IntakeForm, clerk: Clerk, *, reason: str, now: datetime | None = None, draft_id: str | None = None
    ) -> IntakeResult:
        """不予受理, with the reason the notice will print."""
        now = now or utcnow()
        problems = check_form(form)
        if not reason.strip():
            problems.add("请填写不予受理的理由")
        problems.raise_if_any()
        return self._close(form, clerk, now, EventType.REFUSED, "refused", {"reason": reason.strip()}, draft_id)

    def _close(
        self,
        form: IntakeForm,
        clerk: Clerk,
        now: datetime,
        event: EventType,
        outcome: str,
        data: dict[str, Any],
        draft_id: str | None,
    ) -> IntakeResult:
        outcomes = []
        with self.db.transaction() as s:
            cases, device_code, bundle_id = _open_cases(s, form, clerk, now, {outcome: data}, draft_id)
            for case in cases:
                append_event(s, case, event, Side.WINDOW, actor=clerk.username, device_code=device_code, now=now,
                             payload=_event_payload(case, **data))
                outcomes.append(CaseOutcome(case.uuid, case.case_number or "", case.item_code, case.item_name,
                                            case.department_code, case.status))
        return IntakeResult(outcome, tuple(outcomes), bundle_id, now)

    def transfer(self, case_uuid: str, clerk: Clerk, *, now: datetime | None = None) -> CaseOutcome:
        """The act at the window of handing the case (and its paper) to the back office."""
        now = now or utcnow()
        with self.db.transaction() as s:
            case = s.get(Case, case_uuid)
            if case is None:
                raise NotFound("找不到该办件")
            if case.status != Status.ACCEPTED.value and case.status != Status.SUPPLEMENT_REQUESTED.value:
                raise Conflict("只有已受理（或补正后）的办件可以流转后台")
            event = EventType.TRANSFERRED if case.status == Status.ACCEPTED.value else EventType.RETRANSFERRED
            late = bool(case.transfer_due_at and now > case.transfer_due_at)
            _, device_code = _device(s)
            append_event(s, case, event, Side.WINDOW, actor=clerk.username, device_code=device_code, now=now,
                         payload={"case_number": case.case_number, "late": late,
                                  "transfer_due_at": case.transfer_due_at.isoformat() if case.transfer_due_at else None})
            return CaseOutcome(case.uuid, case.case_number or "", case.item_code, case.item_name,
                               case.department_code, case.status, transfer_due_at=case.transfer_due_at)
