"""The hub's user directory never takes over an account created on this PC.

What the issue found: a (fake) hub's /users answer naming the local admin turned it into a hub account
with a new display name, and the hub's password then signed in. Here the real hub names a local account;
the local account keeps its source, verifier, display name and roles; the clash is audited once and
offered once for showing; the hub's own accounts still arrive and follow the hub.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import AuthError
from clerk_desk.services import accounts
from clerk_desk.store.models import AuditEntry, User
from clerk_desk.sync import directory, enrolment
from tests.support.hub_server import grant_demo_roles
from tests.sync.conftest import SITE, Desk, make_desk

LOCAL_PASSWORD = "Local-Admin-2026"
HUB_PASSWORD = "Hub-Chosen-2026"


def _user(desk: Desk, name: str) -> User:
    with desk.db.reading() as s:
        u = s.scalars(select(User).where(User.username == name)).one()
        s.expunge(u)
        return u


def _audits(desk: Desk, action: str) -> list[AuditEntry]:
    with desk.db.reading() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def desk(hub, tmp_path: Path) -> Desk:
    """A PC whose administrator was made on it before it was enrolled (accounts come from the hub after)."""
    url, admin = hub
    d = make_desk(tmp_path / "desk", url, admin, enrol=False)
    accounts.add_user(d.db, username="zhangadmin", display_name="张管理", password=LOCAL_PASSWORD, roles=["admin"],
                      source="local", actor="setup")
    grant_demo_roles(admin, SITE)
    enrolment.enrol(d.db, url, admin.device(SITE, "clerk")[1])
    return d


def test_a_hub_entry_never_takes_over_a_local_account(hub, desk: Desk) -> None:
    _url, admin = hub
    before = _user(desk, "zhangadmin")
    admin.user("zhangadmin", HUB_PASSWORD, roles=("clerk",), site=SITE, display_name="冒名管理员")
    admin.user("zhaoli", "Window-2026", roles=("clerk",), site=SITE, display_name="赵丽")
    desk.engine.run_once()
    assert desk.engine.status().last_success is not None

    after = _user(desk, "zhangadmin")
    assert (after.source, after.display_name, after.password_verifier, after.roles, after.active) == (
        "local", "张管理", before.password_verifier, ["admin"], True)
    assert accounts.authenticate(desk.db, "zhangadmin", LOCAL_PASSWORD).display_name == "张管理"
    with pytest.raises(AuthError):
        accounts.authenticate(desk.db, "zhangadmin", HUB_PASSWORD)
    # A demo desk's fixture accounts are the hub's to take (the hub here knows clerk1: grant_demo_roles).
    assert _user(desk, "clerk1").source == "hub"
    # The hub's own account arrived as a hub account.
    assert _user(desk, "zhaoli").source == "hub"
    assert accounts.authenticate(desk.db, "zhaoli", "Window-2026").display_name == "赵丽"

    clashes = _audits(desk, "directory_clash")
    assert [(a.detail["username"], a.detail["local_source"]) for a in clashes] == [("zhangadmin", "local")]
    assert directory.clashes_to_show(desk.db) == ["zhangadmin"]

    # The directory changes again (a new ETag): the same clash is not audited again; once shown, not offered again.
    admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
               display_name="王芳")
    desk.engine.run_once()
    assert _user(desk, "wangfang").source == "hub"
    assert len(_audits(desk, "directory_clash")) == 1
    directory.mark_shown(desk.db, ["zhangadmin"])
    assert directory.clashes_to_show(desk.db) == []
    assert _user(desk, "zhangadmin").display_name == "张管理"


def test_malformed_entries_are_skipped_and_hub_accounts_follow_the_hub(desk: Desk) -> None:
    good = {"username": "liuyang", "display_name": "刘洋", "verifier": "x" * 60, "roles": ["clerk"], "serves": [],
            "active": True}
    hostile = [
        {"username": "", "display_name": "空", "verifier": "v", "roles": ["clerk"]},
        {"username": "eve", "display_name": "x" * 500, "verifier": "v", "roles": ["clerk"]},
        {"username": "eve2", "display_name": "伊娃\u0000", "verifier": "v", "roles": ["clerk"]},
        {"username": "eve3", "display_name": "伊娃", "verifier": "v", "roles": ["root"], "serves": "x"},
        {"username": "eve4", "display_name": "伊娃", "verifier": "v", "roles": "admin"},
        {"username": "eve5", "display_name": "伊娃", "verifier": "v", "roles": ["clerk"], "serves": [{"x": 1}]},
        ["not", "an", "object"],
        {**good, "display_name": "刘洋（重复）"},  # the same name twice: the first wins
    ]
    assert directory.apply_directory(desk.db, [good, *hostile], "etag-1") == 1
    names = {u.username for u in accounts.list_users(desk.db)}
    assert "liuyang" in names and not names & {"eve", "eve2", "eve3", "eve4", "eve5"}
    assert _user(desk, "liuyang").display_name == "刘洋"
    # Renamed at the hub, then dropped: a hub account follows, and is deactivated, never deleted.
    directory.apply_directory(desk.db, [{**good, "display_name": "刘阳"}], "etag-2")
    assert _user(desk, "liuyang").display_name == "刘阳"
    directory.apply_directory(desk.db, [], "etag-3")
    assert _user(desk, "liuyang").active is False
    assert _user(desk, "zhangadmin").active is True  # a local account is not the hub's to deactivate
