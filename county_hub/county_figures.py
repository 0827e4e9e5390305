"""The county's figures and 督办 list, read from the projection every push keeps (county_hub.county_projection;
docs/hub.md, "County figures"). Plain SQLAlchemy: the same on SQLite and PostgreSQL, no scan of the log.

Only what a county supervisor needs leaves the hub: counts per township and department, and for the
督办 list a case's number, item, stage, holder and how late; never an applicant's name or ID number.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from county_hub.county_projection import COUNTERS, STAGES
from county_hub.models import CountyCase, CountyDaily
from county_hub.schemas import iso_utc

MAX_PERIOD_DAYS = 366
MAX_OVERDUE = 2000


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _sites(column: Any, sites: Sequence[str] | None) -> Any:
    return column.in_(sorted(set(sites))) if sites else True


def figures(conn: Connection, first: date, last: date, sites: Sequence[str] | None = None) -> dict[str, Any]:
    """The figures of the Shanghai days ``first``..``last`` (inclusive), by township and department."""
    lo, hi = first.isoformat(), last.isoformat()
    d = CountyDaily
    in_period = and_(d.day >= lo, d.day <= hi, _sites(d.site_code, sites))
    sums = [func.coalesce(func.sum(getattr(d, name)), 0).label(name) for name in COUNTERS]
    rows = conn.execute(
        select(d.site_code, d.department_code, *sums)
        .where(in_period)
        .group_by(d.site_code, d.department_code)
        .order_by(d.site_code, d.department_code)
    ).all()
    p90 = _p90(conn, lo, hi, sites)
    waiting = {
        (r.site_code, r.department_code): int(r.n)
        for r in conn.execute(
            select(CountyCase.site_code, CountyCase.department_code, func.count().label("n"))
            .where(CountyCase.status == "result_at_window", _sites(CountyCase.site_code, sites))
            .group_by(CountyCase.site_code, CountyCase.department_code)
        )
    }
    table = []
    for r in rows:
        c = {name: int(getattr(r, name)) for name in COUNTERS}
        key = (r.site_code, r.department_code)
        table.append(_township_row(key, c, p90.get(key), waiting.pop(key, 0)))
    for key, n in sorted(
        waiting.items()
    ):  # results still waiting in a department with no figures this period
        table.append(_township_row(key, dict.fromkeys(COUNTERS, 0), None, n))
    table.sort(key=lambda t: (t["site_code"], t["department_code"]))
    return {
        "from": lo,
        "to": hi,
        "by_township": table,
        "by_day": _volumes(conn, in_period, d.day),
        "by_item": _volumes(conn, in_period, d.department_code, d.item_code),
        "by_channel": _volumes(conn, in_period, d.channel),
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


def _volumes(conn: Connection, where: Any, *by: Any) -> list[dict[str, Any]]:
    d = CountyDaily
    total = func.sum(d.intakes).label("intakes")
    rows = conn.execute(
        select(d.site_code, *by, total).where(where).group_by(d.site_code, *by).order_by(d.site_code, *by)
    ).all()
    names = ["site_code", *(c.key for c in by), "intakes"]
    return [dict(zip(names, (*r[:-1], int(r[-1])), strict=True)) for r in rows if r[-1]]


def _p90(conn: Connection, lo: str, hi: str, sites: Sequence[str] | None) -> dict[tuple[str, str], int]:
    """The 90th percentile (nearest rank: the ceil(0.9 n)-th smallest) of acceptance → decision per
    township and department, over the cases decided in the period (window functions: both databases)."""
    c = CountyCase
    part = (c.site_code, c.department_code)
    ranked = (
        select(
            c.site_code,
            c.department_code,
            c.decision_seconds,
            func.row_number().over(partition_by=part, order_by=c.decision_seconds).label("rn"),
            func.count().over(partition_by=part).label("n"),
        )
        .where(
            c.decided_day >= lo,
            c.decided_day <= hi,
            c.decision_seconds.is_not(None),
            _sites(c.site_code, sites),
        )
        .subquery()
    )
    rows = conn.execute(
        select(ranked.c.site_code, ranked.c.department_code, ranked.c.decision_seconds).where(
            ranked.c.rn == (ranked.c.n * 9 + 9) // 10
        )
    ).all()
    return {(r.site_code, r.department_code): int(r.decision_seconds) for r in rows}


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
