"""Results back at the window: what the window is told, the call list (phone, item, since when), calls marked
已通知 / 未接通 as events, and a reached applicant leaving the list."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.services import result_calls as rc
from clerk_desk.services.approvals import APPROVED
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party
from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal
from clerk_desk.store.models import CaseEvent
from tests.services.test_approvals import AT, ID, PENSION, World, local_day
from tests.support.routing import at_window_for


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


# -- the notice's plain-SQL read agrees with the fold --------------------------------------------------------
STAGES = ("transferred", "decided", "returned", "no_answer", "reached", "reached_rejected", "reached_held",
          "no_answer_then_reached", "delivered_unreached", "delivered_reached", "withdrawn")  # fmt: skip
NAMES = ("张三", "李四", "王五", "赵六六", "欧阳娜娜")


def _make(w: World, n: int, stage: str, name: str, synced: bool) -> str:
    at = AT + timedelta(minutes=7 * n)
    uid = w.intake.accept(
        IntakeForm(items=(PENSION,), applicant=Party("person", name, ID, phone="13812345678"),
                   checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),)),
        at_window_for(w.db, w.clerk, PENSION, local_day(at)), delivery=Delivery("window"), now=at,
    ).cases[0].case_uuid  # fmt: skip
    clerk = at_window_for(w.db, w.clerk, PENSION, local_day(at))
    w.intake.transfer(uid, clerk, now=at + timedelta(minutes=1))
    if stage == "withdrawn":
        request_withdrawal(
            w.db, uid, clerk, Withdrawal("不办了", id_checked=True), now=at + timedelta(minutes=2)
        )
        accept_withdrawal(w.db, uid, w.approver, now=at + timedelta(minutes=3))
        return uid
    if stage == "transferred":
        return uid
    w.svc.receive(uid, w.approver, paper_received=True, now=at + timedelta(minutes=2))
    w.svc.decide(uid, w.approver, decision=APPROVED, result_text="准予", now=at + timedelta(minutes=3))
    if stage == "decided":
        return uid
    # results come back in an order unlike the order of acceptance: the longest waiting is not the oldest case
    back = AT + timedelta(days=1, minutes=(n * 37) % 101 * 3 + n % 3)
    w.svc.return_result(uid, w.approver, now=back)
    calls = {"no_answer": [rc.NO_ANSWER], "reached": [rc.REACHED], "reached_rejected": [rc.REACHED],
             "reached_held": [rc.NO_ANSWER, rc.REACHED], "no_answer_then_reached": [rc.NO_ANSWER, rc.REACHED],
             "delivered_reached": [rc.REACHED]}.get(stage, [])  # fmt: skip
    for i, outcome in enumerate(calls):
        rc.record_call(w.db, uid, actor="clerk1", outcome=outcome, now=back + timedelta(hours=1 + i))
    if stage.startswith("delivered"):
        deliver(
            w.db,
            uid,
            w.clerk,
            Handover("window", "applicant", id_checked=True),
            now=back + timedelta(hours=5),
        )
    with sqlite3.connect(w.db.path) as c:
        if synced:  # the hub confirmed this case's history
            c.execute("UPDATE case_events SET push_state = 'stored' WHERE case_uuid = ?", (uid,))
        if stage in ("reached_rejected", "reached_held"):  # the hub refused the call (or it waits behind one)
            state = "rejected" if stage == "reached_rejected" else "held"
            c.execute("UPDATE case_events SET push_state = ?, last_error = 'x' WHERE case_uuid = ? AND type ="
                      " 'applicant_notified' AND json_extract(payload, '$.outcome') = 'reached'", (state, uid))  # fmt: skip
    return uid


@pytest.mark.parametrize("seed", [1, 2])
def test_the_notice_read_agrees_with_the_fold(tmp_path: Path, seed: int) -> None:
    """``waiting`` (plain SQL over the case rows) lists exactly what ``call_list`` (each case folded) lists:
    the same cases, names, items, since when, in the same order, whatever stage each case is at."""
    rnd = random.Random(seed)
    stages = [*STAGES, *rnd.choices(STAGES, k=9)]  # every stage at least once, then more at random
    rnd.shuffle(stages)
    w = World(tmp_path / "desk")
    made = {
        _make(w, n, stage, rnd.choice(NAMES), rnd.random() < 0.5): stage for n, stage in enumerate(stages)
    }
    folded = [rc.Waiting.of(line) for line in rc.call_list(w.db)]
    read = rc.waiting(w.db)
    assert read == folded
    expected = {
        uid
        for uid, stage in made.items()
        if stage in ("returned", "no_answer", "reached_rejected", "reached_held")
    }
    assert {x.uuid for x in read} == expected
    assert all(x.since is not None and x.applicant_name in NAMES for x in read)
