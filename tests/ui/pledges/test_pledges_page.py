"""The 容缺跟进 page by objectName: the open and overdue pledges, the overdue note made on reading, the material
arriving through its dialog, the reminder slip printed (captured), and the page following the data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

from clerk_desk.forms.documents import PledgeReminder
from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party, Pledge
from clerk_desk.store.database import Database
from clerk_desk.ui.pledges.pledges_page import ArrivedDialog, PledgesPage
from clerk_desk.ui.session import DeskSession
from tests.ui.cases.case_kit import resident_id

AT = datetime(2026, 11, 2, 2, 30, tzinfo=UTC)  # Monday 10:30 in the hall
PENSION = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=10)
OWED = "死亡证明"


def hall(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[Database, IntakeService, Clerk, DeskSession]]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    yield (
        db,
        IntakeService(db),
        Clerk(u.id, u.username, u.display_name, w.id, w.name),
        DeskSession(u, site_setup.site_info(db), w, "clerk"),
    )
    db.close()


def pledged(svc: IntakeService, clerk: Clerk, n: int, due: date) -> str:
    form = IntakeForm(
        (PENSION,),
        Party("person", f"申请人{n}", resident_id(n), phone="13812345678"),
        (
            MaterialCheck("居民身份证", provided=True, form="original", copies=1),
            MaterialCheck(OWED, waivable=True, provided=False),
        ),
    )
    return (
        svc.accept(
            form,
            clerk,
            delivery=Delivery("window"),
            pledge=Pledge((OWED,), due),
            now=AT + timedelta(seconds=n),
        )
        .cases[0]
        .case_uuid
    )


def test_lists_notes_overdue_records_arrival_and_prints_the_reminder(qtbot, desk, runner, notes) -> None:  # type: ignore[no-untyped-def]
    db, svc, clerk, session = desk
    late = pledged(svc, clerk, 1, date(2026, 11, 4))
    soon = pledged(svc, clerk, 2, date(2026, 11, 9))
    clock = {"now": hall(date(2026, 11, 6), 9)}
    page = PledgesPage(db, runner, session, now=lambda: clock["now"])
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    table = page.table
    assert table.rowCount() == 2 and table.item(0, 0).text() == read_case(db, late).case_number
    assert table.item(0, 3).text() == OWED and table.item(0, 4).text() == "2026-11-04"
    assert table.item(0, 5).text() == "已逾期 2 天" and table.item(1, 5).text() == "未到期"
    pledge = read_case(db, late).pledge
    assert pledge is not None and pledge.overdue_noted is not None  # noted as the page read the list
    page.view.setCurrentIndex(page.view.findData("overdue"))
    assert table.rowCount() == 1

    # the reminder slip for the selected (overdue) case
    printed: list[object] = []
    page.remind.print_fn = lambda doc, paper: printed.append(doc) or True
    page.findChild(QPushButton, "pledgesRemind").click()
    assert len(printed) == 1 and isinstance(printed[0], PledgeReminder) and printed[0].overdue
    assert read_case(db, late).prints_of("pledge_reminder") == 1

    # the material arrives: the dialog asks for a note; the line goes
    page.ask_arrived = lambda line: "原件已核" if line.uuid == late else None
    page.findChild(QPushButton, "pledgesArrived").click()
    assert (
        table.rowCount() == 0
        and page.message.text() == f"已记录：办件 {read_case(db, late).case_number} 的容缺材料已补齐"
    )
    got = read_case(db, late).pledge
    assert got is not None and not got.open and got.fulfilled is not None
    page.view.setCurrentIndex(page.view.findData("open"))
    assert table.rowCount() == 1 and table.item(0, 0).text() == read_case(db, soon).case_number
    assert notes.messages == []


def test_the_page_follows_a_pledge_recorded_elsewhere(qtbot, desk, runner) -> None:  # type: ignore[no-untyped-def]
    db, svc, clerk, session = desk
    page = PledgesPage(db, runner, session, now=lambda: AT + timedelta(hours=1))
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    uid = pledged(svc, clerk, 3, date(2026, 11, 9))
    page.cases_changed(frozenset({uid}))
    assert page.table.rowCount() == 1


def test_the_arrived_dialog_by_object_name(qtbot, desk, runner) -> None:  # type: ignore[no-untyped-def]
    db, svc, clerk, session = desk
    pledged(svc, clerk, 4, date(2026, 11, 9))
    page = PledgesPage(db, runner, session, now=lambda: AT + timedelta(hours=1))
    qtbot.addWidget(page)

    def answer() -> None:
        dialog = page.findChild(QDialog, "pledgeArrivedDialog")
        assert isinstance(dialog, ArrivedDialog)
        assert dialog.findChild(type(dialog.note), "pledgeArrivedNote") is dialog.note
        dialog.findChild(QLineEdit, "pledgeArrivedNote").setText("带来原件")
        dialog.findChild(QPushButton, "pledgeArrivedOk").click()

    QTimer.singleShot(0, answer)
    page.record_arrived()
    assert page.table.rowCount() == 0


def test_the_case_numbers_keep_their_sequence_at_1366x768_and_150_percent(qtbot, desk, runner) -> None:  # type: ignore[no-untyped-def]
    """At 1366×768 and 150 % every row's number was cut at its end (「4212241…」): the number gives up its head."""
    from dataclasses import replace

    from tests.ui.drawn import tells_apart

    db, svc, clerk, session = desk
    item = replace(PENSION, name="城乡居民基本养老保险注销登记（含死亡注销、出国定居注销及重复参保注销）")
    owed = "死亡证明（医学死亡证明书或公安机关出具的注销户口证明）"
    for n in range(3):
        form = IntakeForm((item,), Party("person", f"欧阳诸葛{n}", resident_id(n), phone="13812345678"),
                          (MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                           MaterialCheck(owed, waivable=True, provided=False)))  # fmt: skip
        svc.accept(form, clerk, delivery=Delivery("window"), pledge=Pledge((owed,), date(2026, 11, 4)),
                   now=AT + timedelta(seconds=n))  # fmt: skip
    page = PledgesPage(db, runner, session, now=lambda: hall(date(2026, 11, 6), 9))
    qtbot.addWidget(page)
    page.resize(730, 500)  # the page's room at 1366×768 and 150 %, beside the side bar
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)
    qtbot.wait(20)  # (the columns refit once the rows are in)
    assert tells_apart(page.table) == []
    assert page.table.horizontalScrollBar().maximum() == 0
