"""0001 -> 0002: a database with users and windows gains the catalog tables and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clerk_desk.services import catalog_service as cs
from clerk_desk.store import migrate
from clerk_desk.store.database import Database
from clerk_desk.store.engine import database_path

CATALOG_TABLES = {
    "catalog_versions",
    "catalog_lists",
    "catalog_items",
    "catalog_materials",
    "catalog_themes",
    "catalog_theme_items",
}


def _fill_0001(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO departments (code, name, sort_order) VALUES ('mz', '民政', 2)")
        conn.execute("INSERT INTO sites (code, name) VALUES ('421224100', '通羊镇便民服务中心')")
        conn.execute(
            "INSERT INTO windows (id, site_code, name, kind, department_code, active, sort_order) "
            "VALUES ('w1', '421224100', '综合窗口（一）', 'comprehensive', NULL, 1, 0)"
        )
        conn.execute(
            "INSERT INTO users (id, username, display_name, password_verifier, roles, active, failed_logins, "
            "must_change_password, source, created_at) VALUES ('u1', 'clerk1', '张小红', 'x', '[\"clerk\"]', 1, 0, "
            "0, 'local', '2026-01-05 01:00:00')"
        )


def test_upgrade_from_0001_keeps_data(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    migrate.upgrade(path, target="0001_foundation", make_backup=False)
    assert migrate.current_revision(path) == "0001_foundation"
    _fill_0001(path)

    result = migrate.upgrade(path)
    assert result.before == "0001_foundation" and result.after == migrate.head_revision()
    assert result.backup is not None and result.backup.exists()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables >= CATALOG_TABLES
        assert conn.execute("SELECT username, display_name FROM users").fetchall() == [("clerk1", "张小红")]
        assert conn.execute("SELECT name, kind FROM windows").fetchall() == [
            ("综合窗口（一）", "comprehensive")
        ]
        assert conn.execute("SELECT name FROM departments WHERE code='mz'").fetchone() == ("民政",)

    db = Database(tmp_path)  # the app opens it and the demo catalog loads into it
    try:
        assert cs.ensure_demo_catalog(db) is not None
        assert cs.search(db, "低保")
    finally:
        db.close()


def test_upgrade_to_situations_keeps_items_and_materials(tmp_path: Path) -> None:
    """0003 -> 0005: items gain situations, materials copies of each form and an unknown 容缺; the
    stored pinyin keys go (the index is built from the names), and the catalog is searchable at once."""
    path = database_path(tmp_path)
    migrate.upgrade(path, target="0003_intake", make_backup=False)
    _fill_0001(path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO catalog_items (id, code, is_local_code, name, department_code, lists, keywords, delivery,"
            " sources, sort_order, catalog_version, first_version) VALUES (1, 'MZ1', 0, '最低生活保障申请', 'mz',"
            " '[]', '[\"低保\"]', '[]', '[]', 0, '2026.1', '2026.1')"
        )
        conn.execute(
            "INSERT INTO catalog_materials (item_id, position, name, form, copies, required, waivable)"
            " VALUES (1, 0, '身份证', 'original_and_copy', 2, 1, 1)"
        )
        conn.execute(
            "INSERT INTO catalog_search_keys (item_id, key, kind, weight) VALUES (1, 'dibao', 'keyword', 70)"
        )
    migrate.upgrade(path)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "catalog_search_keys" not in tables
        assert conn.execute("SELECT situations FROM catalog_items").fetchone() == ("[]",)
        row = conn.execute(
            "SELECT name, copies, copies_original, copies_copy, waivable, applies_when FROM catalog_materials"
        ).fetchone()
        assert row == ("身份证", 2, None, None, 1, None)
    db = Database(tmp_path)
    try:
        item = cs.get_item(db, "MZ1")
        assert item.situations == () and item.materials[0].waivable is True and item.materials[0].when == ()
        assert [h.code for h in cs.search(db, "dibao")] == ["MZ1"]
    finally:
        db.close()
