"""Local accounts: add, list, reset password, sign in with a lockout after repeated failures.

Before enrolment with the hub (demo, first start) these local accounts serve; afterwards the hub's
directory is synced into the same table (source = "hub").
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import InputError, NotFound
from clerk_desk.domain.org import Role
from clerk_desk.services import audit
from clerk_desk.services.sign_in import LOCKOUT, MAX_FAILED_LOGINS, UserInfo, authenticate, has_users
from clerk_desk.store.database import Database
from clerk_desk.store.models import User, UserService

__all__ = ["LOCKOUT", "MAX_FAILED_LOGINS", "UserInfo", "authenticate", "has_users"]
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")


def _info(u: User) -> UserInfo:
    return UserInfo(
        u.id,
        u.username,
        u.display_name,
        tuple(u.roles),
        u.active,
        u.locked_until,
        u.must_change_password,
        tuple(sorted((sv.site_code, sv.department_code) for sv in u.serves)),
        u.source,
    )


def _check_roles(roles: list[str]) -> list[str]:
    if not roles:
        raise InputError("至少需要一个角色")
    out = []
    for r in roles:
        try:
            out.append(Role(r).value)
        except ValueError:
            raise InputError(f"未知角色：{r}。可选：clerk、approver、supervisor、admin") from None
    return sorted(set(out))


def _strong(password: str) -> None:
    try:
        passwords.check_strength(password)
    except passwords.WeakPassword as exc:
        raise InputError(exc.message_zh) from None


def add_user(
    db: Database,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: list[str],
    serves: list[tuple[str, str]] = (),  # type: ignore[assignment]
    source: str = "local",
    must_change_password: bool = False,
    actor: str | None = None,
) -> UserInfo:
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise InputError("用户名应为 2-32 位字母、数字或 _ . -")
    if not display_name.strip():
        raise InputError("请填写姓名")
    _strong(password)
    role_list = _check_roles(roles)
    if Role.APPROVER.value in role_list and not serves:
        raise InputError("后台审批人员需要指定服务的中心和部门")
    verifier = passwords.hash_password(password)  # slow on purpose: outside the write lock
    with db.transaction() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise InputError(f"用户名 {username} 已存在")
        u = User(
            username=username,
            display_name=display_name.strip(),
            password_verifier=verifier,
            roles=role_list,
            source=source,
            must_change_password=must_change_password,
        )
        u.serves = [UserService(site_code=sc, department_code=dc) for sc, dc in serves]
        s.add(u)
        s.flush()
        audit.record(s, "user_added", actor, username=username, roles=role_list)
        return _info(u)


def list_users(db: Database) -> list[UserInfo]:
    with db.reading() as s:
        return [_info(u) for u in s.scalars(select(User).order_by(User.username))]


def _find(s: Session, username: str) -> User:
    u = s.scalar(select(User).where(User.username == username.strip()))
    if u is None:
        raise NotFound(f"没有用户 {username}")
    return u


def reset_password(
    db: Database, username: str, new_password: str, *, actor: str | None = None, must_change: bool = True
) -> None:
    _strong(new_password)
    verifier = passwords.hash_password(new_password)
    with db.transaction() as s:
        u = _find(s, username)
        u.password_verifier = verifier
        u.failed_logins = 0
        u.locked_until = None
        u.must_change_password = must_change
        audit.record(s, "password_reset", actor, username=u.username)


def change_own_password(db: Database, username: str, old: str, new: str) -> None:
    authenticate(db, username, old)
    reset_password(db, username, new, actor=username, must_change=False)


def set_active(db: Database, username: str, active: bool, *, actor: str | None = None) -> None:
    with db.transaction() as s:
        u = _find(s, username)
        u.active = active
        audit.record(s, "user_active", actor, username=u.username, active=active)
