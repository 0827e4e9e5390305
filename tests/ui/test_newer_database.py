"""A database written by a newer app is refused with a plain message and left exactly as it was."""

from __future__ import annotations

import gc
import hashlib
import sqlite3
from pathlib import Path

from clerk_desk import app as desk_app
from clerk_desk.store.database import Database
from clerk_desk.store.engine import database_path


def _fingerprint(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size


def test_database_newer_than_the_app_is_refused_and_untouched(tmp_path: Path, start, notes) -> None:
    folder = tmp_path / "data"
    Database(folder).close()
    gc.collect()  # let go of any connection still open, so the checkpoint below is the last word
    db_file = database_path(folder)
    conn = sqlite3.connect(db_file)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, nothing pending
    conn.close()
    before = _fingerprint(db_file)
    siblings = sorted(p.name for p in folder.rglob("*") if p.name != desk_app.LOCK_FILENAME)

    s = start(demo=True, data_dir=folder)

    assert s.launch.exit_code == desk_app.EXIT_DATABASE
    [message] = notes.texts("error")
    assert "f00dfeed9999" in message and "比本程序新" in message
    assert s.printed == ""  # the demo site was not created
    gc.collect()  # a connection the refusal left open must not change the file when it goes either
    assert _fingerprint(db_file) == before
    assert sorted(p.name for p in folder.rglob("*") if p.name != desk_app.LOCK_FILENAME) == siblings
    # the lock was given back: the folder can be opened once the app is updated
    lock = desk_app.acquire_instance_lock(folder)
    assert lock is not None
    lock.unlock()
