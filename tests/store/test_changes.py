"""The store's change notification (store/changes.py): a committed unit of work tells its listeners which
cases it changed and why, once; a rolled-back one says nothing; the sync's own writes say what they did."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.changes import ChangeKind, Changes, mark
from clerk_desk.store.database import Database
from clerk_desk.sync import outbox
from tests.services.test_intake import form

AT = datetime(2026, 9, 30, 2, 30, tzinfo=UTC)


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Database, IntakeService, Clerk, list[Changes]]:
    db = Database(tmp_path)
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    heard: list[Changes] = []
    db.commit_listeners.append(heard.append)
    return db, IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name), heard


def test_an_act_says_which_case_it_changed_once_per_commit(desk) -> None:  # type: ignore[no-untyped-def]
    db, svc, clerk, heard = desk
    uid = svc.accept(form(), clerk, delivery=Delivery("window"), now=AT).cases[0].case_uuid
    assert heard == [Changes(frozenset({uid}), frozenset({ChangeKind.LOCAL}))]
    heard.clear()
    svc.transfer(uid, clerk, now=AT)
    assert heard == [Changes(frozenset({uid}), frozenset({ChangeKind.LOCAL}))]


def test_a_rolled_back_unit_says_nothing_and_the_next_starts_clean(desk) -> None:  # type: ignore[no-untyped-def]
    db, _svc, _clerk, heard = desk
    with pytest.raises(ZeroDivisionError), db.transaction() as s:
        mark(s, ChangeKind.LOCAL, ["lost"])
        1 / 0  # noqa: B018
    with db.transaction() as s:
        mark(s, ChangeKind.PULLED, ["kept"])
    assert heard == [Changes(frozenset({"kept"}), frozenset({ChangeKind.PULLED}))]
    with db.plain_transaction() as c:  # sign-in bookkeeping: no case
        c.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
    assert heard[-1] == Changes() and not heard[-1]


def test_the_outbox_says_when_events_go_out_and_come_back(desk) -> None:  # type: ignore[no-untyped-def]
    db, svc, clerk, heard = desk
    uid = svc.accept(form(), clerk, delivery=Delivery("window"), now=AT).cases[0].case_uuid
    heard.clear()
    (event,) = outbox.claim(db)  # in flight: a timeline says 上传中
    assert heard == [Changes(frozenset({uid}), frozenset({ChangeKind.SENDING}))]
    outbox.record_answers(db, [{"uuid": event["uuid"], "status": "stored", "seq": 1}])
    assert heard[-1] == Changes(frozenset({uid}), frozenset({ChangeKind.ACKED}))
