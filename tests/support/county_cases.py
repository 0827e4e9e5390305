"""Generated cases for the county figures: each case's events as a desk would make them, spread over a
period, with every outcome the figures count (on time and late transfers, decisions in time and late,
pauses that move the due date, 补正 and its return, results waiting, 容缺 pledges kept and owed, paper archived
and not, cases still open at every stage).

Used by tests/hub/test_county_figures.py (pushed to a real hub) and benchmarks/county_figures.py (bulk
loaded). Deterministic for a seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from clerk_desk.domain.workdays import SHANGHAI

ITEMS = {"rs": ("rs-001", "rs-002", "rs-003"), "mz": ("mz-001", "mz-002"), "nb": ("nb-001",)}
# What each intake names its item (the window's catalog): the hub keeps the names (county_items).
ITEM_NAMES = {"rs-001": "城乡居民基本养老保险注销登记", "rs-002": "失业保险金申领", "rs-003": "社会保障卡挂失",
              "mz-001": "农村低保初审及转报", "mz-002": "高龄老人津贴申请", "nb-001": "农机购置补贴申请"}  # fmt: skip
CHANNELS = ("window", "online", "phone")
WINDOW, BACK = "window", "back_office"


@dataclass
class Step:
    type: str
    side: str
    at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class GeneratedCase:
    uuid: str
    site_code: str
    department_code: str
    steps: list[Step]


def iso(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).isoformat()


def _office_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment between start and end during Shanghai office hours (08:30-17:30)."""
    span = (end - start).total_seconds()
    while True:
        at = start + timedelta(seconds=rng.uniform(0, span))
        local = at.astimezone(SHANGHAI)
        if 8 * 60 + 30 <= local.hour * 60 + local.minute <= 17 * 60 + 30:
            return at


def generate(
    rng: random.Random, sites: list[str], start: datetime, end: datetime, n_cases: int
) -> Iterator[GeneratedCase]:
    """``n_cases`` cases accepted between ``start`` and ``end``; no event after ``end``."""
    departments = sorted(ITEMS)
    for k in range(n_cases):
        site, dept = rng.choice(sites), rng.choice(departments)
        at = _office_time(rng, start, end)
        yield GeneratedCase(str(uuid.UUID(int=rng.getrandbits(128))), site, dept,
                            list(_steps(rng, site, dept, k, at, end)))  # fmt: skip


def _steps(rng: random.Random, site: str, dept: str, k: int, at: datetime, end: datetime) -> Iterator[Step]:
    urgent = rng.random() < 0.2
    days = rng.choice((1, 3, 5, 10))
    item = rng.choice(ITEMS[dept])
    intake = {
        "case_number": f"{site[-3:]}-{k:06d}",
        "item_code": item,
        "item_name": ITEM_NAMES[item],
        "channel": rng.choice(CHANNELS),
        "urgent": urgent,
        "promised_days": days,
    }

    def later(minutes: float) -> datetime | None:
        nonlocal at
        nxt = at + timedelta(minutes=minutes)
        if nxt > end:
            return None
        at = nxt
        return at

    def archive() -> Iterator[Step]:
        """Most paper is archived within a few days of closing; some is left (the 督办 list's archive stage)."""
        if rng.random() < 0.85 and (t := later(rng.uniform(10, 60 * 24 * 3))) is not None:
            yield Step("archived", WINDOW, t)

    outcome = rng.random()
    if outcome < 0.05:
        yield Step("refused", WINDOW, at, intake)
        yield from archive()
        return
    if outcome < 0.13:
        yield Step("supplement_notified", WINDOW, at, intake)
        return
    if outcome < 0.28:
        yield Step("completed_on_spot", WINDOW, at, intake)
        yield from archive()
        return
    due = at + timedelta(days=days * 1.4)
    yield Step("accepted", WINDOW, at, intake | {"due_at": iso(due)})
    if rng.random() < 0.15:  # 容缺: material owed by a promised day; half of it brought before the transfer
        promised = (at + timedelta(days=rng.choice((0, 1, 2, 4)))).astimezone(SHANGHAI).date()
        t = later(0.5)
        if t is None:
            return
        yield Step("pledge_recorded", WINDOW, t, {"due": promised.isoformat()})
        if rng.random() < 0.5 and (t := later(0.5)) is not None:
            yield Step("pledge_fulfilled", WINDOW, t)

    # Transfer: mostly in time, some late.
    t = later(rng.choice((1, 3, 4, 6, 9, 14, 16, 25, 40)))
    if t is None:
        return
    yield Step("transferred", WINDOW, t)
    while True:
        t = later(rng.uniform(5, 300))
        if t is None:
            return
        yield Step("received", BACK, t)
        roll = rng.random()
        if roll < 0.12:  # 特别程序: the clock stops and the due date moves on when it resumes
            t = later(rng.uniform(60, 60 * 48))
            if t is None:
                return
            yield Step("clock_paused", BACK, t)
            paused = t
            t = later(rng.uniform(60, 60 * 72))
            if t is None:
                return
            due = due + (t - paused)
            yield Step("clock_resumed", BACK, t, {"due_at": iso(due)})
        elif roll < 0.22:  # 补正: back to the window, then transferred again with a new due date
            t = later(rng.uniform(60, 60 * 24))
            if t is None:
                return
            yield Step("supplement_requested", BACK, t)
            t = later(rng.uniform(30, 60 * 48))
            if t is None:
                return
            due = t + timedelta(days=days * 1.4)
            yield Step("retransferred", WINDOW, t, {"due_at": iso(due)})
            continue
        break
    t = later(rng.uniform(30, 60 * 24 * days * 1.8))
    if t is None:
        return
    yield Step("decided", BACK, t, {"decision": "approved" if rng.random() < 0.9 else "denied"})
    t = later(rng.uniform(10, 600))
    if t is None:
        return
    yield Step("result_returned", BACK, t)
    t = later(rng.uniform(60, 60 * 24 * 6))
    if t is None:
        return
    yield Step("delivered", WINDOW, t)
    yield from archive()
