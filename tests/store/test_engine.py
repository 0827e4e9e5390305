"""The SQLite settings that protect a hall PC's data."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from clerk_desk.store.database import Database
from clerk_desk.store.models import Device, Site
from clerk_desk.store.sequences import next_case_seq, rebase


def test_pragmas(tmp_path: Path) -> None:
    db = Database(tmp_path)
    with db.reading() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = Database(tmp_path)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.transaction() as s:
        s.add(Device(code="01", site_code="NOPE", is_local=True))
    with db.reading() as s:
        assert s.get(Device, "01") is None


def _setup_device(db: Database) -> None:
    with db.transaction() as s:
        s.add(Site(code="421224100", name="通羊镇"))
        s.flush()
        s.add(Device(code="01", site_code="421224100", is_local=True))


def test_case_sequence_is_unique_under_concurrent_writers(tmp_path: Path) -> None:
    db = Database(tmp_path)
    _setup_device(db)
    got: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            with db.transaction() as s:
                n = next_case_seq(s, "01")
            with lock:
                got.append(n)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 201))


def test_rebase_never_lowers_a_sequence(tmp_path: Path) -> None:
    db = Database(tmp_path)
    _setup_device(db)
    with db.transaction() as s:
        for _ in range(5):
            next_case_seq(s, "01")
        rebase(s, "01", case_seq=3, event_seq=40)
    with db.transaction() as s:
        assert next_case_seq(s, "01") == 6
        assert s.get(Device, "01").event_seq == 40


def test_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with db.transaction() as s:
            s.add(Site(code="X01", name="甲"))
            s.flush()
            raise RuntimeError("power cut simulation")
    except RuntimeError:
        pass
    with db.reading() as s:
        assert s.get(Site, "X01") is None
