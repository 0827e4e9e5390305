"""Results back at the window: what the window is told, the call list (phone, item, since when), calls marked
已通知 / 未接通 as events, and a reached applicant leaving the list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.services import result_calls as rc
from clerk_desk.services.approvals import APPROVED
from clerk_desk.store.models import CaseEvent
from tests.services.test_approvals import AT, World


def returned(w: World, n: int, hours: int) -> str:
    uid = w.transferred(at=AT + timedelta(minutes=n))
    w.svc.receive(uid, w.approver, paper_received=True, now=AT + timedelta(minutes=30 + n))
    w.svc.decide(uid, w.approver, decision=APPROVED, result_text="准予", now=AT + timedelta(hours=hours - 1))
    w.svc.return_result(uid, w.approver, now=AT + timedelta(hours=hours, minutes=n))
    return uid


def test_the_call_list_and_the_calls(tmp_path: Path) -> None:
    w = World(tmp_path)
    later = returned(w, 1, 5)
    first = returned(w, 2, 3)
    still_with_office = w.transferred(at=AT + timedelta(minutes=9))
    assert rc.arrived(w.db, [later, first, still_with_office]) and {
        line.uuid for line in rc.arrived(w.db, [later, first, still_with_office])
    } == {later, first}
    lines = rc.call_list(w.db)
    assert [line.uuid for line in lines] == [first, later]  # the longest waiting first
    top = lines[0]
    assert (top.phone, top.item_name, top.applicant_name) == (
        "13812345678",
        "城乡居民养老保险注销登记",
        "张三",
    )
    assert (
        top.since == AT + timedelta(hours=3, minutes=2)
        and top.calls == ()
        and top.window_name == "综合窗口（一）"
    )

    now = AT + timedelta(hours=6)
    rc.record_call(w.db, first, actor="clerk1", outcome=rc.NO_ANSWER, now=now)
    rc.record_call(
        w.db, first, actor="clerk1", outcome=rc.NO_ANSWER, note="关机", now=now + timedelta(hours=1)
    )
    line = rc.call_list(w.db)[0]
    assert (line.missed, line.reached, line.last and line.last.note) == (2, False, "关机")
    assert line.last is not None and line.last.outcome_zh == "未接通" and line.last.by == w.clerk.display_name
    rc.record_call(w.db, first, actor="clerk1", outcome=rc.REACHED, now=now + timedelta(hours=2))
    assert [x.uuid for x in rc.call_list(w.db)] == [later]  # reached: off the list to work through
    assert [x.uuid for x in rc.call_list(w.db, include_reached=True)] == [first, later]
    assert rc.arrived(w.db, [first]) == []  # a reached applicant is not announced again
    with w.db.reading() as s:
        evs = s.scalars(select(CaseEvent).where(CaseEvent.type == "applicant_notified")).all()
    assert [(e.side, e.payload["outcome"], e.push_state) for e in evs] == [
        ("window", "no_answer", "pending"),
        ("window", "no_answer", "pending"),
        ("window", "reached", "pending"),
    ]

    with pytest.raises(InputError, match="请选择通知结果"):
        rc.record_call(w.db, later, actor="clerk1", outcome="maybe")
    with pytest.raises(Conflict, match="只有结果已返回窗口"):
        rc.record_call(w.db, still_with_office, actor="clerk1", outcome=rc.REACHED)
