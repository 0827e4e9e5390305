"""The public-counter protections as county IT meets them on the command line (docs/personal-data.md):
owner-only files, ``audit verify|show``, ``db restore`` onto a PC without the key, ``db purge``."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.cli.test_it_commands import cd


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def set_up(data: Path) -> None:
    assert (
        cd(
            data, "site", "set", "--code", "421224101", "--name", "南林桥镇便民服务中心", "--device", "02"
        ).returncode
        == 0
    )
    for name in ("综合窗口（一）", "综合窗口（二）", "综合窗口（三）"):
        assert cd(data, "window", "add", name, "--kind", "comprehensive").returncode == 0
    assert (
        cd(
            data, "user", "add", "admin", "--name", "管理员", "--role", "admin", "--password", "Secret-123"
        ).returncode
        == 0
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes; on Windows the installer sets the ACL")
def test_the_data_folder_and_everything_in_it_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    set_up(data)
    db = data / "clerk_desk.sqlite3"
    os.chmod(db, 0o644)  # as an older version left it
    (data / "logs").mkdir(exist_ok=True)  # the commands log there (as the GUI does)
    os.chmod(data / "logs", 0o755)
    (data / "logs" / "clerk-desk.log").write_text("old log\n")
    os.chmod(data / "logs" / "clerk-desk.log", 0o644)
    r = cd(data, "db", "backup")
    assert r.returncode == 0, r.stderr
    backup = Path(r.stdout.split("：", 1)[1].strip())
    elsewhere = cd(data, "db", "backup", "--to", str(tmp_path / "usb"))
    assert elsewhere.returncode == 0, elsewhere.stderr
    copied = Path(elsewhere.stdout.split("：", 1)[1].strip())
    assert mode(data) == 0o700
    assert mode(data / "backups") == 0o700 and mode(data / "logs") == 0o700
    for f in [db, backup, copied, data / "logs" / "clerk-desk.log", *data.glob("clerk_desk.sqlite3-*")]:
        assert mode(f) == 0o600, f
    # SQLite gives the -wal and -shm the database's own mode: open one and look.
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO settings(key, value) VALUES ('probe', 'x')")
    conn.commit()
    for f in data.glob("clerk_desk.sqlite3-*"):
        assert mode(f) == 0o600, f
    conn.close()


def _entries(data: Path) -> int:
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        return int(c.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def _tampered(src: Path, dest: Path, *sql: str) -> Path:
    """A copy of the data folder with the append-only triggers dropped and ``sql`` run on it."""
    shutil.copytree(src, dest)
    with sqlite3.connect(dest / "clerk_desk.sqlite3") as c:
        for trigger in ("audit_log_no_update", "audit_log_no_delete", "audit_log_chain_only"):
            c.execute(f"DROP TRIGGER {trigger}")
        for statement in sql:
            c.execute(statement)
    return dest


def test_audit_verify_names_the_first_broken_link(tmp_path: Path) -> None:
    data = tmp_path / "data"
    set_up(data)
    n = _entries(data)
    assert n >= 5
    ok = cd(data, "audit", "verify")
    assert ok.returncode == 0 and f"共 {n} 条" in ok.stdout

    shown = cd(data, "audit", "show", "--last", "3")
    assert shown.returncode == 0 and "user_add" in shown.stdout and str(n) in shown.stdout

    # The triggers refuse changes on the real file.
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        for statement in (
            "UPDATE audit_log SET actor = 'eve' WHERE id = 2",
            "DELETE FROM audit_log WHERE id = 2",
            "INSERT INTO audit_log (id, at, action, detail, hash) VALUES (999, '2026-01-01', 'x', '{}', 'h')",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="audit_log"):
                c.execute(statement)

    cases = {
        "edited": (['UPDATE audit_log SET detail = \'{"name": "eve"}\' WHERE id = 3'], "条目 3", "被改动"),
        "deleted": (["DELETE FROM audit_log WHERE id = 3"], "条目 4", "条目 3 不见了"),
        "reordered": (
            [
                "UPDATE audit_log SET id = -2 WHERE id = 2",
                "UPDATE audit_log SET id = 2 WHERE id = 3",
                "UPDATE audit_log SET id = 3 WHERE id = -2",
            ],
            "条目 2",
            "链接断开",
        ),
        "cut at the end": (
            [f"DELETE FROM audit_log WHERE id = {n}"],
            f"条目 {n - 1}",
            f"末尾的条目 {n} 不见了",
        ),
        "rehashed without the key": (
            ["UPDATE audit_log SET actor = 'eve', hash = 'f' || substr(hash, 2) WHERE id = 4"],
            "条目 4",
            "被改动",
        ),
    }
    for label, (sql, where, what) in cases.items():
        copy = _tampered(data, tmp_path / label.replace(" ", "-"), *sql)
        r = cd(copy, "audit", "verify")
        assert r.returncode == 1, (label, r.stdout, r.stderr)
        assert where in r.stdout and what in r.stdout, (label, r.stdout)
        assert re.search(r"（\d{4}-\d\d-\d\d \d\d:\d\d:\d\d）", r.stdout), (
            label,
            r.stdout,
        )  # the entry's time


def test_a_restore_onto_a_pc_without_the_key_says_so_plainly(tmp_path: Path) -> None:
    data = tmp_path / "pc1"
    set_up(data)
    r = cd(data, "db", "backup")
    backup = Path(r.stdout.split("：", 1)[1].strip())
    other = tmp_path / "pc2"
    set_up(other)
    env = {"CLERK_DESK_KEY_FILE": str(tmp_path / "pc2-key" / "personal-data.key")}
    set_up_other = cd(other, "db", "current", env=env)
    assert set_up_other.returncode == 0
    restored = cd(other, "db", "restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stderr
    assert (
        "已恢复" in restored.stdout
        and "另一台电脑的密钥" in restored.stderr
        and "无法读取" in restored.stderr
    )
    assert "Traceback" not in restored.stderr
    # Not a tampered log: one this PC cannot check. It says so and what to do, with its own exit code,
    # so a script that alarms on 1 (a broken chain) does not raise a false alarm.
    v = cd(other, "audit", "verify", env=env)
    assert v.returncode == 3, (v.stdout, v.stderr)
    assert "另一台电脑的密钥" in v.stdout and "无法校验" in v.stdout and "原电脑" in v.stdout
    assert "已被改动" not in v.stdout and "断开" not in v.stdout


def test_db_purge_and_retention(tmp_path: Path) -> None:
    data = tmp_path / "data"
    set_up(data)
    r = cd(data, "db", "retention")
    assert r.returncode == 0 and "180 天" in r.stdout
    assert "90 天" in cd(data, "db", "retention", "90").stdout
    bad = cd(data, "db", "retention", "0")
    assert bad.returncode == 2 and "保存期限" in bad.stderr
    dry = cd(data, "db", "purge", "--dry-run")
    assert dry.returncode == 0 and "试运行" in dry.stdout and "0 件" in dry.stdout
    done = cd(data, "db", "purge")
    assert done.returncode == 0 and "已清除" in done.stdout


def test_a_lost_key_is_said_in_chinese_by_every_command(tmp_path: Path) -> None:
    # The PC's key file is gone (a reinstalled system, a wrong CLERK_DESK_KEY_FILE): the desk makes a new
    # key and the database cannot be read with it. The log says so; county IT at the command line must
    # hear it too, in Chinese, once per command, whatever the command.
    data = tmp_path / "pc1"
    set_up(data)
    env = {"CLERK_DESK_KEY_FILE": str(tmp_path / "new-key" / "personal-data.key")}
    for command in (["site", "show"], ["user", "list"], ["sync", "status"]):
        r = cd(data, *command, env=env)
        assert r.returncode == 0, (command, r.stderr)
        assert r.stderr.count("另一台电脑的密钥") == 1 and "无法读取" in r.stderr, (command, r.stderr)
        assert "sealed with another PC's key" not in r.stderr and "Traceback" not in r.stderr
    assert "sealed with another PC's key" in (data / "logs" / "clerk-desk.log").read_text(encoding="utf-8")
    # with its own key back, nothing is said
    r = cd(data, "site", "show")
    assert r.returncode == 0 and "另一台电脑的密钥" not in r.stderr
