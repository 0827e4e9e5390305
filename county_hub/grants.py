"""Role grants: which user held which role, for which (site, department), from when to when.

County IT grants and revokes with ``county-hub user ...`` (every change is in the audit trail); ``user add``
and ``user enable`` grant what the account's roles imply, ``user disable`` ends every grant. A revocation
ends a period (``valid_to``), it never deletes it: events made while the role was held stay valid when
they arrive later (county_hub.admission checks each pushed event against these periods).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from county_hub import audit
from county_hub.admission import ALL, Grant
from county_hub.devices import AdminError, check_code
from county_hub.models import RoleGrant, Site, User, utcnow
from county_hub.schemas import iso_utc

Scope3 = tuple[str, str, str]  # (role, site, department)
KNOWN_ROLES = ("clerk", "approver", "supervisor", "admin")


def scopes_of(roles: Iterable[str], site_code: str | None, serves: Iterable[str]) -> set[Scope3]:
    """What an account's roles imply: an approver serves its (site, department) pairs; any other role
    covers its home site (or, without one, the sites it serves)."""
    pairs = [(s, d) for s, _, d in (p.partition(":") for p in serves)]
    sites = [site_code] if site_code else sorted({s for s, _ in pairs})
    out: set[Scope3] = set()
    for role in roles:
        if role == "approver":
            out |= {(role, s, d) for s, d in pairs}
        else:
            out |= {(role, s, ALL) for s in sites}
    return out


def _open(username: str, at: datetime) -> Any:
    return (RoleGrant.username == username) & or_(RoleGrant.valid_to.is_(None), RoleGrant.valid_to > at)


def grant(
    conn: Connection,
    username: str,
    role: str,
    site_code: str,
    department_code: str = ALL,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    actor: str = "admin",
) -> None:
    """Record that ``username`` holds ``role`` for (site, department) from ``valid_from`` (default now)."""
    now = utcnow()
    start = valid_from or now
    if role not in KNOWN_ROLES:
        raise AdminError(f"角色须为 {'、'.join(KNOWN_ROLES)} 之一")
    if valid_to is not None and valid_to <= start:
        raise AdminError("角色期限的结束时间（--to）须晚于开始时间（--from）")
    check_code(site_code, "服务中心代码")
    if department_code != ALL:
        check_code(department_code, "部门代码")
    if not conn.execute(select(Site.code).where(Site.code == site_code)).first():
        raise AdminError(f"没有服务中心 {site_code}：请先用 county-hub site add 添加，或改正代码（county-hub site list）")
    if not conn.execute(select(User.username).where(User.username == username)).first():
        raise AdminError(f"没有用户 {username}：请先用 county-hub user add 添加（已有的账户见 county-hub user list）")
    conn.execute(
        insert(RoleGrant).values(
            username=username, role=role, site_code=site_code, department_code=department_code,
            valid_from=start, valid_to=valid_to, granted_at=now, granted_by=actor,
        )
    )  # fmt: skip
    audit.record(
        conn, "role_granted", actor, username, role=role, site=site_code, department=department_code,
        valid_from=iso_utc(start), valid_to=iso_utc(valid_to) if valid_to else None,
    )  # fmt: skip


def end(
    conn: Connection,
    username: str,
    at: datetime | None = None,
    actor: str = "admin",
    *,
    role: str | None = None,
    site_code: str | None = None,
    department_code: str | None = None,
) -> int:
    """End the user's grants still held at ``at`` (default now), those of ``role`` and the scope if given;
    returns how many were ended."""
    when = at or utcnow()
    where = [_open(username, when)]
    if role is not None:
        where.append(RoleGrant.role == role)
    if site_code is not None:
        where.append(RoleGrant.site_code == site_code)
    if department_code is not None:
        where.append(RoleGrant.department_code == department_code)
    ended = conn.execute(
        select(RoleGrant.role, RoleGrant.site_code, RoleGrant.department_code).where(*where)
    ).all()
    if ended:
        conn.execute(update(RoleGrant).where(*where).values(valid_to=when, ended_by=actor))
        audit.record(
            conn, "role_revoked", actor, username, at=iso_utc(when),
            grants=[f"{r}@{s}:{d}" for r, s, d in sorted(ended)],
        )  # fmt: skip
    return len(ended)


def match_account(
    conn: Connection, username: str, wanted: set[Scope3], start: datetime | None, actor: str
) -> None:
    """Make the grants held from now on what the account's roles imply: end the others, grant the missing."""
    now = utcnow()
    held = conn.execute(
        select(RoleGrant.role, RoleGrant.site_code, RoleGrant.department_code).where(_open(username, now))
    ).all()
    held_set = {(r, s, d) for r, s, d in held}
    for role, site, dept in sorted(held_set - wanted):
        end(conn, username, now, actor, role=role, site_code=site, department_code=dept)
    for role, site, dept in sorted(wanted - held_set):
        grant(conn, username, role, site, dept, start, None, actor)


def grants_of(conn: Connection, usernames: Iterable[str] | None = None) -> dict[str, list[Grant]]:
    """The grants of these users (all users when None), keyed by user; a known user without any grant maps
    to an empty list, an unknown name is absent."""
    users = select(User.username)
    rows = select(
        RoleGrant.username, RoleGrant.role, RoleGrant.site_code, RoleGrant.department_code,
        RoleGrant.valid_from, RoleGrant.valid_to,
    ).order_by(RoleGrant.id)  # fmt: skip
    if usernames is not None:
        names = sorted(set(usernames))
        users = users.where(User.username.in_(names))
        rows = rows.where(RoleGrant.username.in_(names))
    out: dict[str, list[Grant]] = {name: [] for name in conn.execute(users).scalars()}
    for r in conn.execute(rows):
        out.setdefault(r.username, []).append(
            Grant(r.role, r.site_code, r.department_code, r.valid_from, r.valid_to)
        )
    return out


def as_dict(g: Grant) -> dict[str, Any]:
    """A grant as the directory sends it (docs/sync-protocol.md, GET /users)."""
    return {
        "role": g.role,
        "site_code": g.site_code,
        "department_code": g.department_code,
        "valid_from": iso_utc(g.valid_from) if g.valid_from else None,
        "valid_to": iso_utc(g.valid_to) if g.valid_to else None,
    }
