"""统计 for a period at this desk: sums over the acts kept as they are written (store/figure_counts.py,
migration 0011) for whole hall days, the figures computed by domain/figures.py, the names the tables show.
docs/supervision.md has the definitions and the figures measured over a million cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from clerk_desk.domain import figures as fg
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database

CHANNEL_ZH = {"on_site": "现场办理", "hubei_portal": "湖北政务服务网", "ehb": "鄂汇办", "": "未记录"}
KIND_ZH = {fg.ACCEPTED: "受理", fg.ON_SPOT: "即办件当场办结", fg.NOTIFIED: "一次性告知", fg.REFUSED: "不予受理"}


@dataclass(frozen=True)
class Report:
    """The figures of a period with the names to show them by."""

    figures: fg.Figures
    site_name: str
    windows: dict[str, str]
    clerks: dict[str, str]
    departments: dict[str, str]
    items: dict[str, str]

    def name(self, table: str, key: str) -> str:
        if table == "channel":
            return CHANNEL_ZH.get(key, key)
        names: dict[str, str] = {"window": self.windows, "clerk": self.clerks, "department": self.departments,
                                 "item": self.items}.get(table, {})  # fmt: skip
        if table == "window" and not key:
            return fg.NO_WINDOW_HERE  # at no window, or at another PC (its window is not known here)
        return names.get(key) or key or "未记录"


def day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the hall's time."""
    return datetime.combine(first, time(), SHANGHAI), datetime.combine(last + timedelta(days=1), time(), SHANGHAI)


def month_span(year: int, month: int) -> tuple[datetime, datetime]:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return day_span(date(year, month, 1), nxt - timedelta(days=1))


def whole_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The first and last hall day of [start, end): the figures are kept per day, so a period is whole days."""
    first = start.astimezone(SHANGHAI).date()
    last = end.astimezone(SHANGHAI).date() - timedelta(days=1)
    if day_span(first, last) != (start, end) or last < first:
        raise ValueError(f"统计的期间应为整日：{start} 至 {end}")
    return first, last


def read(db: Database, start: datetime, end: datetime, *, site_code: str | None = None) -> Report:
    """The figures of [start, end) (whole hall days) at this desk (one site, or every site it holds), added up
    from the acts kept as they were written (store/figure_counts.py)."""
    first, last = whole_days(start, end)
    days = (first.isoformat(), last.isoformat())
    site = " AND site_code = ?" if site_code else ""
    sp: tuple[Any, ...] = (site_code,) if site_code else ()
    in_days = f" WHERE day >= ? AND day <= ?{site}"
    with db.plain_reading() as c:
        counts, items = [], {}
        for day, kind, window, clerk, dept, item, item_name, channel, n in c.execute(
                "SELECT day, kind, window_id, clerk, department_code, item_code, item_name, channel, n"
                f" FROM figure_days{in_days} AND kind IN (?, ?, ?, ?)", (*days, *sp, *fg.INTAKE_KINDS)):  # fmt: skip
            counts.append(fg.DayCount(date.fromisoformat(day), kind, window, clerk, dept, item, channel, n))
            items[item] = item_name
        timed = {kind: _timed(c, kind, in_days, (*days, *sp)) for kind in ("transferred", "decided", "delivered")}
        waiting = _results_waiting(c, last, site, sp)
        windows = dict(c.execute("SELECT id, name FROM windows").fetchall())
        departments = dict(c.execute("SELECT code, name FROM departments").fetchall())
        clerks = dict(c.execute("SELECT username, display_name FROM users").fetchall())
        site_name = ""
        if site_code:
            found = c.execute("SELECT name FROM sites WHERE code = ?", (site_code,)).fetchone()
            site_name = found[0] if found else ""
    figures = fg.figures(start, end, counts, transfers=timed["transferred"][:2], decisions=timed["decided"][:2],
                         to_decision=timed["decided"][2], to_handover=timed["delivered"][2], results_waiting=waiting)  # fmt: skip
    return Report(figures, site_name, windows, clerks, departments, items)


_US_PER_HOUR = 3_600_000_000


def _timed(c: Any, kind: str, in_days: str, params: tuple[Any, ...]) -> tuple[int, int, fg.Spread]:
    """How many acts of ``kind``, how many on time, and the spread of their time since acceptance: sums over
    the (kind, day) index, the 90th percentile by its rank among the period's times."""
    n, on_time, timed, total = c.execute(
        f"SELECT count(*), coalesce(sum(on_time), 0), count(took_us), coalesce(sum(took_us), 0) FROM figure_acts"
        f"{in_days} AND kind = ?", (*params, kind)).fetchone()  # fmt: skip
    p90 = None
    if timed:
        (p90,) = c.execute(f"SELECT took_us FROM figure_acts{in_days} AND kind = ? AND took_us IS NOT NULL"
                           " ORDER BY took_us LIMIT 1 OFFSET ?", (*params, kind, fg.p90_rank(timed))).fetchone()  # fmt: skip
    return int(n), int(on_time), fg.spread_of(int(timed), total / _US_PER_HOUR,
                                             None if p90 is None else p90 / _US_PER_HOUR)  # fmt: skip


def _results_waiting(c: Any, last: date, site: str, sp: tuple[Any, ...]) -> int:
    """Results back at the window by the end of ``last`` and not handed over by then: the returns so far less
    the hand-overs so far, as the lifecycle allows one return per case and a 出件 only after it
    (domain/lifecycle.py); sums over the per-day counts."""
    returned, delivered = c.execute(
        "SELECT coalesce(sum(CASE kind WHEN 'result_returned' THEN n ELSE 0 END), 0),"
        " coalesce(sum(CASE kind WHEN 'delivered' THEN n ELSE 0 END), 0)"
        f" FROM figure_days WHERE day <= ?{site} AND kind IN ('result_returned', 'delivered')",
        (last.isoformat(), *sp)).fetchone()  # fmt: skip
    return int(returned) - int(delivered)
