"""The kept case counts (store/case_counts.py, store/name_counts.py) follow sync: cases a window accepts and
hands over reach an approver's desk through a real hub on 127.0.0.1 (sync's apply of pulled pages: the persons
and their name keys, then the cases), the back office acts on them and the window pulls the answers back; on
both desks every tab's count, with and without a search (surname, full name, a name nobody has, a case-number
prefix), equals the rows the list shows, and the kept counts equal a count made again."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from clerk_desk.services import accounts, inbox
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party
from clerk_desk.store import case_counts, name_counts
from clerk_desk.store.database import Database
from clerk_desk.store.engine import database_path
from clerk_desk.store.models import utcnow
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from tests.services.test_case_counts import filters
from tests.services.test_intake import ID, PENSION
from tests.sync.conftest import SITE, Desk, make_desk

FORM = IntakeForm(items=(PENSION,), applicant=Party("person", "张三", ID),
                  checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),))  # fmt: skip


def accept(desk: Desk, at: datetime) -> str:
    return desk.intake.accept(FORM, desk.clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid


def direct(db: Database, f: q.CaseFilter) -> int:
    n, after = 0, None
    while True:
        page = q.page(db, f, after=after, limit=50, events=False)
        n += len(page.rows)
        if page.next_key is None:
            return n
        after = page.next_key


def agree(db: Database) -> None:
    now = utcnow()
    with db.plain_reading() as c:
        number = c.execute("SELECT case_number FROM cases ORDER BY created_at LIMIT 1").fetchone()[0]
    for name, f in filters(now).items():
        assert q.count(db, f, cap=10_000) == direct(db, f), name
        for text in ("张三", "张", "李", number[:12]):
            searched = f.searching(text)
            assert q.count(db, searched, cap=10_000) == direct(db, searched), f"{name}, {text}"
    assert q.count(db, q.window_filter(q.WindowView.ALL, text="张")) > 0
    with sqlite3.connect(database_path(db.data_dir)) as c:  # what a recount would find; rolled back
        for kept in (case_counts, name_counts):
            before = sorted(c.execute(f"SELECT * FROM {kept.TABLE}").fetchall())
            kept.rebuild(c)
            assert sorted(c.execute(f"SELECT * FROM {kept.TABLE}").fetchall()) == before, kept.TABLE
        c.rollback()


def test_counts_follow_what_sync_applies(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, admin = hub
    admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
               display_name="王芳")  # fmt: skip
    window = make_desk(tmp_path / "window", url, admin)
    t0 = utcnow()
    uids = [accept(window, t0 + timedelta(seconds=i)) for i in range(6)]
    for i, uid in enumerate(uids[:4]):
        window.intake.transfer(uid, window.clerk, now=t0 + timedelta(minutes=5 + i))
    window.engine.run_once()
    agree(window.db)

    office_db = Database(tmp_path / "office")
    _device, code = admin.device(SITE, "approver", serves=[(SITE, "rs")])
    enrolment.enrol(office_db, url, code)
    office = SyncEngine(office_db, lambda: enrolment.client_for(office_db), seed=2)
    office.run_once()  # the window's handed-over cases arrive: sync's apply of a pulled page
    agree(office_db)
    assert q.count(office_db, q.CaseFilter(serves=((SITE, "rs"),))) == 6  # the department's cases are here
    assert q.count(office_db, inbox.inbox_filter(inbox.InboxView.TO_SIGN, ((SITE, "rs"),))) == 4  # handed over
    me = {u.username: u for u in accounts.list_users(office_db)}["wangfang"]
    approver = Approver(me.id, me.username, me.display_name)
    svc = ApprovalService(office_db)
    svc.receive(uids[0], approver, paper_received=True, now=t0 + timedelta(minutes=20))
    svc.receive(uids[1], approver, paper_received=True, now=t0 + timedelta(minutes=21))
    svc.decide(uids[1], approver, decision=APPROVED, result_text="准予", now=t0 + timedelta(minutes=30))
    agree(office_db)
    office.run_once()

    window.engine.run_once()  # the back office's answers come back to the window's cases
    agree(window.db)
    with window.db.plain_reading() as c:
        statuses = dict(c.execute("SELECT uuid, status FROM cases").fetchall())
    assert statuses[uids[0]] == "in_review" and statuses[uids[1]] == "decided"
    office_db.close()
