"""统计 for a period at this desk: the acts of the period read through the (type, occurred_at) index of the
events (migration 0009), the figures computed by domain/figures.py, the names the tables show.
docs/supervision.md has the definitions and the figures measured over a million cases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from clerk_desk.domain import figures as fg
from clerk_desk.domain.lifecycle import EventType
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db, to_db

E = EventType
_OK = " AND e.push_state NOT IN ('rejected', 'held', 'set_aside')"
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
        return names.get(key) or key or "未记录"


def day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the hall's time."""
    return datetime.combine(first, time(), SHANGHAI), datetime.combine(last + timedelta(days=1), time(), SHANGHAI)


def month_span(year: int, month: int) -> tuple[datetime, datetime]:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return day_span(date(year, month, 1), nxt - timedelta(days=1))


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read(db: Database, start: datetime, end: datetime, *, site_code: str | None = None) -> Report:
    """The figures of [start, end) at this desk (one site, or every site it holds)."""
    span = (to_db(start), to_db(end))
    site = " AND c.site_code = ?" if site_code else ""
    sp: tuple[Any, ...] = (site_code,) if site_code else ()
    join = " FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid"
    in_span = " AND e.occurred_at >= ? AND e.occurred_at < ?"
    with db.plain_reading() as c:
        intakes = [fg.IntakeAct(r[0], _at(r[1]), r[2], r[3], r[4], r[5], r[6] or "", r[7], r[8] or "")
                   for r in c.execute(
            "SELECT e.case_uuid, e.occurred_at, e.type, c.department_code, c.item_code, c.item_name, c.window_id,"
            f" e.actor, c.channel{join} WHERE e.type IN (?, ?, ?, ?){in_span}{_OK}{site}",
            (*fg.INTAKE_KINDS, *span, *sp))]  # fmt: skip
        handed = [fg.HandedOver(r[0], _at(r[1]), _at(r[2]), bool(r[3]), _late(r[4]))
                  for r in c.execute(
            f"SELECT e.case_uuid, e.occurred_at, c.accepted_at, c.urgent, e.payload{join}"
            f" WHERE e.type = ?{in_span}{_OK}{site} AND c.accepted_at IS NOT NULL",
            (E.TRANSFERRED.value, *span, *sp))]  # fmt: skip
        decided = [fg.Decided(r[0], _at(r[1]), from_db(r[2]), from_db(r[3]))
                   for r in c.execute(
            f"SELECT e.case_uuid, e.occurred_at, c.accepted_at, c.due_at{join} WHERE e.type = ?{in_span}{_OK}{site}",
            (E.DECIDED.value, *span, *sp))]  # fmt: skip
        delivered = [fg.Delivered(r[0], _at(r[1]), from_db(r[2]))
                     for r in c.execute(
            f"SELECT e.case_uuid, e.occurred_at, c.accepted_at{join} WHERE e.type = ?{in_span}{_OK}{site}",
            (E.DELIVERED.value, *span, *sp))]  # fmt: skip
        waiting = _results_waiting(c, end, site, sp)
        windows = dict(c.execute("SELECT id, name FROM windows").fetchall())
        departments = dict(c.execute("SELECT code, name FROM departments").fetchall())
        clerks = dict(c.execute("SELECT username, display_name FROM users").fetchall())
        site_name = ""
        if site_code:
            found = c.execute("SELECT name FROM sites WHERE code = ?", (site_code,)).fetchone()
            site_name = found[0] if found else ""
    items = {a.item_code: a.item_name for a in intakes}
    return Report(fg.figures(start, end, intakes, handed, decided, delivered, waiting), site_name, windows, clerks,
                  departments, items)  # fmt: skip


def _late(payload: str | None) -> bool:
    return bool(json.loads(payload).get("late")) if payload else False


def _results_waiting(c: Any, end: datetime, site: str, sp: tuple[Any, ...]) -> int:
    """Results back at the window before ``end`` and not handed over by then: the ones still waiting now,
    and the ones handed over at or after ``end`` (a result at the window can only leave it by 出件).

    The cases still waiting are found from whichever side is smaller, the cases at the window (a hall has
    a few) or the results returned before ``end`` (a database that never hands results over has many cases
    at the window): both counts come from an index and give the same answer."""
    returned = ("EXISTS (SELECT 1 FROM case_events AS r WHERE r.case_uuid = c.uuid AND r.type = 'result_returned'"
                " AND r.occurred_at < ? AND r.push_state NOT IN ('rejected', 'held', 'set_aside'))")  # fmt: skip
    at_window = c.execute(f"SELECT count(*) FROM cases AS c WHERE c.status = 'result_at_window'{site}", sp).fetchone()[0]
    came_back = c.execute("SELECT count(*) FROM case_events WHERE type = 'result_returned' AND occurred_at < ?",
                          (to_db(end),)).fetchone()[0]  # fmt: skip
    if at_window <= came_back:
        still = c.execute(f"SELECT count(*) FROM cases AS c WHERE c.status = 'result_at_window'{site} AND {returned}",
                          (*sp, to_db(end))).fetchone()[0]  # fmt: skip
    else:
        still = c.execute(
            "SELECT count(DISTINCT e.case_uuid) FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid"
            f" WHERE e.type = 'result_returned' AND e.occurred_at < ?{_OK} AND c.status = 'result_at_window'{site}",
            (to_db(end), *sp)).fetchone()[0]  # fmt: skip
    later = c.execute(
        "SELECT count(DISTINCT e.case_uuid) FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid"
        f" WHERE e.type = 'delivered' AND e.occurred_at >= ?{_OK}{site} AND {returned}",
        (to_db(end), *sp, to_db(end))).fetchone()[0]  # fmt: skip
    return int(still) + int(later)
