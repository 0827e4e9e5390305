"""Local accounts on a real SQLite file: verifiers, lockout, audit trail."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.errors import AuthError, InputError
from clerk_desk.services import accounts, sign_in, site_setup
from clerk_desk.store.database import Database
from clerk_desk.store.models import AuditEntry, User, utcnow


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path)
    site_setup.set_site(d, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    return d


def test_password_is_stored_as_a_scrypt_verifier_never_in_clear(db: Database) -> None:
    accounts.add_user(db, username="admin", display_name="管理员", password="Secret-123", roles=["admin"])
    with db.reading() as s:
        u = s.query(User).one()
        assert u.password_verifier.startswith("scrypt$")
        assert "Secret-123" not in u.password_verifier
    assert b"Secret-123" not in db.path.read_bytes()
    assert accounts.authenticate(db, "admin", "Secret-123").has("admin")


def test_five_failures_lock_the_account_and_a_reset_unlocks_it(db: Database) -> None:
    accounts.add_user(db, username="clerk1", display_name="张小红", password="Secret-123", roles=["clerk"])
    messages = []
    for _ in range(5):
        with pytest.raises(AuthError) as err:
            accounts.authenticate(db, "clerk1", "wrong-pass1")
        messages.append(err.value.message_zh)
    assert set(messages) == {sign_in.FAILED}  # the lock itself is not announced to a guesser
    with pytest.raises(AuthError, match="已锁定"):
        accounts.authenticate(db, "clerk1", "Secret-123")  # right password, still locked
    later = utcnow() + timedelta(days=400)  # the wall clock moved: the lockout does not care
    with pytest.raises(AuthError, match="已锁定"):
        accounts.authenticate(db, "clerk1", "Secret-123", now=later)
    accounts.reset_password(db, "clerk1", "Secret-456", actor="admin", must_change=False)
    assert accounts.authenticate(db, "clerk1", "Secret-456").username == "clerk1"
    with db.reading() as s:
        actions = [a.action for a in s.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions.count("login_failed") == 4 and "locked" in actions and actions[-1] == "login"
    assert actions.count("login_refused_locked") == 2


def test_reset_password_unlocks_and_forces_a_change(db: Database) -> None:
    accounts.add_user(db, username="clerk1", display_name="张小红", password="Secret-123", roles=["clerk"])
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.authenticate(db, "clerk1", "nope-nope1")
    accounts.reset_password(db, "clerk1", "Fresh-4567", actor="admin")
    u = accounts.authenticate(db, "clerk1", "Fresh-4567")
    assert u.must_change_password
    accounts.change_own_password(db, "clerk1", "Fresh-4567", "Mine-78901")
    assert not accounts.authenticate(db, "clerk1", "Mine-78901").must_change_password


def test_unknown_user_and_inactive_user_get_the_same_message(db: Database) -> None:
    accounts.add_user(db, username="gone", display_name="离职", password="Secret-123", roles=["clerk"])
    accounts.set_active(db, "gone", False)
    with pytest.raises(AuthError) as a:
        accounts.authenticate(db, "gone", "Secret-123")
    with pytest.raises(AuthError) as b:
        accounts.authenticate(db, "nobody", "Secret-123")
    assert a.value.message_zh == b.value.message_zh == sign_in.FAILED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"username": "a b"}, "用户名"),
        ({"password": "short1"}, "至少需要 8 位"),
        ({"password": "onlyletters"}, "字母和数字"),
        ({"roles": ["boss"]}, "未知角色"),
        ({"roles": ["approver"]}, "服务的中心和部门"),
        ({"display_name": " "}, "姓名"),
    ],
)
def test_bad_account_input_gets_a_chinese_message(db: Database, kwargs: dict, message: str) -> None:
    base = {"username": "clerk9", "display_name": "某人", "password": "Secret-123", "roles": ["clerk"]}
    with pytest.raises(InputError, match=message):
        accounts.add_user(db, **{**base, **kwargs})
    assert accounts.list_users(db) == []


def test_approver_serves_site_department_pairs(db: Database) -> None:
    u = accounts.add_user(
        db,
        username="appr",
        display_name="王芳",
        password="Secret-123",
        roles=["approver"],
        serves=[("421224100", "rs"), ("421224100", "mz")],
    )
    assert set(u.serves) == {("421224100", "rs"), ("421224100", "mz")}
    with pytest.raises(InputError, match="已存在"):
        accounts.add_user(db, username="appr", display_name="重复", password="Secret-123", roles=["clerk"])
