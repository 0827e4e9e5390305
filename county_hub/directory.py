"""The user directory: accounts county IT manages, served to desks for offline login (verifiers only)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from clerk_desk.domain.passwords import hash_password
from county_hub import audit
from county_hub.devices import AdminError, check_code
from county_hub.models import Site, User, utcnow
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
) -> None:
    if not _USERNAME.match(username):
        raise AdminError("username: lower-case letters, digits, '.', '_' or '-', at most 64")
    role_list = sorted(set(roles))
    if not role_list or not all(_ROLE.match(r) for r in role_list):
        raise AdminError("give at least one role (e.g. clerk, approver, supervisor, admin)")
    pairs = sorted(set(serves))
    for site, dept in [*pairs, *([(site_code, ALL)] if site_code else [])]:
        check_code(site, "site code")
        if dept != ALL:
            check_code(dept, "department code")
        if not conn.execute(select(Site.code).where(Site.code == site)).first():
            raise AdminError(f"unknown site {site}")
    if site_code is None and not pairs:
        raise AdminError("a user needs a home site (--site) or at least one --serves SITE:DEPT")
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
        raise AdminError(f"user {username} already exists")
    if exists:
        conn.execute(update(User).where(User.username == username).values(**values))
    else:
        conn.execute(insert(User).values(username=username, **values))
    audit.record(
        conn, "user_saved", actor, username, roles=role_list, site=site_code, serves=values["serves"]
    )


def set_active(conn: Connection, username: str, active: bool, actor: str = "admin") -> None:
    if (
        conn.execute(
            update(User).where(User.username == username).values(active=active, updated_at=utcnow())
        ).rowcount
        != 1
    ):
        raise AdminError(f"unknown user {username}")
    audit.record(conn, "user_enabled" if active else "user_disabled", actor, username)


def _pairs(serves: list[str]) -> list[Pair]:
    out = []
    for text in serves:
        site, _, dept = text.partition(":")
        out.append((site, dept))
    return out


def list_users(conn: Connection) -> list[dict[str, Any]]:
    return [_entry(u) for u in conn.execute(select(User.__table__).order_by(User.username))]


def directory_for(conn: Connection, site_code: str, scope: Scope) -> list[dict[str, Any]]:
    """Users who may log in at this device: its site's users, and anyone serving a pair it covers."""
    out = []
    for u in conn.execute(select(User.__table__).order_by(User.username)):
        if u.site_code == site_code or any(scope.touches(s, d) for s, d in _pairs(u.serves)):
            out.append(_entry(u))
    return out


def _entry(u: Any) -> dict[str, Any]:
    return {
        "username": u.username,
        "display_name": u.display_name,
        "site_code": u.site_code,
        "roles": list(u.roles),
        "serves": [{"site_code": s, "department_code": d} for s, d in _pairs(u.serves)],
        "verifier": u.verifier,
        "active": u.active,
        "updated_at": iso_utc(u.updated_at),
    }
