"""A case on a back-office PC that only pulled it from the hub: its row lacks how it came and the PC does
not know the window clerk's account. The page still says the channel (from the accepted event), shows
who acted by name (the name each event carries), and says 未记录 where nothing was recorded."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.services import case_queries as q
from clerk_desk.store.models import Case, CaseEvent
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.inbox.inbox_page import InboxPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.inbox.conftest import Office


def as_pulled(office: Office, uid: str, *, old_desk: bool = False) -> None:
    """What sync/apply.py makes of the case on an approver PC (and, for an older window desk, an accepted
    event that did not say how the case came)."""
    with office.db.transaction() as s:
        case = s.get(Case, uid)
        assert case is not None
        case.channel = None
        case.details = {"remote": True, "days": case.details.get("days"), "delivery": case.details.get("delivery")}
        if old_desk:
            for e in s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid)):
                e.payload = {k: v for k, v in e.payload.items() if k not in ("channel", "actor_name")}


def review(qtbot: QtBot, office: Office, uid: str) -> InboxPage:
    page = InboxPage(office.db, SyncTaskRunner(), office.session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1366, 697)
    page.show()
    page.open_case(uid)
    return page


def test_channel_comes_from_the_accepted_event_and_names_from_the_events(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred("张三")
    as_pulled(office, uid)
    page = review(qtbot, office, uid)
    assert page.case.findChild(QLabel, "reviewChannel").text() == "现场申请"
    events = q.timeline(office.db, uid)
    assert {e.payload.get("actor_name") for e in events} == {"张小红"}  # every event says who, by name
    rows, _colours = sec.timeline_rows(events, names={})  # a PC that does not know the clerk's account
    assert {r[2] for r in rows} == {"张小红（clerk1）"}
    timeline = page.case.findChild(QTableWidget, "reviewTimeline")
    assert timeline.item(0, 2).text() == "张小红（clerk1）"


def test_what_an_older_desk_did_not_record_reads_not_recorded(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred("张三")
    as_pulled(office, uid, old_desk=True)
    page = review(qtbot, office, uid)
    assert page.case.findChild(QLabel, "reviewChannel").text() == "未记录"  # not an empty line
    rows, _colours = sec.timeline_rows(q.timeline(office.db, uid), names={})
    assert {r[2] for r in rows} == {"clerk1（未记录姓名）"}
