"""归档 on a real SQLite file: the day's closed cases grouped by department, only closed cases of that day
and this site, one transaction per department with its outbox events, and a second archive refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.domain.lifecycle import EventType, Side
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, archive, demo, site_setup
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
from clerk_desk.services.case_events import append_event
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent
from tests.support.routing import at_window_for
from tests.ui.cases.case_kit import PENSION, checklist, resident_id

DAY = date(2026, 9, 29)
MORNING = datetime(2026, 9, 29, 1, 0, tzinfo=UTC)  # 09:00 in 通山
ID_CARD = ItemRef("GA-009", "居民身份证挂失申报", "ga", "immediate")
DIBAO = ItemRef("LOCAL-MZ-07b95afa", "农村低保初审及转报", "mz", "promise", promised_days=15)


@dataclass
class Hall:
    db: Database
    intake: IntakeService
    approvals: ApprovalService
    clerk: Clerk
    approver: Approver
    site: str
    n: int = 0

    def form(self, item: ItemRef, name: str = "张三") -> IntakeForm:
        self.n += 1
        return IntakeForm((item,), Party("person", name, resident_id(self.n)), checklist())

    def completed(self, at: datetime, name: str = "张三") -> str:
        form = IntakeForm((ID_CARD,), Party("person", name, resident_id(self.n + 100)),
                          (MaterialCheck("居民身份证", provided=True, form="original", copies=1),))
        self.n += 1
        clerk = at_window_for(self.db, self.clerk, ID_CARD, at.astimezone(SHANGHAI).date())
        return self.intake.complete_on_spot(form, clerk, result="已登记挂失", now=at).cases[0].case_uuid

    def refused(self, at: datetime, item: ItemRef = PENSION) -> str:
        return self.intake.refuse(self.form(item, "李四"), self.clerk, reason="不属于受理范围", now=at).cases[0].case_uuid

    def accepted(self, at: datetime, item: ItemRef = PENSION) -> str:
        res = self.intake.accept(self.form(item), self.clerk, delivery=Delivery("window"), now=at)
        return res.cases[0].case_uuid

    def delivered(self, at: datetime, item: ItemRef = PENSION) -> str:
        uid = self.accepted(at - timedelta(hours=2), item)
        self.intake.transfer(uid, self.clerk, now=at - timedelta(hours=2) + timedelta(minutes=3))
        self.approvals.receive(uid, self.approver, paper_received=True, now=at - timedelta(hours=1))
        self.approvals.decide(uid, self.approver, decision=APPROVED, result_text="准予", now=at - timedelta(minutes=30))
        self.approvals.return_result(uid, self.approver, now=at - timedelta(minutes=20))
        deliver(self.db, uid, self.clerk, Handover("post", tracking_no="1151234567890"), now=at)
        return uid

    def withdrawn(self, at: datetime, *, handed_over: bool = False) -> str:
        uid = self.accepted(at - timedelta(minutes=10))
        if handed_over:  # the paper went with the hand-over; the back office withdraws it when asked
            self.intake.transfer(uid, self.clerk, now=at - timedelta(minutes=8))
            with self.db.transaction() as s:
                case = s.get(Case, uid)
                assert case is not None
                append_event(s, case, EventType.WITHDRAWAL_REQUESTED, Side.WINDOW, actor=self.clerk.username,
                             device_code="01", payload={"reason": "申请人撤回"}, now=at - timedelta(minutes=5))
                append_event(s, case, EventType.WITHDRAWN, Side.BACK_OFFICE, actor=self.approver.username,
                             device_code="01", payload={"reason": "申请人撤回"}, now=at)
            return uid
        with self.db.transaction() as s:
            case = s.get(Case, uid)
            assert case is not None
            append_event(s, case, EventType.WITHDRAWN, Side.WINDOW, actor=self.clerk.username, device_code="01",
                         payload={"reason": "申请人撤回"}, now=at)
        return uid


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    users = {u.username: u for u in accounts.list_users(db)}
    w = site_setup.list_windows(db)[0]
    c, a = users["clerk1"], users["approver1"]
    yield Hall(db, IntakeService(db), ApprovalService(db), Clerk(c.id, c.username, c.display_name, w.id, w.name),
               Approver(a.id, a.username, a.display_name), site_setup.site_info(db).site_code or "")
    db.close()


def _events(db: Database, uid: str) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(CaseEvent.type).where(CaseEvent.case_uuid == uid).order_by(CaseEvent.case_version)))


def test_the_day_lists_the_paper_the_window_holds_grouped_by_department(hall: Hall) -> None:
    done = hall.completed(MORNING)
    refused = hall.refused(MORNING + timedelta(hours=1))
    refused_mz = hall.refused(MORNING + timedelta(hours=2), DIBAO)
    posted = hall.delivered(MORNING + timedelta(hours=5))  # the department signed for its paper: not here
    withdrawn = hall.withdrawn(MORNING + timedelta(hours=6))  # withdrawn before the hand-over: the window's
    withdrawn_later = hall.withdrawn(MORNING + timedelta(hours=6, minutes=30), handed_over=True)  # the department's
    open_case = hall.accepted(MORNING)  # accepted, not closed: not on the list
    yesterday = hall.refused(MORNING - timedelta(days=1))  # closed the day before
    hall.withdrawn(MORNING - timedelta(days=1), handed_over=True)  # the day before, but the department's paper
    late_evening = hall.refused(datetime(2026, 9, 29, 15, 59, tzinfo=UTC))  # 23:59 in 通山: still the 29th
    next_day = hall.refused(datetime(2026, 9, 29, 16, 0, tzinfo=UTC))  # 00:00 on the 30th
    day = archive.closed_on(hall.db, hall.site, DAY)
    assert [g.name for g in day.groups] == ["人社", "民政", "公安"]  # the usual department order
    rs = day.groups[0]
    assert [c.uuid for c in rs.cases] == [refused, withdrawn, late_evening]  # oldest first
    assert [c.closed_as_zh for c in rs.cases] == ["不予受理", "已撤回", "不予受理"]
    assert [c.uuid for c in day.groups[1].cases] == [refused_mz]
    assert [c.uuid for c in day.groups[2].cases] == [done]
    listed = {c.uuid for g in day.groups for c in g.cases}
    assert not listed & {open_case, yesterday, next_day, posted, withdrawn_later}
    assert day.count == 5 and day.earlier_pending == 1 and day.earliest_pending == date(2026, 9, 28)
    first = rs.cases[0]
    assert first.materials == 3 and first.copies == 3 and first.materials_text == "3项3份"
    assert not first.archived and first.applicant_name == "李四"
    assert archive.closed_on(hall.db, "OTHER", DAY).groups == ()  # another site sees none of them
    later = archive.closed_on(hall.db, hall.site, date(2026, 9, 30))
    assert later.earlier_pending == 6 and later.earliest_pending == date(2026, 9, 28)  # only the window's paper


def test_archiving_one_department_writes_one_event_per_case(hall: Hall) -> None:
    a = hall.refused(MORNING)
    b = hall.withdrawn(MORNING + timedelta(hours=3))
    c = hall.refused(MORNING, DIBAO)
    at = MORNING + timedelta(hours=9)
    batch = archive.archive(hall.db, hall.clerk, hall.site, "rs", [a, b], DAY, now=at)
    assert batch.department_name == "人社" and [x.uuid for x in batch.cases] == [a, b]
    assert all(x.archived and x.archived_by == hall.clerk.display_name for x in batch.cases)
    for uid in (a, b):
        assert _events(hall.db, uid)[-1] == "archived"
    assert _events(hall.db, c)[-1] == "refused"  # 民政 not touched
    with hall.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == b, CaseEvent.type == "archived")).one()
        assert ev.side == "window" and ev.push_state == "pending" and ev.occurred_at == at  # in the outbox
        assert ev.payload["day"] == "2026-09-29" and ev.payload["department"] == "rs"
        assert "人社" in ev.payload["summary"]
        assert s.get(Case, b).status == "archived"  # type: ignore[union-attr]
    day = archive.closed_on(hall.db, hall.site, DAY)
    rs = day.groups[0]
    assert [x.archived for x in rs.cases] == [True, True] and rs.pending == ()
    assert day.groups[1].pending[0].uuid == c


def test_the_window_does_not_archive_paper_the_department_holds(hall: Hall) -> None:
    posted = hall.delivered(MORNING + timedelta(hours=5))
    withdrawn = hall.withdrawn(MORNING + timedelta(hours=6), handed_over=True)
    mine = hall.refused(MORNING)
    with pytest.raises(Conflict) as err:
        archive.archive(hall.db, hall.clerk, hall.site, "rs", [mine, posted, withdrawn], DAY)
    assert err.value.message_zh.count("的纸质材料已流转人社，由人社在审批端每日归档，窗口不再归档") == 2
    for uid in (mine, posted, withdrawn):
        assert "archived" not in _events(hall.db, uid)


def test_a_second_archive_of_the_same_case_is_refused_and_writes_nothing(hall: Hall) -> None:
    a = hall.refused(MORNING)
    b = hall.refused(MORNING + timedelta(minutes=5))
    archive.archive(hall.db, hall.clerk, hall.site, "rs", [a], DAY, now=MORNING + timedelta(hours=9))
    with pytest.raises(Conflict) as err:
        archive.archive(hall.db, hall.clerk, hall.site, "rs", [b, a], DAY, now=MORNING + timedelta(hours=10))
    number = archive.closed_on(hall.db, hall.site, DAY).groups[0].cases[0].case_number
    assert f"办件 {number} 已于 2026-09-29 18:00 由{hall.clerk.display_name}归档，不能重复归档" in err.value.message_zh
    assert _events(hall.db, b)[-1] == "refused"  # the whole department's transaction was refused
    assert _events(hall.db, a).count("archived") == 1


def test_only_closed_cases_of_that_day_and_department(hall: Hall) -> None:
    open_case = hall.accepted(MORNING)
    other_day = hall.refused(MORNING - timedelta(days=1))
    mz = hall.refused(MORNING, DIBAO)
    with pytest.raises(Conflict) as err:
        archive.archive(hall.db, hall.clerk, hall.site, "rs", [open_case, other_day, mz], DAY)
    text = err.value.message_zh
    assert "尚未办结（当前状态：已受理待流转）" in text and "不是 2026-09-29 办结的" in text and "不属于人社" in text
    with pytest.raises(InputError):
        archive.archive(hall.db, hall.clerk, hall.site, "rs", [], DAY)
    for uid in (open_case, other_day, mz):
        assert "archived" not in _events(hall.db, uid)


def test_archive_day_goes_department_by_department(hall: Hall) -> None:
    a = hall.refused(MORNING)
    m = hall.refused(MORNING, DIBAO)
    archive.archive(hall.db, hall.clerk, hall.site, "mz", [m], DAY)
    report = archive.archive_day(hall.db, hall.clerk, hall.site, DAY, {"rs": [a], "mz": [m], "ga": []})
    assert [b.department_name for b in report.done] == ["人社"]
    assert len(report.failed) == 1 and report.failed[0][0] == "民政" and "不能重复归档" in report.failed[0][1]
    assert _events(hall.db, a)[-1] == "archived"
