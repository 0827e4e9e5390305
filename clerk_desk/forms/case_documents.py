"""Build the printed documents of a case from its view (domain/case_view.py, read by
services/case_read.py): the intake's papers, the decision letter and the hand-over receipt.

Qt-free: plain data in, document dataclasses out. A bundle (一件事) prints one paper for all its cases.
"""

from __future__ import annotations

from datetime import date, datetime

from clerk_desk.domain.case_view import CaseView, Material, Party
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.forms.documents import (
    AcceptanceReceipt,
    Agent,
    Applicant,
    DecisionLetter,
    Delivery,
    Document,
    HandoverMethod,
    HandoverReceipt,
    Header,
    MaterialForm,
    MaterialLine,
    MaterialProblem,
    OnTheSpotResult,
    PledgeLetter,
    PledgeReminder,
    PromisedCompletion,
    Recipient,
    RefusalNotice,
    SupplementNotice,
)

_FORMS = {
    "original": MaterialForm.ORIGINAL,
    "copy": MaterialForm.COPY,
    "original_and_copy": MaterialForm.ORIGINAL_AND_COPY,
    "electronic": MaterialForm.ELECTRONIC,
}
_DELIVERY = {"window": Delivery.WINDOW, "post": Delivery.POST, "electronic": Delivery.ELECTRONIC}
_HANDOVER = {"window": HandoverMethod.WINDOW, "post": HandoverMethod.POST, "electronic": HandoverMethod.ELECTRONIC}
_RELATION = {"applicant": "申请人本人", "agent": "代理人", "other": "委托他人"}

def _header(cases: list[CaseView], site_name: str, window_name: str, clerk_name: str, reprint: int,
            numbered: bool, demo: bool = False) -> Header:
    first = cases[0]
    a = first.parties.applicant or Party("person", "")
    g = first.parties.agent
    at = first.accepted_at or first.created_at
    assert at is not None, "a case with events has a first one"
    return Header(
        site_name=site_name,
        window_name=window_name,
        clerk_name=clerk_name,
        items=tuple(c.item.name for c in cases),
        department="、".join(dict.fromkeys(c.item.department_name for c in cases)),
        applicant=Applicant(
            name=a.name,
            id_number=a.id_number,
            is_organisation=a.is_organisation,
            legal_representative=a.legal_representative,
            phone=a.phone,
            address=a.address,
        ),
        accepted_at=at,
        case_number=first.case_number if numbered else "",
        agent=Agent(g.name, g.id_number, first.parties.agent_relation, g.phone) if g else None,
        reprint_count=reprint,
        situations=tuple((a.question, a.label) for a in first.situations),
        demo=demo,
    )


def _materials(case: CaseView, *, provided: bool = True) -> tuple[MaterialLine, ...]:
    return tuple(_line(m) for m in case.checklist if m.provided == provided)


def _line(m: Material) -> MaterialLine:
    return MaterialLine(m.name, _FORMS.get(m.form or "", MaterialForm.ORIGINAL), max(1, m.copies or 1), m.each)


def build_document(
    kind: str, cases: list[CaseView], *, site_name: str, window_name: str, clerk_name: str, reprint: int = 0,
    today: date | None = None, demo: bool = False,
) -> Document:
    """The ``kind`` paper (print_log.DOCUMENT_KINDS) for one case or the cases of one bundle."""
    first = cases[0]
    if kind in ("decision_letter", "handover_receipt"):
        return _after_decision(kind, first, site_name=site_name, window_name=window_name, clerk_name=clerk_name, demo=demo,
                               reprint=reprint)
    numbered = kind in ("receipt", "pledge", "result_slip", "pledge_reminder")
    header = _header(cases, site_name, window_name, clerk_name, reprint, numbered, demo)
    if kind == "receipt":
        due = first.due
        delivery = first.intake.delivery
        return AcceptanceReceipt(
            header=header,
            materials=_materials(first),
            promise=PromisedCompletion(
                working_days=int(due.days or 0) if due else 0,
                due_date=due.due_at.astimezone(SHANGHAI).date() if due else date.today(),
                confirmed_by_department=bool(due and due.confirmed_by_department),
                provisional=bool(due and (due.calendar_version or "").startswith("weekends")),
            ),
            delivery=_DELIVERY.get(delivery.method if delivery else "window", Delivery.WINDOW),
            delivery_address=delivery.address if delivery else "",
            urgent=first.item.urgent,
            urgent_reason=first.item.urgent_reason or "",
        )
    if kind == "pledge":
        pledge = first.pledge
        if pledge is None or pledge.due is None:
            raise ValueError("the case has no pledge")
        return PledgeLetter(
            header=header,
            waived=tuple(MaterialLine(name) for name in pledge.materials),
            owed_by=pledge.due,
        )
    if kind == "pledge_reminder":
        pledge = first.pledge
        if pledge is None or pledge.due is None or not pledge.open:
            raise ValueError("the case has no open pledge")
        return PledgeReminder(
            header=header,
            owed=tuple(MaterialLine(name) for name in pledge.materials),
            owed_by=pledge.due,
            reminded_on=today or datetime.now(SHANGHAI).date(),
        )
    if kind == "supplement_notice":
        return SupplementNotice(
            header=header,
            notice_number=first.case_number,
            problems=tuple(MaterialProblem(m.name, m.reason, missing=m.reason == "未提供") for m in first.intake.notice),
        )
    if kind == "refusal_notice":
        return RefusalNotice(header=header, notice_number=first.case_number, reason=first.intake.refusal_reason)
    if kind == "result_slip":
        completed = first.intake.act.at if first.intake.act else first.created_at
        assert completed is not None
        return OnTheSpotResult(header=header, result_summary=first.intake.result, completed_at=completed)
    raise ValueError(f"unknown document kind {kind!r}")


def _after_decision(kind: str, case: CaseView, *, site_name: str, window_name: str, clerk_name: str, demo: bool,
                    reprint: int) -> Document:
    """The decision letter and the hand-over receipt: who signed is who acted, not who prints; the window
    is the one that accepted the case."""
    decision = case.decision
    if decision is None:
        raise ValueError("the case has no decision yet")
    window = case.intake.window_name or window_name
    if kind == "decision_letter":
        header = _header([case], site_name, window, decision.act.actor_name or decision.act.actor, reprint, True,
                         demo)
        return DecisionLetter(
            header, decision.approved, decision.act.at, case.item.department_name,
            document_number=decision.document_number, result_text=decision.result_text,
            reason=decision.denial_reason,
        )
    handed = case.handover
    if handed is None:
        raise ValueError("the result has not been handed over yet")
    header = _header([case], site_name, window, handed.act.actor_name or handed.act.actor, reprint, True, demo)
    method = _HANDOVER[handed.method]
    recipient = None
    if method is HandoverMethod.WINDOW:
        person = handed.recipient_party
        recipient = Recipient(person.name if person else "", person.id_number if person else "",
                              _RELATION.get(handed.recipient or "applicant", "申请人本人"))
    summary = decision.summary
    number = decision.document_number
    summary = summary.replace(f"（文号 {number}）", "") if number else summary  # printed in its own words
    return HandoverReceipt(
        header, method, handed.act.at, summary, document_number=number, recipient=recipient,
        tracking_no=handed.tracking_no, sent_to=handed.sent_to, note=handed.note,
    )
