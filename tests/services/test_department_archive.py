"""一天一归档 by the department on the approver's PC: the cases signed for that day, filed once, the paper
signed for earlier and not filed flagged, another department's case refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import AuthError, Conflict, InputError
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import department_archive as da
from clerk_desk.store.models import CaseEvent
from tests.services.test_approvals import AT, PENSION, POLICE, SITE, World


def signed(w: World, n: int, days_later: int) -> str:
    uid = w.transferred(PENSION, at=AT + timedelta(minutes=n))
    w.svc.receive(uid, w.approver, paper_received=True, now=AT + timedelta(days=days_later, minutes=30 + n))
    return uid


def test_the_day_lists_what_was_signed_for_and_files_it_once(tmp_path: Path) -> None:
    w = World(tmp_path)
    serves = ((SITE, "rs"), (SITE, "yb"), (SITE, "mz"))
    yesterday = signed(w, 1, 0)
    a, b = signed(w, 2, 1), signed(w, 3, 1)
    w.transferred(POLICE, at=AT + timedelta(minutes=9))  # another department's case never shows
    day = (AT + timedelta(days=1)).astimezone(SHANGHAI).date()
    got = da.signed_on(w.db, day, serves)
    assert [line.uuid for line in got.lines] == [a, b] and not any(line.filed for line in got.lines)
    assert (got.late, got.earliest_late) == (1, AT.astimezone(SHANGHAI).date())  # yesterday's paper, not filed
    filed = da.file_paper(w.db, w.approver, [a, b], day, now=AT + timedelta(days=1, hours=8))
    assert all(line.filed and line.filed_by == w.approver.display_name for line in filed)
    with pytest.raises(Conflict, match="不能重复归档"):
        da.file_paper(w.db, w.approver, [a], day)
    with pytest.raises(InputError, match="请勾选"):
        da.file_paper(w.db, w.approver, [], day)
    da.file_paper(w.db, w.approver, [yesterday], day)
    assert da.signed_on(w.db, day, serves).late == 0
    with w.db.reading() as s:
        evs = s.scalars(select(CaseEvent).where(CaseEvent.type == "paper_filed")).all()
    assert {(e.side, e.push_state) for e in evs} == {("back_office", "pending")} and len(evs) == 3
    assert da.signed_on(w.db, day, ((SITE, "ga"),)).lines == ()


def test_only_a_serving_approver_files(tmp_path: Path) -> None:
    w = World(tmp_path)
    uid = w.transferred(POLICE, at=AT)
    from clerk_desk.services.approvals import Approver

    with pytest.raises(AuthError, match="您不负责"):
        da.file_paper(w.db, Approver(w.approver.user_id, w.approver.username, w.approver.display_name), [uid],
                      AT.date())


def test_paper_of_cases_closed_during_the_day_is_still_filed_and_the_windows_paper_is_not(tmp_path: Path) -> None:
    from clerk_desk.domain.lifecycle import EventType, Side
    from clerk_desk.services.approvals import APPROVED
    from clerk_desk.services.case_events import append_event
    from clerk_desk.services.handover import Handover, deliver
    from clerk_desk.services.intake_forms import IntakeForm, MaterialCheck, Party
    from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal
    from clerk_desk.store.models import Case

    w = World(tmp_path)
    serves = ((SITE, "rs"),)
    day = AT.astimezone(SHANGHAI).date()
    ask = Withdrawal("申请人不再办理", id_checked=True)
    # signed for in the morning, withdrawn at noon: the department keeps the paper
    signed_then_withdrawn = signed(w, 1, 0)
    request_withdrawal(w.db, signed_then_withdrawn, w.clerk, ask, now=AT + timedelta(hours=2))
    accept_withdrawal(w.db, signed_then_withdrawn, w.approver, now=AT + timedelta(hours=2, minutes=5))
    # handed over, withdrawn before anyone signed: the paper left the window with the hand-over
    never_signed = w.transferred(PENSION, at=AT + timedelta(minutes=20))
    request_withdrawal(w.db, never_signed, w.clerk, ask, now=AT + timedelta(hours=3))
    accept_withdrawal(w.db, never_signed, w.approver, now=AT + timedelta(hours=3, minutes=5))
    # signed, decided, handed to the applicant and archived (an older desk's window archive) the same day
    archived = signed(w, 2, 0)
    w.svc.decide(archived, w.approver, decision=APPROVED, result_text="准予", now=AT + timedelta(hours=4))
    w.svc.return_result(archived, w.approver, now=AT + timedelta(hours=4, minutes=5))
    deliver(w.db, archived, w.clerk, Handover("window", "applicant", id_checked=True), now=AT + timedelta(hours=5))
    with w.db.transaction() as s:
        case = s.get(Case, archived)
        assert case is not None
        append_event(s, case, EventType.ARCHIVED, Side.WINDOW, actor="clerk1", device_code="01",
                     payload={"day": day.isoformat()}, now=AT + timedelta(hours=6))
    # refused at the window: its paper never left the window
    refused = w.intake.refuse(IntakeForm((PENSION,), Party("person", "李四", "11010519491231002X"),
                                         (MaterialCheck("居民身份证", provided=True, form="original", copies=1),)),
                              w.clerk, reason="不属于受理范围", now=AT).cases[0].case_uuid  # fmt: skip

    got = da.signed_on(w.db, day, serves)
    assert {line.uuid for line in got.lines} == {signed_then_withdrawn, never_signed, archived}
    how = {line.uuid: line.how for line in got.lines}
    assert how[never_signed] == "流转后撤回" and how[signed_then_withdrawn] == how[archived] == "已签收"
    assert w.case(signed_then_withdrawn).status == "withdrawn" and w.case(archived).status == "archived"
    filed = da.file_paper(w.db, w.approver, [signed_then_withdrawn, never_signed, archived], day,
                          now=AT + timedelta(hours=9))  # fmt: skip
    assert all(line.filed for line in filed) and len(filed) == 3
    assert [e.type for e in w.events(archived)][-1] == "paper_filed"
    assert w.case(archived).status == "archived"  # an annotation: the case does not move
    with pytest.raises(Conflict, match="仍在窗口，由窗口归档"):
        da.file_paper(w.db, w.approver, [refused], day)
    assert "paper_filed" not in [e.type for e in w.events(refused)]
