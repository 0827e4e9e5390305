"""督办单 through a real county hub on 127.0.0.1: the hall supervisor issues one on a case the back office
holds; the hub takes it; the approver PC of that department pulls it, sees it open and answers (说明); the
window pulls the answer and the supervisor sees it answered. An order from a supervisor of another
department, or of another site, is refused by the hub and stays out of the case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain import supervision_orders as so
from clerk_desk.domain.lifecycle import Side
from clerk_desk.services import supervision_orders as orders
from clerk_desk.services.approvals import ApprovalService
from clerk_desk.services.case_read import read_case
from clerk_desk.store.models import User, utcnow
from clerk_desk.sync import enrolment, outbox
from tests.support.hub_server import HubAdmin, running_hub
from tests.sync.conftest import SITE, make_desk
from tests.sync.test_withdrawal_round_trip import _accepted_and_transferred, _office


@pytest.fixture
def pg_hub(pg_database_url: str) -> Iterator[tuple[str, HubAdmin]]:
    """The same hub on PostgreSQL (tests/support/postgres.py)."""
    with running_hub(pg_database_url, clock_skew_s=14 * 86400) as url, HubAdmin(pg_database_url) as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        yield url, admin


@pytest.mark.parametrize("store", ["hub", "pg_hub"])
def test_an_order_reaches_the_department_is_answered_and_closed(store: str, request: pytest.FixtureRequest,
                                                               tmp_path: Path) -> None:  # fmt: skip
    url, admin = request.getfixturevalue(store)
    window = make_desk(tmp_path / "window", url, admin)
    office = _office(tmp_path, url, admin)
    uid = _accepted_and_transferred(window)
    office.engine.run_once()
    ApprovalService(office.db).receive(uid, office.approver, paper_received=True)
    office.engine.run_once()
    window.engine.run_once()

    # The hall supervisor (manager, on the hall PC) issues the order; it goes up with the next sync.
    reply_by = date.today() + timedelta(days=2)
    order = orders.issue(window.db, uid, "manager", reason="请说明审批进度", reply_by=reply_by, stage="decision")
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0 and outbox.counts(window.db).rejected == 0
    mine = orders.list_orders(window.db, site_code=SITE)
    assert [(r.order.uuid, r.order.open, r.order.reason, r.order.reply_by) for r in mine] == [
        (order, True, "请说明审批进度", reply_by)]

    # The approver PC of 人社 pulls it: open in its list and on the case.
    office.engine.run_once()
    theirs = orders.list_orders(office.db, serves=office.serves, open_only=True)
    assert [(r.order.uuid, r.order.issued_by, r.case_number) for r in theirs] == [(order, "manager", mine[0].case_number)]
    assert [o.uuid for o in so.from_timeline(uid, read_case(office.db, uid).events) if o.open] == [order]
    orders.answer(office.db, order, office.approver.username, Side.BACK_OFFICE, text="材料已审核，明日办结")
    office.engine.run_once()
    assert outbox.counts(office.db).rejected == 0
    assert orders.list_orders(office.db, serves=office.serves, open_only=True) == []

    # The window pulls the answer: the supervisor sees it answered, with the 说明 and who gave it.
    window.engine.run_once()
    (done,) = orders.list_orders(window.db, site_code=SITE)
    assert done.order.answer is not None and not done.order.open
    assert (done.order.answer.text, done.order.answer.actor, done.order.answer.side) == (
        "材料已审核，明日办结", office.approver.username, "back_office")
    client = enrolment.client_for(window.db)
    assert client is not None
    try:
        log = client.case_events(uid)
    finally:
        client.close()
    assert [(e["type"], e["actor"]) for e in log][-2:] == [("supervision_issued", "manager"),
                                                            ("supervision_answered", office.approver.username)]
    assert read_case(window.db, uid).status == read_case(office.db, uid).status == "in_review"  # state unchanged


def test_an_order_from_another_department_or_site_is_refused(hub, tmp_path: Path) -> None:
    url, admin = hub
    window = make_desk(tmp_path / "window", url, admin)
    admin.grant("inspector", "supervisor", SITE, "mz")  # 民政 only: the case is 人社's
    admin.site("421224101", "另一乡镇便民服务中心")
    admin.grant("outsider", "supervisor", "421224101", "*")  # another township's supervisor
    window.engine.run_once()  # the hub's directory brings the inspector's account
    with window.db.transaction() as s:  # the outsider worked at this hall before moving: the desk still knows them
        s.add(User(username="outsider", display_name="外乡督查", password_verifier="-", roles=["supervisor"],
                   source="hub"))
    uid = _accepted_and_transferred(window)
    for who in ("inspector", "outsider"):
        orders.issue(window.db, uid, who, reason="越权督办", reply_by=date.today() + timedelta(days=1),
                     now=utcnow())
        window.engine.run_once()
        problems = outbox.problems(window.db)
        assert [(p["type"], p["state"]) for p in problems] == [("supervision_issued", "rejected")], who
        assert "大厅管理" in problems[0]["reason"] or "actor_not_authorized" in problems[0]["reason"]
        assert orders.list_orders(window.db, site_code=SITE) == []  # a refused event is not part of the case
        assert outbox.set_aside(window.db, uid, "clerk1") == 1
