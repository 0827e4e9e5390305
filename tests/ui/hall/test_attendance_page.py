"""The 在岗 page through its objectNames, on a real SQLite file: sign on, a break, sign off; the empty
windows during opening hours; the monthly sheet shown, printed (PDF read back) and saved as .xlsx (read
back)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from clerk_desk.forms import attendance_sheet
from clerk_desk.services import accounts, attendance, site_setup
from clerk_desk.ui import notify
from clerk_desk.ui.hall.attendance_page import AttendancePage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.forms.conftest import pdftotext
from tests.services.test_attendance import Hall, hall, local  # noqa: F401 (the fixture)

DAY = date(2026, 11, 3)  # a Tuesday


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, hall: Hall, clock: list[datetime], username: str = "clerk1") -> AttendancePage:  # noqa: F811
    user = next(u for u in accounts.list_users(hall.db) if u.username == username)
    session = DeskSession(user, site_setup.site_info(hall.db), site_setup.list_windows(hall.db)[0], "clerk")
    page = AttendancePage(hall.db, SyncTaskRunner(), session, now=lambda: clock[0])
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page


def test_sign_on_break_sign_off_and_the_empty_windows(
    qtbot: QtBot, hall: Hall, tmp_path: Path, notes: notify.RecordingNotifier,  # noqa: F811
) -> None:
    clock = [local(DAY, 8, 40)]
    page = make_page(qtbot, hall, clock)
    status = child(page, QLabel, "attendanceStatus")
    assert "Not signed on" in status.text() or "未签到" in status.text()
    empty = child(page, QLabel, "attendanceEmptyNow")
    first = hall.windows[0].name
    assert first in empty.text()  # opening hours, nobody on
    child(page, QPushButton, "attendanceSignOn").click()
    assert first not in empty.text() and not child(page, QPushButton, "attendanceSignOn").isEnabled()
    clock[0] = local(DAY, 10)
    child(page, QPushButton, "attendanceBreak").click()
    assert first in empty.text()  # on a break counts as away
    clock[0] = local(DAY, 10, 20)
    child(page, QPushButton, "attendanceBreak").click()
    clock[0] = local(DAY, 12)
    child(page, QPushButton, "attendanceSignOff").click()
    clock[0] = local(DAY, 15)
    page.refresh()
    gaps = child(page, QTableView, "attendanceUnstaffed").model()
    rows = [[gaps.index(r, c).data() for c in range(4)] for r in range(gaps.rowCount())]
    assert [first, "08:30", "08:40", "10"] in rows and [first, "10:00", "10:20", "20"] in rows
    assert [first, "14:30", "15:00", "30"] in rows
    # A clerk may not change the opening hours; the field shows them.
    assert child(page, QLineEdit, "attendanceOpeningHours").text() == "08:30-12:00,14:30-17:30"
    assert not child(page, QPushButton, "attendanceOpeningSave").isEnabled()
    assert not [m for m in notes.messages if m[0] == "error"]


def test_the_monthly_sheet_is_shown_printed_and_saved(
    qtbot: QtBot, hall: Hall, tmp_path: Path, qapp, notes: notify.RecordingNotifier,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    for d in (2, 3, 4):
        c = hall.clerk("clerk1", 0)
        attendance.sign_on(hall.db, c, now=local(date(2026, 11, d), 8, 30))
        hall.case(c, local(date(2026, 11, d), 9))
        attendance.sign_off(hall.db, c, now=local(date(2026, 11, d), 11, 30))
    clock = [local(date(2026, 11, 20), 9)]
    page = make_page(qtbot, hall, clock, "manager")
    by_clerk = child(page, QTableView, "attendanceByClerk").model()
    rows = [[by_clerk.index(r, c).data() for c in range(4)] for r in range(by_clerk.rowCount())]
    name = hall.users["clerk1"].display_name
    assert [name, "3", "9.0", "3"] in rows
    printed: list[Path] = []
    page.print_fn = lambda paper: bool(printed.append(attendance_sheet.save_pdf(paper, tmp_path / "sheet.pdf"))) or True
    child(page, QPushButton, "attendancePrint").click()
    text = pdftotext(printed[0])
    assert "窗口在岗统计表" in text and name in text and "9.0" in text
    page.save_path_fn = lambda suggested: str(tmp_path / suggested)
    child(page, QPushButton, "attendanceExport").click()
    [saved] = list(tmp_path.glob("*.xlsx"))
    assert saved.name == "在岗统计-2026-11.xlsx"
    ws = load_workbook(saved)["按工作人员"]
    assert (name, 3, 9.0, 3, 0, 0) in [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert any(str(saved) in m[1] for m in notes.messages)


def test_out_of_hours_the_page_says_the_hall_is_closed_and_what_the_list_is(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    """In the evening the line above the list said "every open window has someone on it (or the hall is
    closed)" over a list of every window's empty hours: it now says the hall is closed, with its hours, and
    the list says what it holds."""
    clock = [local(DAY, 19, 30)]
    page = make_page(qtbot, hall, clock)
    empty = child(page, QLabel, "attendanceEmptyNow")
    assert empty.text() == "现在不在开放时间（工作日 08:30-12:00,14:30-17:30），无需在岗。"
    assert child(page, QLabel, "attendanceGapsTitle").text() == "今天开放时间内无人在岗的时段（5 分钟以上）："
    gaps = child(page, QTableView, "attendanceUnstaffed").model()
    assert gaps.rowCount() > 0  # nobody signed on today: every window's hours
    clock[0] = local(DAY, 9)  # open, nobody on
    page.refresh()
    assert empty.text().startswith("当前无人在岗：") and hall.windows[0].name in empty.text()
    clock[0] = local(date(2026, 11, 7), 9)  # a Saturday: not a working day
    page.refresh()
    assert empty.text() == "今天不是工作日，大厅不开放，无需在岗。"


def test_a_count_of_zero_reads_0_on_screen_on_paper_and_in_the_xlsx(
    qtbot: QtBot, hall: Hall, tmp_path: Path, qapp, notes: notify.RecordingNotifier,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    """未签退 was an empty cell where nobody had left a stint open (on screen and on paper; the .xlsx had 0),
    and the paper's total left it blank: a hall manager reads a blank as not filled in. Every count column
    now says 0, the total too; only the total of 在岗天数 stays blank (days of different people do not add)."""
    for d in (2, 3, 4):
        c = hall.clerk("clerk1", 0)
        attendance.sign_on(hall.db, c, now=local(date(2026, 11, d), 8, 30))
        hall.case(c, local(date(2026, 11, d), 9))
        attendance.sign_off(hall.db, c, now=local(date(2026, 11, d), 11, 30))
    attendance.sign_on(hall.db, hall.clerk("clerk2", 1), now=local(date(2026, 11, 5), 8, 30))  # never signed off
    clock = [local(date(2026, 11, 20), 9)]
    page = make_page(qtbot, hall, clock, "manager")
    by_clerk = child(page, QTableView, "attendanceByClerk").model()
    rows = {by_clerk.index(r, 0).data(): [by_clerk.index(r, c).data() for c in range(1, 6)]
            for r in range(by_clerk.rowCount())}
    one, two = hall.users["clerk1"].display_name, hall.users["clerk2"].display_name
    assert rows[one] == ["3", "9.0", "3", "0", "0"]  # 暂离次数 0, 未签退 0: no empty cell
    assert rows[two][4] == "1"
    by_window = child(page, QTableView, "attendanceByWindow").model()
    assert all(by_window.index(r, c).data() != "" for r in range(by_window.rowCount()) for c in range(6))

    printed: list[Path] = []
    page.print_fn = lambda paper: bool(printed.append(attendance_sheet.save_pdf(paper, tmp_path / "sheet.pdf"))) or True
    child(page, QPushButton, "attendancePrint").click()
    lines = pdftotext(printed[0]).splitlines()
    clerk_line = next(x for x in lines if one in x)
    assert clerk_line.replace(one, "").split() == ["3", "9.0", "3", "0", "0"], clerk_line
    totals = [x.split() for x in lines if x.strip().startswith("合计")]
    assert len(totals) == 2 and all(t[-1] == "1" and len(t) == 5 for t in totals), totals  # 合计 hours cases breaks 未签退

    page.save_path_fn = lambda suggested: str(tmp_path / suggested)
    child(page, QPushButton, "attendanceExport").click()
    [saved] = list(tmp_path.glob("*.xlsx"))
    values = [tuple(r) for r in load_workbook(saved)["按工作人员"].iter_rows(values_only=True)]
    assert (one, 3, 9.0, 3, 0, 0) in values
    assert values[-1][0] == "合计" and values[-1][1] is None and values[-1][4:] == (0, 1)


def test_the_hall_manager_sees_who_is_on_which_window_now(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    """The hall manager signs in at no window: 窗口在岗 opened on 我的窗口, three buttons greyed and
    「尚未签到。登录时选择的窗口：—」, and nowhere said who was on which window, only which had nobody. It opens
    on the hall's tab, which names each window's clerk and since when (on a break too); a sign-off forgotten
    yesterday is not someone on duty today."""
    from datetime import timedelta

    from PySide6.QtWidgets import QTabWidget

    on, away, forgot = hall.clerk("clerk1", 0), hall.clerk("clerk2", 1), hall.clerk("admin", 2)
    attendance.sign_on(hall.db, forgot, now=local(DAY - timedelta(days=1), 8, 30))  # never signed off
    attendance.sign_on(hall.db, on, now=local(DAY, 8, 32))
    attendance.sign_on(hall.db, away, now=local(DAY, 8, 45))
    attendance.start_break(hall.db, away, now=local(DAY, 10, 5))
    user = next(u for u in accounts.list_users(hall.db) if u.username == "manager")
    page = AttendancePage(hall.db, SyncTaskRunner(), DeskSession(user, site_setup.site_info(hall.db), None, "clerk"),
                          now=lambda: local(DAY, 10, 30))  # fmt: skip
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.loaded):
        page.show()
    tabs = child(page, QTabWidget, "attendanceTabs")
    assert tabs.currentIndex() == 1
    text = child(page, QLabel, "attendanceOnNow").text()
    names = {u: hall.users[u].display_name for u in hall.users}
    assert f"{hall.windows[0].name}：{names['clerk1']}（08:32 起）" in text
    assert f"{hall.windows[1].name}：{names['clerk2']}（暂离，10:05 起）" in text
    assert hall.windows[2].name not in text  # yesterday's forgotten sign-off: nobody there today
    assert "登录时选择窗口" in child(page, QLabel, "attendanceStatus").text()
