"""Next year's calendar (issue #12 item 3) on a clock set to 2026-12-31 and then 2027-01-04: due dates
counted on weekends only are marked, on screen and on paper, and counted again when the calendar arrives,
for cases not yet decided, with their stops (特别程序) honoured. The 2027 file is test data
(tests/support/catalogs.py), not the State Council's arrangement."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from clerk_desk.domain.workdays import SHANGHAI, is_provisional, weekends_only_years_of
from clerk_desk.forms.case_documents import build_document
from clerk_desk.forms.html_parts import Style
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.templates import to_html
from clerk_desk.services import calendar_service, due_dates
from clerk_desk.services.approvals import APPROVED
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake_forms import ItemRef
from clerk_desk.store.models import AuditEntry
from tests.services.test_approvals import World
from tests.support.catalogs import calendar_2027

FIVE = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=5, legal_days=20)
DEC_30 = datetime(2026, 12, 30, 2, 0, tzinfo=UTC)  # Wed 30 Dec 2026, 10:00 in the hall
DEC_31 = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)  # Thu 31 Dec 2026, 10:00
JAN_4 = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # Mon 4 Jan 2027, 10:00
NOTE = "按双休日推算，待节假日安排公布后复核"


def due_day(world: World, uid: str) -> date:
    due = world.case(uid).due_at
    assert due is not None
    return due.astimezone(SHANGHAI).date()


def receipt_html(world: World, uid: str) -> str:
    doc = build_document("receipt", [read_case(world.db, uid)], site_name="通羊镇便民服务中心",
                         window_name="综合窗口（一）", clerk_name="王芳")
    return to_html(doc, Style(Paper.A4.spec, qr_px=98))


def test_from_new_year_to_the_calendar_arriving(tmp_path: Path) -> None:
    world = World(tmp_path)
    folder = world.db.data_dir
    assert not calendar_service.knows_year(folder, 2027)  # neither the shipped file nor chinesecalendar
    assert calendar_service.missing_years(folder, date(2026, 11, 30)) == ()
    assert calendar_service.missing_years(folder, date(2026, 12, 1)) == (2027,)
    assert calendar_service.missing_years(folder, date(2026, 12, 31)) == (2027,)

    # 31 December: accepted for 5 working days; 1 January counts as a working day on weekends only
    plain = world.transferred(FIVE, at=DEC_31)
    assert due_day(world, plain) == date(2027, 1, 7)
    version = world.case(plain).due_calendar_version
    assert is_provisional(version) and weekends_only_years_of(version) == (2027,)
    assert NOTE in receipt_html(world, plain) and "预计办结日期" in receipt_html(world, plain)
    # a case signed for on 30 December and stopped (特别程序) on 31 December, still stopped on 4 January
    paused = world.transferred(FIVE, at=DEC_30)
    world.svc.receive(paused, world.approver, paper_received=True, now=DEC_30 + timedelta(hours=1))
    world.svc.pause(paused, world.approver, procedure="expert_review", reason="专家评审", now=DEC_31)
    # a case decided before the calendar arrives: its date is no longer recomputed
    decided = world.transferred(FIVE, at=DEC_30)
    world.svc.receive(decided, world.approver, paper_received=True, now=DEC_30 + timedelta(hours=1))
    world.svc.decide(decided, world.approver, decision=APPROVED, result_text="准予", document_number="1",
                     now=DEC_31)
    assert is_provisional(world.case(decided).due_calendar_version)
    assert due_dates.recompute_provisional(world.db, now=DEC_31) == []  # no calendar yet: nothing to do

    # 4 January: the county's 2027 calendar arrives (元旦 1-3 January are holidays)
    shipped = json.loads(calendar_service.shipped_calendar_file().read_text(encoding="utf-8"))
    calendar_service.save_calendar(folder, json.dumps(calendar_2027(), ensure_ascii=False).encode())
    assert calendar_service.knows_year(folder, 2027) and calendar_service.knows_year(folder, 2026)
    assert calendar_service.missing_years(folder, date(2027, 1, 4)) == ()
    assert calendar_service.calendar_info(folder).years == tuple(sorted({2027, *map(int, shipped["years"])}))
    changed = {r.case_uuid: r for r in due_dates.recompute_provisional(world.db, now=JAN_4)}
    assert set(changed) == {plain, paused}
    # 1 January is 元旦: 4, 5, 6, 7, 8 January
    assert due_day(world, plain) == date(2027, 1, 8)
    assert not is_provisional(world.case(plain).due_calendar_version)
    assert world.case(plain).due_calendar_version.startswith("file:2027-1")
    html = receipt_html(world, plain)
    assert NOTE not in html and "承诺办结日期" in html and "2027年1月8日前" in html
    # stopped from 31 December to 4 January: 5, 6, 7, 8, 11 January (the pause still counts, not only 元旦)
    assert due_day(world, paused) == date(2027, 1, 11)
    assert is_provisional(world.case(decided).due_calendar_version)  # decided: left as it was
    assert world.case(plain).details["due_recomputed"]["from"].startswith("2027-01-07")
    # the case view (page, papers) shows the date counted again, and what it replaced; the events still say 7 January
    view = read_case(world.db, plain)
    assert view.due is not None and view.due.due_at == world.case(plain).due_at and not view.due.provisional
    assert view.due.recounted_from is not None and view.due.recounted_from.astimezone(SHANGHAI).date() == date(2027, 1, 7)
    with world.db.reading() as s:
        audited = s.scalars(select(AuditEntry).where(AuditEntry.action == "due_recomputed")).all()
        assert sorted(a.detail["case_uuid"] for a in audited) == sorted([plain, paused])
    # counted once: running again records nothing new
    assert due_dates.recompute_provisional(world.db, now=JAN_4 + timedelta(minutes=1)) == []
    # resumed on 5 January: the stop ended; the due date moves as the approvals' rules say, on the calendar
    resumed = world.svc.resume(paused, world.approver, now=JAN_4 + timedelta(days=1))
    assert resumed.due_at is not None and not is_provisional(world.case(paused).due_calendar_version)
    assert due_day(world, paused) == date(2027, 1, 12)  # 5 January was touched by the stop too
