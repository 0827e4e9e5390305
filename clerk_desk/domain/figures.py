"""统计: the reform's figures for a period, from the acts made in it. Pure: the desk adds up what it keeps per
act and per day (services/figures.py, store/figure_counts.py); the county hub keeps its own (county_hub/).

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

ACCEPTED, ON_SPOT, NOTIFIED, REFUSED = "accepted", "completed_on_spot", "supplement_notified", "refused"
INTAKE_KINDS = (ACCEPTED, ON_SPOT, NOTIFIED, REFUSED)


# The window line of the acts of someone signed in at no window (the hall manager at a busy hour: 不坐窗口 works as a
# 综合窗口), in 统计 and on 窗口在岗's sheet alike
NO_WINDOW = "未选择窗口"
# 统计's line for acts with no window of this PC: taken at no window, or taken at another PC of the hall (its window is
# that PC's own and not known here; the case comes with the sync without one), so not "no window" alone
NO_WINDOW_HERE = "未选窗口或其他电脑受理"

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


def p90_rank(n: int) -> int:
    """The 0-based place of the 90th percentile (nearest rank) among ``n`` ordered values."""
    return math.ceil(0.9 * n) - 1


def spread(hours: Sequence[float]) -> Spread:
    if not hours:
        return Spread(0, None, None)
    ordered = sorted(hours)
    return Spread(len(ordered), sum(ordered) / len(ordered), ordered[p90_rank(len(ordered))])


def spread_of(n: int, total_hours: float, p90_hours: float | None) -> Spread:
    """The spread from a count, a sum and the value at :func:`p90_rank` (as the desk keeps them)."""
    return Spread(n, total_hours / n, p90_hours) if n else Spread(0, None, None)


@dataclass(frozen=True, slots=True)
class DayCount:
    """Intake acts of one hall day and one kind, window, clerk, department, item and channel."""

    day: date
    kind: str
    window_id: str
    clerk: str
    department_code: str
    item_code: str
    channel: str
    n: int


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def figures(start: datetime, end: datetime, days: Iterable[DayCount], *, transfers: tuple[int, int],
            decisions: tuple[int, int], to_decision: Spread, to_handover: Spread,
            results_waiting: int) -> Figures:  # fmt: skip
    """The figures of [start, end) from the intake acts per day (the caller keeps to the period) and the
    counts of the other acts: (how many, how many on time)."""
    kinds: Counter[str] = Counter()
    by: dict[str, Counter[str]] = {k: Counter() for k in ("window", "clerk", "department", "item", "channel")}
    per_day: Counter[date] = Counter()
    for d in days:
        kinds[d.kind] += d.n
        per_day[d.day] += d.n
        for key, value in (("window", d.window_id), ("clerk", d.clerk), ("department", d.department_code),
                           ("item", d.item_code), ("channel", d.channel)):  # fmt: skip
            by[key][value] += d.n
    return Figures(
        start, end, sum(kinds.values()), {k: n for k, n in kinds.items() if n}, tuple(sorted(per_day.items())),
        _ranked(by["window"]), _ranked(by["clerk"]), _ranked(by["department"]), _ranked(by["item"]),
        _ranked(by["channel"]), transfers[0], transfers[1], decisions[0], decisions[1], to_decision, to_handover,
        results_waiting,
    )  # fmt: skip
