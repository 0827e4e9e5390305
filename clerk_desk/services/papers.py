"""Which papers a case has, read from its view (domain/case_view.py): the outcome's own paper first, the
decision letter once the result is back at the window, the hand-over receipt once it was handed over.

The papers themselves are built from the same view (forms/case_documents.py); print_log records each
print. Keys are print_log.DOCUMENT_KINDS'.
"""

from __future__ import annotations

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.lifecycle import Status

# The paper each intake outcome prints first.
FIRST_PAPER = {
    "accepted": "receipt",
    "completed": "result_slip",
    "notified": "supplement_notice",
    "refused": "refusal_notice",
}
# The decision letter is printed (and reprinted) at the window once the result is back there.
RESULT_BACK = frozenset({Status.RESULT_AT_WINDOW, Status.DELIVERED, Status.ARCHIVED})


def papers_of(view: CaseView) -> list[str]:
    """The papers this case has, the outcome's own first (what the case page offers to reprint)."""
    kinds = []
    outcome = view.intake.outcome
    if outcome in ("completed", "notified", "refused"):
        kinds.append(FIRST_PAPER[outcome])
    if view.accepted_at is not None:
        kinds.append("receipt")
        if view.pledge is not None:
            kinds.append("pledge")
            if view.pledge.open:  # the reminder for the material still owed (docs/hall-operations.md)
                kinds.append("pledge_reminder")
    if view.handover is not None:
        kinds.insert(0, "handover_receipt")
    if view.decision is not None and view.status in RESULT_BACK:
        kinds.insert(0, "decision_letter")
    return kinds
