"""The county's figures, read from the projection every push keeps (county_hub.county_projection;
docs/hub.md, "County figures"). Plain SQLAlchemy: the same on SQLite and PostgreSQL, no scan of the log.

Only what a county supervisor needs leaves the hub: counts per township and department, never an
applicant's name or ID number. The 督办 list is county_hub.county_supervision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, func, literal_column, or_, select, union_all

from county_hub.county_projection import COUNTERS, bucket_edge
from county_hub.models import (
    CountyCase,
    CountyDaily,
    CountyDuration,
    CountyDurationMonthly,
    CountyItem,
    CountyMonthly,
    Site,
)

MAX_PERIOD_DAYS = 366
INTAKES = COUNTERS.index("intakes")


NAMES_CHUNK = 1000  # item codes per statement (far below any database's limit of bound values)


def names(conn: Connection, sites: set[str], items: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The townships' names (``sites``) and the items' names the log's intakes gave (``county_items``) for
    the codes in an answer: lookups by primary key, a few rows whatever the period, in one statement (the
    answer asked the townships' names alone before). An item code no intake named is left out."""
    wanted = sorted(c for c in items if c)
    chunks = [wanted[i : i + NAMES_CHUNK] for i in range(0, len(wanted), NAMES_CHUNK)] or [[]]
    townships: dict[str, str] = {}
    named: dict[str, str] = {}
    for n, chunk in enumerate(chunks):
        parts: list[Select[*tuple[Any, ...]]] = []
        if n == 0 and sites:
            parts.append(select(literal_column("'s'"), Site.code, Site.name).where(Site.code.in_(sorted(sites))))
        if chunk:
            parts.append(select(literal_column("'i'"), CountyItem.item_code, CountyItem.item_name)
                         .where(CountyItem.item_code.in_(chunk)))  # fmt: skip
        if parts:
            for kind, code, name in conn.execute(union_all(*parts) if len(parts) > 1 else parts[0]):
                (townships if kind == "s" else named)[code] = name
    return townships, named


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _sites(column: Any, sites: Sequence[str] | None) -> Any:
    return column.in_(sorted(set(sites))) if sites else True


def figures(conn: Connection, first: date, last: date, sites: Sequence[str] | None = None) -> dict[str, Any]:
    """The figures of the Shanghai days ``first``..``last`` (inclusive), by township and department.

    Every table is a sum added up by the database: over the month rows of the period's whole months and the
    day rows of its other days (a year of the whole county: twelve months, some 40,000 rows; its days alone
    are 700,000), a few thousand sums come back."""
    lo, hi = first.isoformat(), last.isoformat()
    days, months = split_period(first, last)
    d, mo = CountyDaily, CountyMonthly
    # One sum per (township, department, item, channel) from the whole months and one from the other days: a
    # few hundred rows, from which the totals and the volumes by item and by channel are added up here.
    totals: dict[tuple[str, str], list[int]] = {}
    item_sums: dict[tuple[str, str, str], int] = defaultdict(int)
    channel_sums: dict[tuple[str, str], int] = defaultdict(int)
    sums = []
    for source, where in ((d, _days(d.day, days)), (mo, _months(mo.month, months))):
        if where is not None:
            keys = (source.site_code, source.department_code, source.item_code, source.channel)
            sums.append(select(*keys, *(func.sum(getattr(source, n)) for n in COUNTERS))
                        .where(where, _sites(source.site_code, sites)).group_by(*keys))  # fmt: skip
    for query in sums:
        for site, dept, item, channel, *counts in conn.execute(query):
            into = totals.setdefault((site, dept), [0] * len(COUNTERS))
            for i, n in enumerate(counts):
                into[i] += int(n or 0)
            intakes = int(counts[INTAKES] or 0)
            if intakes:
                item_sums[(site, dept, item)] += intakes
                channel_sums[(site, channel)] += intakes
    n = func.sum(d.intakes)  # by day: from ix_county_daily_day alone (day, township, intakes)
    by_day = [tuple(r) for r in conn.execute(
        select(d.site_code, d.day, n).where(d.day >= lo, d.day <= hi, _sites(d.site_code, sites))
        .group_by(d.site_code, d.day).having(n > 0)
    )]  # fmt: skip
    by_item = [(*k, v) for k, v in item_sums.items()]
    by_channel = [(*k, v) for k, v in channel_sums.items()]
    p90 = _p90(conn, days, months, sites)
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
    townships, items = names(
        conn, {t["site_code"] for t in table} | {r[0] for r in by_channel}, {item for _s, _d, item, _n in by_item}
    )
    return {
        "from": lo,
        "to": hi,
        "township_names": townships,
        "by_township": table,
        "by_day": [{"site_code": s, "day": day, "intakes": int(n)} for s, day, n in sorted(by_day)],
        "by_item": [
            {"site_code": s, "department_code": dept, "item_code": item, "intakes": int(n)}
            for s, dept, item, n in sorted(by_item)
        ],
        "item_names": items,
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


def split_period(first: date, last: date) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """The period as its whole months ('YYYY-MM' first and last, or None) and the day ranges around them."""
    start = first if first.day == 1 else (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = last + timedelta(days=1)
    end = after.replace(day=1) - timedelta(days=1)  # the last day of the last whole month
    if end < start:
        return [(first.isoformat(), last.isoformat())], None
    days = []
    if first < start:
        days.append((first.isoformat(), (start - timedelta(days=1)).isoformat()))
    if end < last:
        days.append(((end + timedelta(days=1)).isoformat(), last.isoformat()))
    return days, (start.isoformat()[:7], end.isoformat()[:7])


def _days(column: Any, days: list[tuple[str, str]]) -> Any:
    return or_(*(and_(column >= lo, column <= hi) for lo, hi in days)) if days else None


def _months(column: Any, months: tuple[str, str] | None) -> Any:
    return and_(column >= months[0], column <= months[1]) if months else None


def _p90(
    conn: Connection, days: list[tuple[str, str]], months: tuple[str, str] | None, sites: Sequence[str] | None
) -> dict[tuple[str, str], int]:
    """The 90th percentile (nearest rank: the ceil(0.9 n)-th smallest) of acceptance → decision per
    township and department over the decisions of the period, from the histograms (county_durations for
    the days, county_durations_monthly for the whole months): the upper edge of the bucket that rank falls
    in, at most 1 % (and a second) above the exact value (county_hub.county_projection.GROWTH)."""
    sums: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for table, where in ((CountyDuration, _days(CountyDuration.day, days)),
                         (CountyDurationMonthly, _months(CountyDurationMonthly.month, months))):  # fmt: skip
        if where is None:
            continue
        for site, dept, bucket, n in conn.execute(
            select(table.site_code, table.department_code, table.bucket, func.sum(table.n))
            .where(where, _sites(table.site_code, sites))
            .group_by(table.site_code, table.department_code, table.bucket)
        ):
            sums[(site, dept)][int(bucket)] += int(n)
    out = {}
    for key, by_bucket in sums.items():
        counts = sorted(by_bucket.items())
        rank = -(-9 * sum(n for _, n in counts) // 10)
        seen = 0
        for bucket, n in counts:
            seen += n
            if seen >= rank:
                out[key] = bucket_edge(bucket)
                break
    return out
