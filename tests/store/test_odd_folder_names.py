"""A data folder whose name holds characters that mean something in a URL (``?``, ``#``, ``%``, a space): the
desk opens the database in that folder, not another file cut off at the ``?`` (Linux allows them all; Windows
all but ``?``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_desk.store import migrate
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import database_path


@pytest.mark.parametrize("name", ["hall?desk", "hall#2", "hall%20desk", "hall 100%"])
def test_the_database_is_the_one_in_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name / "data"
    db = Database(folder)
    with db.transaction() as s:
        s.connection().exec_driver_sql("INSERT INTO settings (key, value) VALUES ('marker', 'here')")
    db.close()
    path = database_path(folder)
    assert path.exists()
    assert migrate.current_revision(path) is not None  # read through the read-only path as well
    strays = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != folder and "desk" not in p.name]
    assert not [p for p in strays if p.suffix == ".db"], strays
    again = Database(folder)
    with again.reading() as s:
        assert s.connection().exec_driver_sql("SELECT value FROM settings WHERE key = 'marker'").scalar() == "here"
    again.close()
