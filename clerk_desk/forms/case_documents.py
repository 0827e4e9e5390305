"""Build the printed documents of a case from the case page data (services.case_queries.get_case).

Qt-free: plain data in, document dataclasses out. A bundle (一件事) prints one paper for all its cases.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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

# Which paper each outcome prints first.
DOCUMENT_FOR_STATUS = {
    "accepted": "receipt",
    "completed": "result_slip",
    "notified": "supplement_notice",
    "refused": "refusal_notice",
}


def _header(cases: list[dict[str, Any]], site_name: str, window_name: str, clerk_name: str, reprint: int,
            numbered: bool) -> Header:
    first = cases[0]
    a = first["applicant"] or {}
    g = first.get("agent")
    at = first["accepted_at"] or first["created_at"]
    return Header(
        site_name=site_name,
        window_name=window_name,
        clerk_name=clerk_name,
        items=tuple(c["item_name"] for c in cases),
        department="、".join(dict.fromkeys(c["department"] for c in cases)),
        applicant=Applicant(
            name=a.get("name") or "",
            id_number=a.get("id_number") or "",
            is_organisation=a.get("kind") == "organisation",
            legal_representative=a.get("legal_representative") or "",
            phone=a.get("phone") or "",
            address=a.get("address") or "",
        ),
        accepted_at=at,
        case_number=first["case_number"] if numbered else "",
        agent=Agent(g["name"] or "", g["id_number"] or "", first["details"].get("agent_relation") or "",
                    g.get("phone") or "") if g else None,
        reprint_count=reprint,
        situations=tuple((a["question"], a["label"]) for a in first["details"].get("situations") or ()),
    )


def _materials(case: dict[str, Any], *, provided: bool = True) -> tuple[MaterialLine, ...]:
    return tuple(
        MaterialLine(m["name"], _FORMS.get(m.get("form") or "", MaterialForm.ORIGINAL), max(1, int(m.get("copies") or 1)),
                     bool(m.get("each")))
        for m in case["details"].get("checklist", [])
        if bool(m.get("provided")) == provided
    )


def build_document(
    kind: str, cases: list[dict[str, Any]], *, site_name: str, window_name: str, clerk_name: str, reprint: int = 0
) -> Document:
    """The ``kind`` paper (print_log.DOCUMENT_KINDS) for one case or the cases of one bundle."""
    first = cases[0]
    details = first["details"]
    if kind in ("decision_letter", "handover_receipt"):
        return _after_decision(kind, first, site_name=site_name, window_name=window_name, clerk_name=clerk_name,
                               reprint=reprint)
    numbered = kind in ("receipt", "pledge", "result_slip")
    header = _header(cases, site_name, window_name, clerk_name, reprint, numbered)
    if kind == "receipt":
        days = int(details.get("days") or 0)
        due_local = first["due_at"].astimezone(SHANGHAI).date() if first["due_at"] else date.today()
        delivery = details.get("delivery") or {}
        return AcceptanceReceipt(
            header=header,
            materials=_materials(first),
            promise=PromisedCompletion(
                working_days=days,
                due_date=due_local,
                confirmed_by_department=bool(details.get("days_confirmed_by_department")),
                provisional=(first.get("due_calendar_version") or "").startswith("weekends"),
            ),
            delivery=_DELIVERY.get(delivery.get("method", "window"), Delivery.WINDOW),
            delivery_address=delivery.get("address", ""),
        )
    if kind == "pledge":
        pledge = details["pledge"]
        return PledgeLetter(
            header=header,
            waived=tuple(MaterialLine(name) for name in pledge["materials"]),
            owed_by=date.fromisoformat(pledge["due"]),
        )
    if kind == "supplement_notice":
        missing = details["notified"]["missing"]
        return SupplementNotice(
            header=header,
            notice_number=first["case_number"],
            problems=tuple(
                MaterialProblem(m["name"], m["reason"], missing=m["reason"] == "未提供") for m in missing
            ),
        )
    if kind == "refusal_notice":
        return RefusalNotice(header=header, notice_number=first["case_number"], reason=details["refused"]["reason"])
    if kind == "result_slip":
        return OnTheSpotResult(header=header, result_summary=details["completed"]["result"],
                               completed_at=first["created_at"])
    raise ValueError(f"unknown document kind {kind!r}")


def _after_decision(kind: str, case: dict[str, Any], *, site_name: str, window_name: str, clerk_name: str,
                    reprint: int) -> Document:
    """The decision letter and the hand-over receipt, from ``services.papers.paper_case`` (the case with
    its ``decision`` and ``handover``): who signed is who acted, not who prints."""
    decision = case.get("decision")
    if not decision:
        raise ValueError("the case has no decision yet")
    window = case.get("window_name") or window_name
    if kind == "decision_letter":
        header = _header([case], site_name, window, decision.get("by") or clerk_name, reprint, True)
        approved = decision.get("decision") == "approved"
        return DecisionLetter(
            header, approved, decision["at"], case["department"], document_number=decision.get("document_number") or "",
            result_text=decision.get("result_text") or "", reason=decision.get("denial_reason") or "",
        )
    handed = case.get("handover")
    if not handed:
        raise ValueError("the result has not been handed over yet")
    header = _header([case], site_name, window, handed.get("by") or clerk_name, reprint, True)
    method = _HANDOVER[handed["method"]]
    recipient = None
    if method is HandoverMethod.WINDOW:
        person = handed.get("recipient_person") or {}
        recipient = Recipient(person.get("name") or "", person.get("id_number") or "",
                              _RELATION.get(handed.get("recipient") or "applicant", "申请人本人"))
    summary = decision.get("summary") or ""
    number = decision.get("document_number") or ""
    summary = summary.replace(f"（文号 {number}）", "") if number else summary  # printed in its own words
    return HandoverReceipt(
        header, method, handed["at"], summary, document_number=number, recipient=recipient,
        tracking_no=handed.get("tracking_no") or "", sent_to=handed.get("sent_to") or "", note=handed.get("note") or "",
    )
