"""流转后台, the one act for any number of cases: the intake's bundle (一件事) after printing, the cases ticked
in the case list, the case page's one case.

Each case is handed over in its own transaction (services.intake.IntakeService.transfer), and a case that
may not go does not stop the others: the clerk holds the paper of every case of the bundle, and each
one that can go should go now, before its 5 / 15 minutes run out; the one that cannot is named with its
reason, and its paper stays at the window (docs/cases.md, "Transfer").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.services.intake import CaseOutcome, Clerk, IntakeService
from clerk_desk.store.database import Database


@dataclass(frozen=True)
class Refused:
    case_uuid: str
    case_number: str  # or the uuid when the case has none
    message: str  # the service's reason, in Chinese


@dataclass(frozen=True)
class TransferReport:
    done: tuple[CaseOutcome, ...]
    refused: tuple[Refused, ...]

    @property
    def all_done(self) -> bool:
        return not self.refused


def transfer_cases(db: Database, cases: Iterable[tuple[str, str]], clerk: Clerk, *,
                   now: datetime | None = None) -> TransferReport:  # fmt: skip
    """Hand each (uuid, case number) to the back office; a refusal is reported, the others still go."""
    svc = IntakeService(db)
    done, refused = [], []
    for uuid, number in cases:
        try:
            done.append(svc.transfer(uuid, clerk, now=now))
        except ClerkDeskError as exc:
            refused.append(Refused(uuid, number or uuid, exc.message_zh))
    return TransferReport(tuple(done), tuple(refused))
