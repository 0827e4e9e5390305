"""Migrations: upgrade with data intact, refuse a newer database untouched, backup and restore."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from clerk_desk.store import migrate
from clerk_desk.store.database import Database
from clerk_desk.store.engine import database_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _revisions_oldest_first() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def _seed_foundation_rows(db_path: Path) -> None:
    with sqlite3.connect(db_path) as c:
        c.execute("INSERT INTO sites(code, name) VALUES ('421224100', '通羊镇便民服务中心')")
        c.execute("INSERT INTO departments(code, name, sort_order) VALUES ('rs', '人社', 0)")
        c.execute(
            "INSERT INTO windows(id, site_code, name, kind, active, sort_order) "
            "VALUES ('w1', '421224100', '综合窗口（一）', 'comprehensive', 1, 0)"
        )
        c.execute(
            "INSERT INTO users(id, username, display_name, password_verifier, roles, active, failed_logins,"
            " must_change_password, source, created_at) VALUES ('u1', 'clerk1', '张小红', 'scrypt$x', '[\"clerk\"]',"
            " 1, 0, 0, 'local', '2026-11-26 01:00:00')"
        )


def test_every_revision_upgrades_to_head_with_data_intact(tmp_path: Path) -> None:
    revisions = _revisions_oldest_first()
    assert revisions[0] == "0001_foundation"
    for start in revisions:
        db = tmp_path / f"from-{start}.sqlite3"
        migrate.upgrade(db, make_backup=False, target=start)
        _seed_foundation_rows(db)
        result = migrate.upgrade(db)
        assert result.after == migrate.head_revision()
        with sqlite3.connect(db) as c:
            assert c.execute("SELECT name FROM windows WHERE id='w1'").fetchone() == ("综合窗口（一）",)
            assert c.execute("SELECT display_name FROM users WHERE username='clerk1'").fetchone() == ("张小红",)
        if start != migrate.head_revision():
            assert result.backup is not None and result.backup.exists()
            # A backup that held personal data in clear is brought to the sealed revision too
            # (docs/personal-data.md); a later one keeps the revision it was taken at.
            kept = migrate.head_revision() if migrate.holds_plaintext(start) else start
            with sqlite3.connect(result.backup) as c:
                assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (kept,)


def test_database_newer_than_app_is_refused_and_left_untouched(tmp_path: Path) -> None:
    Database(tmp_path).close()
    path = database_path(tmp_path)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    c.close()
    before = _digest(path)
    files_before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(migrate.DatabaseNewerThanApp) as err:
        Database(tmp_path)
    assert "比本程序新" in str(err.value)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before  # no backup, no new file


def test_backup_captures_commits_still_in_the_wal(tmp_path: Path) -> None:
    db = Database(tmp_path)
    with db.transaction() as s:
        from clerk_desk.store.models import Site

        s.add(Site(code="421224100", name="通羊镇"))
    # The engine keeps its connection open, so the row is in the -wal file, not yet in the main file.
    assert Path(str(db.path) + "-wal").exists()
    dest = migrate.backup(db.path, tmp_path / "bk")
    with sqlite3.connect(dest) as c:
        assert c.execute("SELECT name FROM sites").fetchall() == [("通羊镇",)]
    db.close()


def test_restore_brings_a_backup_back_and_keeps_the_replaced_file(tmp_path: Path) -> None:
    from clerk_desk.store.models import Site

    db = Database(tmp_path)
    with db.transaction() as s:
        s.add(Site(code="AAA", name="甲"))
    saved = migrate.backup(db.path, label="manual")
    with db.transaction() as s:
        s.add(Site(code="BBB", name="乙"))
    db.close()
    safety = migrate.restore(saved, database_path(tmp_path))
    with sqlite3.connect(database_path(tmp_path)) as c:
        assert c.execute("SELECT code FROM sites ORDER BY code").fetchall() == [("AAA",)]
    with sqlite3.connect(safety) as c:
        assert c.execute("SELECT code FROM sites ORDER BY code").fetchall() == [("AAA",), ("BBB",)]


def test_restore_refuses_a_corrupt_backup(tmp_path: Path) -> None:
    Database(tmp_path).close()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = _digest(database_path(tmp_path))
    with pytest.raises((migrate.BackupError, sqlite3.DatabaseError)):
        migrate.restore(bad, database_path(tmp_path))
    assert _digest(database_path(tmp_path)) == before


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """Migration 0004 changed column types and indexes by hand: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from clerk_desk.store.schema import metadata

    db = Database(tmp_path)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
    finally:
        db.close()


def test_the_expression_index_is_the_models_one(tmp_path: Path) -> None:
    """Autogenerate cannot compare an index on an expression (ix_cases_number_day, migration 0014): the migrated
    file's definition is the one the models create."""
    import sqlalchemy as sa

    from clerk_desk.store.schema import metadata

    Database(tmp_path / "migrated").close()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'created.sqlite3'}")
    metadata.create_all(engine)
    engine.dispose()
    sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_cases_number_day'"
    with sqlite3.connect(database_path(tmp_path / "migrated")) as m, sqlite3.connect(tmp_path / "created.sqlite3") as c:
        migrated, created = m.execute(sql).fetchone(), c.execute(sql).fetchone()
    assert migrated is not None and migrated == created
    assert "substr(case_number, 1, 21)" in migrated[0]


def test_the_answer_drafts_revision_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    """0016 adds ``order_answer_drafts`` (an unsent 督办单 answer, sealed): downgraded to 0015 the table goes and
    the rest stays; upgraded again it is back, empty, and takes a draft."""
    from alembic import command

    from clerk_desk.services import answer_drafts

    db = Database(tmp_path)
    with db.plain_transaction() as c:
        c.execute("INSERT INTO sites(code, name) VALUES ('421224100', '通羊镇便民服务中心')")
        c.execute(
            "INSERT INTO users(id, username, display_name, password_verifier, roles, active, failed_logins,"
            " must_change_password, source, created_at) VALUES ('u1', 'clerk1', '张小红', 'scrypt$x', '[\"clerk\"]',"
            " 1, 0, 0, 'local', '2026-11-26 01:00:00')"
        )
    answer_drafts.keep(db, "u1", "order-1", "已催办")
    keys = db.keys
    db.close()
    path = database_path(tmp_path)

    engine = migrate._plain_engine(path, keys)
    try:
        with engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0015_decision_drafts")
    finally:
        engine.dispose()
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == ("0015_decision_drafts",)
        assert c.execute("SELECT name FROM sqlite_master WHERE name = 'order_answer_drafts'").fetchone() is None
        assert c.execute("SELECT display_name FROM users WHERE id = 'u1'").fetchone() == ("张小红",)
    c.close()

    db = Database(tmp_path)  # opening upgrades to head again
    try:
        assert migrate.current_revision(path) == migrate.head_revision()
        assert answer_drafts.kept(db, "u1", ["order-1"]) == {}
        answer_drafts.keep(db, "u1", "order-1", "已催办")
        assert answer_drafts.kept(db, "u1", ["order-1"]) == {"order-1": "已催办"}
    finally:
        db.close()
