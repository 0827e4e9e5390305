"""Intake outcomes on a real SQLite file: rows and outbox events written together, or not at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party, Pledge
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Person

ID = "11010519491231002X"
AT = datetime(2026, 9, 30, 2, 30, tzinfo=UTC)  # 10:30 in the hall, the day before National Day

PENSION = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3, legal_days=20)
ELDER = ItemRef("LOCAL-MZ-1", "老年优待证换发", "mz", "immediate", promised_days=0)
UNKNOWN = ItemRef("LOCAL-MZ-2", "高龄老人津贴申请", "mz", None)


def materials(*, all_ok: bool = True) -> tuple[MaterialCheck, ...]:
    return (
        MaterialCheck("居民身份证", provided=True, form="original", copies=1),
        MaterialCheck("户口簿", provided=all_ok, form="copy" if all_ok else None, copies=1 if all_ok else 0),
        MaterialCheck("死亡证明", waivable=True, provided=True, form="copy", copies=1),
    )


def form(items: tuple[ItemRef, ...] = (PENSION,), checklist: tuple[MaterialCheck, ...] | None = None) -> IntakeForm:
    return IntakeForm(
        items=items,
        applicant=Party("person", "张三", ID, phone="13812345678", address="通山县通羊镇"),
        checklist=materials() if checklist is None else checklist,
    )


@pytest.fixture
def svc(tmp_path: Path) -> IntakeService:
    db = Database(tmp_path)
    demo.ensure_demo_site(db)
    return IntakeService(db)


@pytest.fixture(autouse=True)
def _clerk(svc: IntakeService) -> None:
    global CLERK
    u = next(u for u in accounts.list_users(svc.db) if u.username == "clerk1")
    w = site_setup.list_windows(svc.db)[0]
    CLERK = Clerk(u.id, u.username, u.display_name, w.id, w.name)


CLERK: Clerk


def counts(svc: IntakeService) -> tuple[int, int, int]:
    with svc.db.reading() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (Case, CaseEvent, Person))  # type: ignore[return-value]


def test_accept_writes_case_person_and_outbox_event_with_due_date_over_national_day(svc: IntakeService) -> None:
    res = svc.accept(form(), CLERK, delivery=Delivery("window"), now=AT)
    (c,) = res.cases
    assert c.case_number.startswith("421224100-01-20260930-")
    assert c.due is not None and c.due.due_local_date == date(2026, 10, 10)  # 10-10 is a make-up Saturday
    assert c.transfer_due_at == AT + timedelta(minutes=15)
    with svc.db.reading() as s:
        case = s.get(Case, c.case_uuid)
        assert (case.status, case.version, case.acked_version) == ("accepted", 1, 0)
        assert case.due_calendar_version.startswith("file:2026-1")
        ev = s.scalars(select(CaseEvent)).one()
        assert (ev.type, ev.side, ev.case_version, ev.push_state, ev.device_seq) == ("accepted", "window", 0, "pending", 1)
        assert ev.payload["due_at"].startswith("2026-10-10")
        assert "张三" not in str(ev.payload) and ID not in str(ev.payload)  # personal data by reference only
        assert s.get(Person, case.applicant_id).id_number == ID


def test_missing_required_material_is_refused_with_every_problem_and_nothing_saved(svc: IntakeService) -> None:
    bad = IntakeForm(
        items=(PENSION,),
        applicant=Party("person", "张三", ID[:-1] + "1", phone="1381234"),
        checklist=materials(all_ok=False),
    )
    with pytest.raises(InputError) as err:
        svc.accept(bad, CLERK, delivery=Delivery("post"), now=AT)
    msg = err.value.message_zh
    for fragment in ("校验", "手机", "户口簿", "邮寄地址"):
        assert fragment in msg
    assert counts(svc) == (0, 0, 0)


def test_waivable_material_missing_needs_a_pledge_then_records_it(svc: IntakeService) -> None:
    cl = (
        MaterialCheck("居民身份证", provided=True, form="original", copies=1),
        MaterialCheck("户口簿", provided=True, form="copy", copies=1),
        MaterialCheck("死亡证明", waivable=True, provided=False),
    )
    with pytest.raises(InputError, match="容缺受理"):
        svc.accept(form(checklist=cl), CLERK, delivery=Delivery("window"), now=AT)
    res = svc.accept(
        form(checklist=cl), CLERK, delivery=Delivery("window"), now=AT, pledge=Pledge(("死亡证明",), date(2026, 10, 15))
    )
    with svc.db.reading() as s:
        case = s.get(Case, res.cases[0].case_uuid)
        assert case.pledge_open and case.details["pledge"]["due"] == "2026-10-15"
        types = [e.type for e in s.scalars(select(CaseEvent).order_by(CaseEvent.device_seq))]
    assert types == ["accepted", "pledge_recorded"]


def test_unknown_days_need_the_departments_confirmed_figure(svc: IntakeService) -> None:
    f = form(items=(UNKNOWN,))
    with pytest.raises(InputError, match="待确认"):
        svc.accept(f, CLERK, delivery=Delivery("window"), now=AT)
    res = svc.accept(f, CLERK, delivery=Delivery("window"), now=AT, confirmed_days={UNKNOWN.code: 5})
    c = res.cases[0]
    assert c.days == 5 and c.days_confirmed_by_department


def test_on_the_spot_notice_and_refusal(svc: IntakeService) -> None:
    done = svc.complete_on_spot(form(items=(ELDER,)), CLERK, result="已换发老年优待证", now=AT)
    assert done.cases[0].status == "completed"
    with pytest.raises(InputError, match="承诺件"):
        svc.complete_on_spot(form(), CLERK, result="x", now=AT)
    notice = svc.notify_supplement(form(checklist=materials(all_ok=False)), CLERK, now=AT)
    assert notice.cases[0].status == "notified"
    with pytest.raises(InputError, match="无需一次性告知"):
        svc.notify_supplement(form(), CLERK, now=AT)
    refused = svc.refuse(form(), CLERK, reason="不属于本中心受理范围", now=AT)
    assert refused.cases[0].status == "refused"
    with svc.db.reading() as s:
        seqs = list(s.scalars(select(CaseEvent.device_seq).order_by(CaseEvent.device_seq)))
        missing = s.get(Case, notice.cases[0].case_uuid).details["notified"]["missing"]
    assert seqs == [1, 2, 3]
    assert missing == [{"name": "户口簿", "reason": "未提供", "required": True}]


def test_bundle_makes_one_case_per_item_sharing_a_bundle(svc: IntakeService) -> None:
    res = svc.accept(
        form(items=(PENSION, UNKNOWN)), CLERK, delivery=Delivery("window"), now=AT, confirmed_days={UNKNOWN.code: 10}
    )
    assert len(res.cases) == 2 and res.bundle_id
    numbers = {c.case_number for c in res.cases}
    assert len(numbers) == 2


def test_transfer_once_and_late_flag(svc: IntakeService) -> None:
    res = svc.accept(form(), CLERK, delivery=Delivery("window"), now=AT)
    uid = res.cases[0].case_uuid
    out = svc.transfer(uid, CLERK, now=AT + timedelta(minutes=20))
    assert out.status == "transferred"
    with pytest.raises(Conflict):
        svc.transfer(uid, CLERK, now=AT + timedelta(minutes=21))
    with svc.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.type == "transferred")).one()
    assert ev.payload["late"] is True and ev.case_version == 1


def test_retired_item_cannot_be_accepted(svc: IntakeService) -> None:
    retired = ItemRef("X1", "已停用事项", "rs", "promise", promised_days=5, retired=True)
    with pytest.raises(InputError, match="停用"):
        svc.accept(form(items=(retired,)), CLERK, delivery=Delivery("window"), now=AT)
    assert counts(svc) == (0, 0, 0)


def test_organisation_applicant_and_agent(svc: IntakeService) -> None:
    first17 = "91350100M000100Y4"
    from clerk_desk.domain.identifiers import compute_uscc_check_char

    agent_id = "34052419800101001" + compute_resident_id_check_char("34052419800101001")
    f = IntakeForm(
        items=(PENSION,),
        applicant=Party("organisation", "通山县某合作社", first17 + compute_uscc_check_char(first17), legal_representative="李四"),
        agent=Party("person", "王五", agent_id, relation="员工"),
        checklist=materials(),
    )
    res = svc.accept(f, CLERK, delivery=Delivery("electronic"), now=AT)
    with svc.db.reading() as s:
        case = s.get(Case, res.cases[0].case_uuid)
        assert s.get(Person, case.agent_id).name == "王五"
        assert case.details["agent_relation"] == "员工"


def test_case_list_views_search_and_keyset_pages(svc: IntakeService) -> None:
    from clerk_desk.services import case_queries as q
    from clerk_desk.services import drafts
    from clerk_desk.services.case_read import read_case

    accepted = [svc.accept(form(), CLERK, delivery=Delivery("window"), now=AT + timedelta(seconds=i)) for i in range(5)]
    svc.transfer(accepted[0].cases[0].case_uuid, CLERK, now=AT + timedelta(minutes=3))
    svc.complete_on_spot(form(items=(ELDER,)), CLERK, result="已换发", now=AT + timedelta(minutes=4))
    later = AT + timedelta(minutes=10)
    to_transfer = q.page(svc.db, q.window_filter(q.WindowView.TO_TRANSFER), now=later).rows
    assert len(to_transfer) == 4 and all(r.status_zh == "已受理待流转" for r in to_transfer)
    assert [r.status for r in q.page(svc.db, q.window_filter(q.WindowView.BACK_OFFICE), now=later).rows] == ["transferred"]
    assert len(q.page(svc.db, q.window_filter(q.WindowView.TODAY, now=later), now=later).rows) == 6
    assert q.page(svc.db, q.window_filter(q.WindowView.TODAY, now=later + timedelta(days=1))).rows == ()

    first = q.page(svc.db, q.CaseFilter(), limit=4, now=later)
    second = q.page(svc.db, q.CaseFilter(), after=first.next_key, limit=4, now=later)
    assert len(first.rows) == 4 and len(second.rows) == 2 and second.next_key is None
    assert not {r.uuid for r in first.rows} & {r.uuid for r in second.rows}
    assert first.rows[0].item_name == "老年优待证换发"  # newest first

    number = accepted[2].cases[0].case_number
    grouped = " ".join(number.split("-")[:2] + [number.split("-")[2][:4], number.split("-")[2][4:], number.split("-")[3]])
    for text in (number, grouped):
        assert [r.case_number for r in q.page(svc.db, q.CaseFilter(text=text), now=later).rows] == [number]
    assert len(q.page(svc.db, q.CaseFilter(text=ID), now=later).rows) == 6
    assert len(q.page(svc.db, q.CaseFilter(text="张三"), now=later).rows) == 6
    assert len(q.page(svc.db, q.CaseFilter(text="李四"), now=later).rows) == 0
    assert q.count(svc.db, q.CaseFilter(text=PENSION.code)) == 5
    assert len(q.page(svc.db, q.CaseFilter(text="养老", item_codes=(PENSION.code,)), now=later).rows) == 5

    page = read_case(svc.db, accepted[0].cases[0].case_uuid)
    assert [(q.EVENT_ZH[e.type], e.push_state) for e in page.events] == [("受理", "pending"), ("流转后台", "pending")]
    assert page.parties.applicant is not None and page.parties.applicant.id_number == ID
    assert page.checklist[0].name == "居民身份证"

    # A draft survives until the intake made from it is finished, in the same transaction.
    d = drafts.save(svc.db, draft_id=None, user_id=CLERK.user_id, window_id=CLERK.window_id, data={"x": 1})
    drafts.save(svc.db, draft_id=d, user_id=CLERK.user_id, window_id=CLERK.window_id, data={"x": 2})
    assert [x.data for x in drafts.pending(svc.db, CLERK.user_id)] == [{"x": 2}]
    svc.accept(form(), CLERK, delivery=Delivery("window"), now=later, draft_id=d)
    assert drafts.pending(svc.db, CLERK.user_id) == []


def test_prints_are_recorded_and_a_second_print_is_a_reprint(svc: IntakeService) -> None:
    from clerk_desk.services import print_log

    res = svc.accept(form(), CLERK, delivery=Delivery("window"), now=AT)
    uid = res.cases[0].case_uuid
    assert print_log.prints_so_far(svc.db, uid, "receipt") == 0
    assert print_log.record_print(svc.db, uid, "receipt", actor="clerk1") == 0
    assert print_log.record_print(svc.db, uid, "receipt", actor="clerk1", paper="roll80") == 1
    assert print_log.record_print(svc.db, uid, "pledge", actor="clerk1") == 0
    with svc.db.reading() as s:
        types = [e.type for e in s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid).order_by(CaseEvent.case_version))]
        assert s.get(Case, uid).status == "accepted"  # printing never moves the case
    assert types == ["accepted", "document_printed", "reprinted", "document_printed"]


def test_a_print_is_recorded_with_the_number_its_paper_carries(svc: IntakeService) -> None:
    """The desk reads the number before printing and records after: the record says what is on the paper."""
    from clerk_desk.services import print_log

    uid = svc.accept(form(), CLERK, delivery=Delivery("window"), now=AT).cases[0].case_uuid
    on_paper = print_log.prints_so_far(svc.db, uid, "receipt")
    assert on_paper == 0
    print_log.record_print(svc.db, uid, "receipt", actor="clerk2")  # another print got in meanwhile
    assert print_log.record_print(svc.db, uid, "receipt", actor="clerk1", printed_as=on_paper) == 0
    with svc.db.reading() as s:
        last = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid).order_by(CaseEvent.case_version.desc())).first()
    assert last is not None and last.type == "document_printed" and last.payload["reprint"] == 0


def test_absurdly_long_party_texts_are_refused_in_chinese_and_nothing_saved(svc: IntakeService) -> None:
    """A pasted page in the name field is not a name: every party text has a length the papers can print."""
    long_party = Party("person", "张" * 101, ID, address="通山县" * 100, relation="")
    agent = Party("person", "李四", ID, relation="亲" * 51, legal_representative="")
    for bad, fragment in ((IntakeForm((PENSION,), long_party, materials()), "申请人姓名或名称过长（最多 100 字）"),
                          (IntakeForm((PENSION,), form().applicant, materials(), agent=agent), "代办人与申请人的关系过长")):
        with pytest.raises(InputError) as err:
            svc.accept(bad, CLERK, delivery=Delivery("window"), now=AT)
        assert fragment in err.value.message_zh
    with pytest.raises(InputError) as err:
        svc.accept(IntakeForm((PENSION,), long_party, materials()), CLERK, delivery=Delivery("window"), now=AT)
    assert "申请人地址过长（最多 200 字）" in err.value.message_zh
    assert counts(svc) == (0, 0, 0)
    at_limit = Party("person", "张" * 100, ID, address="通" * 200)
    svc.accept(IntakeForm((PENSION,), at_limit, materials()), CLERK, delivery=Delivery("window"), now=AT)
    assert counts(svc)[0] == 1


def test_absurdly_long_outcome_texts_are_refused_in_chinese_and_nothing_saved(svc: IntakeService) -> None:
    """What the papers print at the window has the lengths the back office's texts have (500, a material's
    problem 200, a postal address 200)."""
    with pytest.raises(InputError, match=r"办理结果过长（最多 500 字）"):
        svc.complete_on_spot(form(items=(ELDER,)), CLERK, result="已" * 501, now=AT)
    with pytest.raises(InputError, match=r"不予受理的理由过长（最多 500 字）"):
        svc.refuse(form(), CLERK, reason="不" * 501, now=AT)
    defective = (MaterialCheck("居民身份证", provided=True, form="original", copies=1, ok=False, problem="模糊" * 101),)
    with pytest.raises(InputError, match=r"材料“居民身份证”的问题说明过长（最多 200 字）"):
        svc.notify_supplement(form(checklist=defective), CLERK, now=AT)
    with pytest.raises(InputError, match=r"邮寄地址过长（最多 200 字）"):
        svc.accept(form(), CLERK, delivery=Delivery("post", address="通山县" * 67), now=AT)
    assert counts(svc) == (0, 0, 0)
    svc.complete_on_spot(form(items=(ELDER,)), CLERK, result="已" * 500, now=AT)
    assert counts(svc)[0] == 1
