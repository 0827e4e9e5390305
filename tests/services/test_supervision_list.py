"""The 督办 list (services/supervision.py) over a generated fortnight on a real SQLite file equals a brute-force
scan: every case folded from its events (services/case_read.py) and judged by rules written out here day by
day, at several clock times across the National Day holiday, with pauses (特别程序, 补正) and pledges."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.errors import InputError
from clerk_desk.domain.lifecycle import Status
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike
from clerk_desk.services import supervision
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_read import read_cases
from tests.services import supervision_world as gen
from tests.services.test_approvals import World


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, dict[str, str]]:
    w = World(Path(tmp_path_factory.mktemp("supervision")) / "desk")
    return w, gen.build(w)


def _workdays_after(first: datetime, until: datetime, cal: CalendarLike) -> int:
    """Working days in (first's day, until's day], one day at a time."""
    d, end, n = first.astimezone(SHANGHAI).date(), until.astimezone(SHANGHAI).date(), 0
    while d < end:
        d += timedelta(days=1)
        n += cal.is_workday(d)
    return n


def brute(view: CaseView, now: datetime, cal: CalendarLike, rules: sv.Rules) -> set[tuple[object, ...]]:
    """The rules of docs/supervision.md, written plainly over the folded case."""
    out: set[tuple[object, ...]] = set()
    s = view.status
    if s is Status.ACCEPTED and view.accepted_at:
        limit = 5 if view.item.urgent else 15
        deadline = view.accepted_at + timedelta(minutes=limit)
        if now > deadline:
            out.add((view.uuid, "transfer", "red", deadline))
        elif deadline - now <= timedelta(minutes=max(1, limit // 4)):
            out.add((view.uuid, "transfer", "amber", deadline))
    if s is Status.TRANSFERRED:
        assert view.transfer is not None and view.transfer.last_at is not None
        deadline = view.transfer.last_at + timedelta(minutes=rules.sign_minutes)
        if now > deadline:
            out.add((view.uuid, "sign", "red", deadline))
        elif deadline - now <= timedelta(minutes=max(1, rules.sign_minutes // 4)):
            out.add((view.uuid, "sign", "amber", deadline))
    if s in (Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED) and view.due_at:
        at = view.paused_since or now  # a 特别程序 stops the count where it began
        if at > view.due_at:
            out.add((view.uuid, "decision", "red", view.due_at))
        elif _workdays_after(at, view.due_at, cal) <= 1:
            out.add((view.uuid, "decision", "amber", view.due_at))
    if s is Status.RESULT_AT_WINDOW:
        assert view.decision is not None and view.decision.returned is not None
        deadline = view.decision.returned.at + timedelta(days=rules.result_days)
        if now > deadline:
            out.add((view.uuid, "result", "red", deadline))
    closed = (Status.COMPLETED, Status.REFUSED, Status.DELIVERED, Status.WITHDRAWN, Status.ARCHIVED)
    if view.pledge_open and view.pledge and view.pledge.due and s not in closed:  # still to be brought
        today = now.astimezone(SHANGHAI).date()
        end = datetime.combine(view.pledge.due, datetime.max.time().replace(microsecond=0), tzinfo=SHANGHAI)
        if today > view.pledge.due:
            out.add((view.uuid, "pledge", "red", end))
        elif today == view.pledge.due:
            out.add((view.uuid, "pledge", "amber", end))
    # the window's own paper only: on the spot, refused, withdrawn before any hand-over
    if s in (Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN) and view.closed and view.transfer is None:
        d = view.closed.at.astimezone(SHANGHAI).date() + timedelta(days=1)
        while not cal.is_workday(d):
            d += timedelta(days=1)
        end = datetime.combine(d, datetime.max.time().replace(microsecond=0), tzinfo=SHANGHAI)
        if now > end:
            out.add((view.uuid, "archive", "red", end))
        elif now.astimezone(SHANGHAI).date() == d:
            out.add((view.uuid, "archive", "amber", end))
    return out


def test_the_list_equals_a_brute_force_scan_at_every_clock_time(world: tuple[World, dict[str, str]]) -> None:
    w, made = world
    cal = work_calendar(w.db.data_dir)
    views = read_cases(w.db, list(made))
    rules = supervision.rules(w.db)
    seen_stages: set[str] = set()
    for now in gen.clock_times():
        expected = set().union(*(brute(v, now, cal, rules) for v in views))
        got = supervision.scan(w.db, now, calendar=cal)
        assert not got.capped
        found = {(r.alert.case_uuid, r.alert.stage.value, r.alert.level.value, r.alert.deadline) for r in got.rows}
        assert found == expected, now
        # The same rules over the folded cases (the county hub's way) give the same alerts, in the same order.
        from_views = sv.scan([supervision.watched_from_view(v) for v in views], now, cal, rules)
        assert [r.alert for r in got.rows] == from_views
        seen_stages |= {r.alert.stage.value for r in got.rows}
    assert seen_stages == {s.value for s in sv.Stage}  # the fortnight exercises every stage


def test_holders_and_how_late(world: tuple[World, dict[str, str]]) -> None:
    w, made = world
    now = gen.clock_times()[-1]
    rows = supervision.scan(w.db, now).rows
    by_stage = {r.alert.stage: r for r in rows}
    transfer = by_stage[sv.Stage.TRANSFER]
    assert transfer.alert.holder == w.clerk.username and transfer.holder_name == w.clerk.display_name
    assert transfer.window_name == w.clerk.window_name and transfer.alert.over_s and transfer.alert.over_s > 0
    decision = [r for r in rows if r.alert.stage is sv.Stage.DECISION and made[r.alert.case_uuid] == "received"]
    assert decision and all(r.alert.holder == w.approver.username and r.alert.over_days is not None
                            and r.alert.over_days >= 0 for r in decision)  # fmt: skip
    assert by_stage[sv.Stage.SIGN].alert.holder == ""  # the department as a whole has not signed for it
    assert by_stage[sv.Stage.DECISION].department_name


def test_filters_and_the_county_setting(world: tuple[World, dict[str, str]]) -> None:
    w, _made = world
    now = gen.clock_times()[3]
    scan = supervision.scan(w.db, now)
    only = supervision.Filter(stage=sv.Stage.PLEDGE)
    assert [r for r in scan.rows if only.keeps(r)] == [r for r in scan.rows if r.alert.stage is sv.Stage.PLEDGE]
    mz = supervision.Filter(department_code="mz", late_only=True)
    kept = [r for r in scan.rows if mz.keeps(r)]
    assert kept and all(r.alert.department_code == "mz" and r.alert.late for r in kept)
    assert len([r for r in scan.rows if supervision.Filter(holder="nobody").keeps(r)]) == 0
    first = datetime(2026, 9, 30, 12, 0, tzinfo=SHANGHAI)
    before = {r.alert.case_uuid for r in supervision.scan(w.db, first).rows if r.alert.stage is sv.Stage.SIGN}
    supervision.save_rules(w.db, sv.Rules(sign_minutes=24 * 60, result_days=5))
    try:
        after = {r.alert.case_uuid for r in supervision.scan(w.db, first).rows if r.alert.stage is sv.Stage.SIGN}
    finally:
        supervision.save_rules(w.db, sv.DEFAULT_RULES)
    assert after < before
    with pytest.raises(InputError, match="签收时限"):
        supervision.save_rules(w.db, sv.Rules(sign_minutes=0))


def test_a_cap_says_the_list_is_partial(world: tuple[World, dict[str, str]]) -> None:
    w, _made = world
    got = supervision.scan(w.db, gen.clock_times()[-1], cap=2)
    assert got.capped and got.cap == 2
