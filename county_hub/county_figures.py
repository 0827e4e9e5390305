"""The county's figures and 督办 list, read from the projection every push keeps (county_hub.county_projection;
docs/hub.md, "County figures"). Plain SQLAlchemy: the same on SQLite and PostgreSQL, no scan of the log.

Only what a county supervisor needs leaves the hub: counts per township and department, and for the
督办 list a case's number, item, stage, holder and how late; never an applicant's name or ID number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from county_hub.county_projection import COUNTERS, STAGES
from county_hub.models import CountyCase, CountyDaily, Site
from county_hub.schemas import iso_utc

MAX_PERIOD_DAYS = 366
MAX_OVERDUE = 2000


def _names(conn: Connection, codes: set[str]) -> dict[str, str]:
    """The townships' names (the ``sites`` table) for the codes in an answer."""
    if not codes:
        return {}
    return {
        code: name
        for code, name in conn.execute(select(Site.code, Site.name).where(Site.code.in_(sorted(codes))))
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _sites(column: Any, sites: Sequence[str] | None) -> Any:
    return column.in_(sorted(set(sites))) if sites else True


def figures(conn: Connection, first: date, last: date, sites: Sequence[str] | None = None) -> dict[str, Any]:
    """The figures of the Shanghai days ``first``..``last`` (inclusive), by township and department.

    The period's counter rows (a few per township, department and day) are read once and added up here for
    every table: one index range scan instead of one per table (docs/hub.md, "County figures")."""
    lo, hi = first.isoformat(), last.isoformat()
    d = CountyDaily
    rows = conn.execute(
        select(
            d.site_code, d.department_code, d.day, d.item_code, d.channel, *(getattr(d, n) for n in COUNTERS)
        ).where(d.day >= lo, d.day <= hi, _sites(d.site_code, sites))
    ).all()
    totals: dict[tuple[str, str], list[int]] = {}
    by_day: dict[tuple[str, str], int] = defaultdict(int)
    by_item: dict[tuple[str, str, str], int] = defaultdict(int)
    by_channel: dict[tuple[str, str], int] = defaultdict(int)
    intakes = COUNTERS.index("intakes")
    for site, dept, day, item, channel, *counts in rows:
        into = totals.setdefault((site, dept), [0] * len(COUNTERS))
        for i, n in enumerate(counts):
            into[i] += n
        if counts[intakes]:
            by_day[(site, day)] += counts[intakes]
            by_item[(site, dept, item)] += counts[intakes]
            by_channel[(site, channel)] += counts[intakes]
    p90 = _p90(conn, lo, hi, sites)
    waiting = {
        (r.site_code, r.department_code): int(r.n)
        for r in conn.execute(
            select(CountyCase.site_code, CountyCase.department_code, func.count().label("n"))
            .where(CountyCase.status == "result_at_window", _sites(CountyCase.site_code, sites))
            .group_by(CountyCase.site_code, CountyCase.department_code)
        )
    }
    table = [
        _township_row(
            key, dict(zip(COUNTERS, (int(n) for n in counts), strict=True)), p90.get(key), waiting.get(key, 0)
        )
        for key, counts in totals.items()
    ]
    # Results still waiting in a department with no figures this period.
    table += [
        _township_row(key, dict.fromkeys(COUNTERS, 0), None, n)
        for key, n in waiting.items()
        if key not in totals
    ]
    table.sort(key=lambda t: (t["site_code"], t["department_code"]))
    return {
        "from": lo,
        "to": hi,
        "township_names": _names(conn, {t["site_code"] for t in table} | {s for s, _ in by_channel}),
        "by_township": table,
        "by_day": [{"site_code": s, "day": day, "intakes": n} for (s, day), n in sorted(by_day.items())],
        "by_item": [
            {"site_code": s, "department_code": dept, "item_code": item, "intakes": n}
            for (s, dept, item), n in sorted(by_item.items())
        ],
        "by_channel": [
            {"site_code": s, "channel": ch, "intakes": n} for (s, ch), n in sorted(by_channel.items())
        ],
    }


def _township_row(key: tuple[str, str], c: dict[str, int], p90: int | None, waiting: int) -> dict[str, Any]:
    decided = c["decisions"]
    taken_in = c["accepted"] + c["on_spot"]
    return {
        "site_code": key[0],
        "department_code": key[1],
        **{name: c[name] for name in COUNTERS if name != "decision_seconds"},
        "transfer_on_time_rate": _rate(c["transfers_on_time"], c["transfers"]),
        "decided_in_time_rate": _rate(c["decided_in_time"], decided),
        "avg_decision_seconds": round(c["decision_seconds"] / decided, 1) if decided else None,
        "p90_decision_seconds": p90,
        "notified_rate": _rate(c["notified"], c["intakes"]),
        "refused_rate": _rate(c["refused"], c["intakes"]),
        "on_spot_share": _rate(c["on_spot"], taken_in),
        "results_waiting": waiting,
    }


def _p90(conn: Connection, lo: str, hi: str, sites: Sequence[str] | None) -> dict[tuple[str, str], int]:
    """The 90th percentile (nearest rank: the ceil(0.9 n)-th smallest) of acceptance → decision per
    township and department, over the cases decided in the period. The times come from one index-only
    range scan (ix_county_cases_decided holds them) and are ranked here: sorting them in the database by
    township and department text took twice as long at 60,000 decisions."""
    c = CountyCase
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for site, dept, took in conn.execute(
        select(c.site_code, c.department_code, c.decision_seconds).where(
            c.decided_day >= lo,
            c.decided_day <= hi,
            c.decision_seconds.is_not(None),
            _sites(c.site_code, sites),
        )
    ):
        if took is not None:  # excluded by the query: for the type checker
            found[(site, dept)].append(took)
    out = {}
    for key, values in found.items():
        values.sort()
        out[key] = int(values[-(-9 * len(values) // 10) - 1])
    return out


def overdue(
    conn: Connection, now: datetime, sites: Sequence[str] | None = None, limit: int = MAX_OVERDUE
) -> dict[str, Any]:
    """The 督办 list at ``now``: every case whose open stage is late or turned amber, latest deadline last."""
    c = CountyCase
    where = and_(c.risk_at.is_not(None), c.risk_at <= now, _sites(c.site_code, sites))
    total = conn.execute(select(func.count()).select_from(c).where(where)).scalar_one()
    rows = conn.execute(
        select(
            c.site_code,
            c.department_code,
            c.case_number,
            c.item_code,
            c.status,
            c.holder,
            c.deadline,
            c.case_uuid,
        )
        .where(where)
        .order_by(c.deadline, c.case_uuid)
        .limit(limit)
    ).all()
    return {
        "at": iso_utc(now),
        "total": int(total),
        "township_names": _names(conn, {r.site_code for r in rows}),
        "cases": [
            {
                "site_code": r.site_code,
                "department_code": r.department_code,
                "case_number": r.case_number,
                "item_code": r.item_code,
                "stage": STAGES[r.status],
                "holder": r.holder,
                "deadline": iso_utc(r.deadline),
                "late": now > r.deadline,
                "late_seconds": int((now - r.deadline).total_seconds()),
            }
            for r in rows
        ],
    }
