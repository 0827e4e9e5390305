"""统计 (services/figures.py) over a generated fortnight on a real SQLite file: every figure equals a direct SQL
count over the events, for the month, for the fortnight and for one day."""

from __future__ import annotations

import math
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from clerk_desk.domain import figures as fg
from clerk_desk.services import figures
from clerk_desk.store.sqlite_file import database_path, to_db
from tests.services import supervision_world as gen
from tests.services.test_approvals import SITE, World

OK = "e.push_state NOT IN ('rejected', 'held', 'set_aside')"
INTAKE = "e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused')"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    w = World(Path(tmp_path_factory.mktemp("figures")) / "desk")
    gen.build(w, 96, seed=11)
    return w


def sql(w: World, query: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(database_path(w.db.data_dir)) as c:
        return c.execute(query, params).fetchall()


def one(w: World, query: str, *params: object) -> object:
    return sql(w, query, *params)[0][0]


def grouped(w: World, column: str, start: datetime, end: datetime) -> dict[object, int]:
    rows = sql(w, f"SELECT {column}, count(*) FROM case_events e JOIN cases c ON c.uuid = e.case_uuid"
                  f" WHERE {INTAKE} AND {OK} AND e.occurred_at >= ? AND e.occurred_at < ? GROUP BY 1",
               to_db(start), to_db(end))  # fmt: skip
    return {k: int(n) for k, n in rows}  # type: ignore[call-overload]


def hours(w: World, kind: str, start: datetime, end: datetime) -> list[float]:
    return [float(h) for (h,) in sql(  # type: ignore[arg-type]
        w, "SELECT (julianday(e.occurred_at) - julianday(c.accepted_at)) * 24 FROM case_events e JOIN cases c"
           f" ON c.uuid = e.case_uuid WHERE e.type = ? AND {OK} AND e.occurred_at >= ? AND e.occurred_at < ?"
           " ORDER BY 1", kind, to_db(start), to_db(end))]  # fmt: skip


@pytest.mark.parametrize("span", [figures.month_span(2026, 10), figures.day_span(date(2026, 9, 29), date(2026, 10, 12)),
                                  figures.day_span(date(2026, 9, 30), date(2026, 9, 30))])  # fmt: skip
def test_every_figure_equals_a_direct_sql_count(world: World, span: tuple[datetime, datetime]) -> None:
    w = world
    start, end = span
    s, e = to_db(start), to_db(end)
    r = figures.read(w.db, start, end, site_code=SITE)
    f = r.figures
    between = "e.occurred_at >= ? AND e.occurred_at < ?"
    assert f.intakes == one(w, f"SELECT count(*) FROM case_events e WHERE {INTAKE} AND {OK} AND {between}", s, e)
    assert f.kinds == grouped(w, "e.type", start, end)
    assert dict(f.by_window) == grouped(w, "c.window_id", start, end)
    assert dict(f.by_clerk) == grouped(w, "e.actor", start, end)
    assert dict(f.by_department) == grouped(w, "c.department_code", start, end)
    assert dict(f.by_item) == grouped(w, "c.item_code", start, end)
    assert dict(f.by_channel) == grouped(w, "coalesce(c.channel, '')", start, end)
    by_day = grouped(w, "date(e.occurred_at, '+8 hours')", start, end)  # the hall's day (UTC+8, no DST)
    assert {d.isoformat(): n for d, n in f.by_day} == by_day
    took = "(CAST(strftime('%s', e.occurred_at) AS INTEGER) - CAST(strftime('%s', c.accepted_at) AS INTEGER))"
    transfers = sql(w, f"SELECT count(*), coalesce(sum({took} <= CASE WHEN c.urgent THEN 300 ELSE 900 END), 0)"
                       f" FROM case_events e JOIN cases c ON c.uuid = e.case_uuid WHERE e.type = 'transferred'"
                       f" AND {OK} AND {between}", s, e)[0]  # fmt: skip
    assert (f.transfers, f.transfers_on_time) == transfers
    decisions = sql(w, "SELECT count(*), coalesce(sum(e.occurred_at <= c.due_at), 0) FROM case_events e JOIN cases c"
                       f" ON c.uuid = e.case_uuid WHERE e.type = 'decided' AND {OK} AND {between}", s, e)[0]  # fmt: skip
    assert (f.decisions, f.decisions_on_time) == decisions
    for spread, kind in ((f.to_decision, "decided"), (f.to_handover, "delivered")):
        h = hours(w, kind, start, end)
        assert spread.n == len(h)
        if h:
            assert spread.mean == pytest.approx(sum(h) / len(h), abs=1e-6)
            assert spread.p90 == pytest.approx(h[math.ceil(0.9 * len(h)) - 1], abs=1e-6)
        else:
            assert spread.mean is None and spread.p90 is None
    waiting = one(w, "SELECT count(*) FROM cases c WHERE EXISTS (SELECT 1 FROM case_events e WHERE e.case_uuid = c.uuid"
                     f" AND e.type = 'result_returned' AND e.occurred_at < ? AND {OK}) AND NOT EXISTS (SELECT 1"
                     " FROM case_events e WHERE e.case_uuid = c.uuid AND e.type = 'delivered' AND e.occurred_at < ?"
                     f" AND {OK})", e, e)  # fmt: skip
    assert f.results_waiting == waiting
    kinds = f.kinds
    assert f.notified_rate == (kinds.get(fg.NOTIFIED, 0) / f.intakes if f.intakes else None)
    assert f.refused_rate == (kinds.get(fg.REFUSED, 0) / f.intakes if f.intakes else None)
    taken = kinds.get(fg.ACCEPTED, 0) + kinds.get(fg.ON_SPOT, 0)
    assert f.immediate_share == (kinds.get(fg.ON_SPOT, 0) / taken if taken else None)
    if f.by_window:
        mean = f.intakes / len(f.by_window)
        assert [(w_, n, pytest.approx(n / mean)) for w_, n in f.by_window] == list(f.balance())


def test_the_fortnight_is_not_empty(world: World) -> None:
    r = figures.read(world.db, *figures.day_span(date(2026, 9, 29), date(2026, 10, 31)), site_code=SITE)
    f = r.figures
    assert f.intakes and f.transfers and f.decisions and f.to_handover.n and f.results_waiting
    assert 0 < (f.transfer_on_time_rate or 0) < 1 and 0 < (f.decision_on_time_rate or 0) < 1
    assert r.name("window", f.by_window[0][0]) != f.by_window[0][0]  # the window's name, not its id
    assert r.name("channel", "on_site") == "现场办理"
