"""The back office's acts and the window's 出件 on a real SQLite file: each act writes the case and its
outbox event together; the wrong side, the wrong department, the wrong state and bad input are refused
with a Chinese message and nothing is written; pauses and 补正 move the due date in working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clerk_desk.domain.errors import AuthError, ClerkDeskError, Conflict, InputError
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, demo, inbox, site_setup
from clerk_desk.services.approvals import (
    APPROVED,
    DENIED,
    ApprovalService,
    Approver,
    served_pairs,
    stopped_intervals,
)
from clerk_desk.services.case_read import read_case
from clerk_desk.services.case_rows import CaseRow
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Person, Setting
from tests.support.routing import at_window_for

ID = "11010519491231002X"
AT = datetime(2026, 9, 29, 2, 30, tzinfo=UTC)  # Tue 29 Sep 2026, 10:30 in the hall
PENSION = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3, legal_days=20)
POLICE = ItemRef("GA-001", "居住证签注", "ga", "promise", promised_days=5)
SITE = "421224100"


def local_day(at: datetime | None) -> date:
    assert at is not None
    return at.astimezone(SHANGHAI).date()


class World:
    def __init__(self, folder: Path) -> None:
        self.db = Database(folder)
        demo.ensure_demo_site(self.db)
        users = {u.username: u for u in accounts.list_users(self.db)}
        w = site_setup.list_windows(self.db)[0]
        self.clerk = Clerk(users["clerk1"].id, "clerk1", users["clerk1"].display_name, w.id, w.name)
        a = users["approver1"]  # serves 人社, 医保, 民政
        self.approver = Approver(a.id, a.username, a.display_name)
        self.intake = IntakeService(self.db)
        self.svc = ApprovalService(self.db)

    def transferred(self, item: ItemRef = PENSION, at: datetime = AT, agent: Party | None = None) -> str:
        form = IntakeForm(
            items=(item,), applicant=Party("person", "张三", ID, phone="13812345678"),
            checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                       MaterialCheck("户口簿", provided=True, form="copy", copies=1)),
            agent=agent,
        )
        clerk = at_window_for(self.db, self.clerk, item, local_day(at))
        uid = self.intake.accept(form, clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid
        self.intake.transfer(uid, clerk, now=at + timedelta(minutes=4))
        return uid

    def case(self, uid: str) -> Case:
        with self.db.reading() as s:
            c = s.get(Case, uid)
            assert c is not None
            s.expunge(c)
            return c

    def events(self, uid: str) -> list[CaseEvent]:
        with self.db.reading() as s:
            out = list(s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid).order_by(CaseEvent.case_version)))
            for e in out:
                s.expunge(e)
            return out

    def n_events(self) -> int:
        with self.db.reading() as s:
            return int(s.scalar(select(func.count()).select_from(CaseEvent)) or 0)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path / "desk")


def test_the_whole_way_sign_decide_return_deliver(world: World) -> None:
    uid = world.transferred()
    t = AT + timedelta(hours=1)
    r = world.svc.receive(uid, world.approver, paper_received=True, now=t)
    assert (r.status, r.status_zh) == ("in_review", "后台审批中")
    r = world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予注销登记",
                         document_number="通人社〔2026〕12号", now=t + timedelta(hours=1))
    assert r.status == "decided"
    world.svc.return_result(uid, world.approver, note="结果通知书一份", now=t + timedelta(hours=2))
    assert world.case(uid).status == "result_at_window"
    decision = read_case(world.db, uid).decision
    assert decision is not None and decision.document_number == "通人社〔2026〕12号"
    done = deliver(world.db, uid, world.clerk, Handover("window", "applicant", id_checked=True),
                   now=t + timedelta(days=1))
    assert done.status == "delivered"
    evs = world.events(uid)
    assert [(e.type, e.side, e.case_version, e.push_state) for e in evs] == [
        ("accepted", "window", 0, "pending"), ("transferred", "window", 1, "pending"),
        ("received", "back_office", 2, "pending"), ("decided", "back_office", 3, "pending"),
        ("result_returned", "back_office", 4, "pending"), ("delivered", "window", 5, "pending"),
    ]
    assert [e.actor for e in evs] == ["clerk1", "clerk1", "approver1", "approver1", "approver1", "clerk1"]
    assert evs[2].payload["paper_received"] is True and evs[2].payload["summary"] == "纸质材料已签收"
    assert evs[3].payload["decision"] == "approved" and "准予" in evs[3].payload["summary"]
    assert evs[5].payload["recipient_id"] == world.case(uid).applicant_id and evs[5].payload["id_checked"]
    assert ID not in str([e.payload for e in evs[2:]])  # personal data by reference only
    assert [e.device_seq for e in evs] == sorted(e.device_seq for e in evs)


def test_signing_without_the_paper_needs_a_note(world: World) -> None:
    uid = world.transferred()
    before = world.n_events()
    with pytest.raises(InputError, match="未收到纸质材料"):
        world.svc.receive(uid, world.approver, paper_received=False, note="  ")
    assert world.n_events() == before and world.case(uid).status == "transferred"
    world.svc.receive(uid, world.approver, paper_received=False, note="材料在途，已电话联系窗口")
    ev = world.events(uid)[-1]
    assert ev.payload["paper_received"] is False and "材料在途" in ev.payload["summary"]


def test_deny_needs_a_reason_and_approve_a_result(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True)
    with pytest.raises(InputError, match="理由"):
        world.svc.decide(uid, world.approver, decision=DENIED, reason="")
    with pytest.raises(InputError, match="审批结果"):
        world.svc.decide(uid, world.approver, decision=APPROVED, result_text=" ")
    with pytest.raises(InputError, match="准予或不予"):
        world.svc.decide(uid, world.approver, decision="maybe", result_text="x")
    assert world.case(uid).status == "in_review"
    world.svc.decide(uid, world.approver, decision=DENIED, reason="申请人不符合注销条件")
    ev = world.events(uid)[-1]
    assert ev.payload["decision"] == "denied" and ev.payload["summary"] == "不予：申请人不符合注销条件"


def test_only_the_owner_side_and_the_right_state_may_act(world: World) -> None:
    uid = world.transferred()
    before = world.n_events()
    with pytest.raises(Conflict, match="请先签收纸质材料，再作出决定"):
        world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予")
    with pytest.raises(Conflict, match="只有已作出决定的办件"):
        world.svc.return_result(uid, world.approver)
    with pytest.raises(Conflict, match="没有处于特别程序"):
        world.svc.resume(uid, world.approver)
    # The window may not hand over a result that has not come back, nor transfer a case it no longer owns.
    with pytest.raises(Conflict, match="审批结果尚未返回窗口"):
        deliver(world.db, uid, world.clerk, Handover("window", id_checked=True))
    with pytest.raises(Conflict):
        world.intake.transfer(uid, world.clerk)
    world.svc.receive(uid, world.approver, paper_received=True)
    with pytest.raises(Conflict, match="该办件已签收"):
        world.svc.receive(uid, world.approver, paper_received=True)
    assert world.n_events() == before + 1


def test_a_case_still_at_the_window_is_not_the_back_offices(world: World) -> None:
    form = IntakeForm(items=(PENSION,), applicant=Party("person", "张三", ID),
                      checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),))
    uid = world.intake.accept(form, world.clerk, delivery=Delivery("window"), now=AT).cases[0].case_uuid
    with pytest.raises(Conflict, match="只有已流转到后台"):
        world.svc.receive(uid, world.approver, paper_received=True)


def test_an_approver_acts_only_for_the_departments_served(world: World) -> None:
    uid = world.transferred(POLICE)  # 公安: approver1 serves 人社, 医保, 民政
    with pytest.raises(AuthError, match="您不负责“公安”的审批") as err:
        world.svc.receive(uid, world.approver, paper_received=True)
    assert err.value.code == "not_served"
    clerk_as_approver = Approver(world.clerk.user_id, "clerk1", "张小红")
    with pytest.raises(AuthError, match="只有后台审批人员"):
        world.svc.receive(world.transferred(), clerk_as_approver, paper_received=True)
    accounts.set_active(world.db, "approver1", False)
    with pytest.raises(AuthError, match="已停用"):
        world.svc.receive(world.transferred(), world.approver, paper_received=True)
    assert served_pairs(world.db, world.approver.user_id) == ((SITE, "mz"), (SITE, "rs"), (SITE, "yb"))


def test_an_enrolled_window_pc_may_not_act_for_the_back_office_nor_the_reverse(world: World) -> None:
    uid = world.transferred()
    with world.db.transaction() as s:  # what enrolment writes for a clerk device of the site
        s.add(Setting(key="hub_url", value="https://hub.example"))
        s.add(Setting(key="hub_scope", value='[{"site_code": "421224100", "department_code": "*"}]'))
    with pytest.raises(Conflict, match="后台审批操作须在后台审批电脑上办理"):
        world.svc.receive(uid, world.approver, paper_received=True)
    with world.db.transaction() as s:  # now an approver device serving 民政 only
        s.get(Setting, "mode").value = "approver"
        s.get(Setting, "hub_scope").value = '[{"site_code": "421224100", "department_code": "mz"}]'
    with pytest.raises(Conflict, match="未授权本机办理该部门"):
        world.svc.receive(uid, world.approver, paper_received=True)
    with world.db.transaction() as s:
        s.get(Setting, "hub_scope").value = '[{"site_code": "421224100", "department_code": "rs"}]'
    world.svc.receive(uid, world.approver, paper_received=True)
    world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予")
    world.svc.return_result(uid, world.approver)
    with pytest.raises(Conflict, match="出件须在窗口电脑上办理"):
        deliver(world.db, uid, world.clerk, Handover("window", id_checked=True))


def test_a_pause_moves_the_due_date_by_the_working_days_it_touched(world: World) -> None:
    uid = world.transferred()  # accepted Tue 29 Sep, 3 working days: 30 Sep, then (after National Day) 8 and 9 Oct
    assert local_day(world.case(uid).due_at) == date(2026, 10, 9)
    world.svc.receive(uid, world.approver, paper_received=True, now=AT + timedelta(hours=1))
    paused_at = AT + timedelta(hours=2)  # Tue 29 Sep (not counted anyway: the acceptance day)
    r = world.svc.pause(uid, world.approver, procedure="appraisal", reason="委托伤残鉴定", now=paused_at)
    assert r.status == "paused" and r.status_zh == "特别程序（暂停计时）"
    with pytest.raises(Conflict, match="请先恢复计时再作决定"):
        world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予")
    resumed_at = datetime(2026, 10, 9, 3, 0, tzinfo=UTC)  # Fri 9 Oct 11:00
    r = world.svc.resume(uid, world.approver, note="鉴定结论已收到", now=resumed_at)
    assert r.status == "in_review"
    # Left out: 30 Sep, 8 and 9 Oct (touched by the pause). Counted: 10 Oct (Sat, make-up), 12 Oct, 13 Oct.
    assert local_day(r.due_at) == date(2026, 10, 13) and local_day(world.case(uid).due_at) == date(2026, 10, 13)
    ev = world.events(uid)[-1]
    assert ev.type == "clock_resumed" and ev.payload["due_at"].startswith("2026-10-13")
    assert "顺延至 2026-10-13" in ev.payload["summary"]
    paused = world.events(uid)[-2].payload
    assert paused["procedure"] == "appraisal" and paused["summary"] == "特别程序（鉴定）：委托伤残鉴定"


def test_pause_needs_a_kind_and_a_reason(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True)
    with pytest.raises(InputError, match="种类"):
        world.svc.pause(uid, world.approver, procedure="", reason="x")
    with pytest.raises(InputError, match="事由"):
        world.svc.pause(uid, world.approver, procedure="hearing", reason="")
    with pytest.raises(InputError, match="过长"):
        world.svc.pause(uid, world.approver, procedure="hearing", reason="长" * 501)
    assert world.case(uid).status == "in_review"


def test_supplement_goes_back_to_the_window_and_its_time_does_not_count(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True, now=AT + timedelta(hours=1))
    with pytest.raises(InputError, match="需要补正的材料"):
        world.svc.request_supplement(uid, world.approver, missing=[" ", ""])
    asked = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)  # Wed 30 Sep 09:00
    r = world.svc.request_supplement(uid, world.approver, missing=["户口簿（原件）"], note="复印件不清晰", now=asked)
    assert r.status == "supplement_requested"
    assert world.events(uid)[-1].payload["summary"] == "需补正：户口簿（原件）；复印件不清晰"
    with pytest.raises(Conflict):  # back at the window: the back office no longer owns it
        world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予")
    # The window re-transfers when the applicant brings the material (intake.transfer -> retransferred).
    back = datetime(2026, 10, 9, 2, 0, tzinfo=UTC)  # Fri 9 Oct 10:00
    world.intake.transfer(uid, world.clerk, now=back)
    assert world.events(uid)[-1].type == "retransferred"
    rows = inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.TO_SIGN, ((SITE, "rs"),)), now=back).rows
    assert [r.transfer.retransferred for r in rows if r.transfer] == [True]
    r = world.svc.receive(uid, world.approver, paper_received=True, now=back + timedelta(minutes=10))
    ev = world.events(uid)[-1]
    assert ev.payload["retransfer"] is True
    # 30 Sep .. 9 Oct stood still (3 working days); counted: 10 Oct (make-up Sat), 12 and 13 Oct.
    assert local_day(r.due_at) == date(2026, 10, 13) and ev.payload["due_at"].startswith("2026-10-13")


def test_stopped_intervals_join_a_pause_and_a_supplement() -> None:
    t = [AT + timedelta(days=i) for i in range(6)]
    events = [("accepted", t[0]), ("clock_paused", t[1]), ("supplement_requested", t[2]), ("retransferred", t[3]),
              ("received", t[3]), ("clock_paused", t[4])]
    assert stopped_intervals(events, t[5]) == [(t[1], t[3]), (t[4], t[5])]


def test_delivery_checks_what_the_clerk_records(world: World) -> None:
    uid = world.transferred(agent=Party("person", "张小三", "420102199001011236", relation="子女"))
    world.svc.receive(uid, world.approver, paper_received=True)
    world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予")
    world.svc.return_result(uid, world.approver)
    before = world.n_events()
    bad = [
        (Handover("window", "applicant", id_checked=False), "请核验领取人的身份证件"),
        (Handover("window", "other", other_name="", other_id_number="123", id_checked=True), "请填写领取人姓名"),
        (Handover("window", "other", other_name="李四", other_id_number="123", id_checked=True), "领取人身份证号码应为18位"),
        (Handover("window", "other", other_name="李四", other_id_number=" ", id_checked=True), "^请填写领取人的身份证号码$"),
        (Handover("window", "other", other_name="李" * 101, other_id_number=ID, id_checked=True),
         r"领取人姓名过长（最多 100 字）"),  # a paste gone wrong: the receipt prints it in a table cell
        (Handover("post", tracking_no=" "), "邮件单号"),
        (Handover("electronic"), "电子送达请写明"),
        (Handover("fax"), "请选择送达方式"),
    ]
    for h, message in bad:
        with pytest.raises(InputError, match=message):
            deliver(world.db, uid, world.clerk, h)
    assert world.n_events() == before and world.case(uid).status == "result_at_window"
    # typed by an input method in full-width mode: kept as the check reads it
    deliver(world.db, uid, world.clerk, Handover("window", "other", other_name="李四",
                                                 other_id_number="１１０１０５１９４９１２３１００２ｘ", id_checked=True,
                                                 note="受申请人委托"))
    ev = world.events(uid)[-1]
    assert ev.payload["recipient"] == "other" and "李四" not in str(ev.payload)
    with world.db.reading() as s:
        recipient = s.get(Person, ev.payload["recipient_id"])
        assert (recipient.name, recipient.id_number) == ("李四", "11010519491231002X")
    with pytest.raises(ClerkDeskError, match="审批结果尚未返回窗口"):  # delivered once only
        deliver(world.db, uid, world.clerk, Handover("post", tracking_no="9876543210"))


def test_delivery_by_post_and_electronically(world: World) -> None:
    a, b = world.transferred(), world.transferred()
    for uid in (a, b):
        world.svc.receive(uid, world.approver, paper_received=True)
        world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予")
        world.svc.return_result(uid, world.approver)
    deliver(world.db, a, world.clerk, Handover("post", tracking_no="EMS1234567890CN"))
    deliver(world.db, b, world.clerk, Handover("electronic", sent_to="鄂汇办"))
    assert world.events(a)[-1].payload["summary"] == "邮寄送达，邮件单号 EMS1234567890CN"
    assert world.events(b)[-1].payload["summary"] == "电子送达：鄂汇办"


def test_inbox_views_show_only_the_departments_served(world: World) -> None:
    serves = served_pairs(world.db, world.approver.user_id)
    mine = [world.transferred(at=AT + timedelta(minutes=i)) for i in range(3)]
    world.transferred(POLICE)  # another department's case never shows
    now = AT + timedelta(hours=1)
    world.svc.receive(mine[1], world.approver, paper_received=True, now=now)
    world.svc.receive(mine[2], world.approver, paper_received=True, now=now)
    world.svc.decide(mine[2], world.approver, decision=APPROVED, result_text="准予", now=now)

    def uuids(view: inbox.InboxView) -> list[str]:
        return [r.uuid for r in inbox.page(world.db, inbox.inbox_filter(view, serves), now=now).rows]

    assert uuids(inbox.InboxView.TO_SIGN) == [mine[0]]
    assert uuids(inbox.InboxView.IN_HAND) == [mine[1]]
    assert uuids(inbox.InboxView.DECIDED) == [mine[2]]
    assert uuids(inbox.InboxView.ALL) == mine[::-1]  # newest first; work views oldest first
    assert inbox.counts(world.db, serves) == {inbox.InboxView.TO_SIGN: 1, inbox.InboxView.IN_HAND: 1,
                                              inbox.InboxView.DECIDED: 1, inbox.InboxView.WITHDRAWAL: 0,
                                              inbox.InboxView.ALL: 3}
    assert inbox.counts(world.db, ()) == dict.fromkeys(inbox.InboxView, 0)
    row = inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.TO_SIGN, serves), now=now).rows[0]
    assert row.transfer is not None
    assert (row.transfer.limit_minutes, row.transfer.took_s, row.transfer.late) == (15, 240, False)
    assert row.applicant_name == "张三" and row.department_name == "人社"
    assert inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.DECIDED, serves), now=now).rows[0].decision == "approved"
    number = row.case_number
    by_number = inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.ALL, serves, number[:-3]), now=now).rows
    assert len(by_number) == 3
    assert [r.uuid for r in inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.ALL, serves, number), now=now).rows] == [mine[0]]
    assert len(inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.ALL, serves, ID), now=now).rows) == 3
    assert len(inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.ALL, serves, "张"), now=now).rows) == 3
    assert inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.ALL, serves, "李"), now=now).rows == ()


def test_inbox_pages_by_key_and_days_left_turn_amber_then_red(world: World) -> None:
    serves = ((SITE, "rs"),)
    made = [world.transferred(at=AT + timedelta(seconds=i)) for i in range(7)]
    f = inbox.inbox_filter(inbox.InboxView.TO_SIGN, serves)
    first = inbox.page(world.db, f, limit=3, now=AT)
    second = inbox.page(world.db, f, after=first.next_key, limit=3, now=AT)
    third = inbox.page(world.db, f, after=second.next_key, limit=3, now=AT)
    assert [r.uuid for p in (first, second, third) for r in p.rows] == made and third.next_key is None
    # Due 9 Oct (3 working days). On 29 Sep: 30 Sep, 8 Oct, 9 Oct are left.
    at = {d: datetime(2026, m, d, 2, 0, tzinfo=UTC) for m, d in ((9, 30), (10, 8), (10, 9), (10, 10))}

    def row(now: datetime) -> CaseRow:
        return inbox.page(world.db, f, limit=1, now=now).rows[0]

    assert (row(AT).days_left, row(AT).urgency) == (3, "")
    assert (row(at[30]).days_left, row(at[30]).urgency) == (2, "")  # National Day is no working day
    assert (row(at[8]).days_left, row(at[8]).urgency) == (1, "amber")
    assert (row(at[9]).days_left, row(at[9]).urgency) == (0, "amber")
    r = row(at[10])  # the make-up Saturday after the due day
    assert (r.days_left, r.overdue, r.urgency) == (-1, True, "red")


def test_the_case_view_brings_the_checklist_and_the_decision(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True)
    world.svc.pause(uid, world.approver, procedure="hearing", reason="组织听证")
    case = read_case(world.db, uid)
    assert [m.name for m in case.checklist] == ["居民身份证", "户口簿"]
    assert case.current_pause is not None and case.current_pause.reason == "组织听证" and case.paused_since is not None
    assert case.received is not None and case.received.paper_received and case.decision is None
