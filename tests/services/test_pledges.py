"""容缺 follow-up on a real SQLite file: the due date's default and limits, the material arriving at the window
or in the back office, the overdue list at several clock times, the overdue note once, the reminder paper."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.domain.lifecycle import Side
from clerk_desk.forms.case_documents import build_document
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import save_pdf
from clerk_desk.services import accounts, demo, pledges, site_setup
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party, Pledge
from clerk_desk.services.papers import papers_of
from clerk_desk.store.database import Database
from clerk_desk.store.models import CaseEvent
from tests.forms.conftest import pdf_facts
from tests.ui.cases.case_kit import resident_id

# Mon 2 Nov 2026, 10:30 in the hall
AT = datetime(2026, 11, 2, 2, 30, tzinfo=UTC)
PENSION = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=10)
QUICK = ItemRef("000511002000", "临时生活救助的给付", "mz", "promise", promised_days=1)
OWED = "死亡证明"


def hall_time(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def world(tmp_path: Path) -> tuple[IntakeService, Clerk]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    return IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name)


def form(item: ItemRef = PENSION, n: int = 0) -> IntakeForm:
    return IntakeForm(
        (item,),
        Party("person", f"申请人{n}", resident_id(n), phone="13812345678"),
        (
            MaterialCheck("居民身份证", provided=True, form="original", copies=1),
            MaterialCheck(OWED, waivable=True, provided=False),
        ),
    )


def pledged(svc: IntakeService, clerk: Clerk, due: date, n: int = 0, at: datetime = AT) -> str:
    return (
        svc.accept(form(n=n), clerk, delivery=Delivery("window"), pledge=Pledge((OWED,), due), now=at)
        .cases[0]
        .case_uuid
    )


def test_the_due_date_defaults_from_the_item_within_limits(world) -> None:
    svc, clerk = world
    w = pledges.pledge_window(svc.data_dir, (PENSION,), AT)
    assert w.default == date(2026, 11, 9)  # five working days after Monday
    assert w.latest == date(2026, 12, 14)  # thirty working days
    assert pledges.pledge_window(svc.data_dir, (QUICK,), AT).default == date(2026, 11, 3)  # done in one day
    with pytest.raises(InputError, match="不能晚于 2026-12-14"):
        pledged(svc, clerk, date(2026, 12, 15))
    with pytest.raises(InputError, match="应晚于今天"):
        pledged(svc, clerk, date(2026, 11, 2))
    assert pledged(svc, clerk, date(2026, 12, 14))


def test_material_arrives_at_the_window_or_in_the_back_office(world) -> None:
    svc, clerk = world
    a = pledged(svc, clerk, date(2026, 11, 9), 0)
    b = pledged(svc, clerk, date(2026, 11, 9), 1)
    pledges.record_arrived(
        svc.db, a, actor="clerk1", side=Side.WINDOW, note="原件已核", now=AT + timedelta(days=1)
    )
    svc.transfer(b, clerk, now=AT + timedelta(minutes=3))
    pledges.record_arrived(svc.db, b, actor="approver1", side=Side.BACK_OFFICE, now=AT + timedelta(days=2))
    for uid, who in ((a, "clerk1"), (b, "approver1")):
        view = read_case(svc.db, uid)
        assert view.pledge is not None and not view.pledge.open
        assert view.pledge.fulfilled is not None and view.pledge.fulfilled.actor == who
        assert "pledge_reminder" not in papers_of(view)
    with pytest.raises(Conflict, match="没有未补齐的容缺材料"):
        pledges.record_arrived(svc.db, a, actor="clerk1", side=Side.WINDOW)
    with svc.db.reading() as s:
        ev = s.scalars(
            select(CaseEvent).where(CaseEvent.case_uuid == a, CaseEvent.type == "pledge_fulfilled")
        ).one()
    assert (ev.payload["materials"], ev.payload["note"], ev.push_state) == ([OWED], "原件已核", "pending")
    assert pledges.open_pledges(svc.db, AT + timedelta(days=3)) == []


def test_the_overdue_list_at_several_clock_times(world) -> None:
    svc, clerk = world
    soon = pledged(svc, clerk, date(2026, 11, 5), 0)
    later = pledged(svc, clerk, date(2026, 11, 9), 1)
    done = pledged(svc, clerk, date(2026, 11, 4), 2)
    pledges.record_arrived(svc.db, done, actor="clerk1", side=Side.WINDOW, now=AT + timedelta(hours=1))

    def listed(at: datetime) -> list[str]:
        return [p.row.uuid for p in pledges.overdue_pledges(svc.db, at)]

    assert [p.row.uuid for p in pledges.open_pledges(svc.db, AT)] == [soon, later]  # soonest due first
    assert listed(AT) == []
    assert listed(hall_time(date(2026, 11, 5), 23, 59)) == []  # on its due day it is not late yet
    assert listed(hall_time(date(2026, 11, 6), 0, 0)) == [soon]  # from the next day in the hall
    assert listed(hall_time(date(2026, 11, 10), 9, 0)) == [soon, later]
    late = pledges.overdue_pledges(svc.db, hall_time(date(2026, 11, 10), 9, 0))
    assert [p.days_late(date(2026, 11, 10)) for p in late] == [5, 1]
    pledges.record_arrived(
        svc.db, soon, actor="clerk1", side=Side.WINDOW, now=hall_time(date(2026, 11, 10), 10)
    )
    assert listed(hall_time(date(2026, 11, 10), 11, 0)) == [later]


def test_overdue_is_noted_once_by_the_desk_that_accepted(world) -> None:
    svc, clerk = world
    uid = pledged(svc, clerk, date(2026, 11, 5))
    assert pledges.note_overdue(svc.db, actor="clerk1", now=hall_time(date(2026, 11, 5), 18)) == []
    next_day = hall_time(date(2026, 11, 6), 8, 30)
    assert pledges.note_overdue(svc.db, actor="clerk1", now=next_day) == [uid]
    assert pledges.note_overdue(svc.db, actor="clerk1", now=next_day + timedelta(hours=1)) == []  # once
    view = read_case(svc.db, uid)
    assert view.pledge is not None and view.pledge.open and view.pledge.overdue_noted is not None
    with svc.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.type == "pledge_overdue")).one()
    assert (ev.payload["due"], ev.payload["days_late"]) == ("2026-11-05", 1)
    pledges.record_arrived(svc.db, uid, actor="clerk1", side=Side.WINDOW, now=next_day + timedelta(hours=2))
    assert pledges.overdue_pledges(svc.db, next_day + timedelta(hours=3)) == []


def test_the_reminder_slip_names_the_owed_material_and_the_date(world, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    svc, clerk = world
    uid = pledged(svc, clerk, date(2026, 11, 5))
    view = read_case(svc.db, uid)
    assert "pledge_reminder" in papers_of(view)
    for today, words in (
        (date(2026, 11, 4), "按承诺应于2026年11月5日前送交"),
        (date(2026, 11, 9), "现已逾期"),
    ):
        doc = build_document(
            "pledge_reminder",
            [view],
            site_name="通山县通羊镇便民服务中心",
            window_name=clerk.window_name,
            clerk_name=clerk.display_name,
            today=today,
        )
        for paper in (Paper.A4, Paper.ROLL_80MM):
            text = pdf_facts(save_pdf(doc, paper, tmp_path / f"r-{today}-{paper.value}.pdf")).flat
            assert "容缺材料补齐提醒" in text and OWED in text and words in text and view.case_number in text
