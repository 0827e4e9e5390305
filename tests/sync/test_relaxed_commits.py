"""What the sync writes and can learn again from the hub commits without an fsync of its own (store/engine.py,
docs/sync-protocol.md "What the desk fsyncs"); everything else stays synchronous=FULL, also on a pooled
connection a relaxed transaction used before."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from clerk_desk.store.database import Database

FULL, NORMAL = 2, 1  # PRAGMA synchronous's answers


def level(s) -> int:  # type: ignore[no-untyped-def]
    return int(s.execute(text("PRAGMA synchronous")).scalar_one())


def test_a_relaxed_transaction_commits_at_normal_and_the_next_durable_one_at_full(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        for _ in range(3):  # the same pooled connection, back and forth
            with db.transaction(durable=False) as s:
                assert level(s) == NORMAL
            with db.transaction() as s:
                assert level(s) == FULL
        with db.transaction(durable=False) as s:
            assert level(s) == NORMAL
        with db.reading() as s:
            level(s)  # a read needs no level of its own
        with db.transaction() as s:
            assert level(s) == FULL
    finally:
        db.close()


def test_a_relaxed_transaction_still_tells_the_listeners_and_rolls_back(tmp_path: Path) -> None:
    from clerk_desk.store.changes import ChangeKind, mark
    from clerk_desk.store.models import Setting

    db = Database(tmp_path)
    heard = []
    db.commit_listeners.append(heard.append)
    try:
        with db.transaction(durable=False) as s:
            s.add(Setting(key="relaxed", value="1"))
            mark(s, ChangeKind.ACKED, ["c1"])
        assert [c.cases for c in heard] == [frozenset({"c1"})]
        try:
            with db.transaction(durable=False) as s:
                s.add(Setting(key="relaxed2", value="1"))
                raise RuntimeError("undone")
        except RuntimeError:
            pass
        with db.reading() as s:
            assert s.get(Setting, "relaxed") is not None and s.get(Setting, "relaxed2") is None
        assert len(heard) == 1
    finally:
        db.close()
