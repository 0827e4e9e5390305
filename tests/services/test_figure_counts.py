"""The acts and day counts 统计 keeps (store/figure_counts.py) stay what deriving them again from the events
and the cases gives: after the desk's own acts, and after the writes sync and purge make (a case's
department or due date changed, an event rejected by the hub and put back, an event or a case deleted,
a case written after its events). The figures over them equal a direct count: tests/services/test_figures.py."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from clerk_desk.services import figures
from clerk_desk.store import figure_counts
from clerk_desk.store.sqlite_file import database_path
from tests.services import supervision_world as gen
from tests.services.test_approvals import SITE, World

SPAN = figures.day_span(date(2026, 9, 29), date(2026, 10, 31))
Kept = tuple[list[tuple[object, ...]], list[tuple[object, ...]]]


def kept(c: sqlite3.Connection) -> Kept:
    return (c.execute("SELECT * FROM figure_acts ORDER BY event_uuid").fetchall(),
            c.execute("SELECT * FROM figure_days ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9").fetchall())  # fmt: skip


def derived(c: sqlite3.Connection) -> Kept:
    """What a rebuild gives, without keeping it."""
    c.execute("SAVEPOINT again")
    try:
        figure_counts.rebuild(c)
        return kept(c)
    finally:
        c.execute("ROLLBACK TO again")
        c.execute("RELEASE again")


def same(c: sqlite3.Connection) -> Kept:
    now = kept(c)
    assert now == derived(c)
    return now


def assert_kept_is_derived(folder: Path) -> Kept:
    with sqlite3.connect(database_path(folder)) as c:
        return same(c)


@pytest.fixture()
def world(tmp_path: Path) -> World:
    w = World(tmp_path / "desk")
    gen.build(w, 48, seed=5)
    return w


def test_kept_after_the_desks_own_acts(world: World) -> None:
    acts, days = assert_kept_is_derived(world.db.data_dir)
    kinds = {a[1] for a in acts}
    assert {"accepted", "transferred", "decided", "delivered", "refused", "completed_on_spot"} <= kinds
    assert sum(d[-1] for d in days) == sum(1 for a in acts if a[1] in figure_counts.DAY_KINDS)


def test_kept_after_sync_and_purge_writes(world: World) -> None:
    folder = world.db.data_dir
    before = figures.read(world.db, *SPAN, site_code=SITE).figures
    with sqlite3.connect(database_path(folder)) as c:
        decided = c.execute("SELECT uuid, case_uuid FROM case_events WHERE type = 'decided' LIMIT 2").fetchall()
        transferred = c.execute("SELECT uuid, case_uuid FROM case_events WHERE type = 'transferred' LIMIT 1").fetchone()
        c.execute("UPDATE cases SET department_code = 'mz', window_id = NULL WHERE uuid = ?", (decided[0][1],))
        c.execute("UPDATE cases SET due_at = '2020-01-01 00:00:00.000000' WHERE uuid = ?", (decided[1][1],))
        c.execute("UPDATE case_events SET push_state = 'rejected' WHERE uuid = ?", (decided[0][0],))
        c.execute("UPDATE case_events SET push_state = 'stored' WHERE uuid = ?", (decided[0][0],))  # put back
        c.execute("UPDATE case_events SET push_state = 'held' WHERE uuid = ?", (transferred[0],))
        c.execute("UPDATE case_events SET push_state = 'in_flight' WHERE push_state = 'pending'")  # not counted
    after_changes = assert_kept_is_derived(folder)
    f = figures.read(world.db, *SPAN, site_code=SITE).figures
    assert f.transfers == before.transfers - 1
    assert f.decisions == before.decisions and f.decisions_on_time <= before.decisions_on_time
    with sqlite3.connect(database_path(folder)) as c:
        case = c.execute("SELECT * FROM cases WHERE uuid = ?", (decided[0][1],)).fetchone()
        columns = [r[1] for r in c.execute("PRAGMA table_info(cases)")]
        c.execute("PRAGMA foreign_keys = OFF")
        c.execute("DELETE FROM cases WHERE uuid = ?", (decided[0][1],))  # the events stay: nothing counted
        gone = same(c)
        assert len(gone[0]) < len(after_changes[0])
        c.execute(f"INSERT INTO cases({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", case)
    assert assert_kept_is_derived(folder) == after_changes  # the case written after its events counts them
    with sqlite3.connect(database_path(folder)) as c:
        c.execute("DELETE FROM case_events WHERE uuid = ?", (decided[1][0],))
    assert len(assert_kept_is_derived(folder)[0]) == len(after_changes[0]) - 1


def test_recount_from_the_command_line(world: World) -> None:
    """``clerk-desk db recount`` (as a real process) derives the acts again when they went wrong."""
    folder = world.db.data_dir
    good = assert_kept_is_derived(folder)
    world.db.close()
    with sqlite3.connect(database_path(folder)) as c:
        c.execute("UPDATE figure_days SET n = n + 3")
        c.execute("DELETE FROM figure_acts WHERE kind = 'decided'")
    r = subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(folder), "db", "recount"],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"统计用办理行为 {len(good[0])} 条" in r.stdout
    with sqlite3.connect(database_path(folder)) as c:
        assert kept(c) == good


def test_lost_triggers_are_put_back(world: World) -> None:
    folder = world.db.data_dir
    good = assert_kept_is_derived(folder)
    with sqlite3.connect(database_path(folder)) as c:
        c.execute("DROP TRIGGER figure_acts_event_insert")
        c.execute("DELETE FROM figure_acts")
        assert figure_counts.ensure(c)
        assert not figure_counts.missing_triggers(c)
        assert kept(c) == good
        assert not figure_counts.ensure(c)


def test_a_period_is_whole_days(world: World) -> None:
    start, end = figures.month_span(2026, 10)
    with pytest.raises(ValueError, match="整日"):
        figures.read(world.db, start, end.replace(hour=3))
