"""The writes the intake screen submits to the task runner: one outcome (no widgets; the hand-over is
services/transfer.py, the same act as the case list's).

The widgets' values are read on the GUI thread and passed in; these functions run on a worker.
"""

from __future__ import annotations

from datetime import date

from clerk_desk.domain.errors import InputError
from clerk_desk.services import catalog_service
from clerk_desk.services.intake import Clerk, IntakeResult, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, Pledge, Urgency
from clerk_desk.store.database import Database
from clerk_desk.ui.intake.model import OutcomeFields


def _confirmed_days(fields: OutcomeFields) -> dict[str, int]:
    out = {}
    for code, text in fields.confirmed_days.items():
        if text.strip():
            try:
                out[code] = int(text)
            except ValueError:
                raise InputError(f"部门确认的时限“{text}”不是整数个工作日") from None
    return out


def run_outcome(
    db: Database, outcome: str, form: IntakeForm, clerk: Clerk, fields: OutcomeFields,
    owed: tuple[str, ...], draft_id: str | None,
) -> IntakeResult:
    """Carry out one outcome in one transaction; the draft goes in the same transaction."""
    service = IntakeService(db)
    if outcome in ("accept", "pledge", "on_spot"):
        if outcome == "on_spot":
            result = service.complete_on_spot(form, clerk, result=fields.result, draft_id=draft_id)
        else:
            pledge = None
            if outcome == "pledge":
                pledge = Pledge(materials=owed, due=date.fromisoformat(fields.pledge_due))
            delivery = Delivery(fields.delivery, fields.address if fields.delivery == "post" else "",
                                form.applicant.phone)
            urgency: Urgency | dict[str, Urgency] | None = None
            if fields.urgent_items:  # a bundle: each case its own call
                urgency = {code: Urgency(v, fields.urgent_reasons.get(code, "")) for code, v in fields.urgent_items.items()}
            elif fields.urgent is not None:
                urgency = Urgency(fields.urgent, fields.urgent_reason)
            result = service.accept(form, clerk, delivery=delivery, confirmed_days=_confirmed_days(fields),
                                    pledge=pledge, urgency=urgency, draft_id=draft_id)
        catalog_service.count_accepted(db, tuple(c.item_code for c in result.cases))  # search ties
        return result
    if outcome == "notify":
        return service.notify_supplement(form, clerk, draft_id=draft_id)
    if outcome == "refuse":
        return service.refuse(form, clerk, reason=fields.refuse_reason, draft_id=draft_id)
    raise ValueError(f"unknown outcome {outcome!r}")
