"""The user directory: accounts county IT manages, served to desks for offline login (verifiers only)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from clerk_desk.domain.passwords import hash_password
from county_hub import audit, grants
from county_hub.devices import AdminError, check_code
from county_hub.models import RoleGrant, Site, User, utcnow
from county_hub.schemas import iso_utc
from county_hub.scope import ALL, Pair, Scope

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_ROLE = re.compile(r"^[a-z][a-z_]{0,31}$")


def add_user(
    conn: Connection,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[str],
    site_code: str | None = None,
    serves: Iterable[Pair] = (),
    actor: str = "admin",
    replace: bool = False,
    valid_from: datetime | None = None,
) -> None:
    """Save an account; its roles are granted from ``valid_from`` (default now), and on --replace the
    grants it no longer implies end now (county_hub.grants)."""
    if not _USERNAME.match(username):
        raise AdminError("用户名只能由小写字母、数字、'.'、'_' 或 '-' 组成，最多 64 个字符，请改正后重试")
    role_list = sorted(set(roles))
    if not role_list or not all(_ROLE.match(r) for r in role_list):
        raise AdminError("请用 --roles 至少给出一个角色（如 clerk、approver、supervisor、admin，多个用逗号分隔）")
    pairs = sorted(set(serves))
    for site, dept in [*pairs, *([(site_code, ALL)] if site_code else [])]:
        check_code(site, "服务中心代码")
        if dept != ALL:
            check_code(dept, "部门代码")
        if not conn.execute(select(Site.code).where(Site.code == site)).first():
            raise AdminError(f"没有服务中心 {site}：请先用 county-hub site add 添加，或改正代码（county-hub site list）")
    if site_code is None and not pairs:
        raise AdminError("请给出用户所属的服务中心（--site 代码），或至少一个 --serves 服务中心代码:部门代码")
    values: dict[str, Any] = {
        "display_name": display_name,
        "site_code": site_code,
        "roles": role_list,
        "serves": [f"{s}:{d}" for s, d in pairs],
        "verifier": hash_password(password),
        "active": True,
        "updated_at": utcnow(),
    }
    exists = conn.execute(select(User.username).where(User.username == username)).first()
    if exists and not replace:
        raise AdminError(f"用户 {username} 已存在：如要改写该账户，请加 --replace")
    if exists:
        conn.execute(update(User).where(User.username == username).values(**values))
    else:
        conn.execute(insert(User).values(username=username, **values))
    audit.record(
        conn, "user_saved", actor, username, roles=role_list, site=site_code, serves=values["serves"]
    )
    wanted = grants.scopes_of(role_list, site_code, values["serves"])
    grants.match_account(conn, username, wanted, valid_from, actor)


def set_active(conn: Connection, username: str, active: bool, actor: str = "admin") -> None:
    """Disabling ends every role the user holds (work done before stays valid); enabling grants again,
    from now, what the account's roles imply."""
    if (
        conn.execute(
            update(User).where(User.username == username).values(active=active, updated_at=utcnow())
        ).rowcount
        != 1
    ):
        raise AdminError(f"没有用户 {username}：请用 county-hub user list 查看已有的账户")
    audit.record(conn, "user_enabled" if active else "user_disabled", actor, username)
    if active:
        u = conn.execute(select(User.__table__).where(User.username == username)).one()
        grants.match_account(conn, username, grants.scopes_of(u.roles, u.site_code, u.serves), None, actor)
    else:
        grants.end(conn, username, actor=actor)


def grant_role(
    conn: Connection,
    username: str,
    role: str,
    scope: list[Pair],
    valid_from: datetime | None,
    valid_to: datetime | None,
    actor: str,
) -> None:
    """``county-hub user grant``: a role for each (site, department) pair; the account's roles follow."""
    if not scope:
        raise AdminError("请给出 --site 服务中心代码 或 --serves 服务中心代码:部门代码")
    for site, dept in scope:
        grants.grant(conn, username, role, site, dept, valid_from, valid_to, actor)
    _roles_from_grants(conn, username)


def revoke_role(
    conn: Connection, username: str, role: str, scope: list[Pair], at: datetime | None, actor: str
) -> int:
    """``county-hub user revoke``: end the role (for these pairs only, when given) at ``at`` (default now)."""
    if not conn.execute(select(User.username).where(User.username == username)).first():
        raise AdminError(f"没有用户 {username}：请用 county-hub user list 查看已有的账户")
    count = 0
    where: list[tuple[str | None, str | None]] = list(scope) or [(None, None)]  # none given: every pair
    for site, dept in where:
        count += grants.end(conn, username, at, actor, role=role, site_code=site, department_code=dept)
    if not count:
        raise AdminError(
            f"用户 {username} 在该时间没有符合条件的 {role} 角色，未作改动：请用 county-hub user grants {username} "
            "查看其角色及期限"
        )
    _roles_from_grants(conn, username)
    return count


def _roles_from_grants(conn: Connection, username: str) -> None:
    """The account's roles and served pairs (what desks copy) become those of its grants held now or later."""
    now = utcnow()
    held = conn.execute(
        select(RoleGrant.role, RoleGrant.site_code, RoleGrant.department_code).where(
            RoleGrant.username == username, or_(RoleGrant.valid_to.is_(None), RoleGrant.valid_to > now)
        )
    ).all()
    roles = sorted({r for r, _s, _d in held})
    serves = sorted({f"{s}:{d}" for r, s, d in held if r == "approver"})
    conn.execute(
        update(User).where(User.username == username).values(roles=roles, serves=serves, updated_at=now)
    )


def _pairs(serves: list[str]) -> list[Pair]:
    out = []
    for text in serves:
        site, _, dept = text.partition(":")
        out.append((site, dept))
    return out


def list_users(conn: Connection) -> list[dict[str, Any]]:
    held = grants.grants_of(conn)
    return [
        _entry(u, held.get(u.username, []))
        for u in conn.execute(select(User.__table__).order_by(User.username))
    ]


def directory_for(conn: Connection, site_code: str, scope: Scope) -> list[dict[str, Any]]:
    """Users who may log in at this device: its site's users, anyone serving a pair it covers, and anyone
    holding (now or later) a role at its site or an approver role for a pair it covers."""
    held = grants.grants_of(conn)
    now = utcnow()
    out = []
    for u in conn.execute(select(User.__table__).order_by(User.username)):
        mine = held.get(u.username, [])
        if (
            u.site_code == site_code
            or any(scope.touches(s, d) for s, d in _pairs(u.serves))
            or any(
                _grant_reaches(g, site_code, scope) for g in mine if g.valid_to is None or g.valid_to > now
            )
        ):
            out.append(_entry(u, mine))
    return out


def _grant_reaches(g: grants.Grant, site_code: str, scope: Scope) -> bool:
    if g.role == "approver":
        return scope.touches(g.site_code, g.department_code)
    return g.site_code == site_code


def _entry(u: Any, held: list[grants.Grant]) -> dict[str, Any]:
    return {
        "username": u.username,
        "display_name": u.display_name,
        "site_code": u.site_code,
        "roles": list(u.roles),
        "serves": [{"site_code": s, "department_code": d} for s, d in _pairs(u.serves)],
        "verifier": u.verifier,
        "active": u.active,
        "updated_at": iso_utc(u.updated_at),
        "grants": [grants.as_dict(g) for g in held],  # added with hub migration 0003
    }
