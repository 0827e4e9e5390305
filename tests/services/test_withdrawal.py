"""撤回 on a real SQLite file: the window withdraws what it holds at once; for a case in the back office it
records the applicant's request, the lists show 撤回申请中 and the back office accepts it; every refusal
is a plain Chinese message with nothing written; each act is one transaction with its outbox event."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.errors import AuthError, ClerkDeskError, Conflict, InputError
from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services import case_queries as q
from clerk_desk.services import inbox
from clerk_desk.services.approvals import APPROVED, Approver
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party
from clerk_desk.services.withdrawal import (
    Withdrawal,
    accept_withdrawal,
    request_withdrawal,
    window_act,
    withdraw,
)
from clerk_desk.store.models import Setting
from tests.services.test_approvals import AT, ID, PENSION, POLICE, SITE, World

AGENT_ID = "34052419800101001" + compute_resident_id_check_char("34052419800101001")
SERVES = ((SITE, "mz"), (SITE, "rs"), (SITE, "yb"))
ASKED = Withdrawal("申请人已在其他渠道办理", "applicant", id_checked=True)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path / "desk")


def accepted(w: World, agent: Party | None = None) -> str:
    form = IntakeForm(
        items=(PENSION,), applicant=Party("person", "张三", ID, phone="13812345678"),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                   MaterialCheck("户口簿", provided=True, form="copy", copies=1)),
        agent=agent,
    )
    return w.intake.accept(form, w.clerk, delivery=Delivery("window"), now=AT).cases[0].case_uuid


def row(w: World, uid: str, view: q.WindowView = q.WindowView.ALL) -> q.CaseRow | None:
    return next((r for r in q.page(w.db, q.window_filter(view, now=AT), now=AT).rows if r.uuid == uid), None)


def inbox_uuids(w: World, view: inbox.InboxView) -> list[str]:
    return [r.uuid for r in inbox.page(w.db, inbox.inbox_filter(view, SERVES), now=AT).rows]


def refused(w: World, exc: type[ClerkDeskError], match: str, call, *args, **kw) -> ClerkDeskError:  # type: ignore[no-untyped-def]
    before = w.n_events()
    with pytest.raises(exc, match=match) as err:
        call(*args, **kw)
    assert w.n_events() == before  # nothing written
    return err.value


def test_the_window_withdraws_an_accepted_case_at_once(world: World) -> None:
    uid = accepted(world)
    assert window_act(world.case(uid)) == "withdraw"
    r = withdraw(world.db, uid, world.clerk, ASKED, now=AT + timedelta(minutes=2))
    assert (r.event, r.status, r.status_zh) == ("withdrawn", "withdrawn", "已撤回")
    evs = world.events(uid)
    assert [(e.type, e.side, e.case_version, e.push_state) for e in evs] == [
        ("accepted", "window", 0, "pending"), ("withdrawn", "window", 1, "pending")]
    p = evs[-1].payload
    assert p["reason"] == "申请人已在其他渠道办理" and p["requested_by"] == "applicant" and p["id_checked"] is True
    assert p["requester_id"] == world.case(uid).applicant_id and p["window_id"] == world.clerk.window_id
    assert p["summary"] == "申请人撤回申请（申请人本人，已核验身份证件）：申请人已在其他渠道办理"
    assert ID not in str(p)  # the person by reference only
    shown = row(world, uid)
    assert shown is not None and shown.status_zh == "已撤回" and not shown.withdrawal_requested
    assert row(world, uid, q.WindowView.TO_TRANSFER) is None  # no longer waits for transfer
    refused(world, Conflict, "已办结或已关闭，不能撤回", withdraw, world.db, uid, world.clerk, ASKED)


def test_a_case_back_from_supplement_is_withdrawn_at_the_window(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True)
    request_withdrawal(world.db, uid, world.clerk, ASKED)
    world.svc.request_supplement(uid, world.approver, missing=["户口簿"])
    case = world.case(uid)
    assert case.status == "supplement_requested" and not case.withdrawal_requested  # back at the window: moot
    assert window_act(case) == "withdraw"
    refused(world, Conflict, "可直接撤回，无需向后台申请", request_withdrawal, world.db, uid, world.clerk, ASKED)
    assert withdraw(world.db, uid, world.clerk, ASKED).status == "withdrawn"


def test_bad_input_is_refused_with_every_problem_named(world: World) -> None:
    uid = accepted(world)
    err = refused(world, InputError, "请填写撤回理由", withdraw, world.db, uid, world.clerk,
                  Withdrawal("  ", "agent", id_checked=False))
    assert err.message_zh == "请填写撤回理由；该办件没有代理人，撤回须由申请人本人提出；请核验提出撤回者的身份证件"
    refused(world, InputError, "撤回理由过长", withdraw, world.db, uid, world.clerk,
            Withdrawal("理" * 501, id_checked=True))
    refused(world, InputError, "请选择提出撤回的人", withdraw, world.db, uid, world.clerk,
            Withdrawal("不办了", "neighbour", id_checked=True))
    assert world.case(uid).status == "accepted"


def test_an_agent_may_withdraw_when_the_case_has_one(world: World) -> None:
    uid = accepted(world, agent=Party("person", "王五", AGENT_ID, relation="子女"))
    withdraw(world.db, uid, world.clerk, Withdrawal("不办了", "agent", id_checked=True))
    p = world.events(uid)[-1].payload
    assert p["requested_by"] == "agent" and p["requester_id"] == world.case(uid).agent_id
    assert "代理人" in p["summary"] and AGENT_ID not in str(p)


def test_in_the_back_office_the_window_asks_and_the_back_office_accepts(world: World) -> None:
    uid = world.transferred()
    refused(world, Conflict, "已流转后台，不能在窗口直接撤回", withdraw, world.db, uid, world.clerk, ASKED)
    refused(world, Conflict, "窗口尚未申请撤回", accept_withdrawal, world.db, uid, world.approver)
    world.svc.receive(uid, world.approver, paper_received=True, now=AT + timedelta(hours=1))
    assert window_act(world.case(uid)) == "request"

    r = request_withdrawal(world.db, uid, world.clerk, ASKED, now=AT + timedelta(hours=2))
    assert (r.event, r.status) == ("withdrawal_requested", "in_review")  # the case does not move
    case = world.case(uid)
    assert case.withdrawal_requested and window_act(case) is None
    refused(world, Conflict, "已申请撤回，请等待后台处理", request_withdrawal, world.db, uid, world.clerk, ASKED)
    refused(world, Conflict, "已流转后台", withdraw, world.db, uid, world.clerk, ASKED)

    # The window's list and page say 撤回申请中 until the back office answers.
    shown = row(world, uid, q.WindowView.BACK_OFFICE)
    assert shown is not None and shown.withdrawal_requested and shown.status_zh == "后台审批中（撤回申请中）"
    detail = read_case(world.db, uid)
    assert detail.withdrawal_requested and q.status_text(detail.status, True) == "后台审批中（撤回申请中）"
    asked = detail.withdrawal
    assert asked is not None and asked.pending and asked.reason == "申请人已在其他渠道办理"
    assert asked.requested is not None and asked.requested.actor == "clerk1"

    # The inbox: its own view, a count, the marker in every view, the request on the case page.
    other = world.transferred()
    assert inbox_uuids(world, inbox.InboxView.WITHDRAWAL) == [uid]
    assert inbox.counts(world.db, SERVES)[inbox.InboxView.WITHDRAWAL] == 1
    in_hand = inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.IN_HAND, SERVES), now=AT).rows
    assert [(x.uuid, x.withdrawal_requested, x.withdrawal_reason, x.status_zh) for x in in_hand] == [
        (uid, True, "申请人已在其他渠道办理", "后台审批中（撤回申请中）")]
    assert not inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.TO_SIGN, SERVES), now=AT).rows[0].withdrawal_requested
    review = read_case(world.db, uid)
    assert review.withdrawal is not None and review.withdrawal.reason == "申请人已在其他渠道办理"
    assert read_case(world.db, other).withdrawal is None

    refused(world, InputError, "说明过长", accept_withdrawal, world.db, uid, world.approver, note="说" * 501)
    done = accept_withdrawal(world.db, uid, world.approver, note="纸质材料退回窗口，由申请人领回",
                             now=AT + timedelta(hours=3))
    assert (done.event, done.status, done.status_zh) == ("withdrawn", "withdrawn", "已撤回")
    evs = world.events(uid)
    assert [(e.type, e.side, e.actor) for e in evs] == [
        ("accepted", "window", "clerk1"), ("transferred", "window", "clerk1"),
        ("received", "back_office", "approver1"), ("withdrawal_requested", "window", "clerk1"),
        ("withdrawn", "back_office", "approver1")]
    assert [e.case_version for e in evs] == [0, 1, 2, 3, 4]
    assert evs[-1].payload["summary"] == "后台同意撤回：纸质材料退回窗口，由申请人领回"
    assert inbox_uuids(world, inbox.InboxView.WITHDRAWAL) == []
    assert uid in inbox_uuids(world, inbox.InboxView.ALL)
    shown = row(world, uid)
    assert shown is not None and shown.status_zh == "已撤回" and not shown.withdrawal_requested
    after = read_case(world.db, uid).withdrawal
    assert after is not None and not after.pending and after.answered is not None
    assert after.answered.side == "back_office"
    refused(world, Conflict, "不在后台办理中", accept_withdrawal, world.db, uid, world.approver)


def test_the_approver_may_carry_on_and_the_request_ends_with_the_result(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True)
    request_withdrawal(world.db, uid, world.clerk, ASKED)
    world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予注销登记")
    assert world.case(uid).withdrawal_requested  # still asked while the back office holds the case
    assert inbox_uuids(world, inbox.InboxView.WITHDRAWAL) == [uid]
    world.svc.return_result(uid, world.approver)
    case = world.case(uid)
    assert case.status == "result_at_window" and not case.withdrawal_requested
    assert inbox_uuids(world, inbox.InboxView.WITHDRAWAL) == []
    shown = row(world, uid)
    assert shown is not None and shown.status_zh == "结果待领取"
    assert window_act(case) is None
    refused(world, Conflict, "已不在后台办理中", request_withdrawal, world.db, uid, world.clerk, ASKED)
    assert [e.type for e in world.events(uid)][-3:] == ["withdrawal_requested", "decided", "result_returned"]


def test_only_a_serving_approver_on_an_approver_pc_accepts(world: World) -> None:
    police = world.transferred(POLICE)
    request_withdrawal(world.db, police, world.clerk, ASKED)
    err = refused(world, AuthError, "您不负责“公安”的审批", accept_withdrawal, world.db, police, world.approver)
    assert err.code == "not_served"
    uid = world.transferred()
    request_withdrawal(world.db, uid, world.clerk, ASKED)
    clerk_as_approver = Approver(world.clerk.user_id, "clerk1", "张小红")
    refused(world, AuthError, "只有后台审批人员", accept_withdrawal, world.db, uid, clerk_as_approver)
    with world.db.transaction() as s:  # an enrolled window PC of the site
        s.add(Setting(key="hub_url", value="https://hub.example"))
        s.add(Setting(key="hub_scope", value='[{"site_code": "421224100", "department_code": "*"}]'))
    refused(world, Conflict, "后台审批操作须在后台审批电脑上办理", accept_withdrawal, world.db, uid, world.approver)
    with world.db.transaction() as s:  # now it is an approver PC: the window's acts belong elsewhere
        s.get(Setting, "mode").value = "approver"
    other = world.transferred()
    refused(world, Conflict, "撤回须在窗口电脑上办理", request_withdrawal, world.db, other, world.clerk, ASKED)
    assert accept_withdrawal(world.db, uid, world.approver).status == "withdrawn"
