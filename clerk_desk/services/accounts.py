"""Local accounts: add, list, reset password, sign in with a lockout after repeated failures.

Before enrolment with the hub (demo, first start) these local accounts serve; afterwards the hub's
directory is synced into the same table (source = "hub"), and a local account can no longer be added
(:func:`add_user` refuses: county IT adds users at the hub). Commands that change accounts from the
command line need an administrator's name and password (:func:`authorize_admin`), except the very first
administrator of an empty database. Every refusal is in the audit log.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import AuthError, InputError, NotFound
from clerk_desk.domain.org import Role
from clerk_desk.services import audit
from clerk_desk.services.sign_in import LOCKOUT, MAX_FAILED_LOGINS, UserInfo, authenticate, has_users
from clerk_desk.store.database import Database
from clerk_desk.store.models import Setting, User, UserService

__all__ = ["LOCKOUT", "MAX_FAILED_LOGINS", "UserInfo", "authenticate", "has_users"]
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
_HUB_URL = "hub_url"  # the setting enrolment writes (clerk_desk.sync.enrolment)
REFUSED = "user_change_refused"  # the audit action of every refusal below
HUB_MANAGES_ACCOUNTS = (
    "本机已注册到县级平台，账户由县级平台统一管理，不能在本机添加。"
    "请县级信息技术人员在县级平台添加：county-hub user add 用户名 --name 姓名 --roles 角色 --site 中心编码"
)
ADMIN_NEEDED = (
    "需要系统管理员的用户名和密码才能修改账户：请用 --admin 给出管理员用户名，"
    "密码在提示时输入，或用 --password-stdin 从标准输入给出"
)


def is_enrolled(db: Database) -> bool:
    """Whether this PC is enrolled with the county hub (its accounts then come from the hub)."""
    with db.reading() as s:
        return s.get(Setting, _HUB_URL) is not None


def admin_exists(db: Database) -> bool:
    return any(u.active and u.has(Role.ADMIN) for u in list_users(db))


def refuse_if_enrolled(db: Database, what: str, *, admin: str | None = None, username: str = "") -> None:
    """On an enrolled PC accounts come from the hub: a local one is refused (and the refusal audited)."""
    if is_enrolled(db):
        record_refusal(db, what, "enrolled: accounts come from the hub", admin=admin, username=username[:64])
        raise InputError(HUB_MANAGES_ACCOUNTS)


def record_refusal(db: Database, what: str, reason: str, *, admin: str | None = None, **detail: object) -> None:
    """Put a refused account change in the audit log (its own transaction: the change itself wrote nothing)."""
    with db.transaction() as s:
        audit.record(s, REFUSED, (admin or "")[:64] or None, command=what, reason=reason, **detail)


def authorize_admin(db: Database, admin: str | None, password: str | None, *, what: str) -> UserInfo:
    """The administrator allowing an account change, checked like a sign-in (wrong passwords count toward
    the lockout). Raises AuthError, after auditing the refusal, when the name or password is missing or
    wrong or the account is not an active administrator."""
    if not admin or not password:
        record_refusal(db, what, "no administrator credentials", admin=admin)
        raise AuthError(ADMIN_NEEDED)
    try:
        user = authenticate(db, admin, password)
    except AuthError as exc:
        record_refusal(db, what, "administrator sign-in failed", admin=admin)
        raise AuthError(f"管理员身份验证失败：{exc.message_zh}") from None
    if not user.has(Role.ADMIN):
        record_refusal(db, what, "not an administrator", admin=admin)
        raise AuthError(f"{user.username} 不是系统管理员：修改账户需要系统管理员的用户名和密码")
    return user


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
    if source == "local":
        refuse_if_enrolled(db, "user add", admin=actor, username=username)
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
