"""The IT command line, run as a real process the way county IT runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from clerk_desk import __version__


def cd(
    data: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clerk_desk", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env} if env else None,
    )


def test_version() -> None:
    r = subprocess.run([sys.executable, "-m", "clerk_desk", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and __version__ in r.stdout


def test_site_window_user_db_round_trip(tmp_path: Path) -> None:
    r = cd(tmp_path, "site", "set", "--code", "421224101", "--name", "南林桥镇便民服务中心", "--device", "02")
    assert r.returncode == 0, r.stderr
    assert "南林桥镇便民服务中心" in cd(tmp_path, "site", "show").stdout
    assert cd(tmp_path, "window", "add", "综合窗口（一）", "--kind", "comprehensive").returncode == 0
    r = cd(tmp_path, "window", "add", "潮汐窗口", "--kind", "tidal", "--from", "2026-11-01", "--to", "2026-12-31",
           "--items", "LOCAL-YB-ea70fa87,LOCAL-YB-396be883")
    assert r.returncode == 0, r.stderr
    listing = cd(tmp_path, "window", "list").stdout
    assert "综合窗口（一）" in listing and "潮汐窗口" in listing and "2026-11-01~2026-12-31" in listing

    # The first account must be an administrator; the refusal stores nothing.
    r = cd(tmp_path, "user", "add", "clerk1", "--name", "张小红", "--role", "clerk", "--password", "Secret-123")
    assert r.returncode == 2 and "必须包含 admin" in r.stderr
    r = cd(tmp_path, "user", "add", "admin", "--name", "管理员", "--role", "admin", stdin="Secret-123\n")
    assert r.returncode == 0, r.stderr
    r = cd(tmp_path, "user", "add", "appr", "--name", "王芳", "--role", "approver", "--serves", "421224101:rs",
           "--password", "Secret-456", "--admin", "admin", "--password-stdin", stdin="Secret-123\n")
    assert r.returncode == 0, r.stderr
    users = cd(tmp_path, "user", "list").stdout
    assert "admin" in users and "421224101:rs" in users
    r = cd(tmp_path, "user", "reset-password", "appr", "--password", "Other-789x", "--admin", "admin",
           "--password-stdin", stdin="Secret-123\n")
    assert r.returncode == 0, r.stderr

    assert "0001_foundation" in cd(tmp_path, "db", "current").stdout or "最新" in cd(tmp_path, "db", "current").stdout
    r = cd(tmp_path, "db", "backup")
    assert r.returncode == 0 and "已备份到" in r.stdout
    backup = Path(r.stdout.split("：", 1)[1].strip())
    cd(tmp_path, "window", "add", "咨询服务窗口", "--kind", "consultation")
    r = cd(tmp_path, "db", "restore", str(backup))
    assert r.returncode == 0, r.stderr
    assert "咨询服务窗口" not in cd(tmp_path, "window", "list").stdout


def test_bad_input_gets_a_chinese_message_and_exit_2(tmp_path: Path) -> None:
    r = cd(tmp_path, "window", "add", "综合窗口", "--kind", "comprehensive")
    assert r.returncode == 2 and "请先设置本中心" in r.stderr
    r = cd(tmp_path, "site", "set", "--code", "x", "--name", "n", "--device", "01")
    assert r.returncode == 2 and "中心编码" in r.stderr
    r = cd(tmp_path, "db", "restore", str(tmp_path / "missing.sqlite3"))
    assert r.returncode == 2 and "不存在" in r.stderr


def test_the_county_sets_the_supervision_limits(tmp_path: Path) -> None:
    assert cd(tmp_path, "site", "set", "--code", "421224101", "--name", "南林桥镇便民服务中心", "--device", "02").returncode == 0
    r = cd(tmp_path, "site", "supervision")
    assert r.returncode == 0 and "流转后 30 分钟" in r.stdout and "返回窗口后 5 天" in r.stdout
    r = cd(tmp_path, "site", "supervision", "--sign-minutes", "45")
    assert r.returncode == 0 and "流转后 45 分钟" in r.stdout and "返回窗口后 5 天" in r.stdout
    r = cd(tmp_path, "site", "supervision", "--result-days", "0")
    assert r.returncode == 2 and "结果领取期限" in r.stderr
    assert "流转后 45 分钟" in cd(tmp_path, "site", "supervision").stdout


def test_newer_database_is_refused_by_the_cli_untouched(tmp_path: Path) -> None:
    assert cd(tmp_path, "db", "upgrade").returncode == 0
    db = tmp_path / "clerk_desk.sqlite3"
    with sqlite3.connect(db) as c:
        c.execute("UPDATE alembic_version SET version_num='9999_newer'")
    c.close()
    before = db.read_bytes()
    r = cd(tmp_path, "site", "show")
    assert r.returncode == 2 and "比本程序新" in r.stderr
    assert db.read_bytes() == before


def test_enrol_takes_the_hub_address_the_installer_wrote(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """County IT types only the code: the MSI wrote the hub address (here the INI file a non-Windows
    machine reads instead of HKLM\\Software\\ClerkDesk)."""
    from clerk_desk.store.database import Database
    from clerk_desk.sync import enrolment
    from tests.support.hub_server import HubAdmin, running_hub
    from tests.support.memory_keyring import FILE_ENV

    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))  # the token outlives the subprocess
    data = tmp_path / "desk"
    assert cd(data, "site", "set", "--code", "421224100", "--name", "通羊镇便民服务中心", "--device", "01").returncode == 0
    no_preset = tmp_path / "none.ini"
    monkeypatch.setenv("CLERK_DESK_MACHINE_CONFIG", str(no_preset))
    r = cd(data, "enrol", "--code", "AAAA-BBBB")
    assert r.returncode == 2 and "--hub" in r.stderr  # no preset and no --hub: a plain message, nothing stored
    with running_hub(tmp_path / "hub") as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site("421224100", "通羊镇")
        _device, code = admin.device("421224100", "clerk")
        preset = tmp_path / "machine.ini"
        preset.write_text(f"[ClerkDesk]\nHubUrl = {url}\nSiteCode = 421224100\n", encoding="utf-8")
        monkeypatch.setenv("CLERK_DESK_MACHINE_CONFIG", str(preset))
        r = cd(data, "enrol", "--code", code)
        assert r.returncode == 0, r.stderr
        assert "已注册：中心 421224100" in r.stdout
    db = Database(data)
    try:
        settings = enrolment.hub_settings(db)
        assert settings is not None and settings.url.rstrip("/") == url.rstrip("/")
    finally:
        db.close()


def test_any_command_that_upgrades_an_older_database_says_so(tmp_path: Path) -> None:
    # Every command opens the database and brings it to this version first (backup before): IT ran
    # `site show` on a PC with an older database and was told nothing, then `db upgrade` said 已是最新版本.
    from clerk_desk.store import migrate

    migrate.upgrade(tmp_path / "clerk_desk.sqlite3", target="0003_intake", make_backup=False)
    r = cd(tmp_path, "site", "show")
    assert r.returncode == 0, r.stderr
    assert "0003_intake" in r.stderr and migrate.head_revision() in r.stderr and "升级前备份" in r.stderr, r.stderr
    backup = r.stderr.split("升级前备份：", 1)[1].split()[0]
    assert Path(backup).is_file()
    again = cd(tmp_path, "site", "show")
    assert again.returncode == 0 and "升级" not in again.stderr  # once
    # an empty folder is set up, not "upgraded"
    fresh = cd(tmp_path / "new", "site", "show")
    assert fresh.returncode == 0 and "升级" not in fresh.stderr, fresh.stderr


def test_a_backup_to_a_folder_that_cannot_be_made_says_so(tmp_path: Path) -> None:
    # `db backup --to E:\备份` with the USB stick not plugged in: a Chinese line, not a traceback
    assert cd(tmp_path / "d", "site", "set", "--code", "421224100", "--name", "通羊镇", "--device", "01").returncode == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    r = cd(tmp_path / "d", "db", "backup", "--to", str(blocker / "backups"))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "备份" in r.stderr and str(blocker / "backups") in r.stderr, r.stderr


def test_sync_on_a_pc_not_enrolled_says_how_to_enrol(tmp_path: Path) -> None:
    r = cd(tmp_path, "sync", "status")
    assert r.returncode == 0 and "未注册" in r.stdout and "clerk-desk enrol --code" in r.stdout, r.stdout


def test_restoring_an_older_backup_says_it_was_upgraded(tmp_path: Path) -> None:
    from clerk_desk.store import migrate

    old = tmp_path / "old" / "clerk_desk.sqlite3"
    migrate.upgrade(old, target="0003_intake", make_backup=False)
    data = tmp_path / "d"
    assert cd(data, "site", "set", "--code", "421224100", "--name", "通羊镇", "--device", "01").returncode == 0
    r = cd(data, "db", "restore", str(old))
    assert r.returncode == 0, r.stderr
    assert "0003_intake" in r.stdout and f"升级到 {migrate.head_revision()}" in r.stdout, r.stdout
