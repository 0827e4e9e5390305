"""The county's figures, read from the projection every push keeps (county_hub.county_projection;
docs/hub.md, "County figures"). Plain SQLAlchemy: the same on SQLite and PostgreSQL, no scan of the log.

Only what a county supervisor needs leaves the hub: counts per township and department, never an
applicant's name or ID number. The 督办 list is county_hub.county_supervision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select

from county_hub.county_projection import COUNTERS, bucket_edge
from county_hub.models import CountyCase, CountyDaily, CountyDuration, Site

MAX_PERIOD_DAYS = 366
INTAKES = COUNTERS.index("intakes")


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

    Every table is a sum over the period's day rows, added up by the database: a year of the whole county is
    some 130,000 counter rows and 580,000 histogram rows, of which a few thousand sums come back."""
    lo, hi = first.isoformat(), last.isoformat()
    d = CountyDaily
    period = and_(d.day >= lo, d.day <= hi, _sites(d.site_code, sites))
    # One sum per (township, department, item, channel): a few hundred rows, from which the totals and the
    # volumes by item and by channel are added up here; and one per (township, day).
    totals: dict[tuple[str, str], list[int]] = {}
    item_sums: dict[tuple[str, str, str], int] = defaultdict(int)
    channel_sums: dict[tuple[str, str], int] = defaultdict(int)
    keys = (d.site_code, d.department_code, d.item_code, d.channel)
    for site, dept, item, channel, *counts in conn.execute(
        select(*keys, *(func.sum(getattr(d, n)) for n in COUNTERS)).where(period).group_by(*keys)
    ):
        into = totals.setdefault((site, dept), [0] * len(COUNTERS))
        for i, n in enumerate(counts):
            into[i] += int(n or 0)
        intakes = int(counts[INTAKES] or 0)
        if intakes:
            item_sums[(site, dept, item)] += intakes
            channel_sums[(site, channel)] += intakes
    n = func.sum(d.intakes)
    by_day = [tuple(r) for r in conn.execute(
        select(d.site_code, d.day, n).where(period).group_by(d.site_code, d.day).having(n > 0)
    )]  # fmt: skip
    by_item = [(*k, v) for k, v in item_sums.items()]
    by_channel = [(*k, v) for k, v in channel_sums.items()]
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
        "township_names": _names(conn, {t["site_code"] for t in table} | {r[0] for r in by_channel}),
        "by_township": table,
        "by_day": [{"site_code": s, "day": day, "intakes": int(n)} for s, day, n in sorted(by_day)],
        "by_item": [
            {"site_code": s, "department_code": dept, "item_code": item, "intakes": int(n)}
            for s, dept, item, n in sorted(by_item)
        ],
        "by_channel": [{"site_code": s, "channel": ch, "intakes": int(n)} for s, ch, n in sorted(by_channel)],
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
    township and department over the decisions of the period, from the per-day histogram (county_durations):
    the upper edge of the bucket that rank falls in, at most 1 % (and a second) above the exact value
    (county_hub.county_projection.GROWTH)."""
    h = CountyDuration
    found: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for site, dept, bucket, n in conn.execute(
        select(h.site_code, h.department_code, h.bucket, func.sum(h.n))
        .where(h.day >= lo, h.day <= hi, _sites(h.site_code, sites))
        .group_by(h.site_code, h.department_code, h.bucket)
    ):
        found[(site, dept)].append((int(bucket), int(n)))
    out = {}
    for key, counts in found.items():
        counts.sort()
        rank = -(-9 * sum(n for _, n in counts) // 10)
        seen = 0
        for bucket, n in counts:
            seen += n
            if seen >= rank:
                out[key] = bucket_edge(bucket)
                break
    return out
