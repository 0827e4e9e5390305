"""`clerk-desk sync status` tells county IT which catalog a hall PC finds items in and whether it took the
hub's: a real hub over HTTP on 127.0.0.1, the desk as real processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_desk.cli.sync_cmd import skew_text
from tests.cli.desk_with_hub import desk_with_hub
from tests.cli.test_it_commands import cd
from tests.support.catalogs import catalog_bytes, item


def test_sync_status_names_the_catalog_and_a_hub_file_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with desk_with_hub(tmp_path, monkeypatch) as (data, url, admin, code):
        assert cd(data, "enrol", "--code", code, "--hub", url).returncode == 0
        r = cd(data, "sync", "status")
        assert r.returncode == 0, r.stderr
        assert "事项目录：无" in r.stdout and "county-hub catalog publish" in r.stdout, r.stdout

        admin.publish("catalog", catalog_bytes("2026.5", [item("A-1", "甲事项")]))
        r = cd(data, "sync", "now")
        assert r.returncode == 0, r.stderr
        assert "事项目录：2026.5（县级平台发布，" in r.stdout and "导入）" in r.stdout, r.stdout

        newer = tmp_path / "newer.json"  # the hall imported a newer file by hand
        newer.write_bytes(catalog_bytes("2026.9", [item("A-1", "甲事项"), item("A-2", "乙事项")]))
        assert cd(data, "catalog", "import", str(newer)).returncode == 0
        admin.publish("catalog", catalog_bytes("2026.6", [item("A-1", "甲事项")]))
        r = cd(data, "sync", "now")
        assert "事项目录：2026.9（本机导入，" in r.stdout, r.stdout
        assert "县级平台的事项目录 2026.6 未采用：" in r.stdout, r.stdout

        # county IT revokes the PC: the first line no longer says 已注册
        admin.revoke(cd(data, "site", "show").stdout.split("本机编号：")[1].split()[0])
        r = cd(data, "sync", "status")
        assert "注册：已停用（见下方“最近错误”）" in r.stdout and "county-hub device add" in r.stdout, r.stdout


def test_the_clock_difference_is_never_minus_zero() -> None:
    assert skew_text(-0.3) == "+0 秒" and skew_text(0.4) == "+0 秒"
    assert skew_text(-2.6) == "-3 秒" and skew_text(125) == "+125 秒"


def test_a_hub_restored_from_a_backup_is_explained() -> None:
    from clerk_desk.cli.sync_cmd import explain_error

    text = explain_error("cursor_ahead: cursor 5 points at events lost when the hub was restored", True,
                         "https://hub.example.gov.cn")  # fmt: skip
    assert text.startswith("县级平台已从备份恢复：") and "无需操作" in text and "拒绝" not in text
