"""Local accounts: add, list, reset password, sign in with a lockout after repeated failures.

Before enrolment with the hub (demo, first start) these local accounts serve; afterwards the hub's
directory is synced into the same table (source = "hub").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import AuthError, InputError, NotFound
from clerk_desk.domain.org import ROLE_ZH, Role
from clerk_desk.services import audit
from clerk_desk.store.database import Database
from clerk_desk.store.models import User, UserService, utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    display_name: str
    roles: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    serves: tuple[tuple[str, str], ...]  # (site_code, department_code)
    source: str

    def has(self, role: Role | str) -> bool:
        return Role(role).value in self.roles

    @property
    def roles_zh(self) -> str:
        return "、".join(ROLE_ZH[Role(r)] for r in self.roles)


def _info(u: User) -> UserInfo:
    return UserInfo(
        u.id,
        u.username,
        u.display_name,
        tuple(u.roles),
        u.active,
        u.locked_until,
        u.must_change_password,
        tuple((sv.site_code, sv.department_code) for sv in u.serves),
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


def has_users(db: Database) -> bool:
    with db.reading() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


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


def authenticate(db: Database, username: str, password: str, *, now: datetime | None = None) -> UserInfo:
    """Check a password; 5 failures in a row lock the account for 15 minutes (recorded in the audit log)."""
    now = now or utcnow()
    with db.reading() as s:
        u = s.scalar(select(User).where(User.username == username.strip()))
        verifier = u.password_verifier if u else None
        locked_until = u.locked_until if u else None
    if u is None or not u.active:
        passwords.verify_password(password, passwords.hash_password("x-timing-equaliser1"))
        raise AuthError("用户名或密码不正确")
    if locked_until and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(f"连续输错密码次数过多，账户已锁定，请 {minutes} 分钟后再试或请管理员重置密码")
    ok = passwords.verify_password(password, verifier or "")
    with db.transaction() as s:
        row = _find(s, username)
        if ok:
            row.failed_logins = 0
            row.locked_until = None
            if passwords.needs_rehash(row.password_verifier):
                row.password_verifier = passwords.hash_password(password)
            audit.record(s, "login", row.username)
            return _info(row)
        row.failed_logins += 1
        left = MAX_FAILED_LOGINS - row.failed_logins
        if left <= 0:
            row.locked_until = now + LOCKOUT
            row.failed_logins = 0
            audit.record(s, "locked", row.username)
            msg = f"连续输错密码 {MAX_FAILED_LOGINS} 次，账户已锁定 {int(LOCKOUT.total_seconds() // 60)} 分钟"
        else:
            audit.record(s, "login_failed", row.username)
            msg = f"用户名或密码不正确（再输错 {left} 次将锁定账户）"
    raise AuthError(msg)
