"""The 归档 page through its objectNames, on a real SQLite file: the day's closed cases by department, ticking
with the keyboard, archiving with the hand-over lists printed (read back from the PDF), a case archived
meanwhile on another PC refused with the reason, the list printed again, the page on window PCs only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QPushButton, QTreeWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.forms import archive_list
from clerk_desk.services import accounts, archive, site_setup
from clerk_desk.store.models import CaseEvent
from clerk_desk.ui import notify
from clerk_desk.ui.archive.archive_page import ARCHIVED, CLOSED_AS, ID_NUMBER, UUID_ROLE, ArchivePage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.forms.conftest import pdftotext
from tests.services.test_archive import DAY, DIBAO, MORNING, Hall, hall  # noqa: F401 (the fixture)
from tests.ui.test_main_window import _unnamed


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, hall: Hall, tmp_path: Path) -> tuple[ArchivePage, list[Path]]:  # noqa: F811
    user = next(u for u in accounts.list_users(hall.db) if u.username == "clerk1")
    session = DeskSession(user, site_setup.site_info(hall.db), site_setup.list_windows(hall.db)[0], "clerk")
    page = ArchivePage(hall.db, SyncTaskRunner(), session, today=lambda: DAY)
    printed: list[Path] = []

    def to_pdf(lists) -> bool:  # type: ignore[no-untyped-def]
        printed.append(archive_list.save_pdf(lists, tmp_path / f"list-{len(printed)}.pdf"))
        return True

    page.print_fn = to_pdf
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page, printed


def archived(hall: Hall, uid: str) -> int:  # noqa: F811
    with hall.db.reading() as s:
        return len(s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid, CaseEvent.type == "archived")).all())


def test_archive_the_day_by_department_and_print_the_lists(
    qtbot: QtBot, hall: Hall, tmp_path: Path, notes: notify.RecordingNotifier,  # noqa: F811
) -> None:
    refused = hall.refused(MORNING)
    posted = hall.withdrawn(MORNING + timedelta(hours=4))  # withdrawn before the hand-over: the window's paper
    delivered = hall.delivered(MORNING + timedelta(hours=5))  # the department signed for its paper: not listed
    mz = hall.refused(MORNING + timedelta(hours=1), DIBAO)
    done = hall.completed(MORNING + timedelta(hours=2))
    hall.refused(MORNING - timedelta(days=2))  # an earlier day, not archived
    page, printed = make_page(qtbot, hall, tmp_path)
    assert _unnamed(page) == []
    tree = child(page, QTreeWidget, "archiveTree")
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert tops == ["人社：共 2 件，待归档 2 件", "民政：共 1 件，待归档 1 件", "公安：共 1 件，待归档 1 件"]
    assert child(page, QLabel, "archiveCount").text() == "办结 4 件，待归档 4 件"
    assert "由其部门在审批端" in child(page, QLabel, "archiveScope").text()
    assert delivered not in {rs_case.data(0, UUID_ROLE) for i in range(tree.topLevelItemCount())
                             for rs_case in (tree.topLevelItem(i).child(j)
                                             for j in range(tree.topLevelItem(i).childCount()))}
    earlier = child(page, QLabel, "archiveEarlier")
    assert earlier.isVisibleTo(page) and "另有 1 件" in earlier.text() and "2026-09-27" in earlier.text()
    submit = child(page, QPushButton, "archiveSubmit")
    assert not submit.isEnabled()  # nothing ticked
    rs = tree.topLevelItem(0)
    assert rs.child(0).text(CLOSED_AS) == "不予受理" and "********" in rs.child(0).text(ID_NUMBER)
    # ticked with the keyboard: Space on the current row
    tree.setFocus()
    tree.setCurrentItem(rs.child(0))
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert rs.child(0).checkState(0) == Qt.CheckState.Checked and submit.isEnabled()
    rs.child(1).setCheckState(0, Qt.CheckState.Checked)
    assert rs.checkState(0) == Qt.CheckState.Checked  # the department follows its cases
    tree.topLevelItem(2).child(0).setCheckState(0, Qt.CheckState.Checked)  # 公安
    assert page.selection() == {"rs": [refused, posted], "ga": [done]}
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    with qtbot.waitSignal(page.loaded):
        qtbot.keyClick(tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "将 2026-09-29 办结的 3 件办件记为已归档" in notes.texts("confirm")[-1]
    assert [archived(hall, u) for u in (refused, posted, mz, done)] == [1, 1, 0, 1]
    assert child(page, QLabel, "archiveMessage").text() == "已归档：人社 2 件、公安 1 件"  # each department with the unit
    assert len(printed) == 1
    pages = pdftotext(printed[0]).split("\f")
    first = "".join(pages[0].split())
    numbers = {c.uuid: c.case_number for g in archive.closed_on(hall.db, hall.site, DAY).groups for c in g.cases}
    assert "归档交接清单" in first and "人社" in first and numbers[refused] in first and numbers[posted] in first
    assert "接收人（公安档案管理员）" in "".join(pages[1].split()) and numbers[mz] not in "".join(pdftotext(printed[0]).split())
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert tops == ["人社：共 2 件，待归档 0 件", "民政：共 1 件，待归档 1 件", "公安：共 1 件，待归档 0 件"]
    assert not tree.topLevelItem(0).child(0).flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert tree.topLevelItem(0).child(0).text(ARCHIVED).startswith("已归档")
    # the list again, for the department of the current row
    tree.setCurrentItem(tree.topLevelItem(2).child(0))
    child(page, QPushButton, "archiveReprint").click()
    assert len(printed) == 2 and "公安" in pdftotext(printed[1]) and numbers[refused] not in pdftotext(printed[1])


def test_a_case_archived_meanwhile_is_refused_with_the_reason(
    qtbot: QtBot, hall: Hall, tmp_path: Path, notes: notify.RecordingNotifier,  # noqa: F811
) -> None:
    a = hall.refused(MORNING)
    b = hall.refused(MORNING + timedelta(minutes=5))
    m = hall.refused(MORNING, DIBAO)
    page, printed = make_page(qtbot, hall, tmp_path)
    child(page, QPushButton, "archiveCheckAll").click()
    assert page.selection() == {"rs": [a, b], "mz": [m]}
    archive.archive(hall.db, hall.clerk, hall.site, "rs", [a], DAY)  # another PC, a moment earlier
    with qtbot.waitSignal(page.loaded):
        child(page, QPushButton, "archiveSubmit").click()
    assert "人社：" in notes.texts("error")[-1] and "不能重复归档" in notes.texts("error")[-1]
    assert [archived(hall, u) for u in (a, b, m)] == [1, 0, 1]  # 人社 wrote nothing, 民政 went ahead
    assert len(printed) == 1 and "民政" in pdftotext(printed[0])
    rs = child(page, QTreeWidget, "archiveTree").topLevelItem(0)
    assert [rs.child(i).data(0, UUID_ROLE) for i in range(2)] == [a, b]
    assert rs.child(1).flags() & Qt.ItemFlag.ItemIsUserCheckable  # b can still be archived


def test_another_date_and_the_page_on_window_pcs_only(qtbot: QtBot, hall: Hall, tmp_path: Path, start) -> None:  # noqa: F811
    hall.refused(MORNING - timedelta(days=1))
    page, _printed = make_page(qtbot, hall, tmp_path)
    tree = child(page, QTreeWidget, "archiveTree")
    assert tree.topLevelItemCount() == 0
    date_edit = child(page, QDateEdit, "archiveDate")
    with qtbot.waitSignal(page.loaded):
        date_edit.setFocus()
        date_edit.setCurrentSection(QDateEdit.Section.DaySection)
        qtbot.keyClick(date_edit, Qt.Key.Key_Down)  # the day before
    assert page.day == DAY - timedelta(days=1) and tree.topLevelItemCount() == 1
    s = start()
    s.sign_in("clerk1")
    window = s.controller.main_window
    assert "archive" in window.page_keys() and window.show_page("archive")
    assert window.stack.currentWidget().objectName() == "page_archive" and _unnamed(window) == []
    window.findChild(object, "actionSignOut").trigger()
    s.sign_in("approver1")
    assert "archive" not in s.controller.main_window.page_keys()


def test_a_page_opened_yesterday_shows_today_when_shown_again(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    """The desk stayed signed in overnight (locked): 归档 built yesterday showed yesterday's date, and today
    could not be chosen (the field stopped at the day it was built). Shown again, it follows the day;
    a day the clerk chose stays chosen."""
    user = next(u for u in accounts.list_users(hall.db) if u.username == "clerk1")
    session = DeskSession(user, site_setup.site_info(hall.db), site_setup.list_windows(hall.db)[0], "clerk")
    today = [DAY - timedelta(days=1)]
    page = ArchivePage(hall.db, SyncTaskRunner(), session, today=lambda: today[0])
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    page.hide()
    uid = hall.completed(MORNING)  # a 即办件 finished the next morning
    today[0] = DAY
    with qtbot.waitSignal(page.loaded):
        page.show()
    field = child(page, QDateEdit, "archiveDate")
    assert page.day == DAY and field.maximumDate().toPython() == DAY
    assert uid in [i.data(0, UUID_ROLE) for i in page.case_items()]
    field.setDate(field.date().addDays(-3))  # the clerk looks at an earlier day: it stays
    page.hide()
    today[0] = DAY + timedelta(days=1)
    page.show()
    assert page.day == DAY - timedelta(days=3) and field.maximumDate().toPython() == DAY + timedelta(days=1)


def test_a_page_on_screen_overnight_shows_today_once_the_desk_is_unlocked(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    """归档 is the day's last work: the page stays on screen while the desk is locked overnight, and the lock
    hides nothing, so it was never shown again. Unlocked in the morning (its window active again) it showed
    yesterday, and today could not be chosen."""
    from PySide6.QtWidgets import QWidget

    user = next(u for u in accounts.list_users(hall.db) if u.username == "clerk1")
    session = DeskSession(user, site_setup.site_info(hall.db), site_setup.list_windows(hall.db)[0], "clerk")
    today = [DAY - timedelta(days=1)]
    page = ArchivePage(hall.db, SyncTaskRunner(), session, today=lambda: today[0])
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    lock = QWidget()  # the lock screen, in front for the night
    qtbot.addWidget(lock)
    lock.show()
    lock.activateWindow()
    qtbot.waitUntil(lambda: not page.isActiveWindow())
    uid = hall.completed(MORNING)  # a 即办件 finished the next morning
    today[0] = DAY
    lock.close()
    with qtbot.waitSignal(page.loaded):
        page.activateWindow()  # unlocked: the window is active again
    field = child(page, QDateEdit, "archiveDate")
    assert page.day == DAY and field.maximumDate().toPython() == DAY
    assert uid in [i.data(0, UUID_ROLE) for i in page.case_items()]


def test_applicants_names_stay_whole_in_the_room_of_1366x768_at_125_percent(qtbot: QtBot, hall: Hall, tmp_path: Path) -> None:  # noqa: F811
    """At 1366×768 and 125 % the page has about 910 px (the screen's 1093 logical px less the navigation):
    the applicant column held the name and the masked ID number together, and the fit cut it to 「皇甫建…」.
    The name has its own column and stays whole; the ID number beside it gives way first (its whole text and
    the name's in the tooltip)."""
    from PySide6.QtCore import QModelIndex

    from clerk_desk.services.intake_forms import ItemRef

    school = ItemRef("321005012000", "适龄儿童少年因故要延缓、免于或中断义务教育学业批准", "jy", "promise", promised_days=1)
    names = ("皇甫建国", "上官婉儿", "欧阳诸葛明")
    for i, name in enumerate(names):
        hall.intake.refuse(hall.form(school, name), hall.clerk, reason="不属于受理范围",
                           now=MORNING + timedelta(minutes=10 * i))
    page, _printed = make_page(qtbot, hall, tmp_path)
    tree = child(page, QTreeWidget, "archiveTree")
    column = next(c for c in range(tree.columnCount()) if tree.headerItem().text(c) == "申请人")
    page.resize(910, 600)
    qtbot.waitUntil(lambda: tree.viewport().width() < 900)
    qtbot.wait(50)  # (the fit follows the viewport's resize)
    assert not tree.horizontalScrollBar().isVisible()
    metrics = tree.fontMetrics()
    rows = page.case_items()
    assert len(rows) == len(names)
    for item in rows:
        index: QModelIndex = tree.indexFromItem(item, column)
        margins = tree.sizeHintForIndex(index).width() - metrics.horizontalAdvance(item.text(column))
        room = tree.visualRect(index).width() - margins  # what the delegate has for the text
        drawn = metrics.elidedText(item.text(column), Qt.TextElideMode.ElideRight, room)
        name = next(n for n in names if item.text(column).startswith(n))
        assert drawn.startswith(name), f"「{drawn}」 cuts 「{name}」"
        assert name in item.toolTip(column) and "********" in item.toolTip(column)
