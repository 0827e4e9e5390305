"""在位率 on a real SQLite file: signing on and off with breaks, refusals with clear messages, the monthly
sheet per clerk and per window equal to a direct count over generated stints and cases, and the windows
with nobody on them during opening hours."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, attendance, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.database import Database
from tests.ui.cases.case_kit import resident_id

ID_CARD = ItemRef("GA-009", "居民身份证挂失申报", "ga", "immediate")
# Each window accepts an item it takes (domain/routing.py): the 公安窗口 a 公安 item, the 自然资源专窗 its own.
ITEM_AT = {"police": ID_CARD, "department": ItemRef("LOCAL-ZRZY-1", "乡村建设规划许可证申报", "zrzy", "immediate")}
ELDERLY = ItemRef("LOCAL-MZ-499ceaaf", "老年优待证换发", "mz", "immediate")


def weekdays(day: date) -> bool:
    return day.weekday() < 5


class Hall:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.site = site_setup.site_info(db).site_code or ""
        # the windows that take intakes all year (the 咨询服务窗口 takes none; the 潮汐窗口 only in its season)
        self.windows = [w for w in site_setup.list_windows(db) if w.kind not in ("consultation", "tidal")]
        self.users = {u.username: u for u in accounts.list_users(db)}
        self.intake = IntakeService(db)
        self.n = 0

    def clerk(self, username: str, window: int) -> Clerk:
        u, w = self.users[username], self.windows[window]
        return Clerk(u.id, u.username, u.display_name, w.id, w.name)

    def case(self, clerk: Clerk, at: datetime) -> str:
        self.n += 1
        kind = next(w.kind for w in self.windows if w.id == clerk.window_id)
        form = IntakeForm((ITEM_AT.get(kind, ELDERLY),), Party("person", f"张{self.n}", resident_id(self.n)),
                          (MaterialCheck("居民身份证", provided=True, form="original", copies=1),))
        return self.intake.complete_on_spot(form, clerk, result="已登记", now=at).cases[0].case_uuid


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    yield Hall(db)
    db.close()


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=SHANGHAI)


def test_sign_on_breaks_sign_off_and_refusals(hall: Hall) -> None:
    day = date(2026, 11, 2)
    c = hall.clerk("clerk1", 0)
    uid = attendance.sign_on(hall.db, c, now=local(day, 8, 30))
    with pytest.raises(Conflict, match="已在.*签到"):
        attendance.sign_on(hall.db, c, now=local(day, 8, 31))
    other = [u for u in hall.users if u != "clerk1" and "clerk" in hall.users[u].roles]
    if other:
        with pytest.raises(Conflict, match="已有.*在岗"):
            attendance.sign_on(hall.db, hall.clerk(other[0], 0), now=local(day, 8, 40))
    with pytest.raises(Conflict, match="不在暂离"):
        attendance.end_break(hall.db, c, now=local(day, 9))
    attendance.start_break(hall.db, c, now=local(day, 10))
    with pytest.raises(Conflict, match="已在暂离"):
        attendance.start_break(hall.db, c, now=local(day, 10, 5))
    attendance.end_break(hall.db, c, now=local(day, 10, 20))
    attendance.start_break(hall.db, c, now=local(day, 11, 50))
    attendance.sign_off(hall.db, c, now=local(day, 12))  # the open break ends with the sign-off
    with pytest.raises(Conflict, match="尚未签到"):
        attendance.sign_off(hall.db, c, now=local(day, 12, 1))
    [st] = attendance.stints(hall.db, hall.site, local(day, 0), local(day, 23))
    assert st.uuid == uid and not st.on_break and len(st.breaks) == 2
    assert sum((b - a).total_seconds() for a, b in st.worked(local(day, 23))) == (210 - 20 - 10) * 60
    with pytest.raises(InputError, match="请先选择窗口"):
        attendance.sign_on(hall.db, Clerk(c.user_id, c.username, c.display_name, None), now=local(day, 14))
    with pytest.raises(InputError, match="格式不对"):
        attendance.set_opening_hours(hall.db, "8点到12点")


def test_monthly_sheet_equals_a_direct_count(hall: Hall) -> None:
    rnd = random.Random(5)
    clerks = [u for u, info in hall.users.items() if "clerk" in info.roles] or ["clerk1"]
    year, month = 2026, 11
    expected_minutes: dict[str, int] = {}
    expected_days: dict[str, set[date]] = {}
    expected_w_minutes: dict[str, int] = {}
    expected_w_days: dict[str, set[date]] = {}
    expected_cases: dict[str, int] = {}
    expected_w_cases: dict[str, int] = {}
    for d in range(1, 31):
        day = date(year, month, d)
        if day.weekday() >= 5:
            continue
        for i, username in enumerate(clerks):
            if rnd.random() < 0.2:
                continue  # away that day
            window = (i + d) % len(hall.windows)
            c = hall.clerk(username, window)
            start = local(day, 8, rnd.randrange(0, 60))
            attendance.sign_on(hall.db, c, now=start)
            t, worked = start, 0
            for _ in range(rnd.randrange(0, 3)):
                on = rnd.randrange(20, 90)
                pause = rnd.randrange(5, 30)
                attendance.start_break(hall.db, c, now=t + timedelta(minutes=on))
                attendance.end_break(hall.db, c, now=t + timedelta(minutes=on + pause))
                t += timedelta(minutes=on + pause)
                worked += on
            for _ in range(rnd.randrange(0, 4)):
                hall.case(c, t + timedelta(minutes=rnd.randrange(1, 60)))
                expected_cases[username] = expected_cases.get(username, 0) + 1
                expected_w_cases[c.window_id or ""] = expected_w_cases.get(c.window_id or "", 0) + 1
            last = rnd.randrange(60, 200)
            attendance.sign_off(hall.db, c, now=t + timedelta(minutes=last))
            worked += last
            expected_minutes[username] = expected_minutes.get(username, 0) + worked
            expected_days.setdefault(username, set()).add(day)
            wid = c.window_id or ""
            expected_w_minutes[wid] = expected_w_minutes.get(wid, 0) + worked
            expected_w_days.setdefault(wid, set()).add(day)
    # Another month's work is not counted.
    c = hall.clerk(clerks[0], 0)
    attendance.sign_on(hall.db, c, now=local(date(2026, 12, 1), 8))
    attendance.sign_off(hall.db, c, now=local(date(2026, 12, 1), 12))
    hall.case(c, local(date(2026, 12, 1), 9))
    sheet = attendance.monthly_sheet(hall.db, hall.site, year, month, now=datetime(2026, 12, 5, tzinfo=UTC))
    got = {x.key: (x.days, x.minutes, x.cases) for x in sheet.by_clerk}
    assert got == {u: (len(expected_days[u]), expected_minutes[u], expected_cases.get(u, 0)) for u in expected_days}
    by_window = {x.key: (x.days, x.minutes, x.cases) for x in sheet.by_window if x.days or x.cases}
    assert by_window == {w: (len(expected_w_days[w]), expected_w_minutes[w], expected_w_cases.get(w, 0))
                         for w in expected_w_days}
    assert all(x.open_stints == 0 for x in sheet.by_clerk)


def test_windows_with_nobody_on_them_during_opening_hours(hall: Hall) -> None:
    day = date(2026, 11, 3)  # a Tuesday
    attendance.set_opening_hours(hall.db, "08:30-12:00,14:30-17:30")
    first, second = hall.windows[0], hall.windows[1]
    c = hall.clerk("clerk1", 0)
    attendance.sign_on(hall.db, c, now=local(day, 8, 45))
    attendance.start_break(hall.db, c, now=local(day, 10))
    attendance.end_break(hall.db, c, now=local(day, 10, 30))
    attendance.sign_off(hall.db, c, now=local(day, 12))
    gaps = attendance.unstaffed(hall.db, hall.site, day, weekdays, now=local(day, 16))
    mine = [(g.start.astimezone(SHANGHAI).strftime("%H:%M"), g.end.astimezone(SHANGHAI).strftime("%H:%M"))
            for g in gaps if g.window_id == first.id]
    assert mine == [("08:30", "08:45"), ("10:00", "10:30"), ("14:30", "16:00")]
    theirs = [(g.start, g.end) for g in gaps if g.window_id == second.id]
    assert theirs == [(local(day, 8, 30), local(day, 12)), (local(day, 14, 30), local(day, 16))]
    # At one moment: on a break counts as away; outside the opening hours nothing is listed.
    assert first.id not in {w.id for w in attendance.unstaffed_now(hall.db, hall.site, weekdays, now=local(day, 9))}
    assert first.id in {w.id for w in attendance.unstaffed_now(hall.db, hall.site, weekdays, now=local(day, 10, 10))}
    assert attendance.unstaffed_now(hall.db, hall.site, weekdays, now=local(day, 13)) == []
    assert attendance.unstaffed(hall.db, hall.site, date(2026, 11, 7), weekdays, now=local(date(2026, 11, 7), 16)) == []


def test_the_sheet_counts_as_not_signed_off_only_a_stint_left_open_from_an_earlier_day(hall: Hall) -> None:
    """A clerk at the window right now was counted under 未签退 on the month's sheet: only a stint left open
    on an earlier day is (the hall closes each evening)."""
    day = date(2026, 12, 7)
    forgot, on_now = hall.clerk("clerk1", 0), hall.clerk("clerk2", 1)
    attendance.sign_on(hall.db, forgot, now=local(day - timedelta(days=4), 8))  # never signed off
    attendance.sign_on(hall.db, on_now, now=local(day, 8))  # at the window now
    sheet = attendance.monthly_sheet(hall.db, hall.site, 2026, 12, now=local(day, 10))
    open_by = {x.key: x.open_stints for x in sheet.by_clerk}
    assert open_by == {"clerk1": 1, "clerk2": 0}


def test_the_sheet_counts_the_intakes_the_figures_count(hall: Hall) -> None:
    """窗口在岗's 受理件数 and 统计's 接件量 are the same count: an intake the hub sent back (rejected) or held is
    in neither (it is not in the case, store/figure_counts.py), and a case taken at 23:59 on the last day of a
    month counts for that month, one at 00:00 for the next, on both pages."""
    from clerk_desk.services import figures
    from clerk_desk.sync import outbox

    first, second = hall.clerk("clerk1", 0), hall.clerk("clerk2", 1)
    nov30, dec1 = date(2026, 11, 30), date(2026, 12, 1)
    for clerk, at in ((first, local(nov30, 10)), (first, local(nov30, 23, 59)), (second, local(dec1, 0, 0)),
                      (second, local(dec1, 9))):  # fmt: skip
        hall.case(clerk, at)
    rejected, held = hall.case(first, local(nov30, 11)), hall.case(second, local(dec1, 10))
    claimed = outbox.claim(hall.db, limit=1000)
    answers = {rejected: "rejected", held: "held"}
    outbox.record_answers(hall.db, [{"uuid": e["uuid"], "status": answers[e["case_uuid"]], "code": "x", "reason": "退回"}
                                    for e in claimed if e["case_uuid"] in answers])  # fmt: skip
    outbox.release(hall.db, [e["uuid"] for e in claimed if e["case_uuid"] not in answers], "链路中断")
    for year, month, expected in ((2026, 11, {"clerk1": 2}), (2026, 12, {"clerk2": 2})):
        sheet = attendance.monthly_sheet(hall.db, hall.site, year, month, now=local(dec1, 12))
        start, end = figures.month_span(year, month)
        counted = figures.read(hall.db, start, end, site_code=hall.site).figures
        assert {x.key: x.cases for x in sheet.by_clerk if x.cases} == dict(counted.by_clerk) == expected
        assert {x.key: x.cases for x in sheet.by_window if x.cases} == dict(counted.by_window)
        assert sum(x.cases for x in sheet.by_window) == counted.intakes == 2


def test_a_sign_off_forgotten_counts_within_its_own_day_and_month(hall: Hall) -> None:
    """A stint never signed off counted 16 hours from its start: signed on at 08:30 and forgotten, it ran to
    00:30 the next day, so the sheet showed a second 在岗天数 (a Saturday, or the 1st of the next month, whose
    sheet then had the clerk on duty for half an hour and a 未签退 of its own). It counts up to the end of its
    own hall day, and is flagged once, in its own month."""
    friday, last_day = date(2026, 11, 27), date(2026, 11, 30)  # a Friday; the last day of the month, a Monday
    forgot_friday, forgot_monday = hall.clerk("clerk1", 0), hall.clerk("clerk2", 1)
    attendance.sign_on(hall.db, forgot_friday, now=local(friday, 8, 30))
    attendance.sign_on(hall.db, forgot_monday, now=local(last_day, 8, 30))
    now = local(date(2026, 12, 7), 10)
    sheet = attendance.monthly_sheet(hall.db, hall.site, 2026, 11, now=now)
    november = {x.key: (x.days, x.minutes, x.open_stints) for x in sheet.by_clerk}
    assert november == {"clerk1": (1, (24 - 8.5) * 60, 1), "clerk2": (1, (24 - 8.5) * 60, 1)}
    december = attendance.monthly_sheet(hall.db, hall.site, 2026, 12, now=now)
    assert [(x.key, x.days, x.minutes, x.open_stints) for x in december.by_clerk
            if x.days or x.minutes or x.open_stints] == []  # fmt: skip
    assert sum(x.minutes for x in december.by_window) == 0


def test_intakes_at_no_window_are_one_line_on_both_pages(hall: Hall) -> None:
    """The hall manager, signed in at no window, takes a case at a busy hour (不坐窗口 works as a 综合窗口): 统计's
    按窗口 listed it under 「未记录」 and 窗口在岗's per-window sheet left it out, so its 受理件数 summed to one less
    than 统计's 接件量. The sheet has a line 「未选择窗口」 with it; 统计's line says 「未选窗口或其他电脑受理」, as cases
    taken at another PC of the hall come with the sync without a window known here."""
    from clerk_desk.services import figure_tables, figures

    hall.case(hall.clerk("clerk1", 0), local(date(2026, 11, 3), 9))
    u = hall.users["manager"]
    hall.intake.complete_on_spot(
        IntakeForm((ELDERLY,), Party("person", "张大爷", resident_id(900)),
                   (MaterialCheck("居民身份证", provided=True, form="original", copies=1),)),
        Clerk(u.id, u.username, u.display_name, None), result="已登记", now=local(date(2026, 11, 3), 10))  # fmt: skip
    sheet = attendance.monthly_sheet(hall.db, hall.site, 2026, 11, now=local(date(2026, 11, 5), 9))
    start, end = figures.month_span(2026, 11)
    report = figures.read(hall.db, start, end, site_code=hall.site)
    assert sum(x.cases for x in sheet.by_window) == report.figures.intakes == 2
    assert [(x.name, x.cases) for x in sheet.by_window if x.cases == 1 and x.key == ""] == [("未选择窗口", 1)]
    window_table = next(t for t in figure_tables.tables(report) if t.key == "window")
    assert sorted((row[0], row[1]) for row in window_table.rows) == sorted(
        [(hall.windows[0].name, 1), ("未选窗口或其他电脑受理", 1)])


def test_a_sign_off_forgotten_yesterday_holds_neither_the_clerk_nor_the_window_today(hall: Hall) -> None:
    """A stint left open on Friday ends with Friday, yet on Monday morning the desk still had the clerk 在岗 since
    08:30: signing on was refused (「您已在…签到，请先签退」, another clerk at that window 「已有…在岗」 while 在岗情况
    said nobody was on it), and the only way on was signing off, which closed Friday's stint at Monday 08:20: 72
    hours on window, four 在岗天数 and no 未签退 on the sheet. Friday's stint stays open and flagged; Monday is
    a stint of its own."""
    friday, monday = date(2026, 11, 27), date(2026, 11, 30)
    forgot, colleague = hall.clerk("clerk1", 0), hall.clerk("clerk2", 0)
    attendance.sign_on(hall.db, forgot, now=local(friday, 8, 30))
    assert attendance.current(hall.db, "clerk1", now=local(friday, 17)) is not None
    assert attendance.current(hall.db, "clerk1", now=local(monday, 8, 20)) is None
    with pytest.raises(Conflict, match="尚未签到"):  # nothing of Monday's to sign off (Friday's is not touched)
        attendance.sign_off(hall.db, forgot, now=local(monday, 8, 20))
    attendance.sign_on(hall.db, colleague, now=local(monday, 8, 25))  # the window is free on Monday
    attendance.sign_off(hall.db, colleague, now=local(monday, 12))
    attendance.sign_on(hall.db, forgot, now=local(monday, 14, 30))
    assert attendance.current(hall.db, "clerk1", now=local(monday, 15)).started_at == local(monday, 14, 30)
    attendance.sign_off(hall.db, forgot, now=local(monday, 17, 30))
    sheet = attendance.monthly_sheet(hall.db, hall.site, 2026, 11, now=local(monday, 18))
    by = {x.key: (x.days, x.minutes, x.open_stints) for x in sheet.by_clerk}
    assert by == {"clerk1": (2, (24 - 8.5) * 60 + 3 * 60, 1), "clerk2": (1, 3 * 60 + 35, 0)}
