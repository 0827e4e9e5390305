"""The 一票否决 record (services/violations.py) over a generated fortnight across two months on a real SQLite
file equals a brute-force reading of every folded case; an excuse is kept with its reason, in the case's log
and the audit trail, and only a supervisor may give one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain import violations as vi
from clerk_desk.domain.errors import AuthError, Conflict, InputError
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import violations
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_read import read_cases
from clerk_desk.store.models import AuditEntry
from tests.services import supervision_world as gen
from tests.services.test_approvals import World


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, dict[str, str]]:
    w = World(Path(tmp_path_factory.mktemp("violations")) / "desk")
    return w, gen.build(w, 96, seed=5)


def brute(w: World, made: dict[str, str], year: int, month: int) -> set[tuple[object, ...]]:
    cal = work_calendar(w.db.data_dir)
    out: set[tuple[object, ...]] = set()
    for v in read_cases(w.db, list(made)):
        t = v.transfer
        if t is not None and t.first_at is not None and t.late and (t.first_at.astimezone(SHANGHAI).year,
                                                                     t.first_at.astimezone(SHANGHAI).month) == (year, month):  # fmt: skip
            assert v.intake.act is not None
            out.add((v.uuid, "transfer", v.intake.act.actor, t.first_at, None))
        d = v.decision
        if d is not None and v.due_at is not None and d.act.at > v.due_at:
            local = d.act.at.astimezone(SHANGHAI)
            if (local.year, local.month) == (year, month):
                day, n = v.due_at.astimezone(SHANGHAI).date(), 0
                while day < local.date():
                    day += timedelta(days=1)
                    n += cal.is_workday(day)
                out.add((v.uuid, "decision", d.act.actor, d.act.at, n))
    return out


def test_the_months_record_equals_a_brute_force_reading(world: tuple[World, dict[str, str]]) -> None:
    w, made = world
    kinds: set[str] = set()
    for year, month in ((2026, 9), (2026, 10), (2026, 11)):
        got = violations.month(w.db, year, month)
        found = {(v.case_uuid, v.kind.value, v.person, v.at, v.late_days) for v in got.violations}
        assert found == brute(w, made, year, month), (year, month)
        kinds |= {v.kind.value for v in got.violations}
        # the tables add up to the list
        for lines in (got.by_department(), got.by_person()):
            assert sum(t.transfers for t in lines) == sum(v.kind is vi.Kind.TRANSFER for v in got.violations)
            assert sum(t.decisions for t in lines) == sum(v.kind is vi.Kind.DECISION for v in got.violations)
    assert kinds == {"transfer", "decision"}
    assert violations.month(w.db, 2026, 11).violations == ()


def test_an_excuse_is_kept_audited_and_only_a_supervisors(world: tuple[World, dict[str, str]]) -> None:
    w, _made = world
    oct_ = violations.month(w.db, 2026, 10)
    target = next(v for v in oct_.violations if v.kind is vi.Kind.DECISION)
    with pytest.raises(AuthError):
        violations.excuse(w.db, target.case_uuid, target.kind, "clerk1", reason="系统故障")
    with pytest.raises(InputError):
        violations.excuse(w.db, target.case_uuid, target.kind, "manager", reason="  ")
    violations.excuse(w.db, target.case_uuid, target.kind, "manager", reason="停电一天，系统无法登录")
    with pytest.raises(Conflict):
        violations.excuse(w.db, target.case_uuid, target.kind, "manager", reason="再次免责")
    again = violations.month(w.db, 2026, 10)
    assert len(again.violations) == len(oct_.violations)  # kept, never removed
    (mine,) = [v for v in again.violations if (v.case_uuid, v.kind) == (target.case_uuid, target.kind)]
    assert mine.excuse is not None and mine.excuse.reason == "停电一天，系统无法登录" and mine.excuse.by == "manager"
    before = {t.key: t for t in oct_.by_person()}[target.person]
    after = {t.key: t for t in again.by_person()}[target.person]
    assert (after.excused, after.counted) == (before.excused + 1, before.counted - 1)
    with w.db.reading() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "violation_excused")).one()
    assert entry.actor == "manager" and entry.detail["reason"] == "停电一天，系统无法登录"
    assert [e.type for e in w.events(target.case_uuid)][-1] == "violation_excused"
