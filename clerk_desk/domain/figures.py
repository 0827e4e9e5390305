"""统计: the reform's figures for a period, from the acts made in it. Pure: the desk reads the acts from its
file (services/figures.py), the county hub from its log; both compute the same figures here.

* **Volumes**: every intake act at the window in the period (受理, 即办件 on the spot, 一次性告知, 不予受理),
  by day (Asia/Shanghai), window, clerk, department, item and channel.
* **Transfers on time**: first hand-overs in the period within their 5 / 15 minutes (domain/transfers.py).
* **Decisions within the promised days**: decisions in the period on or before their due date.
* **Acceptance → decision** and **acceptance → hand-over (出件)**: hours, the mean and the 90th percentile
  (nearest rank), over the decisions and the hand-overs made in the period.
* **Rates**: 一次性告知 and 不予受理 per intake act; 即办件 share of the cases taken (受理 + 即办).
* **办件均衡**: each window's intake acts beside the windows' mean.
* **Results waiting** at the period's end: back at the window before the end and not handed over by then.

A rate with nothing to divide by is None (the screens show —).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from clerk_desk.domain.transfers import transfer_facts
from clerk_desk.domain.workdays import SHANGHAI

ACCEPTED, ON_SPOT, NOTIFIED, REFUSED = "accepted", "completed_on_spot", "supplement_notified", "refused"
INTAKE_KINDS = (ACCEPTED, ON_SPOT, NOTIFIED, REFUSED)


@dataclass(frozen=True, slots=True)
class IntakeAct:
    case_uuid: str
    at: datetime
    kind: str  # one of INTAKE_KINDS
    department_code: str
    item_code: str
    item_name: str
    window_id: str
    clerk: str
    channel: str


@dataclass(frozen=True, slots=True)
class HandedOver:
    case_uuid: str
    at: datetime
    accepted_at: datetime
    urgent: bool
    late_flag: bool


@dataclass(frozen=True, slots=True)
class Decided:
    case_uuid: str
    at: datetime
    accepted_at: datetime | None
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class Delivered:
    case_uuid: str
    at: datetime
    accepted_at: datetime | None


@dataclass(frozen=True, slots=True)
class Spread:
    """Hours: how many, the mean, the 90th percentile (nearest rank); None when there is none."""

    n: int
    mean: float | None
    p90: float | None


@dataclass(frozen=True, slots=True)
class Figures:
    start: datetime
    end: datetime
    intakes: int
    kinds: dict[str, int]  # intake kind -> acts
    by_day: tuple[tuple[date, int], ...]
    by_window: tuple[tuple[str, int], ...]  # the most first
    by_clerk: tuple[tuple[str, int], ...]
    by_department: tuple[tuple[str, int], ...]
    by_item: tuple[tuple[str, int], ...]  # item code
    by_channel: tuple[tuple[str, int], ...]
    transfers: int
    transfers_on_time: int
    decisions: int
    decisions_on_time: int
    to_decision: Spread
    to_handover: Spread
    results_waiting: int

    @property
    def transfer_on_time_rate(self) -> float | None:
        return rate(self.transfers_on_time, self.transfers)

    @property
    def decision_on_time_rate(self) -> float | None:
        return rate(self.decisions_on_time, self.decisions)

    @property
    def notified_rate(self) -> float | None:
        return rate(self.kinds.get(NOTIFIED, 0), self.intakes)

    @property
    def refused_rate(self) -> float | None:
        return rate(self.kinds.get(REFUSED, 0), self.intakes)

    @property
    def immediate_share(self) -> float | None:
        taken = self.kinds.get(ACCEPTED, 0) + self.kinds.get(ON_SPOT, 0)
        return rate(self.kinds.get(ON_SPOT, 0), taken)

    def balance(self) -> tuple[tuple[str, int, float], ...]:
        """办件均衡: each window's acts and their ratio to the windows' mean (1.0 = an even share)."""
        if not self.by_window:
            return ()
        mean = sum(n for _w, n in self.by_window) / len(self.by_window)
        return tuple((w, n, n / mean) for w, n in self.by_window)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def spread(hours: Sequence[float]) -> Spread:
    if not hours:
        return Spread(0, None, None)
    ordered = sorted(hours)
    return Spread(len(ordered), sum(ordered) / len(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1])


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def figures(start: datetime, end: datetime, intakes: Iterable[IntakeAct], handed: Iterable[HandedOver],
            decided: Iterable[Decided], delivered: Iterable[Delivered], results_waiting: int) -> Figures:  # fmt: skip
    """The figures of [start, end) from the acts in it (the caller keeps to the period; the first hand-over of
    each case only)."""
    acts = [a for a in intakes if start <= a.at < end]
    days: Counter[date] = Counter(a.at.astimezone(SHANGHAI).date() for a in acts)
    on_time = 0
    n_handed = 0
    for h in handed:
        if start <= h.at < end:
            n_handed += 1
            on_time += not transfer_facts(h.accepted_at, h.urgent, [("transferred", h.at, h.late_flag)]).late
    decisions = [d for d in decided if start <= d.at < end]
    handovers = [d for d in delivered if start <= d.at < end]
    return Figures(
        start, end, len(acts), dict(Counter(a.kind for a in acts)), tuple(sorted(days.items())),
        _ranked(Counter(a.window_id for a in acts)), _ranked(Counter(a.clerk for a in acts)),
        _ranked(Counter(a.department_code for a in acts)), _ranked(Counter(a.item_code for a in acts)),
        _ranked(Counter(a.channel for a in acts)), n_handed, on_time, len(decisions),
        sum(1 for d in decisions if d.due_at is not None and d.at <= d.due_at),
        spread([(d.at - d.accepted_at).total_seconds() / 3600 for d in decisions if d.accepted_at]),
        spread([(d.at - d.accepted_at).total_seconds() / 3600 for d in handovers if d.accepted_at]),
        results_waiting,
    )  # fmt: skip
