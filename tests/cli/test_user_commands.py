"""Local user commands (issue #10, item 3): an administrator's name and password for every change but the
very first administrator, none at all on a PC enrolled with the county hub, each refusal in the audit log.
Run as real processes without a terminal, the way a script or CI runs them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_desk.services import demo
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from tests.cli.test_it_commands import cd
from tests.support.hub_server import HubAdmin, running_hub

ADMIN_PW, CLERK_PW = "Secret-123", "Window-2026"


def _audit(folder: Path) -> list[tuple[str, str | None, dict]]:  # type: ignore[type-arg]
    with sqlite3.connect(folder / "clerk_desk.sqlite3") as c:
        rows = c.execute("SELECT action, actor, detail FROM audit_log ORDER BY id").fetchall()
    c.close()
    return [(a, actor, json.loads(d) if d else {}) for a, actor, d in rows]


def _refusals(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    return [d for a, _actor, d in _audit(folder) if a == "user_change_refused"]


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A set-up PC (not enrolled) with its first administrator, added without any credentials."""
    assert (
        cd(tmp_path, "site", "set", "--code", "421224100", "--name", "通羊镇", "--device", "02").returncode
        == 0
    )
    r = cd(
        tmp_path,
        "user",
        "add",
        "clerk0",
        "--name",
        "张",
        "--role",
        "clerk",
        "--password-stdin",
        stdin=f"{CLERK_PW}\n",
    )
    assert r.returncode == 2 and "必须包含 admin" in r.stderr
    r = cd(
        tmp_path,
        "user",
        "add",
        "admin",
        "--name",
        "管理员",
        "--role",
        "admin",
        "--password-stdin",
        stdin=f"{ADMIN_PW}\n",
    )
    assert r.returncode == 0, r.stderr
    return tmp_path


def test_without_a_terminal_the_password_comes_from_stdin_and_none_means_a_clear_message(desk: Path) -> None:
    r = cd(
        desk,
        "user",
        "add",
        "clerk1",
        "--name",
        "张小红",
        "--role",
        "clerk",
        "--admin",
        "admin",
        "--password-stdin",
        stdin=f"{ADMIN_PW}\n",
    )  # the new account's password is missing
    assert r.returncode == 2 and "没有提供新账户的密码" in r.stderr and "--password-stdin" in r.stderr


def test_once_an_admin_exists_a_change_needs_the_admins_name_and_password(desk: Path) -> None:
    r = cd(desk, "user", "add", "eve", "--name", "伊夫", "--role", "admin", "--password", "Eve-2026-x")
    assert r.returncode == 2
    assert (
        "需要系统管理员的用户名和密码" in r.stderr
        and "--admin" in r.stderr
        and "--password-stdin" in r.stderr
    )
    r = cd(
        desk,
        "user",
        "add",
        "eve",
        "--name",
        "伊夫",
        "--role",
        "admin",
        "--password",
        "Eve-2026-x",
        "--admin",
        "admin",
        "--password-stdin",
        stdin="wrong-pass-1\n",
    )
    assert r.returncode == 2 and "管理员身份验证失败" in r.stderr
    assert "eve" not in cd(desk, "user", "list").stdout
    r = cd(
        desk,
        "user",
        "add",
        "clerk1",
        "--name",
        "张小红",
        "--role",
        "clerk",
        "--admin",
        "admin",
        "--password-stdin",
        stdin=f"{ADMIN_PW}\n{CLERK_PW}\n",
    )
    assert r.returncode == 0, r.stderr
    # A clerk cannot approve, even with the right password.
    r = cd(
        desk,
        "user",
        "reset-password",
        "admin",
        "--password",
        "Taken-over-1",
        "--admin",
        "clerk1",
        "--password-stdin",
        stdin=f"{CLERK_PW}\n",
    )
    assert r.returncode == 2 and "不是系统管理员" in r.stderr
    r = cd(desk, "user", "reset-password", "clerk1", "--password", "Fresh-4567")
    assert r.returncode == 2 and "--admin" in r.stderr
    r = cd(
        desk,
        "user",
        "reset-password",
        "clerk1",
        "--admin",
        "admin",
        "--password-stdin",
        stdin=f"{ADMIN_PW}\nFresh-4567\n",
    )
    assert r.returncode == 0, r.stderr
    refusals = _refusals(desk)
    assert [(d["command"], d["reason"]) for d in refusals] == [
        ("user add", "no administrator credentials"),
        ("user add", "administrator sign-in failed"),
        ("user reset-password", "not an administrator"),
        ("user reset-password", "no administrator credentials"),
    ]
    audit = _audit(desk)
    assert ("login_failed", "admin", {}) in audit  # a wrong administrator password counts toward the lockout
    assert [actor for a, actor, _d in audit if a in ("user_added", "password_reset")] == [
        "cli",
        "admin",
        "admin",
    ]


@pytest.fixture
def enrolled_desk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "desk"
    with running_hub(tmp_path / "hub") as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(demo.DEMO_SITE[0], demo.DEMO_SITE[1])
        db = Database(folder)
        try:
            demo.ensure_demo_site(db)
            enrolment.enrol(db, url, admin.device(demo.DEMO_SITE[0], "clerk")[1])
        finally:
            db.close()
        yield folder


def test_on_an_enrolled_desk_accounts_come_from_the_hub(enrolled_desk: Path) -> None:
    admin_pw = next(
        a.password for a in demo._read(enrolled_desk / demo.ACCOUNTS_FILE) if a.username == "admin"
    )
    for extra, stdin in (([], None), (["--admin", "admin", "--password-stdin"], f"{admin_pw}\nEve-2026-x\n")):
        r = cd(enrolled_desk, "user", "add", "eve", "--name", "伊夫", "--role", "admin", *extra, stdin=stdin)
        assert r.returncode == 2
        assert "账户由县级平台统一管理" in r.stderr and "county-hub user add" in r.stderr
    assert "eve" not in cd(enrolled_desk, "user", "list").stdout
    assert [(d["command"], d["username"]) for d in _refusals(enrolled_desk)] == [("user add", "eve")] * 2
    # Other changes still work, with the administrator's password.
    r = cd(
        enrolled_desk,
        "user",
        "reset-password",
        "clerk1",
        "--password",
        "Fresh-4567",
        "--admin",
        "admin",
        "--password-stdin",
        stdin=f"{admin_pw}\n",
    )
    assert r.returncode == 0, r.stderr
