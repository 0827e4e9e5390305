"""Who may change local accounts (services/accounts.py): on an enrolled PC none are added locally (the admin
tab's dialog goes through the same add_user), and an administrator's password is checked like a sign-in.
Every refusal is in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_desk.domain.errors import AuthError, InputError
from clerk_desk.services import accounts, site_setup
from clerk_desk.store.database import Database
from clerk_desk.store.models import AuditEntry, Setting


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path)
    site_setup.set_site(d, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    accounts.add_user(d, username="admin", display_name="管理员", password="Secret-123", roles=["admin"])
    accounts.add_user(d, username="clerk1", display_name="张小红", password="Window-2026", roles=["clerk"])
    return d


def _refusals(db: Database) -> list[dict]:  # type: ignore[type-arg]
    with db.reading() as s:
        return [
            dict(a.detail) | {"actor": a.actor}
            for a in s.query(AuditEntry).filter_by(action=accounts.REFUSED)
        ]


def test_an_enrolled_pc_adds_no_local_account(db: Database) -> None:
    assert accounts.admin_exists(db) and not accounts.is_enrolled(db)
    with db.transaction() as s:
        s.add(Setting(key="hub_url", value="https://hub.example"))  # what enrolment writes
    assert accounts.is_enrolled(db)
    with pytest.raises(InputError, match="county-hub user add"):
        accounts.add_user(
            db, username="eve", display_name="伊夫", password="Eve-2026-x", roles=["admin"], actor="admin"
        )
    assert "eve" not in {u.username for u in accounts.list_users(db)}
    assert _refusals(db) == [
        {
            "command": "user add",
            "reason": "enrolled: accounts come from the hub",
            "username": "eve",
            "actor": "admin",
        }
    ]
    # The hub's directory and the demo set-up write their own accounts (source hub / demo), not this path.
    accounts.add_user(
        db, username="demo2", display_name="演示", password="Demo-2026-x", roles=["clerk"], source="demo"
    )


def test_the_administrator_is_checked_like_a_sign_in(db: Database) -> None:
    assert accounts.authorize_admin(db, "admin", "Secret-123", what="user add").username == "admin"
    with pytest.raises(AuthError, match="--admin"):
        accounts.authorize_admin(db, None, None, what="user add")
    with pytest.raises(AuthError, match="管理员身份验证失败"):
        accounts.authorize_admin(db, "admin", "wrong-pass-1", what="user add")
    with pytest.raises(AuthError, match="不是系统管理员"):
        accounts.authorize_admin(db, "clerk1", "Window-2026", what="user reset-password")
    with pytest.raises(AuthError, match="管理员身份验证失败"):
        accounts.authorize_admin(db, "nobody", "Secret-123", what="user add")
    assert [r["reason"] for r in _refusals(db)] == [
        "no administrator credentials",
        "administrator sign-in failed",
        "not an administrator",
        "administrator sign-in failed",
    ]
