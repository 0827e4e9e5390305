"""督办单 answer drafts (services/answer_drafts.py) on a real SQLite file: kept per account and order, sealed
with this PC's key (nothing of the text in the database or its -wal), replaced, forgotten when emptied, and
deleted in the same transaction as the answer when it is sent; one this PC cannot open is not offered back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.lifecycle import Side
from clerk_desk.services import accounts, answer_drafts, demo
from clerk_desk.services import supervision_orders as orders
from clerk_desk.services.intake import IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, Party
from clerk_desk.store.database import Database
from tests.store.raw_scan import database_files, found
from tests.store.test_personal_data import clerk_of
from tests.ui.cases.case_kit import PENSION, checklist, resident_id

SAID = "已联系申请人欧阳明珠，明日补交户口簿"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path / "data")
    demo.ensure_demo_site(d)
    return d


def user_id(db: Database, username: str) -> str:
    return next(u.id for u in accounts.list_users(db) if u.username == username)


def an_order(db: Database) -> str:
    """A case accepted at the window, and a 督办单 on it from the hall's supervisor."""
    clerk = clerk_of(db)
    form = IntakeForm((PENSION,), Party("person", "欧阳明珠", resident_id(1), phone="13812345678"), checklist())
    uid = IntakeService(db).accept(form, clerk, delivery=Delivery("window")).cases[0].case_uuid
    return orders.issue(db, uid, "manager", reason="请说明为何未流转", reply_by=date.today() + timedelta(days=2),
                        now=datetime.now(UTC))  # fmt: skip


def test_kept_per_account_and_order_sealed_replaced_and_forgotten(db: Database) -> None:
    clerk, other = user_id(db, "clerk1"), user_id(db, "approver1")
    answer_drafts.keep(db, clerk, "order-a", "已催")
    answer_drafts.keep(db, clerk, "order-a", SAID)  # the latest text replaces the one before
    answer_drafts.keep(db, clerk, "order-b", "今日签收")
    answer_drafts.keep(db, other, "order-a", "另一账号的说明")
    assert answer_drafts.kept(db, clerk, ["order-a", "order-b", "order-c"]) == {"order-a": SAID, "order-b": "今日签收"}
    assert answer_drafts.kept(db, clerk, ["order-b"]) == {"order-b": "今日签收"}
    assert answer_drafts.kept(db, other, ["order-a", "order-b"]) == {"order-a": "另一账号的说明"}
    assert answer_drafts.kept(db, clerk, []) == {}
    with db.plain_reading() as c:
        assert c.execute("SELECT count(*) FROM order_answer_drafts").fetchone()[0] == 3
    assert found([SAID, "今日签收", "另一账号的说明"], database_files(db.data_dir)) == []  # sealed, -wal too

    answer_drafts.keep(db, clerk, "order-b", "  \n")  # emptied: forgotten
    answer_drafts.forget(db, clerk, "order-a")
    assert answer_drafts.kept(db, clerk, ["order-a", "order-b"]) == {}
    assert answer_drafts.kept(db, other, ["order-a"]) == {"order-a": "另一账号的说明"}


def test_sending_the_answer_deletes_its_drafts_in_the_same_transaction(db: Database) -> None:
    order = an_order(db)
    clerk, other = user_id(db, "clerk1"), user_id(db, "manager")
    answer_drafts.keep(db, clerk, order, SAID)
    answer_drafts.keep(db, other, order, "代为说明")  # the order is answered: nobody's draft of it is offered again
    answer_drafts.keep(db, clerk, "another-order", "留着")
    with pytest.raises(Exception, match="请填写说明"):  # refused: nothing goes
        orders.answer(db, order, "clerk1", Side.WINDOW, text=" ")
    assert answer_drafts.kept(db, clerk, [order]) == {order: SAID}
    orders.answer(db, order, "clerk1", Side.WINDOW, text=SAID)
    assert answer_drafts.kept(db, clerk, [order, "another-order"]) == {"another-order": "留着"}
    assert answer_drafts.kept(db, other, [order]) == {}


def test_a_draft_this_pc_cannot_open_is_not_offered(db: Database) -> None:
    clerk = user_id(db, "clerk1")
    answer_drafts.keep(db, clerk, "order-a", SAID)
    answer_drafts.keep(db, clerk, "order-b", "今日签收")
    with db.plain_transaction() as c:  # sealed under another key (a copied database), or damaged
        c.execute("UPDATE order_answer_drafts SET text = ? WHERE order_uuid = 'order-a'", (b"\x01" + b"\x00" * 40,))
    assert answer_drafts.kept(db, clerk, ["order-a", "order-b"]) == {"order-b": "今日签收"}
