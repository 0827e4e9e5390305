"""一票否决 record: late transfers and late decisions, against the department and the person, with how late.
Pure: the desk reads the facts from its file (services/violations.py), the county hub from its log.

* A **late transfer**: the first hand-over to the back office came after the 5 (urgent) / 15 minutes
  after acceptance (plan 四(二)); held against the clerk who accepted the case.
* A **late decision**: the back office decided after the due date (办结时限, moved by its pauses); held
  against the approver who decided; how late in working days (0 when decided on the rest day right
  after the due day) and in hours.

A violation belongs to the month (Asia/Shanghai) of the late act. A supervisor may excuse one with a
reason (a ``violation_excused`` event of the case's log: kept, carried to the hub, never deleted); the
record shows it excused, and the tables count it apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from clerk_desk.domain.transfers import transfer_facts
from clerk_desk.domain.workdays import CalendarLike, working_days_left


class Kind(StrEnum):
    TRANSFER = "transfer"
    DECISION = "decision"


KIND_ZH = {Kind.TRANSFER: "超时流转", Kind.DECISION: "超期审批"}


@dataclass(frozen=True, slots=True)
class Excuse:
    at: datetime
    by: str
    reason: str


@dataclass(frozen=True, slots=True)
class Violation:
    case_uuid: str
    case_number: str
    site_code: str
    department_code: str
    item_name: str
    kind: Kind
    person: str  # username
    at: datetime  # the late act
    deadline: datetime
    late_s: int  # seconds past the deadline
    late_days: int | None = None  # decisions: working days past the due day
    excuse: Excuse | None = None

    @property
    def excused(self) -> bool:
        return self.excuse is not None


def late_transfer(case_uuid: str, case_number: str, site_code: str, department_code: str, item_name: str,
                  accepted_at: datetime, urgent: bool, transferred_at: datetime, late_flag: bool,
                  person: str) -> Violation | None:  # fmt: skip
    """The first hand-over, if it was late (the same test as every list's: domain/transfers.py)."""
    t = transfer_facts(accepted_at, urgent, [("transferred", transferred_at, late_flag)])
    if not t.late or t.due_at is None:
        return None
    return Violation(case_uuid, case_number, site_code, department_code, item_name, Kind.TRANSFER, person,
                     transferred_at, t.due_at, max(0, int((transferred_at - t.due_at).total_seconds())))  # fmt: skip


def late_decision(case_uuid: str, case_number: str, site_code: str, department_code: str, item_name: str,
                  due_at: datetime, decided_at: datetime, person: str,
                  calendar: CalendarLike) -> Violation | None:  # fmt: skip
    if decided_at <= due_at:
        return None
    left, _overdue = working_days_left(decided_at, due_at, calendar)
    return Violation(case_uuid, case_number, site_code, department_code, item_name, Kind.DECISION, person,
                     decided_at, due_at, int((decided_at - due_at).total_seconds()), -left)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tally:
    """One line of a monthly table (a department or a person)."""

    key: str
    transfers: int = 0
    decisions: int = 0
    excused: int = 0
    transfer_minutes: int = 0  # minutes late, summed (excused ones left out)
    decision_days: int = 0  # working days late, summed (excused ones left out)

    @property
    def counted(self) -> int:
        """Violations that stand (not excused)."""
        return self.transfers + self.decisions - self.excused


def tally(found: Iterable[Violation], key: Callable[[Violation], str]) -> list[Tally]:
    """Per key (department or person): the late transfers and decisions, the excused, how late in sum; the
    keys with most standing violations first."""
    lines: dict[str, dict[str, int]] = {}
    for v in found:
        line = lines.setdefault(key(v), {"transfers": 0, "decisions": 0, "excused": 0, "transfer_minutes": 0,
                                         "decision_days": 0})  # fmt: skip
        line["transfers" if v.kind is Kind.TRANSFER else "decisions"] += 1
        if v.excused:
            line["excused"] += 1
        elif v.kind is Kind.TRANSFER:
            line["transfer_minutes"] += v.late_s // 60
        else:
            line["decision_days"] += v.late_days or 0
    out = [Tally(k, **n) for k, n in lines.items()]
    return sorted(out, key=lambda t: (-t.counted, t.key))
