"""Intake outcomes at the window: accept (incl. 容缺), finish on the spot, tell once, refuse; transfer.

Each outcome is one transaction: the applicant's personal data, one case per item (a 一件事 bundle
yields several cases sharing a bundle id), and every case's events in the outbox. The returned result
carries what the printed document needs, so printing never reads half-written state.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clerk_desk.domain.case_numbers import format_case_number
from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, EventType, Side, Status
from clerk_desk.domain.org import WindowKind
from clerk_desk.domain.routing import Item, WindowRoute, facts_of, refusal
from clerk_desk.domain.workdays import SHANGHAI, DueDate, add_working_days
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_events import append_event
from clerk_desk.services.intake_forms import (
    OUTCOME_TEXT_MAX,
    PARTY_ADDRESS_MAX,
    URGENT_REASON_MAX,
    Delivery,
    IntakeForm,
    Party,
    Pledge,
    Urgency,
    check_form,
    normalised_form,
)
from clerk_desk.services.pledges import check_pledge_due, pledge_window
from clerk_desk.store import this_device
from clerk_desk.store.catalog_models import CatalogVersion
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, IntakeDraft, Person, Setting, Window, utcnow
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


def _routes(s: Session) -> list[tuple[str, WindowRoute]]:
    return [
        (w.id, WindowRoute(w.name, WindowKind(w.kind), w.department_code, tuple(w.items or ()), w.valid_from,
                           w.valid_to, w.active))
        for w in s.scalars(select(Window).where(Window.site_code == select(Setting.value).where(
            Setting.key == "site_code").scalar_subquery()).order_by(Window.sort_order, Window.name))
    ]


def check_routing(s: Session, form: IntakeForm, clerk: Clerk, day: date) -> dict[str, Any]:
    """Each item must be one the clerk's window takes (domain/routing.py); a refusal names the window that
    takes it. Returns the window's facts for the intake events (the county hub checks them again).
    A clerk with no window picked works as at a 综合窗口."""
    routes = _routes(s)
    window = next((r for wid, r in routes if wid == clerk.window_id), None)
    if window is None:
        window = WindowRoute(clerk.window_name or "本窗口", WindowKind.COMPREHENSIVE)
    windows = [r for _wid, r in routes]
    refusals = [
        text for item in form.items
        if (text := refusal(window, Item(item.code, item.name, item.department_code), day, windows))
    ]
    if refusals:
        raise InputError("\n".join(refusals))
    return facts_of(window, windows)


def _open_cases(
    s: Session, form: IntakeForm, clerk: Clerk, now: datetime, extra: dict[str, Any], draft_id: str | None
) -> tuple[list[Case], str, str | None]:
    site_code, device_code = _device(s)
    window_facts = check_routing(s, form, clerk, now.astimezone(SHANGHAI).date())
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
                "window": window_facts,  # what the hub judges the routing by (domain/routing.py)
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
        # the clerk's reason when the case's urgency is not the catalog's (None: the catalog's)
        "urgent_reason": d.get("urgent_reason"),
        "catalog_version": item.get("catalog_version") or d.get("catalog_version"),
        "legal_days": item.get("legal_days"),
        "promised_days": item.get("promised_days"),
        **{k: d.get(k) for k in _TOLD if d.get(k)},  # situations: which materials applied
        **more,
    }


# Intake facts of the case details every intake event carries (the checklist as reviewed, how it came).
_TOLD = ("checklist", "online_application_no", "agent_relation", "theme_code", "bundle_id", "previous_notice",
         "situations", "window")


def _urgency_calls(form: IntakeForm, urgency: Urgency | Mapping[str, Urgency] | None) -> dict[str, tuple[bool, str]]:
    """The clerk's urgency per item where it differs from the catalog's: (urgent, reason). One call for the
    whole intake applies to every case whose catalog urgency it changes."""
    if urgency is None:
        return {}
    out = {}
    for item in form.items:
        call = urgency if isinstance(urgency, Urgency) else urgency.get(item.code)
        if call is not None and call.urgent != item.urgent:
            out[item.code] = (call.urgent, call.reason.strip())
    return out


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

    def check_window(self, form: IntakeForm, clerk: Clerk, now: datetime | None = None) -> None:
        """Raise the routing refusal first, before any other problem of the form: at the wrong window the
        rest does not matter. (Each outcome checks again in its transaction.)"""
        at = now or utcnow()
        with self.db.reading() as s:
            check_routing(s, form, clerk, at.astimezone(SHANGHAI).date())

    def accept(
        self,
        form: IntakeForm,
        clerk: Clerk,
        *,
        delivery: Delivery,
        confirmed_days: dict[str, int] | None = None,
        pledge: Pledge | None = None,
        urgency: Urgency | Mapping[str, Urgency] | None = None,
        now: datetime | None = None,
        draft_id: str | None = None,
    ) -> IntakeResult:
        """受理 (with a 容缺 pledge when waivable materials are owed). ``urgency``: the clerk's call where it
        differs from the catalog's (docs/hall-operations.md, "Urgency"): one for every case of the intake, or
        per case of a bundle (一件事) by item code, each with its own reason."""
        now = now or utcnow()
        form = normalised_form(form)  # one spelling of the ID and the phone, whatever the input method typed
        self.check_window(form, clerk, now)
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
            given = {k: v for k, v in (confirmed_days or {}).items() if isinstance(v, int)}
            window = pledge_window(self.data_dir, form.items, now, given)
            wrong = check_pledge_due(pledge.due, window, now.astimezone(SHANGHAI).date())
            if wrong:
                problems.add(wrong)
        if delivery.method not in ("window", "post", "electronic"):
            problems.add("请选择结果送达方式")
        calls = _urgency_calls(form, urgency)  # item code -> (urgent, reason), only where it differs
        for item in form.items:
            if item.code not in calls:
                continue
            reason = calls[item.code][1]
            named = f"“{item.name}”" if len(form.items) > 1 else ""
            if not reason:
                problems.add(f"{named}标为紧急（或取消目录的紧急）需要填写理由")
            if len(reason) > URGENT_REASON_MAX:
                problems.add(f"{named}紧急理由不能超过 {URGENT_REASON_MAX} 个字")
        if delivery.method == "post" and not delivery.address.strip():
            problems.add("邮寄送达需要填写邮寄地址")
        if len(delivery.address.strip()) > PARTY_ADDRESS_MAX:
            problems.add(f"邮寄地址过长（最多 {PARTY_ADDRESS_MAX} 字）")
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
                if case.item_code in calls:
                    case.urgent, reason = calls[case.item_code]
                    case.details = {**case.details, "urgent_reason": reason, "urgent_by": clerk.username}
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
        form = normalised_form(form)  # one spelling of the ID and the phone, whatever the input method typed
        self.check_window(form, clerk, now)
        problems = check_form(form)
        for item in form.items:
            if item.handling_kind == "promise":
                problems.add(f"“{item.name}”是承诺件，不能当场办结，请受理后流转后台")
        if not result.strip():
            problems.add("请填写办理结果")
        elif len(result.strip()) > OUTCOME_TEXT_MAX:
            problems.add(f"办理结果过长（最多 {OUTCOME_TEXT_MAX} 字）")
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
        form = normalised_form(form)  # one spelling of the ID and the phone, whatever the input method typed
        self.check_window(form, clerk, now)
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
        form = normalised_form(form)  # one spelling of the ID and the phone, whatever the input method typed
        self.check_window(form, clerk, now)
        problems = check_form(form)
        if not reason.strip():
            problems.add("请填写不予受理的理由")
        elif len(reason.strip()) > OUTCOME_TEXT_MAX:
            problems.add(f"不予受理的理由过长（最多 {OUTCOME_TEXT_MAX} 字）")
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
