"""督办单 answer drafts: what an account typed as its answer (说明) to a supervision order and has not sent comes
back when it opens that answer again, after Esc, a sign-out or a restart of the desk.

Like the decision drafts (services/decision_drafts.py) they stay on this PC (a half-typed answer is not an
event: it has no business leaving it), are sealed with this PC's key (store/sealed.py; one this PC cannot open
is not offered back), are kept per account and order, and go when the answer is sent
(services/supervision_orders.answer deletes them in the answer's transaction), or after the retention period
(services/purge.py).

Plain SQL over the DB-API (store/sqlite_file.py): the case pages read them, and a case page must not load
SQLAlchemy on the way to its first paint (docs/ui.md, "Fast to the case list").
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import to_db

PURPOSE = "order_answer_drafts.text"  # the column, bound into each seal (store/models.OrderAnswerDraft)


def kept(db: Database, user_id: str, orders: Iterable[str]) -> dict[str, str]:
    """This account's unsent answers to ``orders``, by order (only those with something typed)."""
    wanted = list(dict.fromkeys(orders))
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    with db.plain_reading() as c:
        rows = c.execute(f"SELECT order_uuid, text FROM order_answer_drafts WHERE user_id = ? AND order_uuid IN ({marks})",
                         (user_id, *wanted)).fetchall()  # fmt: skip
    found: dict[str, str] = {}
    for order, sealed in rows:
        plain = db.keys.open(bytes(sealed), PURPOSE)
        if plain is not None:  # sealed with another PC's key (a restored backup): not offered back
            found[str(order)] = plain.decode("utf-8")
    return found


def keep(db: Database, user_id: str, order_uuid: str, text: str) -> None:
    """Keep what is typed (replacing the earlier draft of this order); nothing but spaces forgets it."""
    if not text.strip():
        forget(db, user_id, order_uuid)
        return
    sealed = db.keys.seal(text.encode("utf-8"), PURPOSE)
    with db.plain_transaction() as c:
        c.execute(
            "INSERT INTO order_answer_drafts (id, user_id, order_uuid, text, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, order_uuid) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            (str(uuid.uuid4()), user_id, order_uuid, sealed, to_db(datetime.now(UTC))),
        )


def forget(db: Database, user_id: str, order_uuid: str) -> None:
    """The answer was sent (or emptied): its draft goes."""
    with db.plain_transaction() as c:
        c.execute("DELETE FROM order_answer_drafts WHERE user_id = ? AND order_uuid = ?", (user_id, order_uuid))
