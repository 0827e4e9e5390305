"""The plain-SQL path (no SQLAlchemy) reads and writes the same file, in the same formats, as the ORM."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clerk_desk.domain.errors import StorageError
from clerk_desk.services import accounts, sign_in, site_setup, workplace
from clerk_desk.store.database import Database
from clerk_desk.store.models import AuditEntry, User
from clerk_desk.store.sqlite_file import from_db, to_db

REPO = Path(__file__).resolve().parents[2]


def test_datetimes_written_by_the_orm_read_back_the_same(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        at = datetime(2026, 11, 26, 7, 30, 1, 5, tzinfo=UTC)
        with db.transaction() as s:
            s.add(AuditEntry(action="probe", actor="t", detail={"k": "值"}, at=at))
        with db.plain_reading() as c:
            raw, detail = c.execute("SELECT at, detail FROM audit_log WHERE action = 'probe'").fetchone()
        assert raw == to_db(at)  # keyset parameters compare as text: the formats must be identical
        assert from_db(raw) == at
        assert detail == '{"k": "\\u503c"}'
    finally:
        db.close()


def test_sign_in_bookkeeping_in_plain_sql_is_seen_by_the_orm(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        site_setup.set_site(db, site_code="421224100", site_name="通羊镇", device_code="01")
        accounts.add_user(db, username="wang", display_name="王芳", password="Window-2026a", roles=["clerk", "approver"],
                          serves=[("421224100", "rs"), ("421224100", "mz")], source="local", actor="t")  # fmt: skip
        assert sign_in.has_users(db)
        for _ in range(2):
            with pytest.raises(Exception, match="用户名或密码不正确"):
                sign_in.authenticate(db, "wang", "wrong-password-1")
        with db.reading() as s:
            assert s.query(User).one().failed_logins == 2
        user = sign_in.authenticate(db, " wang ", "Window-2026a")
        assert user == next(u for u in accounts.list_users(db) if u.username == "wang")
        assert user.serves == (("421224100", "mz"), ("421224100", "rs"))
        with db.reading() as s:
            assert s.query(User).one().failed_logins == 0
            actions = [a.action for a in s.query(AuditEntry).order_by(AuditEntry.id)]
        assert actions[-3:] == ["login_failed", "login_failed", "login"]
        assert workplace.site_info(db).site_name == "通羊镇"
    finally:
        db.close()


def test_a_failed_plain_write_keeps_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        with pytest.raises(ZeroDivisionError), db.plain_transaction() as c:
            c.execute("INSERT INTO settings (key, value) VALUES ('half', 'written')")
            1 / 0  # noqa: B018
        with db.plain_reading() as c:
            assert c.execute("SELECT count(*) FROM settings WHERE key = 'half'").fetchone()[0] == 0
        with pytest.raises(StorageError), db.plain_transaction() as c:
            c.execute("INSERT INTO no_such_table VALUES (1)")
    finally:
        db.close()


def test_close_waits_for_a_query_running_on_another_thread(tmp_path: Path) -> None:
    """Closing from the GUI thread never pulls the connection out from under a worker's query."""
    db = Database(tmp_path)
    inside, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def worker() -> None:
        with db.plain_reading() as c:
            inside.set()
            release.wait(5)
            seen.append(c.execute("SELECT count(*) FROM windows").fetchone()[0])

    t = threading.Thread(target=worker)
    t.start()
    assert inside.wait(5)
    db.close()
    release.set()
    t.join(5)
    assert seen == [0]
    assert workplace.list_windows(db) == []  # a closed database opens a new connection when used again
    db.close()


def test_the_start_up_path_does_not_load_sqlalchemy() -> None:
    """Sign-in (with the window pick), the main window and the case list import no SQLAlchemy: it costs
    about a third of the 1 s cold-start budget (benchmarks/cold_start.py). Nor ``cryptography``: it is
    loaded when the first sealed value is opened (store/data_keys.py)."""
    code = (
        "import sys\n"
        "import clerk_desk.app, clerk_desk.ui.startup, clerk_desk.ui.cases.cases_page\n"
        "import clerk_desk.services.sign_in, clerk_desk.services.workplace, clerk_desk.services.case_queries\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'keyring',"
        " 'cryptography'))\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
