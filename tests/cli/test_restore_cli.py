"""`clerk-desk db restore` with a file that is not a Clerk Desk backup: an empty file (a copy that failed),
another program's SQLite file, the county hub's own database. Each is refused with a Chinese message
that says what the file is not, and the desk's database is left exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_it_commands import cd


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def desk(tmp_path: Path) -> Path:
    data = tmp_path / "desk"
    r = cd(data, "site", "set", "--code", "421224100", "--name", "通羊镇便民服务中心", "--device", "01")
    assert r.returncode == 0, r.stderr
    return data


def _hub_database(folder: Path) -> Path:
    r = subprocess.run([sys.executable, "-m", "county_hub", "migrate", "--data-dir", str(folder)],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    return folder / "hub.sqlite3"


def _foreign(path: Path) -> Path:
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE photos (name TEXT)")
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize("make", [_empty, _foreign, _hub_database], ids=["empty", "foreign", "hub"])
def test_a_file_that_is_not_a_desk_backup_is_refused_and_nothing_changes(
    desk: Path, tmp_path: Path, make
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "not-a-backup"
    if make is _hub_database:
        target.mkdir()
        file = make(target)
    else:
        file = make(target.with_suffix(".sqlite3"))
    db = desk / "clerk_desk.sqlite3"
    before = digest(db)
    r = cd(desk, "db", "restore", str(file))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "不是 Clerk Desk 的数据库备份" in r.stderr and "未恢复" in r.stderr, r.stderr
    assert "比本程序新" not in r.stderr
    assert digest(db) == before
    assert not list((desk / "backups").glob("*before-restore*")) if (desk / "backups").exists() else True
    assert "通羊镇便民服务中心" in cd(desk, "site", "show").stdout
